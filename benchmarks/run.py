"""Serving-cost benchmarks of the generated services, side by side.

    python -m benchmarks.run            # full run (about 10 minutes on 2 cores)
    python -m benchmarks.run --quick    # CI variant: shorter runs, fails only on floors

Each variant (FastAPI; NestJS on Fastify; NestJS on Express; each on SQLite and on
PostgreSQL) is generated from this checkout, installed with `make install`, and started
with `make start` in production mode (APP_ENV=production, LOGIN_RATE_LIMIT=0, a new
SQLite file or a throw-away database on the machine's PostgreSQL server, dropped
afterwards). A bare app of the same framework (benchmarks/bare/, run with the generated
project's own packages) is measured in the same run, and for reference the floor apps:
a minimal Nest app on the same adapter (/health), and bare FastAPI's own /users/me
(PyJWT, then one select by primary key: SQLAlchemy async Core on SQLite, an asyncpg
pool's fetchrow on PostgreSQL). wrk drives GET /health, authenticated GET
/api/v1/users/me and POST /api/v1/items over loopback; the server is pinned to one core
and wrk to another. Reported: requests/s, p50/p99 latency, server CPU time per request
(utime + stime of the server process and its threads, from /proc), on PostgreSQL the
database server's CPU time per request and the connections opened, RSS at idle and
peak under load, and the time from launch to the first 200 on /health. Also timed:
`scaffold new --no-install` against `copier copy` of the same template.

It prints the tables, writes benchmarks/results/<time>-<mode>.json (and latest.json),
with --ship the summary scaffold ships (src/scaffold/serving_cost.json) and with
--write-floors the regression floors (benchmarks/floors.json). Every run fails on a
request that failed under load and on a within-stack ratio below its floor (after
measuring that variant once more: one disturbed window should not fail CI); a full run
also fails on a missed target of issue 13 (FastAPI's reads and writes at >= 0.5 of
NestJS on Fastify's requests per CPU-second, p99 <= 10 x p50, start-up <= 1.5 s), which
a quick run prints without failing.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Container
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import apps, load, report, server, ship
from benchmarks.database import Database, PostgresServer, database
from benchmarks.generation import time_generation
from benchmarks.matrix import (
    BENCH_DIR,
    CONNECTIONS,
    ENDPOINTS,
    FULL,
    LOAD_CPU,
    QUICK,
    QUICK_FAMILIES,
    SERVER_CPU,
    VARIANTS,
    Settings,
    Variant,
)
from benchmarks.results import (
    FLOOR_FRACTION,
    FLOORS,
    Measurement,
    Results,
    apply_floors,
    check_targets,
    compare_stacks,
    machine,
    read_floors,
    within_stack,
    write_floors,
)
from scaffold.errors import ScaffoldError
from scaffold.smoke.project import Project

RESULTS_DIR = BENCH_DIR / "results"


def bench_variant(
    variant: Variant,
    project: Project,
    db: Database,
    work: Path,
    settings: Settings,
    measured: Container[str],
) -> list[Measurement]:
    """The service first (migrated, a user registered and signed in), then the bare
    apps not `measured` yet; bare FastAPI's /users/me reuses the service's database
    and token."""
    service_env = apps.service_env(db.url)
    apps.migrate(project, service_env)
    logs = {variant.name: work / f"{variant.name}.log"}
    with server.start(project, ["make", "start"], logs[variant.name], service_env) as service:
        token = load.sign_in(service.base)
        app = load.App(variant.name, service, db, token, server.idle_rss(service))
        measurements = load.measure(app, ENDPOINTS, settings)
    for bare in apps.bare_apps(variant, project, service_env):
        if bare.name in measured:
            continue
        logs[bare.name] = work / f"{bare.name}.log"
        with server.start(project, bare.cmd, logs[bare.name], bare.env) as running:
            on = db if bare.on_database else None
            app = load.App(bare.name, running, on, token, server.idle_rss(running))
            measurements += load.measure(app, bare.endpoints, settings)
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
        help="comma-separated subset of: "
        + ", ".join(v.name for v in VARIANTS)
        + "; a name without the database picks both (default: all; with --quick: "
        + ", ".join(QUICK_FAMILIES)
        + ")",
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
        "--write-floors",
        action="store_true",
        help=f"also write {FLOORS.relative_to(BENCH_DIR.parent)}: each within-stack ratio "
        f"at {FLOOR_FRACTION} of what this run reached (a full run only)",
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
    if args.variants:
        names = args.variants.split(",")
    else:
        names = list(QUICK_FAMILIES) if args.quick else [v.family for v in VARIANTS]
    chosen = [v for v in VARIANTS if v.selected_by(names)]
    if not chosen:
        parser.error(f"no variant named in --variants {args.variants}")
    if args.ship and len(chosen) < len(VARIANTS):
        parser.error("--ship needs every variant: drop --variants")
    if args.write_floors and args.quick:
        parser.error("--write-floors needs a full run: drop --quick")
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
        postgres = None
        if any(v.database == "postgresql" for v in chosen):
            postgres = stack.enter_context(contextlib.closing(PostgresServer()))
            results.machine["postgresql"] = postgres.version
        print(f"generating and installing {', '.join(v.name for v in chosen)} in {work}")
        clock = time.perf_counter()
        projects = apps.prepare(chosen, work)
        print(f"  ready in {time.perf_counter() - clock:.0f} s")

        def measure(variants: list[Variant]) -> list[Measurement]:
            """Each variant with its bare apps (each bare app once)."""
            measurements: list[Measurement] = []
            for variant in variants:
                print(f"measuring {variant.name}")
                clock = time.perf_counter()
                with database(variant.database, work, postgres) as db:
                    measurements += bench_variant(
                        variant,
                        projects[variant.name],
                        db,
                        work,
                        settings,
                        {m.app for m in measurements},
                    )
                print(f"  done in {time.perf_counter() - clock:.0f} s")
            return measurements

        results.measurements = measure(chosen)
        evaluate(results, chosen)
        # A ratio below its floor is measured once more, with its references, before it
        # fails the run: on a shared machine one window in a run can be disturbed.
        # Floors are written from first attempts only.
        retry = [v for v in chosen if any(r["app"] == v.name for r in results.below_floors())]
        if retry and not args.write_floors:
            print(f"below a floor, measuring again: {', '.join(v.name for v in retry)}")
            results.remeasured = results.below_floors()
            again = measure(retry)
            fresh = {(m.app, m.endpoint) for m in again}
            results.measurements = [
                m for m in results.measurements if (m.app, m.endpoint) not in fresh
            ] + again
            evaluate(results, chosen)
        if settings.generate_repeats:
            print("timing generation")
            stacks = list(dict.fromkeys(v.stack for v in chosen))
            results.generation = time_generation(stacks, work, settings.generate_repeats)

    # Figures of a run in which requests failed are neither a baseline nor worth shipping.
    broken = any(m.errors for m in results.measurements)
    if args.write_floors and not broken:
        write_floors([asdict(results)])
        evaluate(results, chosen)
    compare_stacks(results, chosen)
    results.total_seconds = time.perf_counter() - total_clock
    print()
    print(report.terminal(results))

    if args.out:
        outputs = [args.out]
    else:
        stamp = started.strftime("%Y%m%dT%H%M%SZ")
        outputs = [RESULTS_DIR / f"{stamp}-{results.mode}.json", RESULTS_DIR / "latest.json"]
    results.write(outputs)
    print(f"\nwrote {', '.join(map(str, outputs))}")
    if args.write_floors:
        print(f"not written, requests failed: {FLOORS}" if broken else f"wrote {FLOORS}")
    if args.readme:
        report.write_readme(results, args.readme)
        print(f"wrote {args.readme}")
    if args.plot:
        from benchmarks.plot import plot  # matplotlib: the `bench` extra

        plot(asdict(results), args.plot)
        print(f"wrote {args.plot}")
    if args.ship and broken:
        print(f"not written, requests failed: {ship.SHIPPED}")
    elif args.ship:
        print(f"wrote {ship.write(results, chosen)}")
    print(f"total {results.total_seconds:.0f} s (generation, installs and measuring)")
    return _verdict(results)


def evaluate(results: Results, variants: list[Variant]) -> None:
    """The targets and within-stack ratios of what `results` holds now, the latter
    against the committed floors."""
    results.targets, results.floors = [], []
    check_targets(results, variants)
    within_stack(results, variants)
    apply_floors(results, read_floors())


def _verdict(results: Results) -> int:
    """1 on a failed request or a ratio below its floor; in a full run also on a missed
    target (a quick run on a shared CI machine prints those without failing)."""
    failures = [
        f"{row['app']}: {row['ratio']} is {row['value']:.2f}, below its floor {row['floor']:.2f}"
        for row in results.below_floors()
    ]
    failures += [
        f"{m.app} {m.endpoint}: failed requests under load {m.errors} (see its server log)"
        for m in results.measurements
        if m.errors
    ]
    missed = [
        f"{t['app']}: {t['target']} is {t['value']:.2f}, target {t['op']} {t['limit']:.2f}"
        for t in results.missed_targets()
    ]
    for line in failures:
        print(f"bench: {line}", file=sys.stderr)
    for line in missed:
        print(f"bench: missed target: {line}", file=sys.stderr)
    return 1 if failures or (missed and results.mode == "full") else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (ScaffoldError, AssertionError) as exc:  # a step that failed, with its output
        sys.exit(f"bench: {exc}")
