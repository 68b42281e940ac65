#!/usr/bin/env python3
"""Serving-cost benchmarks of the generated services, side by side.

    python benchmarks/run.py            # full run (a few minutes on 2 cores)
    python benchmarks/run.py --quick    # CI variant: shorter runs, same checks

Each variant (FastAPI; NestJS on Fastify; NestJS on Express) is generated from this
checkout, installed with `make install`, and started with `make start` in production
mode (APP_ENV=production, a fresh SQLite file, LOGIN_RATE_LIMIT=0). A bare app of the
same framework (benchmarks/bare/, run with the generated project's own packages) is
measured in the same run, and for reference the floor apps: a minimal Nest app on the
same adapter (/health), and bare FastAPI's own /users/me (PyJWT and one SQLAlchemy
async Core select on the service's database). wrk drives GET /health, authenticated
GET /api/v1/users/me and POST /api/v1/items over loopback; the server is pinned to one
core and wrk to another. Reported: requests/s, p50/p99 latency, server CPU time per request (utime +
stime of the server process and its threads, from /proc), RSS at idle and peak under
load, and the time from launch to the first 200 on /health. Also timed: `scaffold new
--no-install` against `copier copy` of the same template.

It prints a table, writes benchmarks/results/<time>.json (and latest.json), and exits
non-zero only when a within-stack target is missed (never on absolute numbers):
each service's /health at >= 60% of its bare framework's requests/s, and /users/me at
>= 40% of its own /health. The floor apps' ratios are printed alongside, marked as
reference: the most a service on those libraries can reach; they never fail a run.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
sys.path.insert(0, str(REPO_ROOT))

from tests.support.generate import generate  # noqa: E402
from tests.support.node import node_env as _node_env  # noqa: E402
from tests.support.processes import free_port, stop_process_group  # noqa: E402

RESULTS_DIR = BENCH_DIR / "results"
WRK_SCRIPT = BENCH_DIR / "wrk.lua"
VENV_BIN = Path(sys.executable).parent
SERVER_CPU, LOAD_CPU = "0", "1"
CONNECTIONS = 32
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")

# Within-stack targets (issue 7): the only things that fail a run.
HEALTH_VS_BARE_TARGET = 0.60
ME_VS_HEALTH_TARGET = 0.40

ITEM_BODY = json.dumps({"title": "Benchmark item", "description": "Written by benchmarks/run.py"})


@dataclass(frozen=True)
class Variant:
    name: str
    stack: str
    data: Mapping[str, str]
    bare: str  # the bare framework app it is compared with
    # Whether a minimal Nest app on the same framework (benchmarks/bare/nest.js) is
    # measured on /health for reference: the ceiling of the /health target there.
    nest_floor: bool = False

    @property
    def floor_app(self) -> str | None:
        return f"bare-nest-{self.bare}" if self.nest_floor else None


VARIANTS = (
    Variant("fastapi", "fastapi", {}, "fastapi"),
    Variant("nestjs-fastify", "nestjs", {"http_adapter": "fastify"}, "fastify", nest_floor=True),
    Variant("nestjs-express", "nestjs", {"http_adapter": "express"}, "express", nest_floor=True),
)


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str
    authenticated: bool = False
    body: str | None = None


HEALTH = Endpoint("GET /health", "GET", "/health")
ME = Endpoint("GET /api/v1/users/me", "GET", "/api/v1/users/me", authenticated=True)
ENDPOINTS = (
    HEALTH,
    ME,
    Endpoint("POST /api/v1/items", "POST", "/api/v1/items", authenticated=True, body=ITEM_BODY),
)


@dataclass(frozen=True)
class Settings:
    warmup_seconds: int  # wrk takes whole seconds
    seconds: int
    # Measured windows per endpoint; the least disturbed one (most requests per
    # CPU-second) is kept, which steadies the short CI runs on a busy machine.
    rounds: int
    generate_repeats: int


FULL = Settings(warmup_seconds=3, seconds=10, rounds=1, generate_repeats=3)
QUICK = Settings(warmup_seconds=1, seconds=2, rounds=2, generate_repeats=1)


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


# --- processes -------------------------------------------------------------------------


def run(cmd: list[str], cwd: Path, env: Mapping[str, str] | None = None) -> str:
    result = subprocess.run(
        cmd,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        tail = (result.stdout + result.stderr)[-6000:]
        raise SystemExit(f"bench: `{' '.join(cmd)}` failed in {cwd}:\n{tail}")
    return result.stdout


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            stat = (entry / "stat").read_text()
            ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
            tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _subtree(pid: int) -> list[int]:
    tree, pids, todo = _children(), [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        todo.extend(tree.get(current, []))
    return pids


def _listener_pid(root: int, port: int) -> int | None:
    """The process (under `root`) holding the listening socket on `port`."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":
                    inodes.add(f"socket:[{fields[9]}]")
    for pid in _subtree(root):
        with contextlib.suppress(OSError):
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                with contextlib.suppress(OSError):
                    if os.readlink(fd) in inodes:
                        return pid
    return None


