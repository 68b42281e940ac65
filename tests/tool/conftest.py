from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from scaffold.cli import app
from tests.support.generate import REPO_ROOT


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
        src = tmp_path / "template-src"
        shutil.copytree(REPO_ROOT / "templates", src / "templates")
        config = (REPO_ROOT / "copier.yml").read_text()
        config = config.replace("_tasks:\n", f"_tasks:\n  - {command!r}\n", 1)
        (src / "copier.yml").write_text(config)
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@t",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@t",
        }
        for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "fixture"]):
            subprocess.run(["git", *args], cwd=src, env=env, check=True)
        return str(src)

    return make
