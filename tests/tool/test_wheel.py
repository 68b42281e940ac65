"""scaffold installed from a wheel, as a user gets it: no checkout of the template
repository, templates shipped with their history and release tags, `scaffold update`
offline."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from tests.support import REPO_ROOT
from tests.support.git import git

# Test releases of a clone of scaffold, far past any the repository will have.
V1, V2 = "90.0.0", "91.0.0"


def release(checkout: Path, version: str) -> None:
    """Release `version` in a clone of scaffold as its maintainers do: bump pyproject's
    version and commit; the release tag is derived from that history when building."""
    pyproject = checkout / "pyproject.toml"
    text = pyproject.read_text()
    pyproject.write_text(re.sub(r'(?m)^version = ".*"$', f'version = "{version}"', text, count=1))
    git(checkout, "add", "-A")
    git(checkout, "commit", "-qm", f"Release {version}")


def bundle_tags(installed: Path) -> dict[str, str]:
    """The shipped bundle's release tags: name -> commit."""
    heads = git(installed, "bundle", "list-heads", "scaffold/templates.bundle").splitlines()
    return {
        ref.removeprefix("refs/tags/"): sha
        for sha, ref in map(str.split, heads)
        if ref.startswith("refs/tags/")
    }


def version_at(checkout: Path, revision: str) -> str:
    match = re.search(
        r'(?m)^version = "(.*)"$', git(checkout, "show", f"{revision}:pyproject.toml")
    )
    assert match, revision
    return match.group(1)


def build_and_install(checkout: Path, target: Path) -> None:
    """Build the wheel from `checkout` and unpack it into `target` (no network)."""
    dist = target.with_suffix(".dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(dist),
            str(checkout),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("scaffold-*.whl")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )


def scaffold(
    installed: Path, home: Path, *args: str, cwd: Path
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(installed), "HOME": str(home)}
    env.pop("SCAFFOLD_TEMPLATE", None)
    return subprocess.run(
        [sys.executable, "-m", "scaffold", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_wheel_generates_and_later_wheel_updates_offline(tmp_path: Path) -> None:
    checkout = tmp_path / "scaffold-src"
    # A fresh clone: no tag travels with it (nor would one from a server).
    git(tmp_path, "clone", "--quiet", "--no-tags", str(REPO_ROOT), str(checkout))
    # Release 1 as committed in this repository, plus a file release 2 will change.
    notes = checkout / "templates" / "fastapi" / "NOTES.md"
    notes.write_text("first\n")
    release(checkout, V1)
    home = tmp_path / "home"
    v1 = tmp_path / "v1"
    build_and_install(checkout, v1)
    assert git(checkout, "tag") == ""  # the build tagged in a clone of its own

    # Every release in the history is tagged in the bundle: each commit of the mainline
    # at which pyproject's version changed, as v<version>.
    tags = bundle_tags(v1)
    assert {"v0.1.0", "v0.2.0", f"v{V1}"} <= set(tags)
    for tag, commit in tags.items():
        assert version_at(checkout, commit) == tag[1:]
        if git(checkout, "rev-list", "--parents", "-n1", commit).split()[1:]:
            assert version_at(checkout, f"{commit}^1") != tag[1:]

    made = scaffold(
        v1, home, "new", "svc", "-s", "fastapi", "--defaults", "--no-install", cwd=tmp_path
    )
    assert made.returncode == 0, made.stderr
    project = tmp_path / "svc"
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_commit"] == f"v{V1}"
    assert answers["_src_path"] == str(home / ".local/share/scaffold/templates.git")

    notes.write_text("second\n")
    release(checkout, V2)
    v2 = tmp_path / "v2"
    build_and_install(checkout, v2)

    dry = scaffold(v2, home, "update", "--dry-run", "--no-input", cwd=project)
    assert dry.returncode == 0, dry.stderr
    assert "would change: M NOTES.md" in dry.stdout
    assert (project / "NOTES.md").read_text() == "first\n"

    updated = scaffold(v2, home, "update", "--no-input", cwd=project)
    assert updated.returncode == 0, updated.stderr
    assert (project / "NOTES.md").read_text() == "second\n"
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["_commit"] == f"v{V2}"
