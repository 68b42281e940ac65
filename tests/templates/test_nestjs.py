"""The NestJS template, generated for each variant of the matrix (every pair of HTTP
adapter and database) and used as a developer would: `make install`, `make build`,
`make lint`, `make test` (`make start`: in test_every_variant.py).
Each variant is installed once per run (the session's `installed`), and the black-box
suite reuses the same install. Node 24 comes from `scripts/install-node`."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest

from scaffold.smoke.matrix import Variant
from scaffold.smoke.project import Project
from tests.support import processes
from tests.support.projects import make, of_stack

pytestmark = pytest.mark.template


@pytest.fixture(params=of_stack("nestjs"), ids=lambda v: v.id)
def project(request: pytest.FixtureRequest, installed: Callable[[Variant], Project]) -> Project:
    return installed(request.param)


def stdout(project: Project, *cmd: str) -> str:
    """What `cmd` prints on stdout in the project (its warnings on stderr kept apart)."""
    return processes.run(cmd, cwd=project.path, env=project.env).stdout


def test_install_writes_the_lock_and_keeps_secrets_out_of_git(project: Project) -> None:
    path = project.path
    assert (path / "package-lock.json").is_file()
    assert re.search(r"^JWT_SECRET=[0-9a-f]{64}$", (path / ".env").read_text(), re.M)
    assert re.search(r"^JWT_SECRET=$", (path / ".env.example").read_text(), re.M)
    assert ".env" in (path / ".gitignore").read_text().splitlines()
    # Native modules load under Node 24 without any download or compiler at install time.
    version = stdout(
        project,
        "node",
        "-e",
        "require('argon2'); new (require('better-sqlite3'))(':memory:'); "
        "console.log(process.version)",
    )
    assert version.startswith("v24.")
    # Every install script is reviewed in package.json "allowScripts" (strict in .npmrc).
    pending = stdout(project, "npm", "install-scripts", "ls", "--json")
    assert json.loads(pending)["allowScripts"] == [], pending
    # A second install follows the lock it wrote (npm ci).
    make(project, "install")


def test_only_the_chosen_adapter_and_driver_are_dependencies(project: Project) -> None:
    adapter, database = project.variant.get("http_adapter"), project.variant.get("database")
    package = json.loads((project.path / "package.json").read_text())
    dependencies, dev = set(package["dependencies"]), set(package["devDependencies"])
    # The HTTP adapter chosen, and ws for /ws with the websockets option (either adapter).
    websockets = {"@nestjs/platform-ws"} if project.variant.get("websockets") else set()
    assert {d for d in dependencies if d.startswith("@nestjs/platform-")} == {
        f"@nestjs/platform-{adapter}",
        *websockets,
    }
    assert ("pg" in dependencies) == (database == "postgresql")
    assert ("better-sqlite3" in dependencies) == (database == "sqlite")
    # PostgreSQL projects still run their tests on SQLite when DATABASE_URL is unset.
    assert "better-sqlite3" in dependencies | dev
    factory = (project.path / "src" / "app.factory.ts").read_text()
    assert f"@nestjs/platform-{adapter}" in factory
    compose = (project.path / "compose.yaml").read_text()
    assert ("postgres:" in compose) == (database == "postgresql")


def test_build_and_lint(project: Project) -> None:
    make(project, "build")
    assert (project.path / "dist" / "main.js").is_file()
    assert "All matched files use Prettier code style!" in make(project, "lint")


def test_own_test_suite(project: Project) -> None:
    output = make(project, "test")
    assert re.search(r"Tests:\s+\d+ passed, \d+ total", output), output[-3000:]
    assert "failed" not in output.split("Test Suites:")[-1]
    # The Redis storage was really exercised, not just the in-memory one (verbose output).
    assert "login rate limit with redis counters" in output
    # Coverage thresholds are enforced by Jest itself; the summary shows they ran.
    assert "Coverage summary" in output
