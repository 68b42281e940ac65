"""git, run for the core modules: output returned, failures as one-line ScaffoldErrors."""

from __future__ import annotations

import subprocess
from pathlib import Path

from scaffold.errors import ScaffoldError


def git(cwd: Path, *args: str) -> str:
    """Run `git ARGS` in `cwd`; its stripped stdout, or a ScaffoldError with stderr."""
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise ScaffoldError(f"`git {' '.join(args)}` failed: {result.stderr.strip()}")
    return result.stdout.strip()


def identity(cwd: Path) -> list[str]:
    """`-c` options giving git an author where none is configured (CI, containers)."""
    options = []
    for key, fallback in (("user.name", "scaffold"), ("user.email", "scaffold@localhost")):
        if subprocess.run(["git", "config", key], cwd=cwd, capture_output=True).returncode:
            options += ["-c", f"{key}={fallback}"]
    return options
