"""What happens after rendering: dependency install and the first git commit."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

from scaffold.errors import ScaffoldError
from scaffold.git import commit, git, succeeds
from scaffold.stacks import Stack


def install(
    stack: Stack, project: Path, env: Mapping[str, str], output: Callable[[str], None]
) -> None:
    """Run the stack's install command with `env`, streaming its output line by line."""
    cmd = " ".join(stack.install)
    try:
        proc = subprocess.Popen(
            stack.install,
            cwd=project,
            env=env,
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


def enclosing_repository(project: Path) -> Path | None:
    """The top of the git work tree `project` lies in when that is not its own (a
    monorepo, say); None when there is none."""
    if (project / ".git").exists() or not succeeds(project, "rev-parse", "--is-inside-work-tree"):
        return None
    return Path(git(project, "rev-parse", "--show-toplevel"))


def git_commit(project: Path, message: str) -> None:
    """`git init` and commit everything, unless `project` is a git repository already."""
    if (project / ".git").exists():
        return
    git(project, "init", "--quiet")
    commit(project, message)
