"""What happens after rendering: dependency install and the first git commit."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from scaffold.errors import ScaffoldError
from scaffold.stacks import Stack


def install(stack: Stack, project: Path, output: Callable[[str], None]) -> None:
    """Run the stack's install command, streaming its output line by line."""
    cmd = " ".join(stack.install)
    try:
        proc = subprocess.Popen(
            stack.install,
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
        )
    except OSError as exc:
        raise ScaffoldError(f"cannot run {cmd}: {exc.strerror}") from None
    assert proc.stdout is not None
    for line in proc.stdout:
        output(line.rstrip("\n"))
    if proc.wait() != 0:
        raise ScaffoldError(
            f"`{cmd}` failed (exit {proc.returncode}); the project is kept at {project}: "
            f"fix the problem shown above, then run `{cmd}` there"
        )


def git_commit(project: Path, message: str) -> bool:
    """`git init` and commit everything; False (and nothing done) if already a repo."""
    if (project / ".git").exists():
        return False
    _git(project, "init", "--quiet")
    _git(project, "add", "--all")
    _git(project, *git_identity(project), "commit", "--quiet", "--no-verify", "-m", message)
    return True


def git_identity(project: Path) -> list[str]:
    """`-c` options giving git an author where none is configured (CI, containers)."""
    identity = []
    for key, fallback in (("user.name", "scaffold"), ("user.email", "scaffold@localhost")):
        if subprocess.run(["git", "config", key], cwd=project, capture_output=True).returncode:
            identity += ["-c", f"{key}={fallback}"]
    return identity


def _git(project: Path, *args: str) -> None:
    result = subprocess.run(["git", *args], cwd=project, capture_output=True, text=True)
    if result.returncode != 0:
        raise ScaffoldError(f"`git {' '.join(args)}` failed: {result.stderr.strip()}")
