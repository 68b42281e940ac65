"""`scaffold update` on projects in subdirectories of one git repository (a monorepo):
only the project updated changes, and only its own uncommitted changes stop it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from typer.testing import Result

from tests.support.git import git, release

Cli = Callable[..., Result]
TITLE = "# The template's v2 title\n"


@pytest.fixture
def monorepo(cli: Cli, tmp_path: Path, released_template: Path) -> Path:
    """A repository of two services generated at v1.0.0, svc-a and svc-b, beside a
    file of its own; svc-a's team added to its README and added a file."""
    root = tmp_path / "mono"
    root.mkdir()
    git(root, "init", "-q")
    for name in ("svc-a", "svc-b"):
        result = cli(
            "new", f"mono/{name}", "-s", "fastapi", "--defaults", "--no-install", "--no-git"
        )
        assert result.exit_code == 0, result.output
    (root / "notes.txt").write_text("the monorepo's notes\n")
    readme = root / "svc-a" / "README.md"
    readme.write_text(readme.read_text() + "\nThe team's own section.\n")
    (root / "svc-a" / "team.txt").write_text("ours\n")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "two services")
    return root


def release_v2(template: Path) -> None:
    """v2.0.0 gives the README a new first line and adds docs/new.md."""
    readme = template / "templates" / "fastapi" / "README.md.jinja"
    readme.write_text(TITLE + readme.read_text().split("\n", 1)[1])
    (template / "templates" / "fastapi" / "docs").mkdir()
    (template / "templates" / "fastapi" / "docs" / "new.md").write_text("new in v2\n")
    release(template, "v2.0.0")


def version(project: Path) -> str:
    return str(yaml.safe_load((project / ".copier-answers.yml").read_text())["_commit"])


def test_updates_one_project_and_leaves_the_rest_of_the_repository_alone(
    cli: Cli, monorepo: Path, released_template: Path
) -> None:
    release_v2(released_template)
    # Uncommitted work outside svc-a does not stop its update, and is kept.
    (monorepo / "notes.txt").write_text("edited, not committed\n")
    (monorepo / "svc-b" / "wip.txt").write_text("untracked\n")
    result = cli("update", "-p", "mono/svc-a", "--no-input")
    assert result.exit_code == 0, result.output
    svc_a = monorepo / "svc-a"
    readme = (svc_a / "README.md").read_text()
    assert readme.startswith(TITLE) and "The team's own section." in readme
    assert (svc_a / "team.txt").read_text() == "ours\n"
    assert (svc_a / "docs" / "new.md").read_text() == "new in v2\n"
    assert version(svc_a) == "v2.0.0"
    # Changes are listed relative to the project, and only the project's.
    assert "changed: M README.md" in result.output
    assert "changed: ? docs/new.md" in result.output
    assert "notes.txt" not in result.output and "wip.txt" not in result.output
    status = git(monorepo, "status", "--porcelain", "--untracked-files=all").splitlines()
    assert [line for line in status if not line[3:].startswith("svc-a/")] == [
        " M notes.txt",
        "?? svc-b/wip.txt",
    ]
    assert (monorepo / "notes.txt").read_text() == "edited, not committed\n"
    assert version(monorepo / "svc-b") == "v1.0.0"
    assert not (monorepo / "svc-b" / "docs").exists()


def test_refuses_only_uncommitted_changes_in_the_project_itself(
    cli: Cli, monorepo: Path, released_template: Path
) -> None:
    release_v2(released_template)
    (monorepo / "svc-a" / "team.txt").write_text("edited\n")
    result = cli("update", "-p", "mono/svc-a", "--no-input")
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "uncommitted changes" in errors[0], result.output
    assert (monorepo / "svc-a" / "team.txt").read_text() == "edited\n"
    assert version(monorepo / "svc-a") == "v1.0.0"
    # svc-a's edit is no business of svc-b's update.
    result = cli("update", "-p", "mono/svc-b", "--no-input")
    assert result.exit_code == 0, result.output
    assert version(monorepo / "svc-b") == "v2.0.0"


def test_dry_run_from_a_subdirectory_of_the_project(
    cli: Cli, monorepo: Path, released_template: Path
) -> None:
    release_v2(released_template)
    (monorepo / "notes.txt").write_text("edited, not committed\n")
    head = git(monorepo, "rev-parse", "HEAD")
    # --project inside svc-a finds svc-a, as `git` finds its repository.
    result = cli("update", "-p", "mono/svc-a/src", "--no-input", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "would change: M README.md" in result.output
    assert "would change: ? docs/new.md" in result.output
    assert git(monorepo, "status", "--porcelain") == " M notes.txt\n"
    assert git(monorepo, "rev-parse", "HEAD") == head


def test_pointing_the_answers_here_commits_nothing_else(
    cli: Cli, monorepo: Path, released_template: Path
) -> None:
    answers = monorepo / "svc-a" / ".copier-answers.yml"
    text = answers.read_text()
    recorded = yaml.safe_load(text)["_src_path"]
    answers.write_text(text.replace(recorded, "/a/teammates/checkout"))
    git(monorepo, "commit", "-qam", "answers from a teammate's machine")
    release_v2(released_template)
    (monorepo / "notes.txt").write_text("staged by the user\n")
    git(monorepo, "add", "notes.txt")
    result = cli("update", "-p", "mono/svc-a", "--no-input")
    assert result.exit_code == 0, result.output
    # scaffold's commit holds the answers file alone; the user's staged file stays staged.
    assert git(monorepo, "show", "--name-only", "--format=", "HEAD") == (
        "svc-a/.copier-answers.yml\n"
    )
    assert git(monorepo, "diff", "--cached", "--name-only") == "notes.txt\n"
