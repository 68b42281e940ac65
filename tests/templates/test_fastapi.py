"""The FastAPI template, generated for each variant of the matrix and used as a
developer would: `make install`, `make lint`, `make test` (`make start`: in
test_every_variant.py). Each variant is installed once per run (the session's
`installed`), and the black-box suite reuses the same install."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from scaffold.smoke.matrix import Variant
from scaffold.smoke.project import Project, run
from tests.support.projects import make, of_stack

pytestmark = pytest.mark.template


@pytest.fixture(params=of_stack("fastapi"), ids=lambda v: v.id)
def project(request: pytest.FixtureRequest, installed: Callable[[Variant], Project]) -> Project:
    return installed(request.param)


def test_install_writes_the_lock_and_keeps_secrets_out_of_git(project: Project) -> None:
    path = project.path
    assert (path / "uv.lock").is_file()
    assert (path / ".venv").is_dir()
    assert re.search(r"^JWT_SECRET=[0-9a-f]{64}$", (path / ".env").read_text(), re.M)
    assert re.search(r"^JWT_SECRET=$", (path / ".env.example").read_text(), re.M)
    assert ".env" in (path / ".gitignore").read_text().splitlines()
    # A second install follows the lock it wrote.
    make(project, "install")


def test_lint(project: Project) -> None:
    assert "Success: no issues found" in make(project, "lint")


def test_own_test_suite(project: Project) -> None:
    output = make(project, "test")
    assert re.search(r"\d+ passed", output)
    assert " failed" not in output
    assert "Required test coverage of 90% reached" in output
    # The Redis storage was really exercised, not just the in-memory one.
    collected = run(
        project,
        ["uv", "run", "pytest", "--collect-only", "-q", "--no-cov", "tests/test_rate_limit.py"],
        project.path.parent / "logs" / "collect.log",
    )
    assert "test_login_attempts_past_the_limit_are_429[redis]" in collected.output()
