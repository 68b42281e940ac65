"""Regression floors from several runs of the same code:

    python -m benchmarks.write_floors RUN [RUN ...]

A RUN is a results document (benchmarks/results/<time>-<mode>.json: a full run, and
quick runs after it) or, for a run whose JSON is gone with its machine (CI's), the text
it printed: its regression-floor table is read from that.
Each floor is FLOOR_FRACTION of the lowest value its ratio reached in the runs named
(benchmarks/results.py, write_floors), written to benchmarks/floors.json. A run in which
requests failed under load is refused, as `--write-floors` refuses it.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from benchmarks.results import FLOORS, write_floors


def main(paths: list[str]) -> int:
    if not paths:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    runs = []
    for path in paths:
        try:
            text = Path(path).read_text()
            run = json.loads(text) if path.endswith(".json") else printed_run(text)
        except (OSError, ValueError) as exc:  # JSONDecodeError is a ValueError
            print(f"write_floors: {path}: {exc}", file=sys.stderr)
            return 2
        if any(m["errors"] for m in run["measurements"]):
            print(f"write_floors: {path}: requests failed in that run", file=sys.stderr)
            return 2
        runs.append(run)
    write_floors(runs)
    print(f"wrote {FLOORS}")
    return 0


# A row of the printed floor table: app, ratio, req/CPU-s, req/s, floor, verdict.
FLOOR_ROW = re.compile(r"^(\S+)\s+(.+?)\s+(\d+\.\d+)\s+(\d+\.\d+)\s+(>= \d+\.\d+|-)\s+(.*)$")
# The note under it for a row measured twice: app, ratio, the first reading.
FIRST_READING = re.compile(r"^(\S+): (.+?) read (\d+\.\d+) at first, below its floor")


def printed_run(text: str) -> dict[str, Any]:
    """The parts write_floors reads of a run, from what it printed (two decimals)."""
    title = text.find("Regression floors")
    if title < 0:
        raise ValueError("no regression-floor table in it")
    table = text[title:].split("\n\n")[0].splitlines()[2:]  # past the title and header
    floors = []
    for line in table:
        if row := FLOOR_ROW.match(line.strip()):
            app, ratio, value, _, _, verdict = row.groups()
            if not verdict.startswith("reference for"):
                floors.append({"app": app, "ratio": ratio, "value": float(value)})
        elif first := FIRST_READING.match(line.strip()):  # a note under the table
            app, ratio, value = first.groups()
            floors.append({"app": app, "ratio": ratio, "value": float(value)})
    if not floors:
        raise ValueError("its regression-floor table has no rows")
    stamp = re.search(r"results/(\w+)-(quick|full)\.json", text)
    return {
        "mode": f"printed {stamp.group(2) if stamp else ''}".strip(),
        "started_at": stamp.group(1) if stamp else "unknown",
        "floors": floors,
        # A run in which requests failed prints each one under its measurement table.
        "measurements": [{"errors": "failed"} for _ in re.findall("failed requests under", text)],
    }


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
