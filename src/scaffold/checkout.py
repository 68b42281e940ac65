"""Where a generated project sits in its git repository: at the root, or in a
subdirectory of a larger repository (a monorepo).

`scaffold update` needs the project's own subtree committed, so the update can be
reviewed with `git diff` and rolled back; uncommitted work elsewhere in the
repository is left alone (copier's update checks the same subtree).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from scaffold.errors import ScaffoldError
from scaffold.git import git


@dataclass(frozen=True)
class Checkout:
    root: Path  # the repository's top level
    subdir: Path  # the project's directory relative to it; Path(".") at the root

    @property
    def project(self) -> Path:
        return self.root / self.subdir


def locate(path: Path, marker: str) -> Checkout:
    """The project at or above `path`, up to the repository root: the nearest
    directory holding `marker` (else `path` itself), with a clean subtree."""
    if not path.is_dir():
        raise ScaffoldError(f"{path} is not a directory")
    try:
        root = Path(git(path, "rev-parse", "--show-toplevel"))
    except ScaffoldError:
        raise ScaffoldError(
            f"{path.resolve()} is not a git repository: commit the project first, so the "
            "update can be reviewed with `git diff` and rolled back"
        ) from None
    # git's own answer, not path arithmetic: it holds across symlinks.
    here = Path(git(path, "rev-parse", "--show-prefix"))
    subdir = next((d for d in (here, *here.parents) if (root / d / marker).is_file()), here)
    checkout = Checkout(root, subdir)
    if git(checkout.project, "status", "--porcelain", "--", "."):
        raise ScaffoldError(
            "the project has uncommitted changes: commit or stash them first, so the "
            "update can be reviewed with `git diff` and rolled back"
        )
    return checkout


@contextmanager
def scratch_clone(checkout: Checkout) -> Iterator[Path]:
    """The project's directory in a throw-away clone of its repository's HEAD."""
    with tempfile.TemporaryDirectory(prefix="scaffold-update-") as tmp:
        clone = Path(tmp) / checkout.root.name
        git(Path(tmp), "clone", "--quiet", str(checkout.root), str(clone))
        yield clone / checkout.subdir
