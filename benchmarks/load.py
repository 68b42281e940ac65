"""The load: a user signed in, then wrk on each endpoint from the load core."""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from typing import Any

import httpx

from benchmarks.database import Database
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


@dataclass(frozen=True)
class App:
    """A started app to measure: its name in the results, the database it serves from
    (None for one that uses none), the bearer token its /users/me accepts."""

    name: str
    server: Server
    database: Database | None
    token: str | None
    idle_rss: int


def measure(app: App, endpoints: tuple[Endpoint, ...], settings: Settings) -> list[Measurement]:
    """Each endpoint warmed up, then measured over `settings.rounds` windows: the one with
    the most requests per CPU-second is kept (the least disturbed; a short window on a
    tiny per-request cost moves by a fifth from one to the next), with the failed
    requests of all of them."""
    measurements = []
    for endpoint in endpoints:
        wrk(app.server.base, endpoint, settings.warmup_seconds, app.token)
        windows = [measure_window(app, endpoint, settings.seconds) for _ in range(settings.rounds)]
        measured = max(windows, key=lambda m: m.requests_per_cpu_second)
        measured.errors = {
            kind: count
            for kind in {kind for window in windows for kind in window.errors}
            if (count := sum(window.errors.get(kind, 0) for window in windows))
        }
        measurements.append(measured)
        db = (
            ""
            if measured.db_cpu_seconds_per_request is None
            else (
                f", database {measured.db_cpu_seconds_per_request * 1e6:5.0f} µs CPU/req "
                f"{measured.db_connections_opened} connections opened"
            )
        )
        print(
            f"  {app.name:<25} {endpoint.name:<22} {measured.requests_per_second:7.0f} req/s "
            f"{measured.cpu_seconds_per_request * 1e6:6.0f} µs CPU/req{db}"
        )
    return measurements


def measure_window(app: App, endpoint: Endpoint, seconds: int) -> Measurement:
    """One window of wrk load, with the server's (and PostgreSQL's) counters read on
    either side of it."""
    server = app.server
    db_before = app.database.usage() if app.database else None
    cpu_before = server.cpu_seconds()
    with peak_rss(server) as peak:
        summary = wrk(server.base, endpoint, seconds, app.token)
    cpu = server.cpu_seconds() - cpu_before
    db_after = app.database.usage() if app.database else None
    requests = summary["requests"]
    latency = summary["latency_us"]
    db: dict[str, Any] = {}
    if db_before and db_after:
        db = {
            "db_cpu_seconds_per_request": (db_after.cpu_seconds - db_before.cpu_seconds) / requests,
            "db_connections_opened": db_after.sessions - db_before.sessions,
        }
    return Measurement(
        app=app.name,
        endpoint=endpoint.name,
        database=app.database.kind if app.database else None,
        requests=requests,
        requests_per_second=requests / (summary["duration_us"] / 1e6),
        latency_p50_ms=latency["p50"] / 1000,
        latency_p99_ms=latency["p99"] / 1000,
        cpu_seconds_per_request=cpu / requests,
        requests_per_cpu_second=requests / cpu if cpu else float("inf"),
        rss_idle_mib=app.idle_rss / 2**20,
        rss_peak_mib=peak[0] / 2**20,
        startup_seconds=server.startup_seconds,
        errors={kind: count for kind, count in summary["errors"].items() if count},
        **db,
    )
