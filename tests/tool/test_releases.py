"""Which releases a repository holds: derived from pyproject.toml's version history
where no tags travelled with the clone, else its `v<PEP 440>` tags."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest

from scaffold import releases
from tests.support.git import git


def run(repo: Path, *args: str) -> str:
    """git as releases.py calls it: its stdout, stripped."""
    return git(repo, *args).strip()


def set_version(repo: Path, version: str, message: str) -> str:
    (repo / "pyproject.toml").write_text(f'[project]\nname = "scaffold"\nversion = "{version}"\n')
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)
    return run(repo, "rev-parse", "HEAD")


def other_change(repo: Path, name: str) -> str:
    (repo / name).write_text(name)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", name)
    return run(repo, "rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    path = tmp_path / "repo"
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    return path


def test_derived_at_each_version_change_and_at_the_merge_that_brings_one(repo: Path) -> None:
    first = set_version(repo, "0.1.0", "start")
    other_change(repo, "a")
    git(repo, "checkout", "-qb", "feature")
    set_version(repo, "0.2.0", "bump on a branch")
    git(repo, "checkout", "-q", "main")
    other_change(repo, "b")
    git(repo, "merge", "-q", "--no-ff", "-m", "merge feature", "feature")
    merge = run(repo, "rev-parse", "HEAD")
    pyproject = (repo / "pyproject.toml").read_text()
    (repo / "pyproject.toml").write_text("[project\n")
    git(repo, "commit", "-qam", "unreadable pyproject.toml")
    (repo / "pyproject.toml").write_text(pyproject + "dependencies = []\n")
    git(repo, "commit", "-qam", "pyproject change that keeps the version")
    found = releases.derived(partial(run, repo))
    # 0.2.0 is released by the merge, which also has b; not by the branch's commit.
    assert [(r.tag, r.commit, r.ref) for r in found] == [
        ("v0.1.0", first, first),
        ("v0.2.0", merge, merge),
    ]
    assert all(len(r.date) == 10 for r in found)
    assert git(repo, "tag") == ""  # derived, not tagged


def test_tags_win_and_only_pep440_ones_count(repo: Path) -> None:
    set_version(repo, "0.1.0", "start")
    git(repo, "tag", "v1.0")
    other_change(repo, "a")
    git(repo, "tag", "-a", "-m", "annotated", "v1.10.0")
    git(repo, "tag", "vendor-fix")
    git(repo, "tag", "v1.2.0rc1")
    found = releases.shipped(partial(run, repo), "HEAD")
    assert [r.ref for r in found] == ["v1.0", "v1.2.0rc1", "v1.10.0"]  # by PEP 440 order
    assert found[-1].commit == run(repo, "rev-parse", "HEAD")  # the tagged commit
    assert releases.shipped(partial(run, repo), "HEAD~1") == found[:1]
