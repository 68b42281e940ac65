"""A plain copy of the template, for tests that release versions of their own from it."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.support import REPO_ROOT


def copy_template(dest: Path) -> Path:
    """copier.yml and templates/ as they are in the checkout, copied into `dest`."""
    shutil.copytree(REPO_ROOT / "templates", dest / "templates")
    shutil.copy(REPO_ROOT / "copier.yml", dest / "copier.yml")
    return dest
