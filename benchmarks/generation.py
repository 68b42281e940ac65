"""How long generating a project takes: `scaffold new --no-install` against a plain
`copier copy` of the same template."""

from __future__ import annotations

import shutil
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.matrix import VENV_BIN
from scaffold.environment import project_env
from tests.support import REPO_ROOT
from tests.support.processes import run


def _scaffold_new(stack: str, dest: Path) -> list[str]:
    return [
        str(VENV_BIN / "scaffold"), "new", str(dest),
        "--stack", stack, "--defaults", "--no-install",
    ]  # fmt: skip


def _copier_copy(stack: str, dest: Path) -> list[str]:
    return [
        str(VENV_BIN / "copier"), "copy", "--quiet", "--trust", "--defaults",
        "--vcs-ref", "HEAD", "--data", f"stack={stack}",
        "--data", f"project_name={dest.name}", str(REPO_ROOT), str(dest),
    ]  # fmt: skip


TOOLS: dict[str, Callable[[str, Path], list[str]]] = {
    "scaffold new --no-install": _scaffold_new,
    "copier copy": _copier_copy,
}


def time_generation(stacks: list[str], work: Path, repeats: int) -> list[dict[str, Any]]:
    """The median wall time of each tool for each stack."""
    rows: list[dict[str, Any]] = []
    for stack in stacks:
        for tool, command in TOOLS.items():
            times = []
            for attempt in range(repeats):
                dest = work / "generate" / f"{stack}-{len(rows)}-{attempt}" / "gen-svc"
                dest.parent.mkdir(parents=True)
                started = time.perf_counter()
                run(command(stack, dest), dest.parent, project_env(stack))
                times.append(time.perf_counter() - started)
                shutil.rmtree(dest.parent)
            rows.append({"stack": stack, "tool": tool, "seconds": statistics.median(times)})
            print(f"  {stack:<8} {tool:<26} {rows[-1]['seconds']:6.2f} s")
    return rows
