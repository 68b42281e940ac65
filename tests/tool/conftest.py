from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from scaffold.cli import app
from tests.support.generate import copy_template
from tests.support.git import git, release


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Invoke `scaffold ARGS...` in-process from an empty working directory."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(app, list(args))

    return invoke


@pytest.fixture
def template_with_task(tmp_path: Path) -> Callable[[str], str]:
    """A git copy of the real template whose copier tasks end with `command`."""

    def make(command: str) -> str:
        src = copy_template(tmp_path / "template-src")
        config = (src / "copier.yml").read_text()
        (src / "copier.yml").write_text(
            config.replace("_tasks:\n", f"_tasks:\n  - {command!r}\n", 1)
        )
        git(src, "init", "-q")
        release(src, "v1.0.0")
        return str(src)

    return make


@pytest.fixture
def released_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git copy of the real template released as v1.0.0, the one scaffold renders
    (SCAFFOLD_TEMPLATE): a test changes it and releases v2.0.0 to update to."""
    path = copy_template(tmp_path / "template")
    git(path, "init", "-q")
    release(path, "v1.0.0")
    monkeypatch.setenv("SCAFFOLD_TEMPLATE", str(path))
    return path
