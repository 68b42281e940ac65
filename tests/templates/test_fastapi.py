"""The FastAPI template, generated for each database and used as a developer would:
`make install`, `make lint`, `make test`, then `make start` served over loopback.

Each variant is generated and installed once (module-scoped `fastapi_project`), so the
checks below, and any later suite, reuse the same project.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from tests.support.actionlint import actionlint
from tests.support.generate import generate
from tests.support.postgres import postgres_database
from tests.support.processes import run
from tests.support.service_checks import (
    assert_production_refuses_a_short_secret,
    assert_serves_health_and_local_docs,
)

pytestmark = pytest.mark.template

TEST_REDIS_URL = "redis://127.0.0.1:6379/15"


@dataclass(frozen=True)
class FastAPIProject:
    path: Path
    database: str
    # What `make test` and `make start` get: uv from this venv, the database, Redis.
    env: dict[str, str] = field(default_factory=dict)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def fastapi_project(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FastAPIProject]:
    database: str = request.param
    dest = tmp_path_factory.mktemp(f"fastapi-{database}") / "svc-test"
    generate("fastapi", dest, database=database)
    venv_bin = str(Path(sys.executable).parent)
    env = {
        "PATH": f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}",
        "TEST_REDIS_URL": TEST_REDIS_URL,
    }
    run(["make", "install"], cwd=dest, env=env)
    with ExitStack() as stack:
        if database == "postgresql":
            env["DATABASE_URL"] = stack.enter_context(postgres_database("scaffold_fastapi"))
        yield FastAPIProject(dest, database, env)


def test_install_writes_the_lock_and_keeps_secrets_out_of_git(
    fastapi_project: FastAPIProject,
) -> None:
    path = fastapi_project.path
    assert (path / "uv.lock").is_file()
    assert (path / ".venv").is_dir()
    assert re.search(r"^JWT_SECRET=[0-9a-f]{64}$", (path / ".env").read_text(), re.M)
    assert re.search(r"^JWT_SECRET=$", (path / ".env.example").read_text(), re.M)
    assert ".env" in (path / ".gitignore").read_text().splitlines()
    # A second install follows the lock it wrote.
    run(["make", "install"], cwd=path, env=fastapi_project.env)


def test_lint(fastapi_project: FastAPIProject) -> None:
    result = run(["make", "lint"], cwd=fastapi_project.path, env=fastapi_project.env)
    assert "Success: no issues found" in result.stdout


def test_own_test_suite(fastapi_project: FastAPIProject) -> None:
    result = run(["make", "test"], cwd=fastapi_project.path, env=fastapi_project.env)
    assert re.search(r"\d+ passed", result.stdout)
    assert " failed" not in result.stdout
    assert "Required test coverage of 90% reached" in result.stdout
    # The Redis storage was really exercised, not just the in-memory one.
    assert (
        "test_login_attempts_past_the_limit_are_429[redis]"
        in run(
            ["uv", "run", "pytest", "--collect-only", "-q", "--no-cov", "tests/test_rate_limit.py"],
            cwd=fastapi_project.path,
            env=fastapi_project.env,
        ).stdout
    )


def test_start_serves_health_and_self_hosted_docs(fastapi_project: FastAPIProject) -> None:
    assert_serves_health_and_local_docs(fastapi_project.path, fastapi_project.env)


def test_production_refuses_a_short_secret_in_one_line(fastapi_project: FastAPIProject) -> None:
    assert_production_refuses_a_short_secret(fastapi_project.path, fastapi_project.env)


def test_ci_workflow_passes_actionlint(fastapi_project: FastAPIProject) -> None:
    assert actionlint(fastapi_project.path) == []
