"""The summary of a run that scaffold ships (`--ship`): per variant, requests per
server CPU-second on an authenticated read and a write, and RSS at idle, with when and
where they were measured. `scaffold new` shows them when the stack is chosen; the
format is defined by the package's reader, scaffold.serving_cost."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from benchmarks.matrix import Variant
from benchmarks.results import Results
from scaffold import serving_cost

SHIPPED = Path(serving_cost.__file__).with_name(serving_cost.FILE)


def summary(results: Results, variants: list[Variant]) -> dict[str, Any]:
    m = results.machine
    load = ", ".join(f"{x:.2f}" for x in m["load_average_at_start"])
    document: dict[str, Any] = {
        "measured_at": results.started_at,
        "run": f"python -m benchmarks.run{' --quick' if results.mode == 'quick' else ''}",
        "machine": f"{m['nproc']} cores ({m['cpu_model']}), {m['memory_gib']} GiB RAM, "
        f"{m['os']}, Python {m['python']}, Node {m['node']}; load average at start {load}",
        "variants": {},
    }
    for variant in variants:
        rates = {}
        for endpoint in (serving_cost.READ, serving_cost.WRITE):
            measured = results.find(variant.name, endpoint)
            assert measured, f"{variant.name}: {endpoint} was not measured"
            rates[endpoint] = round(measured.requests_per_cpu_second)
            # Sampled once per service, before the load: the same on every endpoint.
            rss_idle = measured.rss_idle_mib
        document["variants"][variant.name] = {
            "answers": {"stack": variant.stack, **variant.smoke.answers},
            "requests_per_cpu_second": rates,
            "rss_idle_mib": round(rss_idle, 1),
        }
    return document


def write(results: Results, variants: list[Variant]) -> Path:
    SHIPPED.write_text(json.dumps(summary(results, variants), indent=2) + "\n")
    return SHIPPED
