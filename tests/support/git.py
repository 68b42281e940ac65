"""git for tests, with a fixed identity so commits work on any machine."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

IDENTITY = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
}


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args],
        cwd=cwd,
        env={**os.environ, **IDENTITY},
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def release(template: Path, tag: str) -> None:
    """Commit everything in a template repository and tag it as a release."""
    git(template, "add", "-A")
    git(template, "commit", "-qm", f"release {tag}")
    git(template, "tag", tag)
