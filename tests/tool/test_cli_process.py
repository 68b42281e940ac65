"""`scaffold` as a user runs it: a real process, real tools, real signals."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.support.processes import run

SCAFFOLD = [sys.executable, "-m", "scaffold"]


def scaffold(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    return run([*SCAFFOLD, *args], cwd=cwd, env=env, timeout=timeout, check=False)


def bin_dir(tmp_path: Path, **scripts: str) -> Path:
    """A PATH directory holding git plus the given small executables."""
    path = tmp_path / "bin"
    path.mkdir()
    git = shutil.which("git")
    assert git
    (path / "git").symlink_to(git)
    for name, body in scripts.items():
        (path / name).write_text(f"#!/bin/sh\n{body}\n")
        (path / name).chmod(0o755)
    return path


def test_help_explains_every_command(tmp_path: Path) -> None:
    result = scaffold("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("new", "list"):
        assert command in result.stdout
    new_help = scaffold("new", "--help", cwd=tmp_path).stdout
    for option in (
        "--stack",
        "--data",
        "--answers-file",
        "--defaults",
        "--no-input",
        "--force",
        "--no-git",
        "--no-install",
    ):
        assert option in new_help


def test_missing_tool_is_named_with_how_to_install(tmp_path: Path) -> None:
    # No node on PATH, and none beside scaffold: the test environment (`.[test]`) has
    # no node extra. (uv is always beside scaffold: tests/tool/test_bare_machine.py.)
    env = {"PATH": str(bin_dir(tmp_path))}
    result = scaffold("new", "svc", "-s", "nestjs", "--defaults", cwd=tmp_path, env=env)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: node was not found on PATH: install Node.js 22 or newer (https://nodejs.org), "
        "or install scaffold with its node extra (`pip install '.[node]'` in its checkout)"
    ]
    assert not (tmp_path / "svc").exists()


def test_too_old_node_is_refused(tmp_path: Path) -> None:
    path = bin_dir(tmp_path, node="echo v18.19.0", npm="echo 10.2.3")
    result = scaffold(
        "new", "svc", "-s", "nestjs", "--defaults", cwd=tmp_path, env={"PATH": str(path)}
    )
    assert result.returncode == 2
    assert "node 18 is too old (need 22 or newer)" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "svc").exists()


def test_failed_install_keeps_the_project_and_says_what_to_run(tmp_path: Path) -> None:
    # uv offline with an empty cache cannot resolve anything: a real failing install.
    env = {"UV_OFFLINE": "1", "UV_CACHE_DIR": str(tmp_path / "empty-cache")}
    result = scaffold("new", "svc", "-s", "fastapi", "--defaults", cwd=tmp_path, env=env)
    assert result.returncode == 2, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: `uv sync` failed") and "run `uv sync` there" in last
    project = tmp_path / "svc"
    assert (project / "pyproject.toml").is_file()
    assert subprocess.run(["git", "log"], cwd=project, capture_output=True).returncode == 0


def test_interrupt_during_generation_leaves_nothing(
    tmp_path: Path, template_with_task: Callable[[str], str]
) -> None:
    env = {**os.environ, "SCAFFOLD_TEMPLATE": template_with_task("sleep 60")}
    proc = subprocess.Popen(
        [*SCAFFOLD, "new", "svc", "-s", "fastapi", "--defaults", "--no-install", "--no-git"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    # The task runs once the files are rendered into the staging directory.
    while not list(tmp_path.glob(".svc.scaffold-*/.copier-answers.yml")):
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.1)
    # Ctrl-C: the terminal signals the whole foreground process group.
    os.killpg(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "error: interrupted" in stderr and "Traceback" not in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["template-src"]


def test_new_installs_and_commits_the_lock_file(tmp_path: Path) -> None:
    # scaffold's venv, with the uv it installs with, is on PATH: nothing to add to it.
    env = {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    result = scaffold("new", "svc", "-s", "fastapi", "--defaults", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr[-4000:]
    assert "==> Installing dependencies with `uv sync`" in result.stderr
    project = tmp_path / "svc"
    assert (project / ".venv").is_dir()
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=project, capture_output=True, text=True, check=True
    ).stdout.split()
    assert "uv.lock" in tracked and ".env" not in tracked
    assert "Created FastAPI service in svc" in result.stdout
    assert "export PATH" not in result.stdout
