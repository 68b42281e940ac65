"""Profile one generated service under wrk load, to find where a missed target goes.

    python -m benchmarks.profile fastapi-postgresql "GET /api/v1/users/me" --work /tmp/bench-prof

Generates and installs the variant (or reuses --work from an earlier run of this
script), starts its production server pinned to core 0 exactly as run.py does, signs
in, drives the endpoint with wrk from core 1 and samples the server: py-spy for the
FastAPI service, V8's --prof tick profiler for NestJS. Prints the hottest functions
(by own samples and by inclusive samples) and keeps the raw profile in the work dir.
"""

from __future__ import annotations

import argparse
import collections
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import apps, load, server
from benchmarks.database import database
from benchmarks.matrix import ENDPOINTS, VARIANTS, VENV_BIN
from tests.support.processes import run


def top(stacks: collections.Counter[str], limit: int) -> None:
    own: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    total = sum(stacks.values())
    for stack, count in stacks.items():
        frames = stack.split(";")
        own[frames[-1]] += count
        for frame in set(frames):
            inclusive[frame] += count
    for title, counter in (("own", own), ("inclusive", inclusive)):
        print(f"\ntop {limit} by {title} samples ({total} in all):")
        for frame, count in counter.most_common(limit):
            print(f"  {100 * count / total:5.1f}%  {frame}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("variant", choices=[v.name for v in VARIANTS])
    parser.add_argument("endpoint", choices=[e.name for e in ENDPOINTS])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    variant = next(v for v in VARIANTS if v.name == args.variant)
    endpoint = next(e for e in ENDPOINTS if e.name == args.endpoint)
    work = args.work.resolve()

    project = apps.existing(variant, work) or apps.prepare([variant], work)[variant.name]
    with database(variant.database, work) as db:
        service_env = apps.service_env(db.url)
        apps.migrate(project, service_env)
        if variant.stack == "fastapi":
            cmd = [str(project.path / ".venv/bin/python"), "-m", "bench_svc"]
        else:
            for old in project.path.glob("isolate-*.log"):
                old.unlink()
            cmd = ["node", "--prof", "dist/main.js"]
            service_env["NODE_ENV"] = "production"
        with server.start(project, cmd, work / "profile-server.log", service_env) as running:
            token = load.sign_in(running.base)
            load.wrk(running.base, endpoint, 2, token)  # warm-up
            if variant.stack == "fastapi":
                raw = work / "py-spy.txt"
                sampler = subprocess.Popen(
                    [str(VENV_BIN / "py-spy"), "record", "-p", str(running.pids[0]), "-r", "250",
                     "-d", f"{args.seconds:g}", "-f", "raw", "-o", str(raw), "--nonblocking"],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )  # fmt: skip
                time.sleep(0.5)
            summary = load.wrk(running.base, endpoint, args.seconds, token)
            print(
                f"{summary['requests'] / (summary['duration_us'] / 1e6):.0f} req/s while profiled"
            )
            if variant.stack == "fastapi":
                sampler.wait()
    if variant.stack == "fastapi":
        stacks: collections.Counter[str] = collections.Counter()
        for line in raw.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            stacks[stack] += int(count)
        top(stacks, args.top)
        print(f"\nraw profile: {raw}")
    else:
        logs = sorted(project.path.glob("isolate-*.log"))
        processed = run(["node", "--prof-process", str(logs[-1])], project.path, project.env)
        out = work / "node-prof.txt"
        out.write_text(processed.stdout)
        print("\n".join(processed.stdout.splitlines()[: args.top + 30]))
        print(f"\nfull report: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
