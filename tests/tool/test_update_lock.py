"""`scaffold update` re-locks when a template release changes the manifest, on a
FastAPI project locked with `uv lock` (seconds, no install): the lock follows, a
lock that cannot resolve fails in one line with the update kept, and a conflicted
pyproject.toml waits for its conflicts to be resolved.

The same on real installs of both stacks: tests/templates/test_update_projects.py.
"""

from __future__ import annotations

import subprocess
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from tests.support.git import git, release

Cli = Callable[..., Result]


@pytest.fixture
def project(cli: Cli, tmp_path: Path, released_template: Path) -> Path:
    """A FastAPI project generated at v1.0.0, locked and committed."""
    result = cli("new", "svc", "-s", "fastapi", "--defaults", "--no-install")
    assert result.exit_code == 0, result.output
    path = tmp_path / "svc"
    subprocess.run(["uv", "lock", "--quiet"], cwd=path, check=True)
    git(path, "add", "uv.lock")
    git(path, "commit", "-qm", "lock")
    return path


def release_v2(template: Path, old: str, new: str) -> None:
    """v2.0.0 replaces `old` by `new` in pyproject.toml's template."""
    pyproject = template / "templates" / "fastapi" / "pyproject.toml.jinja"
    text = pyproject.read_text()
    assert text.count(old) == 1
    pyproject.write_text(text.replace(old, new))
    release(template, "v2.0.0")


def add_dependency(template: Path, requirement: str) -> None:
    release_v2(template, "dependencies = [\n", f'dependencies = [\n    "{requirement}",\n')


def locked(project: Path) -> set[str]:
    """The dependencies uv.lock records for the project itself."""
    lock = tomllib.loads((project / "uv.lock").read_text())
    (own,) = [p for p in lock["package"] if p["name"] == "svc"]
    return {d["name"] for d in own["dependencies"]}


def lock_unchanged(project: Path) -> bool:
    return git(project, "status", "--porcelain", "--", "uv.lock") == ""


def error_lines(result: Result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("error:")]


def test_dry_run_shows_the_relock_then_the_update_relocks(
    cli: Cli, project: Path, released_template: Path
) -> None:
    add_dependency(released_template, "tomli-w>=1.0")
    result = cli("update", "-p", str(project), "--no-input", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "would change: M uv.lock" in result.output
    assert "Would re-lock uv.lock after pyproject.toml changed." in result.output
    assert git(project, "status", "--porcelain") == ""

    result = cli("update", "-p", str(project), "--no-input")
    assert result.exit_code == 0, result.output
    assert "changed: M uv.lock" in result.output
    assert "Re-locked uv.lock after pyproject.toml changed." in result.output
    assert "tomli-w" in locked(project)
    # What `make install` (`uv sync --locked`) checks first: the lock is current.
    subprocess.run(["uv", "lock", "--check", "--quiet"], cwd=project, check=True)


def test_a_lock_that_cannot_resolve_fails_in_one_line_and_keeps_the_update(
    cli: Cli, project: Path, released_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_dependency(released_template, "tomli-w==99.0.0")
    # A narrow terminal: uv wraps its reason onto indented lines, joined back here.
    monkeypatch.setenv("COLUMNS", "60")
    result = cli("update", "-p", str(project), "--no-input")
    assert result.exit_code == 3, result.output
    (error,) = error_lines(result)
    assert error.startswith("error: cannot re-lock uv.lock after pyproject.toml changed: ")
    assert "your project depends on tomli-w==99.0.0, we can conclude" in error  # uv's reason
    assert error.endswith("the update is kept: fix pyproject.toml, then run `uv lock`")
    assert "Traceback" not in result.output
    assert "changed: M pyproject.toml" in result.output
    assert '"tomli-w==99.0.0"' in (project / "pyproject.toml").read_text()
    assert "_commit: v2.0.0" in (project / ".copier-answers.yml").read_text()
    assert lock_unchanged(project)

    # The dry run finds it out too, and changes nothing.
    git(project, "checkout", "--", ".")
    result = cli("update", "-p", str(project), "--no-input", "--dry-run")
    assert result.exit_code == 3, result.output
    (error,) = error_lines(result)
    assert "tomli-w==99.0.0" in error and "the update is kept" not in error
    assert git(project, "status", "--porcelain") == ""


@pytest.mark.parametrize(
    ("style", "conflicted"), [("inline", "pyproject.toml"), ("rej", "pyproject.toml.rej")]
)
def test_a_conflicted_pyproject_is_locked_once_resolved(
    cli: Cli, project: Path, released_template: Path, style: str, conflicted: str
) -> None:
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"fastapi>=0.115"', '"fastapi>=0.116"'))
    git(project, "commit", "-qam", "the team's fastapi")
    release_v2(released_template, '"fastapi>=0.115"', '"fastapi>=0.115.6"')
    result = cli("update", "-p", str(project), "--no-input", "--conflict", style)
    assert result.exit_code == 1, result.output
    assert f"conflict: {conflicted}" in result.output
    assert (
        "uv.lock is not re-locked: resolve the conflicts in pyproject.toml, then run `uv lock`."
        in result.output
    )
    assert error_lines(result) == []
    assert lock_unchanged(project)
