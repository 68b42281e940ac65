"""Serving-cost benchmarks of the generated services, side by side.

    python -m benchmarks.run            # full run (a few minutes on 2 cores)
    python -m benchmarks.run --quick    # CI variant: shorter runs, same checks

Each variant (FastAPI; NestJS on Fastify; NestJS on Express) is generated from this
checkout, installed with `make install`, and started with `make start` in production
mode (APP_ENV=production, a fresh SQLite file, LOGIN_RATE_LIMIT=0). A bare app of the
same framework (benchmarks/bare/, run with the generated project's own packages) is
measured in the same run, and for reference the floor apps: a minimal Nest app on the
same adapter (/health), and bare FastAPI's own /users/me (PyJWT and one SQLAlchemy
async Core select on the service's database). wrk drives GET /health, authenticated
GET /api/v1/users/me and POST /api/v1/items over loopback; the server is pinned to one
core and wrk to another. Reported: requests/s, p50/p99 latency, server CPU time per
request (utime + stime of the server process and its threads, from /proc), RSS at idle
and peak under load, and the time from launch to the first 200 on /health. Also timed:
`scaffold new --no-install` against `copier copy` of the same template.

It prints the tables, writes benchmarks/results/<time>-<mode>.json (and latest.json)
and with --ship the summary scaffold ships (src/scaffold/serving_cost.json),
and exits non-zero only when a within-stack target is missed or a request fails under
load (never on absolute numbers): each service's /health at >= 60% of its bare
framework's requests/s, and /users/me at >= 40% of its own /health. The floor apps'
ratios are printed alongside, marked as reference: the most a service on those
libraries can reach; they never fail a run.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import apps, load, report, server, ship
from benchmarks.generation import time_generation
from benchmarks.matrix import (
    BENCH_DIR,
    CONNECTIONS,
    ENDPOINTS,
    FULL,
    LOAD_CPU,
    QUICK,
    SERVER_CPU,
    VARIANTS,
    Settings,
    Variant,
)
from benchmarks.results import Measurement, Results, compute_ratios, machine
from scaffold.errors import ScaffoldError
from scaffold.smoke.project import Project

RESULTS_DIR = BENCH_DIR / "results"


def bench_variant(
    variant: Variant, project: Project, work: Path, settings: Settings
) -> list[Measurement]:
    """The service first (migrated, a user registered and signed in), then the bare
    apps; bare FastAPI's /users/me reuses the service's database and token."""
    service_env = apps.service_env(work, variant.name)
    apps.migrate(project, service_env)
    logs = {variant.name: work / f"{variant.name}.log"}
    with server.start(project, ["make", "start"], logs[variant.name], service_env) as service:
        token = load.sign_in(service.base)
        idle = server.idle_rss(service)
        measured = load.measure(variant.name, service, ENDPOINTS, settings, idle, token)
    bare: list[Measurement] = []
    for app in apps.bare_apps(variant, project, service_env):
        logs[app.name] = work / f"{app.name}.log"
        with server.start(project, app.cmd, logs[app.name], app.env) as running:
            idle = server.idle_rss(running)
            bare += load.measure(app.name, running, app.endpoints, settings, idle, token)
    measurements = bare + measured  # bare apps first in the tables
    for name in dict.fromkeys(m.app for m in measurements if m.errors):
        # The work directory may be temporary: show why now.
        errors = [line for line in logs[name].read_text().splitlines() if '"error"' in line.lower()]
        print(f"  {name} logged {len(errors)} errors; the last ones:")
        for line in errors[-3:]:
            print(f"    {line[:1500]}")
    return measurements


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
        "--ship",
        action="store_true",
        help=f"also write {ship.SHIPPED.relative_to(BENCH_DIR.parent)}, the figures "
        "`scaffold new` shows when choosing a stack (needs every variant)",
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
    if args.ship and len(chosen) < len(VARIANTS):
        parser.error("--ship needs every variant: drop --variants")
    settings = QUICK if args.quick else FULL
    started = datetime.now(UTC)
    results = Results(
        mode="quick" if args.quick else "full",
        started_at=started.isoformat(timespec="seconds"),
        machine=machine(),  # installs Node 24 if need be, before the parallel installs
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
        projects = apps.prepare(chosen, work)
        print(f"  ready in {time.perf_counter() - clock:.0f} s")
        for variant in chosen:
            print(f"measuring {variant.name}")
            clock = time.perf_counter()
            results.measurements += bench_variant(variant, projects[variant.name], work, settings)
            print(f"  done in {time.perf_counter() - clock:.0f} s")
        print("timing generation")
        stacks = list(dict.fromkeys(v.stack for v in chosen))
        results.generation = time_generation(stacks, work, settings.generate_repeats)
    print(f"total {time.perf_counter() - total_clock:.0f} s")

    compute_ratios(results, chosen)
    print()
    print(report.terminal(results))

    if args.out:
        outputs = [args.out]
    else:
        stamp = started.strftime("%Y%m%dT%H%M%SZ")
        outputs = [RESULTS_DIR / f"{stamp}-{results.mode}.json", RESULTS_DIR / "latest.json"]
    results.write(outputs)
    print(f"\nwrote {', '.join(map(str, outputs))}")
    if args.readme:
        report.write_readme(results, args.readme)
        print(f"wrote {args.readme}")
    if args.plot:
        from benchmarks.plot import plot  # matplotlib: the `bench` extra

        plot(asdict(results), args.plot)
        print(f"wrote {args.plot}")
    # Figures of a run in which requests failed are not worth shipping.
    if args.ship and not any(m.errors for m in results.measurements):
        print(f"wrote {ship.write(results, chosen)}")

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
    try:
        sys.exit(main())
    except (ScaffoldError, AssertionError) as exc:  # a step that failed, with its output
        sys.exit(f"bench: {exc}")
