"""The NestJS template, generated and used as a developer would: `make install`,
`make build`, `make lint`, `make test`, then `make start` served over loopback.

Two fully checked combinations cover every answer value (fastify + sqlite, express +
postgresql); each is generated and installed once (module-scoped `nestjs_project`), so
the checks below, and any later suite, reuse the same install. The other two
combinations get a light check of what they would install. Node 24 comes from
`scripts/install-node` (tests/support/node.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from tests.support.actionlint import actionlint
from tests.support.generate import generate
from tests.support.node import node_env
from tests.support.postgres import postgres_database
from tests.support.processes import run
from tests.support.service_checks import (
    assert_production_refuses_a_short_secret,
    assert_serves_health_and_local_docs,
)

pytestmark = pytest.mark.template

TEST_REDIS_URL = "redis://127.0.0.1:6379/15"


@dataclass(frozen=True)
class NestProject:
    path: Path
    http_adapter: str
    database: str
    # What every command gets: Node 24 and npm settings, the database, Redis.
    env: dict[str, str] = field(default_factory=dict)


@pytest.fixture(
    scope="module",
    params=[("fastify", "sqlite"), ("express", "postgresql")],
    ids=lambda p: "-".join(p),
)
def nestjs_project(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[NestProject]:
    http_adapter, database = request.param
    dest = tmp_path_factory.mktemp(f"nestjs-{http_adapter}-{database}") / "svc-test"
    generate("nestjs", dest, http_adapter=http_adapter, database=database)
    env = {**node_env(), "TEST_REDIS_URL": TEST_REDIS_URL}
    run(["make", "install"], cwd=dest, env=env)
    with ExitStack() as stack:
        if database == "postgresql":
            env["DATABASE_URL"] = stack.enter_context(postgres_database("scaffold_nestjs"))
        yield NestProject(dest, http_adapter, database, env)


def test_install_writes_the_lock_and_keeps_secrets_out_of_git(nestjs_project: NestProject) -> None:
    path = nestjs_project.path
    assert (path / "package-lock.json").is_file()
    assert re.search(r"^JWT_SECRET=[0-9a-f]{64}$", (path / ".env").read_text(), re.M)
    assert re.search(r"^JWT_SECRET=$", (path / ".env.example").read_text(), re.M)
    assert ".env" in (path / ".gitignore").read_text().splitlines()
    # Native modules load under Node 24 without any download or compiler at install time.
    node = run(
        ["node", "-e", "require('argon2'); new (require('better-sqlite3'))(':memory:'); "
         "console.log(process.version)"],
        cwd=path,
        env=nestjs_project.env,
    )
    assert node.stdout.startswith("v24.")
    # Every install script is reviewed in package.json "allowScripts" (strict in .npmrc).
    pending = run(["npm", "install-scripts", "ls", "--json"], cwd=path, env=nestjs_project.env)
    assert json.loads(pending.stdout)["allowScripts"] == [], pending.stdout
    # A second install follows the lock it wrote (npm ci).
    run(["make", "install"], cwd=path, env=nestjs_project.env)


def test_only_the_chosen_adapter_and_driver_are_dependencies(nestjs_project: NestProject) -> None:
    package = json.loads((nestjs_project.path / "package.json").read_text())
    dependencies = set(package["dependencies"])
    chosen, other = (
        ("@nestjs/platform-fastify", "@nestjs/platform-express")
        if nestjs_project.http_adapter == "fastify"
        else ("@nestjs/platform-express", "@nestjs/platform-fastify")
    )
    assert chosen in dependencies and other not in dependencies
    driver, not_driver = (
        ("better-sqlite3", "pg") if nestjs_project.database == "sqlite" else ("pg", "better-sqlite3")
    )
    assert driver in dependencies and not_driver not in dependencies


def test_build_and_lint(nestjs_project: NestProject) -> None:
    run(["make", "build"], cwd=nestjs_project.path, env=nestjs_project.env)
    assert (nestjs_project.path / "dist" / "main.js").is_file()
    result = run(["make", "lint"], cwd=nestjs_project.path, env=nestjs_project.env)
    assert "All matched files use Prettier code style!" in result.stdout


def test_own_test_suite(nestjs_project: NestProject) -> None:
    result = run(["make", "test"], cwd=nestjs_project.path, env=nestjs_project.env)
    output = result.stdout + result.stderr
    assert re.search(r"Tests:\s+\d+ passed, \d+ total", output), output[-3000:]
    assert "failed" not in output.split("Test Suites:")[-1]
    # The Redis storage was really exercised, not just the in-memory one (verbose output).
    assert "login rate limit with redis counters" in output
    # Coverage thresholds are enforced by Jest itself; the summary shows they ran.
    assert "Coverage summary" in output


def test_start_serves_health_and_self_hosted_docs(nestjs_project: NestProject) -> None:
    assert_serves_health_and_local_docs(nestjs_project.path, nestjs_project.env, timeout=180)


def test_production_refuses_a_short_secret_in_one_line(nestjs_project: NestProject) -> None:
    assert_production_refuses_a_short_secret(nestjs_project.path, nestjs_project.env, timeout=180)


def test_ci_workflow_passes_actionlint(nestjs_project: NestProject) -> None:
    assert actionlint(nestjs_project.path) == []


@pytest.mark.parametrize(
    ("http_adapter", "database"), [("fastify", "postgresql"), ("express", "sqlite")]
)
def test_other_combinations_render_their_own_dependencies(
    tmp_path: Path, http_adapter: str, database: str
) -> None:
    # Light check (no install): the answers pick the adapter, driver and Docker setup.
    dest = generate("nestjs", tmp_path / "svc-test", http_adapter=http_adapter, database=database)
    package = json.loads((dest / "package.json").read_text())
    dependencies, dev = set(package["dependencies"]), set(package["devDependencies"])
    assert f"@nestjs/platform-{http_adapter}" in dependencies
    assert len({d for d in dependencies if d.startswith("@nestjs/platform-")}) == 1
    assert ("pg" in dependencies) == (database == "postgresql")
    assert ("better-sqlite3" in dependencies) == (database == "sqlite")
    # PostgreSQL projects still run their tests on SQLite when DATABASE_URL is unset.
    assert "better-sqlite3" in dependencies | dev
    factory = (dest / "src" / "app.factory.ts").read_text()
    assert f"@nestjs/platform-{http_adapter}" in factory
    compose = (dest / "compose.yaml").read_text()
    assert ("postgres:" in compose) == (database == "postgresql")
