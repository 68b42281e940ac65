"""copier, called the way scaffold uses it; the only module that imports copier.

Quiet, trusting the template's tasks (`unsafe`: it is scaffold's own template, whose
task writes .env), and with copier's failures as one-line ScaffoldErrors.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import copier
from copier.errors import DirtyLocalWarning, UserMessageError

from scaffold.errors import ScaffoldError
from scaffold.template import Source


def copy(source: Source, target: Path, answers: dict[str, Any]) -> None:
    """Render `source` at its ref into `target`, asking nothing: what `answers` leaves
    open takes its default (scaffold's CLI asks its own questions, before rendering)."""
    with _copier_errors("template failed"):
        copier.run_copy(
            source.url,
            target,
            data=answers,
            defaults=True,
            unsafe=True,
            vcs_ref=source.ref,
            quiet=True,
        )


def update(
    project: Path,
    ref: str,
    answers: dict[str, Any],
    interactive: bool,
    conflict: Literal["inline", "rej"],
) -> None:
    """Update `project` to template version `ref`, keeping its recorded answers."""
    with _copier_errors("update failed"):
        copier.run_update(
            project,
            data=answers,
            vcs_ref=ref,
            defaults=not interactive,
            overwrite=True,
            skip_answered=True,
            conflict=conflict,
            unsafe=True,
            quiet=True,
        )


# `warnings.catch_warnings` swaps process-wide state, so copier runs one at a time:
# `scaffold smoke` and the test suite's benchmarks render variants from threads.
_one_at_a_time = threading.Lock()


@contextmanager
def _copier_errors(failed: str) -> Iterator[None]:
    with _one_at_a_time, warnings.catch_warnings():
        # Rendering from a checkout with uncommitted template edits is the point of
        # developing templates, not something to warn about.
        warnings.simplefilter("ignore", DirtyLocalWarning)
        try:
            yield
        except ValueError as exc:  # copier's message for a bad or missing answer
            raise ScaffoldError(_first_line(exc)) from None
        except UserMessageError as exc:  # e.g. a failing template task
            raise ScaffoldError(f"{failed}: {_first_line(exc)}") from None


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0]
