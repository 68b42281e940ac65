"""PATH directories for tests that need a machine with fewer programs than this one."""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path


def symlink_farm(dest: Path, path: str, without: Collection[str] = ()) -> Path:
    """`dest`, a new directory with a symlink to every program on `path` (the first of
    each name, as a PATH lookup finds it) but those named in `without`."""
    dest.mkdir(parents=True)
    for directory in map(Path, path.split(os.pathsep)):
        for program in sorted(directory.iterdir()) if directory.is_dir() else []:
            link = dest / program.name
            if program.name not in without and not os.path.lexists(link):
                link.symlink_to(program)
    return dest
