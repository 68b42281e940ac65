"""Regression floors from several runs of the same code:

    python -m benchmarks.write_floors RESULTS.json [RESULTS.json ...]

(benchmarks/results/<time>-<mode>.json: a full run, and quick runs after it.)
Each floor is FLOOR_FRACTION of the lowest value its ratio reached in the runs named
(benchmarks/results.py, write_floors), written to benchmarks/floors.json. A run in which
requests failed under load is refused, as `--write-floors` refuses it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from benchmarks.results import FLOORS, write_floors


def main(paths: list[str]) -> int:
    if not paths:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    runs = []
    for path in paths:
        try:
            run = json.loads(Path(path).read_text())
        except (OSError, json.JSONDecodeError) as exc:
            print(f"write_floors: {path}: {exc}", file=sys.stderr)
            return 2
        if any(m["errors"] for m in run["measurements"]):
            print(f"write_floors: {path}: requests failed in that run", file=sys.stderr)
            return 2
        runs.append(run)
    write_floors(runs)
    print(f"wrote {FLOORS}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
