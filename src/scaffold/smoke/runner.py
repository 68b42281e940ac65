"""A whole smoke run: every variant generated, installed, linted, tested and served,
`jobs` of them at a time, each in a directory of its own, with its results kept.

No printing: progress goes to a callback, results come back as data for the CLI's
table and the JUnit report.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from scaffold.environment import project_env
from scaffold.errors import ScaffoldError
from scaffold.smoke import project as projects
from scaffold.smoke.checks import CheckFailed, check_service
from scaffold.smoke.databases import DEFAULT_SERVER, postgres_database
from scaffold.smoke.matrix import Variant
from scaffold.template import Source

# The make targets every generated project has, run in this order after generating.
COMMANDS = {"install": "make install", "lint": "make lint", "test": "make test"}
STEPS = ("generate", *COMMANDS, "serve")


@dataclass(frozen=True)
class StepResult:
    name: str
    ok: bool
    seconds: float
    # What the step showed: on failure the end of its output, the reason first.
    detail: str = ""
    log: Path | None = None


@dataclass
class VariantResult:
    variant: Variant
    path: Path
    steps: list[StepResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return len(self.steps) == len(STEPS) and all(step.ok for step in self.steps)

    @property
    def seconds(self) -> float:
        return sum(step.seconds for step in self.steps)

    @property
    def failed(self) -> StepResult | None:
        return next((step for step in self.steps if not step.ok), None)


@dataclass(frozen=True)
class Event:
    """A step of a variant starting (`ok` is None) or ending."""

    variant: Variant
    step: str
    ok: bool | None = None
    seconds: float = 0.0


@dataclass(frozen=True)
class Plan:
    source: Source
    variants: list[Variant]
    workdir: Path
    jobs: int = 1
    postgres: str = DEFAULT_SERVER
    # Extra variables for every command (e.g. TEST_REDIS_URL for the projects' suites).
    env: Mapping[str, str] = field(default_factory=dict)
    step_timeout: float = 1800


def run(plan: Plan, progress: Callable[[Event], None] = lambda _: None) -> list[VariantResult]:
    """Smoke-test every variant of the plan; results in the plan's order."""
    if plan.jobs < 1:
        raise ScaffoldError("--jobs takes a number of variants at a time, 1 or more")

    def one(variant: Variant) -> VariantResult:
        return _smoke(plan, variant, progress)

    with ThreadPoolExecutor(max_workers=plan.jobs, thread_name_prefix="smoke") as pool:
        try:
            return list(pool.map(one, plan.variants))
        except BaseException:
            projects.stop_all()
            pool.shutdown(cancel_futures=True)
            raise


def _smoke(plan: Plan, variant: Variant, progress: Callable[[Event], None]) -> VariantResult:
    dest = plan.workdir / variant.id
    logs = plan.workdir / "logs" / variant.id
    result = VariantResult(variant, dest)

    def step(name: str, work: Callable[[], StepResult]) -> bool:
        progress(Event(variant, name))
        started = time.monotonic()
        try:
            outcome = work()
        except (ScaffoldError, CheckFailed) as exc:
            outcome = StepResult(name, False, time.monotonic() - started, str(exc))
        except Exception as exc:  # a template's own failure (copier, its tasks) fails the step
            reason = f"{type(exc).__name__}: {exc}"
            outcome = StepResult(name, False, time.monotonic() - started, reason)
        result.steps.append(outcome)
        progress(Event(variant, name, outcome.ok, outcome.seconds))
        return outcome.ok

    def generate() -> StepResult:
        started = time.monotonic()
        projects.generate(plan.source, variant, dest)
        return StepResult("generate", True, time.monotonic() - started)

    if not step("generate", generate):
        return result
    with _database(plan, variant) as database_env:
        env = {**project_env(variant.stack), **plan.env, **database_env}
        project = projects.Project(variant, dest, env)
        for name, command in COMMANDS.items():
            if not step(name, functools.partial(_command, project, name, command, logs, plan)):
                return result
        step("serve", lambda: _serve(project, logs, plan))
    return result


def _command(
    project: projects.Project, name: str, command: str, logs: Path, plan: Plan
) -> StepResult:
    done = projects.run(project, command.split(), logs / f"{name}.log", timeout=plan.step_timeout)
    detail = "" if done.ok else f"`{command}` exited {done.returncode}:\n{done.tail()}"
    return StepResult(name, done.ok, done.seconds, detail, done.log)


def _serve(project: projects.Project, logs: Path, plan: Plan) -> StepResult:
    started = time.monotonic()
    log = logs / "serve.log"
    with projects.serve(project, log, timeout=min(plan.step_timeout, 300)) as served:
        checked = check_service(
            served.url,
            graphql=bool(project.variant.get("graphql")),
            websockets=bool(project.variant.get("websockets")),
        )
    return StepResult("serve", True, time.monotonic() - started, "\n".join(checked), log)


@contextmanager
def _database(plan: Plan, variant: Variant) -> Iterator[dict[str, str]]:
    """DATABASE_URL of a fresh database for a PostgreSQL variant; nothing for SQLite,
    whose projects default to a file of their own."""
    if variant.get("database") != "postgresql":
        yield {}
        return
    with postgres_database(plan.postgres) as url:
        yield {"DATABASE_URL": url}
