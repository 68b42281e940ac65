"""Draw a results JSON of benchmarks.run into a PNG (matplotlib, the `bench` extra).

python -m benchmarks.plot benchmarks/results/latest.json benchmarks/results.png

One row per database: the apps measured on it, beside the apps that use none (the bare
framework and minimal Nest apps, /health only).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt

COLOURS = {  # by app, whatever its database
    "fastapi": "#059669",
    "bare-fastapi": "#a7f3d0",
    "nestjs-fastify": "#dc2626",
    "bare-fastify": "#fecaca",
    "bare-nest-fastify": "#f87171",
    "nestjs-express": "#2563eb",
    "bare-express": "#bfdbfe",
    "bare-nest-express": "#60a5fa",
}
DATABASES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def _colour(app: str, database: str) -> str | None:
    return COLOURS.get(app.removesuffix(f"-{database}"))


def _grouped(
    ax: Any, measurements: list[dict[str, Any]], database: str, key: str, label: str
) -> None:
    """Bars per endpoint, one per app; on CPU time the database server's is stacked on
    the app's, hatched."""
    endpoints = list(dict.fromkeys(m["endpoint"] for m in measurements))
    apps = list(dict.fromkeys(m["app"] for m in measurements))
    width = 0.8 / len(apps)
    scale = 1e6 if key == "cpu_seconds_per_request" else 1
    for i, app in enumerate(apps):
        rows = [m for m in measurements if m["app"] == app]
        xs = [endpoints.index(m["endpoint"]) + (i - (len(apps) - 1) / 2) * width for m in rows]
        ys = [m[key] * scale for m in rows]
        colour = _colour(app, database)
        bars = ax.bar(xs, ys, width, label=app, color=colour)
        if key == "cpu_seconds_per_request" and rows[0]["db_cpu_seconds_per_request"] is not None:
            ax.bar_label(bars, fmt="%.0f", fontsize=5, label_type="center")
            db = [m["db_cpu_seconds_per_request"] * 1e6 for m in rows]
            bars = ax.bar(xs, db, width, bottom=ys, color=colour, hatch="//", alpha=0.5)
        ax.bar_label(bars, fmt="%.0f", fontsize=5, padding=1)
    ax.set_xticks(
        range(len(endpoints)), [e.replace(" /api/v1", " ") for e in endpoints], fontsize=8
    )
    ax.set_ylabel(label, fontsize=8)
    ax.grid(axis="y", alpha=0.3)


def _memory(ax: Any, measurements: list[dict[str, Any]], database: str) -> None:
    """RSS at idle and at its peak under load per app, and start-up on a second axis."""
    apps = list(dict.fromkeys(m["app"] for m in measurements))
    first = {app: next(m for m in measurements if m["app"] == app) for app in apps}
    peak = {app: max(m["rss_peak_mib"] for m in measurements if m["app"] == app) for app in apps}
    xs = range(len(apps))
    idle = [first[a]["rss_idle_mib"] for a in apps]
    ax.bar([x - 0.2 for x in xs], idle, 0.4, label="RSS idle", color="#9ca3af")
    bars = ax.bar([x + 0.2 for x in xs], [peak[a] for a in apps], 0.4, color="#4b5563")
    bars.set_label("RSS peak under load")
    ax.bar_label(bars, fmt="%.0f", fontsize=5, padding=1)
    ax.set_xticks(list(xs), [a.removesuffix(f"-{database}") for a in apps], fontsize=6)
    ax.tick_params(axis="x", rotation=30)
    ax.set_ylabel("MiB (lower is better)", fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    twin = ax.twinx()
    startup = [first[a]["startup_seconds"] for a in apps]
    twin.plot(list(xs), startup, "o", color="#f59e0b", label="start-up to first 200 (s)")
    twin.set_ylabel("start-up, s", color="#b45309", fontsize=8)
    twin.set_ylim(bottom=0)
    handles, labels = ax.get_legend_handles_labels()
    twin_handles, twin_labels = twin.get_legend_handles_labels()
    ax.legend(handles + twin_handles, labels + twin_labels, fontsize=6, loc="best")


def plot(results: dict[str, Any], out: Path) -> None:
    measurements = results["measurements"]
    databases = [d for d in DATABASES if any(m["database"] == d for m in measurements)]
    fig, axes = plt.subplots(len(databases), 3, figsize=(16, 4.5 * len(databases)), squeeze=False)
    for row, database in zip(axes, databases, strict=True):
        shown = [m for m in measurements if m["database"] in (database, None)]
        _grouped(
            row[0],
            shown,
            database,
            "cpu_seconds_per_request",
            "server CPU µs per request (lower is better;\nhatched: the database server's)",
        )
        _grouped(row[1], shown, database, "latency_p99_ms", "p99 latency, ms (lower is better)")
        _memory(row[2], shown, database)
        row[0].set_title(f"On {DATABASES[database]}", loc="left", fontsize=10)
        row[0].legend(fontsize=6, ncols=2)

    m = results["machine"]
    s = results["settings"]
    fig.suptitle(
        f"scaffold benchmarks ({results['mode']} run {results['started_at']}): "
        f"{m['nproc']} x {m['cpu_model']}, {m['memory_gib']} GiB, "
        f"Python {m['python']}, Node {m['node']}, PostgreSQL {m.get('postgresql', '-')}; "
        f"server on core {s['server_cpu']}, wrk -c{s['connections']} on core {s['load_cpu']}",
        fontsize=9,
    )
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


if __name__ == "__main__":
    plot(json.loads(Path(sys.argv[1]).read_text()), Path(sys.argv[2]))
