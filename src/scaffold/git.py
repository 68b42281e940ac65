"""git, run for the core modules: output returned, failures as one-line ScaffoldErrors."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from scaffold.errors import ScaffoldError


def git(cwd: Path, *args: str) -> str:
    """Run `git ARGS` in `cwd`; its stripped stdout, or a ScaffoldError with stderr."""
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise ScaffoldError(f"`git {' '.join(args)}` failed: {result.stderr.strip()}")
    return result.stdout.strip()


def succeeds(cwd: Path, *args: str) -> bool:
    """Whether `git ARGS` exits 0 in `cwd`: a question asked of git, not a step."""
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True).returncode == 0


def commit(cwd: Path, message: str, paths: Sequence[str] = (".",)) -> None:
    """Stage `paths` and commit only them (whatever else the user has staged, say
    elsewhere in a monorepo, stays staged): scaffold's own commit, so without the
    user's hooks and with a fallback author where git has none configured (CI)."""
    git(cwd, "add", "--", *paths)
    git(cwd, *_identity(cwd), "commit", "--quiet", "--no-verify", "-m", message, "--", *paths)


def _identity(cwd: Path) -> list[str]:
    """`-c` options giving git an author where none is configured."""
    options = []
    for key, fallback in (("user.name", "scaffold"), ("user.email", "scaffold@localhost")):
        if not succeeds(cwd, "config", key):
            options += ["-c", f"{key}={fallback}"]
    return options