def _cpu_seconds(pids: list[int]) -> float:
    """utime + stime of the processes (all their threads) and their reaped children."""
    ticks = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            stat = Path(f"/proc/{pid}/stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            ticks += sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    return ticks / CLOCK_TICKS


def _rss_bytes(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
    return total


class Server:
    """A server started in its own process group and pinned to the server core."""

    def __init__(self, cmd: list[str], cwd: Path, env: Mapping[str, str], log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self._log = log
        self._cmd = ["taskset", "-c", SERVER_CPU, *cmd]
        self._cwd = cwd
        self._env = {**os.environ, **env, "HOST": "127.0.0.1", "PORT": str(self.port)}
        self._proc: subprocess.Popen[bytes] | None = None
        self.pids: list[int] = []
        self.startup_seconds = 0.0

    def __enter__(self) -> Server:
        with self._log.open("w") as log:
            started = time.perf_counter()
            self._proc = subprocess.Popen(
                self._cmd,
                cwd=self._cwd,
                env=self._env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = started + 180
        while request(self.base, "GET", "/health", timeout=1)[0] != 200:
            if self._proc.poll() is not None or time.perf_counter() > deadline:
                self.__exit__()
                raise SystemExit(
                    f"bench: {' '.join(self._cmd)} did not serve /health:\n"
                    + self._log.read_text()[-6000:]
                )
            time.sleep(0.01)
        self.startup_seconds = time.perf_counter() - started
        listener = _listener_pid(self._proc.pid, self.port)
        if listener is None:
            raise SystemExit(f"bench: no process of {self._cmd} listens on {self.port}")
        # The server and any workers it forks; make, uv or npm above it sit idle.
        self.pids = _subtree(listener)
        return self

    def __exit__(self, *_: object) -> None:
        if self._proc is not None:
            stop_process_group(self._proc)

    def cpu_seconds(self) -> float:
        return _cpu_seconds(self.pids)

    def rss_bytes(self) -> int:
        return _rss_bytes(self.pids)


def request(
    base: str,
    method: str,
    path: str,
    body: str | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 10,
) -> tuple[int, bytes]:
    """One HTTP request with the standard library; status 0 when nothing answers."""
    url = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname or "", url.port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=dict(headers or {}))
        response = connection.getresponse()
        return response.status, response.read()
    except OSError:
        return 0, b""
    finally:
        connection.close()


@contextlib.contextmanager
def peak_rss(server: Server) -> Iterator[list[int]]:
    """Samples the server's RSS every 100 ms while the block runs; yields [peak]."""
    peak = [server.rss_bytes()]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.1):
            peak[0] = max(peak[0], server.rss_bytes())

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield peak
    finally:
        stop.set()
        thread.join()
        peak[0] = max(peak[0], server.rss_bytes())


def wrk(base: str, endpoint: Endpoint, seconds: int, token: str | None) -> dict[str, Any]:
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
    output = run(cmd, BENCH_DIR, env)
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


def sign_in(base: str) -> str:
    email = f"bench-{secrets.token_hex(4)}@example.com"
    password = secrets.token_urlsafe(16)
    status, body = request(
        base,
        "POST",
        "/api/v1/auth/register",
        json.dumps({"email": email, "password": password, "full_name": "Bench Mark"}),
        {"Content-Type": "application/json"},
    )
    if status != 201:
        raise SystemExit(f"bench: register answered {status}: {body[:500]!r}")
    status, body = request(
        base,
        "POST",
        "/api/v1/auth/login",
        urllib.parse.urlencode({"username": email, "password": password}),
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    if status != 200:
        raise SystemExit(f"bench: login answered {status}: {body[:500]!r}")
    return str(json.loads(body)["access_token"])


def idle_rss(server: Server) -> int:
    time.sleep(1)  # let start-up work (imports, GC, JIT of the first request) settle
    return server.rss_bytes()


@functools.cache
def _node_overrides() -> tuple[tuple[str, str], ...]:
    return tuple(_node_env().items())  # installs Node 24 on first use


def node_env() -> dict[str, str]:
    return dict(_node_overrides())


# --- projects --------------------------------------------------------------------------


def python_env() -> dict[str, str]:
    # uv from this venv; the generated Makefile unexports VIRTUAL_ENV itself.
    return {"PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


def project_env(variant: Variant) -> dict[str, str]:
    """Environment overrides for the `make` targets of a variant's generated project."""
    return python_env() if variant.stack == "fastapi" else {**python_env(), **node_env()}


def prepare(variants: list[Variant], work: Path) -> dict[str, tuple[Path, dict[str, str]]]:
    """Generate each variant, then install them side by side (uv and npm caches make a
    rerun quick). Returns each variant's project directory and environment."""
    projects = {}
    for variant in variants:
        dest = work / variant.name / "bench-svc"
        generate(variant.stack, dest, project_name="bench-svc", **variant.data)
        projects[variant.name] = (dest, project_env(variant))

    def install(variant: Variant) -> None:
        dest, env = projects[variant.name]
        run(["make", "install"], dest, env)
        if variant.stack == "nestjs":
            run(["make", "build"], dest, env)

    with ThreadPoolExecutor(max_workers=len(variants)) as pool:
        for future in [pool.submit(install, v) for v in variants]:
            future.result()
    return projects


def server_env(work: Path, name: str) -> dict[str, str]:
    database = work / f"{name}-{secrets.token_hex(4)}.db"
    return {
        "APP_ENV": "production",
        "JWT_SECRET": secrets.token_hex(32),
        "LOGIN_RATE_LIMIT": "0",
        "DATABASE_URL": f"sqlite:///{database}",
        "LOG_LEVEL": "info",
    }


def bare_apps(
    variant: Variant, project: Path, service_env: Mapping[str, str]
) -> list[tuple[str, list[str], dict[str, str], tuple[Endpoint, ...]]]:
    """The bare framework app, and the floor app if any: name, command, environment,
    endpoints. Bare FastAPI also serves /users/me on the service's migrated database
    with its JWT secret, so the token the service issued is valid there."""
    if variant.bare == "fastapi":
        scheme, _, rest = service_env["DATABASE_URL"].partition("://")
        assert scheme == "sqlite", service_env["DATABASE_URL"]
        python = str(project / ".venv" / "bin" / "python")
        database = {
            "DATABASE_URL": f"sqlite+aiosqlite://{rest}",
            "JWT_SECRET": service_env["JWT_SECRET"],
        }
        return [
            (
                "bare-fastapi",
                [python, str(BENCH_DIR / "bare" / "fastapi_app.py")],
                database,
                (HEALTH, ME),
            )
        ]
    node = {"NODE_PATH": str(project / "node_modules"), "NODE_ENV": "production"}
    bare = BENCH_DIR / "bare"
    apps = [(f"bare-{variant.bare}", [str(bare / f"{variant.bare}.js")])]
    if variant.floor_app:
        apps.append((variant.floor_app, [str(bare / "nest.js"), variant.bare]))
    return [(name, ["node", *args], node, (HEALTH,)) for name, args in apps]


def bench_variant(
    variant: Variant, project: Path, env: dict[str, str], work: Path, settings: Settings
) -> list[Measurement]:
    """The service first (migrated, a user registered and signed in), then the bare
    apps; bare FastAPI's /users/me reuses the service's database and token."""
    service_env = server_env(work, variant.name)
    run(["make", "migrate"], project, {**env, **service_env})
    logs = {variant.name: work / f"{variant.name}.log"}
    with Server(["make", "start"], project, {**env, **service_env}, logs[variant.name]) as server:
        token = sign_in(server.base)
        service = measure(variant.name, server, ENDPOINTS, settings, idle_rss(server), token)
    bare: list[Measurement] = []
    for name, cmd, bare_env, endpoints in bare_apps(variant, project, service_env):
        logs[name] = work / f"{name}.log"
        with Server(cmd, project, {**env, **bare_env}, logs[name]) as server:
            bare += measure(name, server, endpoints, settings, idle_rss(server), token)
    measurements = bare + service  # bare apps first in the tables, as before
    for app in dict.fromkeys(m.app for m in measurements if m.errors):
        # The work directory may be temporary: show why now.
        lines = logs[app].read_text().splitlines()
        errors = [line for line in lines if '"error"' in line.lower()]
        print(f"  {app} logged {len(errors)} errors; the last ones:")
        for line in errors[-3:]:
            print(f"    {line[:1500]}")
    return measurements


# --- generation timing -----------------------------------------------------------------


def _scaffold_new(stack: str, dest: Path) -> list[str]:
    return [
        str(VENV_BIN / "scaffold"), "new", str(dest),
        "--stack", stack, "--defaults", "--no-install",
    ]  # fmt: skip


def _copier_copy(stack: str, dest: Path) -> list[str]:
    return [
        str(VENV_BIN / "copier"), "copy", "--quiet", "--trust", "--defaults",
        "--vcs-ref", "HEAD", "--data", f"stack={stack}",
        "--data", f"project_name={dest.name}", str(REPO_ROOT), str(dest),
    ]  # fmt: skip


def time_generation(stacks: list[str], work: Path, repeats: int) -> list[dict[str, Any]]:
    """`scaffold new --no-install` against `copier copy` of the same template (median)."""
    rows: list[dict[str, Any]] = []
    for stack in stacks:
        commands: dict[str, Callable[[Path], list[str]]] = {
            "scaffold new --no-install": functools.partial(_scaffold_new, stack),
            "copier copy": functools.partial(_copier_copy, stack),
        }
        for tool, command in commands.items():
            times = []
            for attempt in range(repeats):
                dest = work / "generate" / f"{stack}-{len(rows)}-{attempt}" / "gen-svc"
                dest.parent.mkdir(parents=True)
                started = time.perf_counter()
                run(command(dest), dest.parent, python_env())
                times.append(time.perf_counter() - started)
                shutil.rmtree(dest.parent)
            rows.append({"stack": stack, "tool": tool, "seconds": statistics.median(times)})
            print(f"  {stack:<8} {tool:<26} {rows[-1]['seconds']:6.2f} s")
    return rows


# --- ratios and report -----------------------------------------------------------------


def find(results: Results, app: str, endpoint: str) -> Measurement | None:
    for m in results.measurements:
        if m.app == app and m.endpoint == endpoint:
            return m
    return None


def compute_ratios(results: Results, variants: list[Variant]) -> None:
    """Within-stack targets, and every app against the reference stack.

    Targets are checked on requests per CPU-second of the server (the serving cost the
    issue asks about): on an otherwise idle server core it is the same ratio as
    requests/s, and unlike requests/s it is not skewed when something else on the
    machine takes that core for a while. Both ratios are reported.
    """
    for variant in variants:
        health = find(results, variant.name, HEALTH.name)
        bare = find(results, f"bare-{variant.bare}", HEALTH.name)
        me = find(results, variant.name, ME.name)
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
        if variant.floor_app and (floor := find(results, variant.floor_app, HEALTH.name)):
            floors.append(
                (floor.app, "/health vs bare framework", floor, bare, HEALTH_VS_BARE_TARGET)
            )
        if bare_me := find(results, bare.app, ME.name):
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
        ref = find(results, ref_app, m.endpoint)
        if ref is None:
            continue
        across.setdefault(m.endpoint, {})[m.app] = {
            "requests_per_second": m.requests_per_second / ref.requests_per_second,
            "requests_per_cpu_second": m.requests_per_cpu_second / ref.requests_per_cpu_second,
            "rss_peak": m.rss_peak_mib / ref.rss_peak_mib,
        }
    results.ratios = {"reference": reference.name, "across_stacks": across}


def table(results: Results) -> str:
    lines = [
        f"{'app':<17} {'endpoint':<22} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'CPU µs/req':>10} {'RSS idle':>8} {'RSS load':>8} {'start s':>7}",
    ]
    for m in results.measurements:
        lines.append(
            f"{m.app:<17} {m.endpoint:<22} {m.requests_per_second:8.0f} {m.latency_p50_ms:7.2f} "
            f"{m.latency_p99_ms:7.2f} {m.cpu_seconds_per_request * 1e6:10.0f} "
            f"{m.rss_idle_mib:6.0f}Mi {m.rss_peak_mib:6.0f}Mi {m.startup_seconds:7.2f}"
            + (f"  ERRORS {m.errors}" if m.errors else "")
        )
    lines.append("")
    lines.append(
        f"{'app':<17} {'within-stack target':<27} {'req/CPU-s':>9} {'req/s':>6} {'target':>7}"
    )
    for t in results.targets:
        mark = "ok" if t["met"] else "MISSED"
        lines.append(
            f"{t['app']:<17} {t['ratio']:<27} {t['value']:9.2f} "
            f"{t['requests_per_second_ratio']:6.2f} {'>= ' + format(t['target'], '.2f'):>7}  {mark}"
        )
    for r in results.references:
        lines.append(
            f"{r['app']:<17} {r['ratio']:<27} {r['value']:9.2f} "
            f"{r['requests_per_second_ratio']:6.2f} {'-':>7}  reference: ceiling for {r['variant']}"
        )
    lines.append("")
    reference = results.ratios.get("reference", "")
    lines.append(f"across stacks, against {reference} (bare apps against bare-{reference}):")
    lines.append(f"{'app':<17} {'endpoint':<22} {'req/s':>6} {'req/CPU-s':>9} {'RSS load':>8}")
    for endpoint, apps in results.ratios.get("across_stacks", {}).items():
        for app, r in apps.items():
            lines.append(
                f"{app:<17} {endpoint:<22} {r['requests_per_second']:5.2f}x "
                f"{r['requests_per_cpu_second']:8.2f}x {r['rss_peak']:7.2f}x"
            )
    if results.generation:
        lines.append("")
        lines.append(f"{'stack':<8} {'generation (median)':<26} {'seconds':>7}")
        for row in results.generation:
            lines.append(f"{row['stack']:<8} {row['tool']:<26} {row['seconds']:7.2f}")
    return "\n".join(lines)


README_START = "<!-- results:start (written by benchmarks/run.py --readme) -->"
README_END = "<!-- results:end -->"


def markdown(results: Results) -> str:
    """The results as the README's Markdown section."""
    m = results.machine
    s = results.settings
    lines = [
        f"Figures from one {results.mode} run ({results.started_at}) on this machine: "
        f"{m['nproc']} cores ({m['cpu_model']}), {m['memory_gib']} GiB RAM, {m['os']} "
        f"(kernel {m['kernel']}), Python {m['python']}, Node {m['node']}, {m['wrk']}; "
        f"load average at start {', '.join(f'{x:.2f}' for x in m['load_average_at_start'])}. "
        f"Server on core {s['server_cpu']}, wrk (1 thread, {s['connections']} connections) on "
        f"core {s['load_cpu']}; {s['warmup_seconds']} s warm-up, then {s['seconds']} s measured "
        "per endpoint. SQLite database, APP_ENV=production.",
        "",
        "| app | endpoint | req/s | p50 ms | p99 ms | CPU µs/req | RSS idle MiB "
        "| RSS peak MiB | start-up s |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results.measurements:
        lines.append(
            f"| {r.app} | {r.endpoint} | {r.requests_per_second:.0f} | {r.latency_p50_ms:.1f} "
            f"| {r.latency_p99_ms:.1f} | {r.cpu_seconds_per_request * 1e6:.0f} "
            f"| {r.rss_idle_mib:.0f} | {r.rss_peak_mib:.0f} | {r.startup_seconds:.2f} |"
        )
    for r in results.measurements:
        if r.errors:
            lines += ["", f"**{r.app} {r.endpoint}: failed requests under load: {r.errors}.**"]
    lines += [
        "",
        "Within-stack targets (checked on requests per CPU-second; req/s ratio alongside):",
        "",
        "| app | ratio | req/CPU-s | req/s | target | |",
        "| --- | --- | ---: | ---: | ---: | --- |",
    ]
    for t in results.targets:
        lines.append(
            f"| {t['app']} | {t['ratio']} | {t['value']:.2f} | "
            f"{t['requests_per_second_ratio']:.2f} | >= {t['target']:.2f} "
            f"| {'met' if t['met'] else '**missed**'} |"
        )
    for ref in results.references:
        lines.append(
            f"| {ref['app']} | {ref['ratio']} | {ref['value']:.2f} | "
            f"{ref['requests_per_second_ratio']:.2f} | - | reference: ceiling for "
            f"{ref['variant']} |"
        )
    reference = results.ratios["reference"]
    lines += [
        "",
        f"Across stacks, each app against {reference} (bare apps against bare-{reference}):",
        "",
        "| app | endpoint | req/s | req/CPU-s | RSS peak |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for endpoint, apps in results.ratios["across_stacks"].items():
        for app, r in apps.items():
            if app in (reference, f"bare-{reference}"):
                continue
            lines.append(
                f"| {app} | {endpoint} | {r['requests_per_second']:.2f}x "
                f"| {r['requests_per_cpu_second']:.2f}x | {r['rss_peak']:.2f}x |"
            )
    lines += [
        "",
        "Generating a project (median of "
        f"{s['generate_repeats']}, wall time of the whole command):",
        "",
        "| stack | command | seconds |",
        "| --- | --- | ---: |",
    ]
    for row in results.generation:
        lines.append(f"| {row['stack']} | `{row['tool']}` | {row['seconds']:.2f} |")
    return "\n".join(lines)


def write_readme(results: Results, readme: Path) -> None:
    text = readme.read_text()
    start, end = text.index(README_START) + len(README_START), text.index(README_END)
    readme.write_text(text[:start] + "\n" + markdown(results) + "\n" + text[end:])


def machine() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.*)$", cpuinfo, re.M)
    meminfo = Path("/proc/meminfo").read_text()
    mem_kib = int(re.search(r"^MemTotal:\s*(\d+)", meminfo, re.M).group(1))  # type: ignore[union-attr]
    os_release = Path("/etc/os-release").read_text()
    pretty = re.search(r'^PRETTY_NAME="?([^"\n]*)', os_release, re.M)
    node = subprocess.run(
        ["node", "--version"], capture_output=True, text=True, env={**os.environ, **node_env()}
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short runs, for CI")
    parser.add_argument(
        "--variants",
        default=",".join(v.name for v in VARIANTS),
        help="comma-separated subset of: " + ", ".join(v.name for v in VARIANTS),
    )
    parser.add_argument("--plot", type=Path, help="also draw the results into this PNG")
    parser.add_argument(
        "--readme", type=Path, help="also replace the results section of this Markdown file"
    )
    parser.add_argument(
        "--out", type=Path, help="write the JSON here (default: benchmarks/results/<time>.json)"
    )
    parser.add_argument(
        "--work", type=Path, help="keep generated projects here (default: a temp dir)"
    )
    args = parser.parse_args()

    if shutil.which("wrk") is None:
        print("bench: wrk is missing: run scripts/install-test-deps", file=sys.stderr)
        return 2
    if (os.cpu_count() or 1) < 2:
        print("bench: needs 2 cores (server and load generator on separate cores)", file=sys.stderr)
        return 2
    total_clock = time.perf_counter()
    chosen = [v for v in VARIANTS if v.name in args.variants.split(",")]
    settings = QUICK if args.quick else FULL
    started = datetime.now(UTC)
    results = Results(
        mode="quick" if args.quick else "full",
        started_at=started.isoformat(timespec="seconds"),
        machine=machine(),
        settings={
            **asdict(settings),
            "connections": CONNECTIONS,
            "server_cpu": SERVER_CPU,
            "load_cpu": LOAD_CPU,
        },
    )

    with contextlib.ExitStack() as stack:
        if args.work:
            work = args.work.resolve()
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
        else:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="scaffold-bench-")))
        print(f"generating and installing {', '.join(v.name for v in chosen)} in {work}")
        clock = time.perf_counter()
        projects = prepare(chosen, work)
        print(f"  ready in {time.perf_counter() - clock:.0f} s")
        for variant in chosen:
            print(f"measuring {variant.name}")
            clock = time.perf_counter()
            project, env = projects[variant.name]
            results.measurements += bench_variant(variant, project, env, work, settings)
            print(f"  done in {time.perf_counter() - clock:.0f} s")
        print("timing generation")
        stacks = list(dict.fromkeys(v.stack for v in chosen))
        results.generation = time_generation(stacks, work, settings.generate_repeats)
    print(f"total {time.perf_counter() - total_clock:.0f} s")

    compute_ratios(results, chosen)
    print()
    print(table(results))

    document = json.dumps(asdict(results), indent=2)
    if args.out:
        outputs = [args.out]
    else:
        stamp = started.strftime("%Y%m%dT%H%M%SZ")
        outputs = [RESULTS_DIR / f"{stamp}-{results.mode}.json", RESULTS_DIR / "latest.json"]
    for output in outputs:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(document)
    print(f"\nwrote {', '.join(map(str, outputs))}")
    if args.readme:
        write_readme(results, args.readme)
        print(f"wrote {args.readme}")
    if args.plot:
        from plot import plot  # matplotlib: the `bench` extra

        plot(asdict(results), args.plot)
        print(f"wrote {args.plot}")

    missed = [t for t in results.targets if not t["met"]]
    for t in missed:
        print(
            f"bench: {t['app']}: {t['ratio']} is {t['value']:.2f}, target >= {t['target']:.2f}",
            file=sys.stderr,
        )
    broken = [m for m in results.measurements if m.errors]
    for m in broken:
        print(
            f"bench: {m.app} {m.endpoint}: failed requests under load {m.errors} "
            f"(see its server log)",
            file=sys.stderr,
        )
    return 1 if missed or broken else 0


if __name__ == "__main__":
    sys.exit(main())
