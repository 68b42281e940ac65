"""After an update: bring the lock file in line with a manifest the update changed.

A template release that changes pyproject.toml or package.json leaves uv.lock or
package-lock.json behind, and the locked installs refuse the drift (`uv sync
--locked`, the Dockerfile's `npm ci`). So the stack's relock command runs; when the
lock cannot be resolved, or the manifest has conflicts to resolve first, the result
says so and the update stays in the working tree.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Collection
from dataclasses import dataclass
from enum import StrEnum
from itertools import takewhile
from pathlib import Path

from scaffold import tools
from scaffold.environment import project_env
from scaffold.errors import ScaffoldError
from scaffold.git import succeeds
from scaffold.stacks import Lock, Stack


class Outcome(StrEnum):
    RELOCKED = "relocked"
    CONFLICTED = "conflicted"  # a lock needs the manifest's conflicts resolved first
    FAILED = "failed"


@dataclass(frozen=True)
class Relock:
    lock: Lock
    outcome: Outcome
    reason: str = ""  # why it failed, in the tool's words


# Where the tools say why: uv's `cause:` (or `Caused by:`) under its `error:`, npm's
# `npm error <tag> …` lines past the bare `npm error code E…`.
_CAUSE = re.compile(r"caus(?:e|ed by):\s*(.+)", re.IGNORECASE)
_ERROR = re.compile(r"(?:npm error|error:)\s+(?!code\b)(.+)", re.IGNORECASE)


def relock(
    stack: Stack,
    project: Path,
    start: str,
    conflicts: Collection[str],
    progress: Callable[[str], None] = lambda _: None,
) -> Relock | None:
    """Re-lock `project` when its manifest changed since commit `start`; None when it
    did not, or when the project has no lock file (it was never installed)."""
    lock = stack.lock
    if not (project / lock.lockfile).is_file() or not (project / lock.manifest).is_file():
        return None
    if succeeds(project, "diff", "--quiet", start, "--", lock.manifest):
        return None
    if {lock.manifest, f"{lock.manifest}.rej"} & set(conflicts):
        return Relock(lock, Outcome.CONFLICTED)
    progress(f"Re-locking {lock.lockfile} with `{lock.command}`")
    # The same tools, found the same way, as `scaffold new`'s install.
    env = project_env(stack.name)
    try:
        tools.require(stack.tools, env["PATH"])
        done = subprocess.run(
            lock.relock, cwd=project, env=env, capture_output=True, text=True, errors="replace"
        )
    except ScaffoldError as exc:
        return Relock(lock, Outcome.FAILED, str(exc))
    except OSError as exc:
        return Relock(lock, Outcome.FAILED, f"cannot run {lock.command}: {exc.strerror}")
    if done.returncode != 0:
        return Relock(lock, Outcome.FAILED, _reason(done.stderr + done.stdout))
    return Relock(lock, Outcome.RELOCKED)


def _reason(output: str) -> str:
    """The tool's reason, on one line."""
    lines = [line for line in output.splitlines() if line.strip()]
    for pattern in (_CAUSE, _ERROR):
        for n, line in enumerate(lines):
            match = pattern.match(line.strip())
            if match:
                reason = " ".join([match.group(1), *_wrapped(line, lines[n + 1 :])])
                return " ".join(reason.split()).rstrip(".")  # the caller's sentence goes on
    return lines[-1].strip() if lines else "it printed no reason"


def _wrapped(line: str, following: list[str]) -> list[str]:
    """The lines a tool wrapped `line` onto to fit the terminal: those indented deeper."""
    depth = _indent(line)
    return [more.strip() for more in takewhile(lambda more: _indent(more) > depth, following)]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())
