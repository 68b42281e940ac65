"""What each stack costs to serve, as this scaffold's benchmark measured it.

`python -m benchmarks.run --ship` writes `serving_cost.json` into this package (see
benchmarks/README.md); `scaffold new` shows the figures when the stack is chosen. A
fork that deletes the file simply shows none.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from scaffold.errors import ScaffoldError

FILE = "serving_cost.json"
# The endpoints whose requests per server CPU-second are shipped: an authenticated
# read (token check and a user lookup) and a write (a row inserted).
READ = "GET /api/v1/users/me"
WRITE = "POST /api/v1/items"


@dataclass(frozen=True)
class Cost:
    answers: Mapping[str, Any]  # the variant measured: its stack and template answers
    reads_per_cpu_second: float
    writes_per_cpu_second: float
    rss_idle_mib: float


@dataclass(frozen=True)
class Measured:
    at: str  # when the run started, ISO 8601
    machine: str  # what it ran on, in words
    costs: list[Cost]

    def of(self, answers: Mapping[str, Any]) -> Cost | None:
        """The variant generated with these answers (the first, if several match)."""
        return next(
            (c for c in self.costs if all(answers.get(k) == v for k, v in c.answers.items())),
            None,
        )


def load() -> Measured | None:
    """The shipped figures, or None when this installation has none."""
    try:
        text = resources.files("scaffold").joinpath(FILE).read_text()
    except FileNotFoundError:
        return None
    try:
        document = json.loads(text)
        return Measured(
            at=document["measured_at"],
            machine=document["machine"],
            costs=[
                Cost(
                    answers=variant["answers"],
                    reads_per_cpu_second=variant["requests_per_cpu_second"][READ],
                    writes_per_cpu_second=variant["requests_per_cpu_second"][WRITE],
                    rss_idle_mib=variant["rss_idle_mib"],
                )
                for variant in document["variants"].values()
            ],
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ScaffoldError(f"scaffold's {FILE} is damaged ({exc!r}); reinstall it") from None
