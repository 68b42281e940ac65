"""The figures of a run, the ratios taken from them, the targets and regression floors
they are checked against, and the JSON documents they are written as."""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.matrix import BENCH_DIR, ENDPOINTS, HEALTH, ITEMS, ME, Variant
from tests.support.projects import environment

# The targets of issue 13, printed by every run; a full run fails when one is missed.
# FastAPI's authenticated read and its write at no more than twice the serving cost
# (requests per server CPU-second) of NestJS on Fastify, on the same database:
CHEAPEST = "nestjs-fastify"
VS_CHEAPEST_TARGET = 0.5
P99_VS_P50_TARGET = 10.0  # each endpoint's p99 latency at most 10 times its p50
STARTUP_TARGET = 1.5  # seconds from launching `make start` to the first 200

# Regression floors: within-stack ratios, each at FLOOR_FRACTION of what the full run
# that wrote the file reached. The only figures a quick run fails on (beside failed
# requests): ratios within one stack and one run move little with the machine's load.
FLOORS = BENCH_DIR / "floors.json"
FLOOR_FRACTION = 0.8


@dataclass
class Measurement:
    app: str  # variant name, or "bare-<framework>"
    endpoint: str
    # "sqlite" or "postgresql"; None for an app that uses none (bare framework apps)
    database: str | None
    requests: int
    requests_per_second: float
    latency_p50_ms: float
    latency_p99_ms: float
    cpu_seconds_per_request: float
    requests_per_cpu_second: float
    rss_idle_mib: float
    rss_peak_mib: float
    startup_seconds: float
    # PostgreSQL's side of the window: CPU time of the database server's processes per
    # request, and the connections opened on the app's database; None on SQLite.
    db_cpu_seconds_per_request: float | None = None
    db_connections_opened: int | None = None
    # Answers that were not 2xx/3xx, socket errors and timeouts (wrk's counts) in the
    # measured window; any makes the run fail: the service broke under load.
    errors: dict[str, int] = field(default_factory=dict)


@dataclass
class Results:
    mode: str
    started_at: str
    machine: dict[str, Any]
    settings: dict[str, Any]
    measurements: list[Measurement] = field(default_factory=list)
    # Rows of the targets, and of the within-stack ratios with their floors.
    # A row with "reference_for" is a floor app's (the least code on the same
    # libraries): the most the named variant could reach. It never fails a run.
    targets: list[dict[str, Any]] = field(default_factory=list)
    floors: list[dict[str, Any]] = field(default_factory=list)
    across_stacks: list[dict[str, Any]] = field(default_factory=list)
    # Floor rows as a first attempt read them below their floors, before their variants
    # were measured again (the figures above are the second attempt's).
    remeasured: list[dict[str, Any]] = field(default_factory=list)
    generation: list[dict[str, Any]] = field(default_factory=list)
    total_seconds: float = 0

    def find(self, app: str, endpoint: str) -> Measurement | None:
        return next((m for m in self.measurements if (m.app, m.endpoint) == (app, endpoint)), None)

    def write(self, outputs: list[Path]) -> None:
        document = json.dumps(asdict(self), indent=2)
        for output in outputs:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(document)

    def missed_targets(self) -> list[dict[str, Any]]:
        return [t for t in self.targets if "reference_for" not in t and not t["met"]]

    def below_floors(self) -> list[dict[str, Any]]:
        return [f for f in self.floors if "reference_for" not in f and f["met"] is False]


def _ratio(num: Measurement, den: Measurement) -> dict[str, float]:
    """num against den: on requests per server CPU-second (the serving cost; on an
    otherwise idle server core the same as requests/s, and unlike requests/s not
    skewed when something else takes that core for a while), with the req/s ratio."""
    return {
        "value": num.requests_per_cpu_second / den.requests_per_cpu_second,
        "requests_per_second_ratio": num.requests_per_second / den.requests_per_second,
    }


def _within(
    results: Results, variant: Variant
) -> Iterator[tuple[str, str, Measurement, Measurement]]:
    """The variant's within-stack ratios, then its floor apps' (app, name, num, den)."""
    health = results.find(variant.name, HEALTH.name)
    bare = results.find(variant.bare_app, HEALTH.name)
    me, items = (results.find(variant.name, e.name) for e in (ME, ITEMS))
    assert health and bare and me and items, f"{variant.name} was not measured in full"
    yield variant.name, "/health vs bare framework", health, bare
    yield variant.name, "/users/me vs own /health", me, health
    yield variant.name, "POST /items vs own /health", items, health
    if variant.floor_app and (floor := results.find(variant.floor_app, HEALTH.name)):
        yield floor.app, "/health vs bare framework", floor, bare
    if bare_me := results.find(bare.app, ME.name):
        yield bare.app, "/users/me vs own /health", bare_me, bare


def within_stack(results: Results, variants: list[Variant]) -> None:
    """Each variant's within-stack ratios (checked against floors by `apply_floors`),
    and its floor apps' for reference."""
    for variant in variants:
        for app, name, num, den in _within(results, variant):
            row: dict[str, Any] = {"app": app, "ratio": name, **_ratio(num, den)}
            if app != variant.name:
                if any((r["app"], r["ratio"]) == (app, name) for r in results.floors):
                    continue  # a minimal Nest app: the same for both databases
                # A floor app with no database is one for the family (both databases).
                row["reference_for"] = variant.name if num.database else variant.family
            results.floors.append(row)


def apply_floors(results: Results, floors: dict[str, Any]) -> None:
    """Each within-stack ratio against its committed floor; one without a floor (a
    variant or ratio new since the floors were written) is reported, never failed."""
    for row in results.floors:
        if "reference_for" not in row:
            row["floor"] = floors.get(row["app"], {}).get(row["ratio"])
            row["met"] = None if row["floor"] is None else row["value"] >= row["floor"]


