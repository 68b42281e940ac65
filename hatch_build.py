"""Build hook: ship the templates with their history inside the wheel.

`git bundle` packs this repository's commits and tags into one file,
`scaffold/templates.bundle`, which copier reads like any git repository. An
installed scaffold can so render any released template version offline, which
`scaffold update` needs to compute what changed since a project was generated.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class TemplateBundleHook(BuildHookInterface):  # type: ignore[type-arg]
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return  # an editable install renders from the checkout itself
        out = Path(self.directory) / "templates.bundle"
        out.parent.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            ["git", "bundle", "create", str(out), "HEAD", "--tags"],
            cwd=self.root,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(
                "scaffold's wheel is built from a git clone (it ships the template "
                f"history): git bundle failed: {result.stderr.strip()}"
            )
        build_data["force_include"][str(out)] = "scaffold/templates.bundle"
