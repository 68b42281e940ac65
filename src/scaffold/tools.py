"""Checks that the programs a step needs are installed, before the step runs."""

from __future__ import annotations

import re
import shutil
import subprocess

from scaffold.errors import ScaffoldError
from scaffold.stacks import Tool

GIT = Tool("git", "install git (https://git-scm.com)")


def require(tools: tuple[Tool, ...], path: str) -> None:
    """Raise a ScaffoldError naming the first missing or too old tool on `path` (the PATH
    the steps will run with) and how to get it."""
    for tool in tools:
        found = shutil.which(tool.command, path=path)
        if found is None:
            raise ScaffoldError(f"{tool.command} was not found on PATH: {tool.install_hint}")
        if tool.min_major is not None:
            major = _major_version(found)
            if major is not None and major < tool.min_major:
                raise ScaffoldError(
                    f"{tool.command} {major} is too old (need {tool.min_major} or newer): "
                    f"{tool.install_hint}"
                )


def _major_version(path: str) -> int | None:
    try:
        out = subprocess.run(
            [path, "--version"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r"(\d+)\.\d+", out)
    return int(match.group(1)) if match else None
