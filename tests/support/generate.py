"""Render a stack's template straight from this repository with copier's API."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import copier

REPO_ROOT = Path(__file__).resolve().parents[2]


def generate(stack: str, dest: Path, **data: Any) -> Path:
    """Render `stack` into `dest` with the template's defaults overridden by `data`.

    The template is this checkout, uncommitted changes included (copier's dirty-HEAD
    handling), so tests see the templates as they are being edited.
    """
    copier.run_copy(
        str(REPO_ROOT),
        dest,
        data={"stack": stack, "project_name": "svc-test", **data},
        defaults=True,
        unsafe=True,  # the template's own task writes .env
        vcs_ref="HEAD",
        quiet=True,
    )
    return dest


def copy_template(dest: Path) -> Path:
    """A plain copy of the template (copier.yml and templates/) as it is in the
    checkout, for tests that release versions of their own from it."""
    shutil.copytree(REPO_ROOT / "templates", dest / "templates")
    shutil.copy(REPO_ROOT / "copier.yml", dest / "copier.yml")
    return dest
