"""The results as tables, each defined once (its columns and how a cell reads) and
rendered twice: aligned text for the terminal, and Markdown for the README."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.results import FLOOR_FRACTION, Results

Row = Mapping[str, Any]
Cell = Callable[[Row], str]


def text(key: str) -> Cell:
    return lambda row: str(row[key])


def number(key: str, spec: str, scale: float = 1, suffix: str = "") -> Cell:
    """A figure; `n/a` where the row has none (the database's side of a SQLite app)."""

    def cell(row: Row) -> str:
        value = row[key]
        return "n/a" if value is None else f"{value * scale:{spec}}{suffix}"

    return cell


@dataclass(frozen=True)
class Column:
    header: str
    cell: Cell
    right: bool = True  # numbers are right-aligned


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[Column, ...]
    rows: Sequence[Row]
    notes: list[str] = field(default_factory=list)  # shown under the table


MEASUREMENTS = (
    Column("app", text("app"), right=False),
    Column("endpoint", text("endpoint"), right=False),
    Column("req/s", number("requests_per_second", ".0f")),
    Column("p50 ms", number("latency_p50_ms", ".2f")),
    Column("p99 ms", number("latency_p99_ms", ".2f")),
    Column("CPU µs/req", number("cpu_seconds_per_request", ".0f", scale=1e6)),
    Column("DB CPU µs/req", number("db_cpu_seconds_per_request", ".0f", scale=1e6)),
    Column("DB conns opened", number("db_connections_opened", "d")),
    Column("RSS idle MiB", number("rss_idle_mib", ".0f")),
    Column("RSS peak MiB", number("rss_peak_mib", ".0f")),
    Column("start-up s", number("startup_seconds", ".2f")),
)
DATABASES = {
    "sqlite": "On SQLite (a new file per service):",
    "postgresql": "On PostgreSQL (a throw-away database per service on the machine's server; "
    "DB CPU is its whole process tree's, per request):",
    None: "No database (the bare framework apps and the minimal Nest apps, /health only):",
}


def _reference(row: Row) -> str | None:
    return f"reference for {row['reference_for']}" if "reference_for" in row else None


def _target_verdict(row: Row) -> str:
    return _reference(row) or ("met" if row["met"] else "MISSED")


def _floor_verdict(row: Row) -> str:
    if reference := _reference(row):
        return reference
    return {True: "ok", False: "BELOW FLOOR", None: "no floor yet"}[row["met"]]


TARGETS = (
    Column("app", text("app"), right=False),
    Column("target", text("target"), right=False),
    Column("value", number("value", ".2f")),
    Column("limit", lambda row: f"{row['op']} {row['limit']:.2f}"),
    Column("", _target_verdict, right=False),
)

FLOORS = (
    Column("app", text("app"), right=False),
    Column("ratio", text("ratio"), right=False),
    Column("req/CPU-s", number("value", ".2f")),
    Column("req/s", number("requests_per_second_ratio", ".2f")),
    Column("floor", lambda row: "-" if row.get("floor") is None else f">= {row['floor']:.2f}"),
    Column("", _floor_verdict, right=False),
)

ACROSS = (
    Column("app", text("app"), right=False),
    Column("against", text("against"), right=False),
    Column("endpoint", text("endpoint"), right=False),
    Column("req/s", number("requests_per_second", ".2f", suffix="x")),
    Column("req/CPU-s", number("requests_per_cpu_second", ".2f", suffix="x")),
    Column("RSS peak", number("rss_peak", ".2f", suffix="x")),
)

GENERATION = (
    Column("stack", text("stack"), right=False),
    Column("command", text("tool"), right=False),
    Column("seconds", number("seconds", ".2f")),
)


def tables(results: Results) -> list[Table]:
    measurements = [
        Table(
            title,
            MEASUREMENTS,
            [asdict(m) for m in results.measurements if m.database == database],
            [
                f"{m.app} {m.endpoint}: failed requests under load: {m.errors}"
                for m in results.measurements
                if m.errors and m.database == database
            ],
        )
        for database, title in DATABASES.items()
        if any(m.database == database for m in results.measurements)
    ]
    every = [
        *measurements,
        Table(
            "Targets (issue 13; ratios on requests per server CPU-second, within one run):",
            TARGETS,
            results.targets,
        ),
        Table(
            f"Regression floors (within-stack ratios on requests per CPU-second, req/s ratio "
            f"alongside; each floor {FLOOR_FRACTION:.0%} of the lowest the runs that wrote "
            "benchmarks/floors.json reached):",
            FLOORS,
            results.floors,
            [
                f"{row['app']}: {row['ratio']} read {row['value']:.2f} at first, below its "
                f"floor {row['floor']:.2f}; the figures here are from measuring it again"
                for row in results.remeasured
            ],
        ),
        Table(
            "Across stacks, each service against FastAPI on the same database:",
            ACROSS,
            results.across_stacks,
        ),
        Table(
            f"Generating a project (median of {results.settings['generate_repeats']}, "
            "wall time of the whole command):",
            GENERATION,
            results.generation,
        ),
    ]
    return [t for t in every if t.rows]  # a subset of the variants may leave some empty


def terminal(results: Results) -> str:
    return "\n\n".join(map(_aligned, tables(results)))


def markdown(results: Results) -> str:
    """The results as the README's Markdown section: the run's conditions, then the
    tables."""
    m = results.machine
    s = results.settings
    conditions = (
        f"Figures from one {results.mode} run ({results.started_at}) on this machine: "
        f"{m['nproc']} cores ({m['cpu_model']}), {m['memory_gib']} GiB RAM, {m['os']} "
        f"(kernel {m['kernel']}), Python {m['python']}, Node {m['node']}, {m['wrk']}; "
        f"load average at start {', '.join(f'{x:.2f}' for x in m['load_average_at_start'])}. "
        f"Server on core {s['server_cpu']}, wrk (1 thread, {s['connections']} connections) on "
        f"core {s['load_cpu']}; {s['warmup_seconds']} s warm-up, then {s['seconds']} s "
        "measured per endpoint. "
        f"PostgreSQL {m.get('postgresql', 'not used')}, on the same machine, not pinned. "
        f"APP_ENV=production. The whole run took {results.total_seconds:.0f} s."
    )
    return "\n\n".join([conditions, *map(_markdown, tables(results))])


README_START = "<!-- results:start (written by python -m benchmarks.run --readme) -->"
README_END = "<!-- results:end -->"


def write_readme(results: Results, readme: Path) -> None:
    document = readme.read_text()
    start = document.index(README_START) + len(README_START)
    end = document.index(README_END)
    readme.write_text(document[:start] + "\n" + markdown(results) + "\n" + document[end:])


def _aligned(table: Table) -> str:
    grid = [[c.header for c in table.columns]]
    grid += [[c.cell(row) for c in table.columns] for row in table.rows]
    widths = [max(map(len, cells)) for cells in zip(*grid, strict=True)]
    lines = [table.title] if table.title else []
    for cells in grid:
        padded = [
            cell.rjust(width) if column.right else cell.ljust(width)
            for cell, width, column in zip(cells, widths, table.columns, strict=True)
        ]
        lines.append("  ".join(padded).rstrip())
    return "\n".join(lines + table.notes)


def _markdown(table: Table) -> str:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cells) + " |"

    lines = [table.title, ""] if table.title else []
    lines.append(line([c.header for c in table.columns]))
    lines.append(line(["---:" if c.right else "---" for c in table.columns]))
    lines += [line([c.cell(row) for c in table.columns]) for row in table.rows]
    lines += [f"\n**{note}.**" for note in table.notes]
    return "\n".join(lines)