def check_targets(results: Results, variants: list[Variant]) -> None:
    """The issue's targets for every generated service measured: FastAPI's cost
    against NestJS on Fastify's on the same database (when both ran), with bare
    FastAPI's for reference; each endpoint's tail latency; start-up."""
    names = {v.name for v in variants}
    for variant in variants:
        cheapest = f"{CHEAPEST}-{variant.database}"
        if variant.stack == "fastapi" and cheapest in names:
            for app, endpoint, label in (
                (variant.name, ME, "/users/me"),
                (variant.name, ITEMS, "POST /items"),
                (variant.bare_app, ME, "/users/me"),
                (variant.bare_app, ITEMS, "POST /items"),
            ):
                num, den = results.find(app, endpoint.name), results.find(cheapest, endpoint.name)
                assert num and den, f"{app} or {cheapest}: {endpoint.name} was not measured"
                value = _ratio(num, den)["value"]
                row = _target(app, f"{label} vs {cheapest}", value, ">=", VS_CHEAPEST_TARGET)
                results.targets.append(
                    row if app == variant.name else {**row, "reference_for": variant.name}
                )
        measured = [m for e in ENDPOINTS if (m := results.find(variant.name, e.name))]
        tail = max(measured, key=lambda m: m.latency_p99_ms / m.latency_p50_ms)
        results.targets += [
            _target(
                variant.name,
                f"p99 / p50 (worst: {tail.endpoint})",
                tail.latency_p99_ms / tail.latency_p50_ms,
                "<=",
                P99_VS_P50_TARGET,
            ),
            # Measured once per service: the same on each of its endpoints.
            _target(
                variant.name, "start-up to first 200, s", tail.startup_seconds, "<=", STARTUP_TARGET
            ),
        ]


def _target(app: str, name: str, value: float, op: str, limit: float) -> dict[str, Any]:
    met = value >= limit if op == ">=" else value <= limit
    return {"app": app, "target": name, "value": value, "op": op, "limit": limit, "met": met}


def compare_stacks(results: Results, variants: list[Variant]) -> None:
    """Each service against the FastAPI service on the same database."""
    for variant in variants:
        reference = f"fastapi-{variant.database}"
        if variant.stack == "fastapi" or reference not in {v.name for v in variants}:
            continue
        for endpoint in ENDPOINTS:
            m, ref = (
                results.find(variant.name, endpoint.name),
                results.find(reference, endpoint.name),
            )
            assert m and ref
            results.across_stacks.append(
                {
                    "app": m.app,
                    "against": reference,
                    "endpoint": m.endpoint,
                    "requests_per_second": m.requests_per_second / ref.requests_per_second,
                    "requests_per_cpu_second": m.requests_per_cpu_second
                    / ref.requests_per_cpu_second,
                    "rss_peak": m.rss_peak_mib / ref.rss_peak_mib,
                }
            )


def read_floors(path: Path = FLOORS) -> dict[str, Any]:
    """The committed floors, {app: {ratio: floor}}; none when there is no file yet."""
    if not path.is_file():
        return {}
    floors: dict[str, Any] = json.loads(path.read_text())["floors"]
    return floors


def write_floors(runs: list[dict[str, Any]], path: Path = FLOORS) -> None:
    """FLOOR_FRACTION of the lowest each within-stack ratio reached over `runs` (results
    documents of the same code: one full run, or it and quick runs after it), replacing
    the floors of the variants they measured and keeping the others'. The lowest, not
    the last: a ratio moves by up to a fifth between runs of the same code here, and a
    floor set from a lucky run would fail the next one."""
    reached: dict[tuple[str, str], float] = {}
    for run in runs:
        # A row measured twice counts with both readings (the first in "remeasured").
        for row in run["floors"] + run.get("remeasured", []):
            if "reference_for" not in row:
                key = (row["app"], row["ratio"])
                reached[key] = min(reached.get(key, row["value"]), row["value"])
    floors = read_floors(path)
    for (app, ratio), value in reached.items():
        floors.setdefault(app, {})[ratio] = round(value * FLOOR_FRACTION, 3)
    written = ", ".join(f"{run['mode']} run of {run['started_at']}" for run in runs)
    document = {
        "written_by": f"benchmarks (the lowest of: {written})",
        "fraction_of_reached": FLOOR_FRACTION,
        "floors": floors,
    }
    path.write_text(json.dumps(document, indent=2) + "\n")


def machine() -> dict[str, Any]:
    """What the run ran on, for the JSON and the README's figures."""
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.*)$", cpuinfo, re.M)
    meminfo = Path("/proc/meminfo").read_text()
    mem_kib = int(re.search(r"^MemTotal:\s*(\d+)", meminfo, re.M).group(1))  # type: ignore[union-attr]
    os_release = Path("/etc/os-release").read_text()
    pretty = re.search(r'^PRETTY_NAME="?([^"\n]*)', os_release, re.M)
    node = subprocess.run(
        ["node", "--version"], capture_output=True, text=True, env=environment("nestjs")
    )
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    return {
        "nproc": os.cpu_count(),
        "cpu_model": model.group(1) if model else platform.processor(),
        "memory_gib": round(mem_kib / 2**20, 1),
        "os": pretty.group(1) if pretty else platform.platform(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "node": node.stdout.strip(),
        "wrk": (wrk_version.stdout + wrk_version.stderr).split("Copyright")[0].strip(),
        "load_average_at_start": os.getloadavg(),
    }
