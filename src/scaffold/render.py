"""Render a template into a target directory, all or nothing.

copier writes into a temporary directory beside the target, which is moved into
place only once rendering (and the template's own tasks) succeeded: an interrupt
or a failing task leaves no half-written project behind.
"""

from __future__ import annotations

import filecmp
import shutil
import tempfile
from pathlib import Path
from typing import Any

from scaffold import copier_api
from scaffold.errors import ScaffoldError
from scaffold.template import Source


def check_target(target: Path, force: bool) -> None:
    """Refuse a target that is a file, or a non-empty directory without `force`."""
    if target.is_file() or (target.exists() and not target.is_dir()):
        raise ScaffoldError(f"{target} exists and is not a directory")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise ScaffoldError(
            f"{target} exists and is not empty; choose another name, or pass --force to "
            "generate into it (files in the way are kept as *.orig)"
        )


def render(source: Source, target: Path, answers: dict[str, Any]) -> list[Path]:
    """Render `source` into `target`; returns the user's files set aside as `*.orig`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.scaffold-", dir=target.parent))
    try:
        copier_api.copy(source, staging, answers)
        return _move_into_place(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _move_into_place(staging: Path, target: Path) -> list[Path]:
    if not target.exists():
        staging.rename(target)
        return []
    if not any(target.iterdir()):
        target.rmdir()
        staging.rename(target)
        return []
    # --force into a non-empty directory: never delete a user's file; keep each one
    # that a generated file replaces as FILE.orig.
    kept = []
    for src in sorted(p for p in staging.rglob("*") if not p.is_dir()):
        dest = target / src.relative_to(staging)
        if dest.exists() and not (dest.is_file() and filecmp.cmp(src, dest, shallow=False)):
            backup = _free_name(dest.with_name(dest.name + ".orig"))
            dest.rename(backup)
            kept.append(backup)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(src, dest)
    return kept


def _free_name(path: Path) -> Path:
    candidate, n = path, 1
    while candidate.exists():
        candidate, n = path.with_name(f"{path.name}.{n}"), n + 1
    return candidate
