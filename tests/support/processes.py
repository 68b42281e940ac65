"""Run a command the way a user would, with its output kept for failures (servers and
longer steps: scaffold.smoke.project)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path


def run(
    cmd: Sequence[str],
    cwd: Path,
    env: Mapping[str, str] | None = None,
    timeout: float = 900,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run `cmd` in `cwd`; with `check`, fail the test with the command's output when
    it fails."""
    result = subprocess.run(
        list(cmd),
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check and result.returncode != 0:
        tail = (result.stdout + result.stderr)[-8000:]
        raise AssertionError(f"{' '.join(cmd)} exited {result.returncode} in {cwd}:\n{tail}")
    return result
