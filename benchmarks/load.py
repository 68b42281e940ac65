"""The load: a user signed in, then wrk on each endpoint from the load core."""

from __future__ import annotations

import json
import re
import secrets
from typing import Any

import httpx

from benchmarks.matrix import BENCH_DIR, CONNECTIONS, LOAD_CPU, Endpoint, Settings
from benchmarks.results import Measurement
from benchmarks.server import Server, peak_rss
from tests.support.processes import run

WRK_SCRIPT = BENCH_DIR / "wrk.lua"


def sign_in(base: str) -> str:
    """A new user registered and signed in: its access token."""
    email = f"bench-{secrets.token_hex(4)}@example.com"
    password = secrets.token_urlsafe(16)
    account = {"email": email, "password": password, "full_name": "Bench Mark"}
    with httpx.Client(base_url=base, timeout=10) as http:
        _expect(http.post("/api/v1/auth/register", json=account), 201)
        credentials = {"username": email, "password": password}
        login = _expect(http.post("/api/v1/auth/login", data=credentials), 200)
    return str(login.json()["access_token"])


def _expect(response: httpx.Response, status: int) -> httpx.Response:
    if response.status_code != status:
        raise SystemExit(
            f"bench: {response.request.url.path} answered {response.status_code}: "
            f"{response.text[:500]}"
        )
    return response


def wrk(base: str, endpoint: Endpoint, seconds: int, token: str | None) -> dict[str, Any]:
    """One wrk run: the summary wrk.lua prints (counts, errors, latency percentiles)."""
    env = {
        "BENCH_METHOD": endpoint.method,
        "BENCH_BODY": endpoint.body or "",
        "BENCH_TOKEN": token or "",
    }
    cmd = [
        "taskset", "-c", LOAD_CPU,
        "wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "5s",
        "-s", str(WRK_SCRIPT), base + endpoint.path,
    ]  # fmt: skip
    output = run(cmd, BENCH_DIR, env).stdout
    match = re.search(r"^BENCH_JSON (.*)$", output, re.M)
    if match is None:
        raise SystemExit(f"bench: no summary from wrk:\n{output}")
    summary: dict[str, Any] = json.loads(match.group(1))
    if summary["requests"] == 0:
        raise SystemExit(f"bench: {endpoint.name} on {base} answered nothing under load")
    return summary


def measure(
    app: str,
    server: Server,
    endpoints: tuple[Endpoint, ...],
    settings: Settings,
    idle: int,
    token: str | None = None,
) -> list[Measurement]:
    """Each endpoint warmed up, then measured `settings.rounds` times; the window with
    the most requests per CPU-second is kept, with the errors of all of them."""
    measurements = []
    for endpoint in endpoints:
        wrk(server.base, endpoint, settings.warmup_seconds, token)
        windows = [
            measure_window(app, server, endpoint, settings.seconds, token, idle)
            for _ in range(settings.rounds)
        ]
        best = max(windows, key=lambda m: m.requests_per_cpu_second)
        best.errors = {
            kind: count
            for kind in best.errors
            if (count := sum(m.errors[kind] for m in windows)) > 0
        }
        measurements.append(best)
        print(
            f"  {app:<17} {endpoint.name:<22} {best.requests_per_second:7.0f} req/s "
            f"{best.cpu_seconds_per_request * 1e6:6.0f} µs CPU/req"
        )
    return measurements


def measure_window(
    app: str, server: Server, endpoint: Endpoint, seconds: int, token: str | None, idle: int
) -> Measurement:
    cpu_before = server.cpu_seconds()
    with peak_rss(server) as peak:
        summary = wrk(server.base, endpoint, seconds, token)
    cpu = server.cpu_seconds() - cpu_before
    requests = summary["requests"]
    latency = summary["latency_us"]
    return Measurement(
        app=app,
        endpoint=endpoint.name,
        requests=requests,
        requests_per_second=requests / (summary["duration_us"] / 1e6),
        latency_p50_ms=latency["p50"] / 1000,
        latency_p99_ms=latency["p99"] / 1000,
        cpu_seconds_per_request=cpu / requests,
        requests_per_cpu_second=requests / cpu if cpu else float("inf"),
        rss_idle_mib=idle / 2**20,
        rss_peak_mib=peak[0] / 2**20,
        startup_seconds=server.startup_seconds,
        errors=summary["errors"],
    )
