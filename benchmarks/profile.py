#!/usr/bin/env python3
"""Profile one generated service under wrk load, to find where a missed target goes.

    python benchmarks/profile.py fastapi "GET /api/v1/users/me" --work /tmp/bench-prof

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

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as bench


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
    parser.add_argument("variant", choices=[v.name for v in bench.VARIANTS])
    parser.add_argument("endpoint", choices=[e.name for e in bench.ENDPOINTS])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    variant = next(v for v in bench.VARIANTS if v.name == args.variant)
    endpoint = next(e for e in bench.ENDPOINTS if e.name == args.endpoint)
    work = args.work.resolve()

    project = work / variant.name / "bench-svc"
    if (project / "Makefile").is_file():
        env = bench.project_env(variant)
    else:
        project, env = bench.prepare([variant], work)[variant.name]
    service_env = bench.server_env(work, variant.name)
    bench.run(["make", "migrate"], project, {**env, **service_env})
    if variant.stack == "fastapi":
        cmd = [str(project / ".venv/bin/python"), "-m", "bench_svc"]
    else:
        for old in project.glob("isolate-*.log"):
            old.unlink()
        cmd = ["node", "--prof", "dist/main.js"]
        service_env["NODE_ENV"] = "production"
    with bench.Server(cmd, project, {**env, **service_env}, work / "profile-server.log") as server:
        token = bench.sign_in(server.base)
        bench.wrk(server.base, endpoint, 2, token)  # warm-up
        if variant.stack == "fastapi":
            raw = work / "py-spy.txt"
            sampler = subprocess.Popen(
                [str(bench.VENV_BIN / "py-spy"), "record", "-p", str(server.pids[0]), "-r", "250",
                 "-d", f"{args.seconds:g}", "-f", "raw", "-o", str(raw), "--nonblocking"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            time.sleep(0.5)
        summary = bench.wrk(server.base, endpoint, args.seconds, token)
        print(f"{summary['requests'] / (summary['duration_us'] / 1e6):.0f} req/s while profiled")
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
        logs = sorted(project.glob("isolate-*.log"))
        processed = bench.run(["node", "--prof-process", str(logs[-1])], project, env)
        out = work / "node-prof.txt"
        out.write_text(processed)
        print("\n".join(processed.splitlines()[: args.top + 30]))
        print(f"\nfull report: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
