"""The generated projects of the test suite and the benchmarks: the variants of
`scaffold smoke`'s matrix, rendered from this checkout (uncommitted template edits
included) with the same code and environment as `scaffold smoke`."""

from __future__ import annotations

from pathlib import Path

from scaffold.environment import project_env
from scaffold.smoke import matrix
from scaffold.smoke.project import Project, generate, run
from scaffold.template import Source, read_config
from tests.support import REPO_ROOT
from tests.support.node import with_node24

SOURCE = Source(str(REPO_ROOT), "HEAD")
MATRIX = matrix.build(read_config(SOURCE))
# The generated suites test their Redis rate-limit storage on this database.
TEST_REDIS_URL = "redis://127.0.0.1:6379/15"


def environment(stack: str) -> dict[str, str]:
    """What a generated project's commands get: Node 24 for NestJS, uv from this venv."""
    base = with_node24() if stack == "nestjs" else None
    return {**project_env(stack, base), "TEST_REDIS_URL": TEST_REDIS_URL}


def variant(stack: str, **options: str) -> matrix.Variant:
    """The matrix variant of `stack` with these answers (the first one, if several)."""
    for candidate in MATRIX:
        if candidate.stack == stack and all(candidate.get(k) == v for k, v in options.items()):
            return candidate
    raise LookupError(f"no {stack} variant with {options} in the matrix")


def install(variant: matrix.Variant, dest: Path) -> Project:
    """Generate `variant` into `dest` (named for the project) and `make install` it."""
    generate(SOURCE, variant, dest)
    project = Project(variant, dest, environment(variant.stack))
    make(project, "install")
    return project


def of_stack(stack: str) -> list[matrix.Variant]:
    return [v for v in MATRIX if v.stack == stack]


def make(project: Project, *targets: str, timeout: float = 900) -> str:
    """`make TARGETS` in the project; its output, or the test fails with its end."""
    log = project.path.parent / "logs" / f"{'-'.join(targets)}.log"
    done = run(project, ["make", *targets], log, timeout=timeout)
    assert done.ok, f"`{done.command}` exited {done.returncode} in {project.path}:\n{done.tail()}"
    return done.output()
