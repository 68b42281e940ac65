"""The quick benchmark (`benchmarks/run.py --quick`) as part of the suite.

It generates and installs FastAPI and NestJS (Fastify, Express), serves each in
production mode next to a bare app of its framework, drives them with wrk, and exits
non-zero only when a within-stack target is missed (never on absolute numbers).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.generate import REPO_ROOT

pytestmark = pytest.mark.template

APPS = {
    "bare-fastapi", "fastapi",
    "bare-fastify", "nestjs-fastify",
    "bare-express", "nestjs-express",
}  # fmt: skip
ENDPOINTS = {"GET /health", "GET /api/v1/users/me", "POST /api/v1/items"}


def test_quick_benchmark_meets_the_within_stack_targets(tmp_path: Path) -> None:
    out = tmp_path / "quick.json"
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "benchmarks" / "run.py"), "--quick", "--out", str(out)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    output = result.stdout + result.stderr
    print(output)  # the table, in pytest's report
    assert result.returncode == 0, output[-6000:]

    results = json.loads(out.read_text())
    measured = {(m["app"], m["endpoint"]) for m in results["measurements"]}
    assert {app for app, _ in measured} == APPS
    for app in {a for a in APPS if not a.startswith("bare-")}:
        assert {(app, endpoint) for endpoint in ENDPOINTS} <= measured
    for m in results["measurements"]:
        assert m["requests"] > 0 and m["cpu_seconds_per_request"] > 0, m
    assert len(results["targets"]) == 6
    assert all(target["met"] for target in results["targets"])
    tools = {row["tool"] for row in results["generation"]}
    assert tools == {"scaffold new --no-install", "copier copy"}
