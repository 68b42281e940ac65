"""The figures of a run, the ratios taken from them, the targets they are checked
against, and the JSON document they are written as."""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.matrix import HEALTH, ME, Variant
from tests.support.projects import environment

# Within-stack targets (issue 7): the only things that fail a run.
HEALTH_VS_BARE_TARGET = 0.60
ME_VS_HEALTH_TARGET = 0.40


@dataclass
class Measurement:
    app: str  # variant name, or "bare-<framework>"
    endpoint: str
    requests: int
    requests_per_second: float
    latency_p50_ms: float
    latency_p99_ms: float
    cpu_seconds_per_request: float
    requests_per_cpu_second: float
    rss_idle_mib: float
    rss_peak_mib: float
    startup_seconds: float
    # Answers that were not 2xx/3xx, socket errors and timeouts (wrk's counts), over
    # every window measured; any makes the run fail: the service broke under load.
    errors: dict[str, int] = field(default_factory=dict)


@dataclass
class Results:
    mode: str
    started_at: str
    machine: dict[str, Any]
    settings: dict[str, Any]
    measurements: list[Measurement] = field(default_factory=list)
    ratios: dict[str, Any] = field(default_factory=dict)
    targets: list[dict[str, Any]] = field(default_factory=list)
    # The same ratios for the floor apps: the most any service on those libraries can
    # reach. For reference only: no target, never fails a run.
    references: list[dict[str, Any]] = field(default_factory=list)
    generation: list[dict[str, Any]] = field(default_factory=list)

    def find(self, app: str, endpoint: str) -> Measurement | None:
        return next((m for m in self.measurements if (m.app, m.endpoint) == (app, endpoint)), None)

    def write(self, outputs: list[Path]) -> None:
        document = json.dumps(asdict(self), indent=2)
        for output in outputs:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(document)


def compute_ratios(results: Results, variants: list[Variant]) -> None:
    """Within-stack targets, and every app against the reference stack.

    Targets are checked on requests per CPU-second of the server (the serving cost the
    issue asks about): on an otherwise idle server core it is the same ratio as
    requests/s, and unlike requests/s it is not skewed when something else on the
    machine takes that core for a while. Both ratios are reported.
    """
    for variant in variants:
        health = results.find(variant.name, HEALTH.name)
        bare = results.find(f"bare-{variant.bare}", HEALTH.name)
        me = results.find(variant.name, ME.name)
        assert health and bare and me
        for name, num, den, target in (
            ("/health vs bare framework", health, bare, HEALTH_VS_BARE_TARGET),
            ("/users/me vs own /health", me, health, ME_VS_HEALTH_TARGET),
        ):
            value = num.requests_per_cpu_second / den.requests_per_cpu_second
            results.targets.append(
                {
                    "app": variant.name,
                    "ratio": name,
                    "value": value,
                    "requests_per_second_ratio": num.requests_per_second / den.requests_per_second,
                    "target": target,
                    "met": value >= target,
                }
            )
        # The same ratios for the floor apps (a minimal Nest app; bare FastAPI's own
        # /users/me): the most any service on those libraries can reach. Reference only.
        floors = []
        if variant.floor_app and (floor := results.find(variant.floor_app, HEALTH.name)):
            floors.append(
                (floor.app, "/health vs bare framework", floor, bare, HEALTH_VS_BARE_TARGET)
            )
        if bare_me := results.find(bare.app, ME.name):
            floors.append(
                (bare.app, "/users/me vs own /health", bare_me, bare, ME_VS_HEALTH_TARGET)
            )
        for app, name, num, den, target in floors:
            results.references.append(
                {
                    "app": app,
                    "variant": variant.name,
                    "ratio": name,
                    "value": num.requests_per_cpu_second / den.requests_per_cpu_second,
                    "requests_per_second_ratio": num.requests_per_second / den.requests_per_second,
                    "ceiling_of_target": target,
                }
            )
    # Across stacks: each app against the first variant (bare apps against its bare app).
    reference = variants[0]
    across: dict[str, dict[str, dict[str, float]]] = {}
    for m in results.measurements:
        ref_app = f"bare-{reference.bare}" if m.app.startswith("bare-") else reference.name
        ref = results.find(ref_app, m.endpoint)
        if ref is None:
            continue
        across.setdefault(m.endpoint, {})[m.app] = {
            "requests_per_second": m.requests_per_second / ref.requests_per_second,
            "requests_per_cpu_second": m.requests_per_cpu_second / ref.requests_per_cpu_second,
            "rss_peak": m.rss_peak_mib / ref.rss_peak_mib,
        }
    results.ratios = {"reference": reference.name, "across_stacks": across}


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
