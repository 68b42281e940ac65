"""Draw a results JSON of benchmarks.run into a PNG (matplotlib, the `bench` extra).

python -m benchmarks.plot benchmarks/results/latest.json benchmarks/results.png
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt

COLOURS = {
    "fastapi": "#059669",
    "bare-fastapi": "#a7f3d0",
    "nestjs-fastify": "#dc2626",
    "bare-fastify": "#fecaca",
    "nestjs-express": "#2563eb",
    "bare-express": "#bfdbfe",
}


def _grouped(
    ax: Any, measurements: list[dict[str, Any]], key: str, scale: float, label: str
) -> None:
    endpoints = list(dict.fromkeys(m["endpoint"] for m in measurements))
    apps = list(dict.fromkeys(m["app"] for m in measurements))
    width = 0.8 / len(apps)
    for i, app in enumerate(apps):
        xs, ys = [], []
        for j, endpoint in enumerate(endpoints):
            for m in measurements:
                if m["app"] == app and m["endpoint"] == endpoint:
                    xs.append(j + (i - (len(apps) - 1) / 2) * width)
                    ys.append(m[key] * scale)
        bars = ax.bar(xs, ys, width, label=app, color=COLOURS.get(app))
        ax.bar_label(bars, fmt="%.0f", fontsize=6, padding=1)
    ax.set_xticks(
        range(len(endpoints)), [e.replace(" /api/v1", " ") for e in endpoints], fontsize=8
    )
    ax.set_ylabel(label)
    ax.grid(axis="y", alpha=0.3)


def plot(results: dict[str, Any], out: Path) -> None:
    measurements = results["measurements"]
    fig, axes = plt.subplots(2, 2, figsize=(12, 8))
    _grouped(axes[0][0], measurements, "requests_per_second", 1, "requests/s (higher is better)")
    _grouped(
        axes[0][1],
        measurements,
        "cpu_seconds_per_request",
        1e6,
        "server CPU µs per request (lower is better)",
    )
    _grouped(axes[1][0], measurements, "latency_p99_ms", 1, "p99 latency, ms (lower is better)")
    axes[0][0].legend(fontsize=7, ncols=2)

    ax = axes[1][1]
    apps = list(dict.fromkeys(m["app"] for m in measurements))
    first = {app: next(m for m in measurements if m["app"] == app) for app in apps}
    peak = {app: max(m["rss_peak_mib"] for m in measurements if m["app"] == app) for app in apps}
    xs = range(len(apps))
    ax.bar(
        [x - 0.2 for x in xs],
        [first[a]["rss_idle_mib"] for a in apps],
        0.4,
        label="RSS idle",
        color="#9ca3af",
    )
    bars = ax.bar(
        [x + 0.2 for x in xs],
        [peak[a] for a in apps],
        0.4,
        label="RSS peak under load",
        color="#4b5563",
    )
    ax.bar_label(bars, fmt="%.0f", fontsize=6, padding=1)
    ax.set_xticks(list(xs), apps, fontsize=7, rotation=20)
    ax.set_ylabel("MiB (lower is better)")
    ax.grid(axis="y", alpha=0.3)
    twin = ax.twinx()
    twin.plot(
        list(xs),
        [first[a]["startup_seconds"] for a in apps],
        "o",
        color="#f59e0b",
        label="start-up to first 200 (s)",
    )
    twin.set_ylabel("start-up, s", color="#b45309")
    twin.set_ylim(bottom=0)
    handles = ax.get_legend_handles_labels()
    twin_handles = twin.get_legend_handles_labels()
    ax.legend(
        handles[0] + twin_handles[0], handles[1] + twin_handles[1], fontsize=7, loc="upper left"
    )

    m = results["machine"]
    s = results["settings"]
    fig.suptitle(
        f"scaffold benchmarks ({results['mode']} run {results['started_at']}): "
        f"{m['nproc']} x {m['cpu_model']}, {m['memory_gib']} GiB, "
        f"Python {m['python']}, Node {m['node']}; "
        f"server on core {s['server_cpu']}, wrk -c{s['connections']} on core {s['load_cpu']}",
        fontsize=9,
    )
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


if __name__ == "__main__":
    plot(json.loads(Path(sys.argv[1]).read_text()), Path(sys.argv[2]))
