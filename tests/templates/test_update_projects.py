"""`scaffold update` on real generated projects: generated and installed by
`scaffold new` at template v1.0.0, changed by their team, updated to v2.0.0 with a
conflict and a new dependency, resolved, and the locked install passes; v3.0.0 asks for
a version that does not exist, which the update reports and keeps. And a team's project
that turns the graphql and websockets options on later, in one update: its changes kept,
the lock re-locked, its lint and whole test suite passing (the suite run after an
update, once per stack)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from scaffold.stacks import get_stack
from tests.support import REPO_ROOT
from tests.support.generate import copy_template
from tests.support.git import git, release
from tests.support.projects import environment
from tests.support.processes import run

TEAM_TITLE = "# svc — the team's own title\n"
TEMPLATE_TITLE = "# svc — the template's new title\n"
CONFLICT = re.compile(
    r"<<<<<<< before updating\n(?P<ours>.*?)=======\n.*?>>>>>>> after updating\n", re.S
)


@dataclass(frozen=True)
class Dependency:
    """A small real dependency v2.0.0 adds, and the version of it that v3.0.0 asks for,
    which does not exist."""

    name: str
    anchor: str  # the manifest template's line it goes under
    entry: str
    missing: str
    reason: str  # what the lock tool says about `missing`


DEPENDENCY = {
    "fastapi": Dependency(
        "tomli-w", "dependencies = [\n", '"tomli-w>=1.0"', '"tomli-w>=99"', "tomli-w>=99"
    ),
    "nestjs": Dependency(
        "ms", '"dependencies": {\n', '"ms": "^2.1.3"', '"ms": "^99.0.0"', "ms@^99.0.0"
    ),
}
# The locked installs, which refuse a lock file behind its manifest: the FastAPI
# Makefile's `uv sync --locked` (once uv.lock exists), the NestJS Dockerfile's `npm ci`.
LOCKED_INSTALL = {"fastapi": ["make", "install"], "nestjs": ["npm", "ci"]}


def locked_dependencies(project: Path, stack: str) -> set[str]:
    """The direct dependencies the lock file records for the project."""
    if stack == "fastapi":
        packages = tomllib.loads((project / "uv.lock").read_text())["package"]
        (own,) = [p for p in packages if p["name"] == "svc"]
        return {d["name"] for d in own["dependencies"]}
    root = json.loads((project / "package-lock.json").read_text())["packages"][""]
    return set(root["dependencies"])


def keep_ours(path: Path) -> None:
    """Resolve copier's inline conflicts in favour of the team's side."""
    path.write_text(CONFLICT.sub(lambda m: m.group("ours"), path.read_text()))


def replace_first_line(path: Path, line: str) -> None:
    path.write_text(line + path.read_text().split("\n", 1)[1])


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert text.count(old) == 1, f"{old!r} in {path}"
    path.write_text(text.replace(old, new))


def generated_at_v1(tmp_path: Path, stack: str) -> tuple[Path, Path, dict[str, str]]:
    """A copy of the template released as v1.0.0, and `svc` generated and installed from
    it by `scaffold new` as a user does it: (template, project, environment)."""
    env = environment(stack)
    template = copy_template(tmp_path / "template")
    git(template, "init", "-q")
    release(template, "v1.0.0")
    env["SCAFFOLD_TEMPLATE"] = str(template)
    run(
        [sys.executable, "-m", "scaffold", "new", "svc", "-s", stack, "--defaults"],
        cwd=tmp_path,
        env=env,
    )
    return template, tmp_path / "svc", env


def scaffold_update(
    project: Path, env: dict[str, str], *args: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scaffold", "update", "--no-input", *args],
        cwd=project,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.template
@pytest.mark.parametrize("stack", ["fastapi", "nestjs"])
def test_update_a_changed_project_then_its_tests_pass(tmp_path: Path, stack: str) -> None:
    template, project, env = generated_at_v1(tmp_path, stack)
    lock = get_stack(stack).lock
    assert lock.lockfile in git(project, "ls-files").split()

    # The team changes the README title and .env.example, drops the Dockerfile,
    # adds a file of its own.
    replace_first_line(project / "README.md", TEAM_TITLE)
    env_example = project / ".env.example"
    env_example.write_text(env_example.read_text().replace("LOG_LEVEL=info", "LOG_LEVEL=debug"))
    (project / "Dockerfile").unlink()
    (project / "TEAM.md").write_text("ours\n")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "team changes")

    # v2.0.0 changes the README title too, the first line of .env.example, and adds
    # a dependency.
    readme = template / "templates" / stack / "README.md.jinja"
    replace_first_line(readme, TEMPLATE_TITLE)
    shared_env = template / "templates" / "shared" / "env.example.jinja"
    replace_first_line(shared_env, "# Settings of this service (v2).\n")
    dependency = DEPENDENCY[stack]
    manifest = template / "templates" / stack / f"{lock.manifest}.jinja"
    replace_once(manifest, dependency.anchor, f"{dependency.anchor}    {dependency.entry},\n")
    release(template, "v2.0.0")

    result = scaffold_update(project, env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "conflict: README.md" in result.stdout
    assert f"Re-locked {lock.lockfile} after {lock.manifest} changed." in result.stdout
    assert f"changed: M {lock.lockfile}" in result.stdout
    assert dependency.name in locked_dependencies(project, stack)
    assert result.stdout.count("conflict: ") == 1
    assert (project / ".env.example").read_text().startswith("# Settings of this service (v2).")
    assert "LOG_LEVEL=debug" in (project / ".env.example").read_text()
    assert not (project / "Dockerfile").exists()
    assert (project / "TEAM.md").read_text() == "ours\n"

    keep_ours(project / "README.md")
    assert (project / "README.md").read_text().startswith(TEAM_TITLE)
    run(LOCKED_INSTALL[stack], cwd=project, env=env)
    git(project, "add", "-A")
    git(project, "commit", "-qm", "update to template v2.0.0")
    assert git(project, "status", "--porcelain") == ""

    # v3.0.0 asks for a version that does not exist: one line says why the lock
    # fails, and the update stays in the working tree to fix.
    replace_once(manifest, dependency.entry, dependency.missing)
    release(template, "v3.0.0")
    result = scaffold_update(project, env)
    assert result.returncode == 3, result.stdout + result.stderr
    (error,) = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert f"cannot re-lock {lock.lockfile} after {lock.manifest} changed: " in error
    assert dependency.reason in error and "the update is kept" in error
    assert dependency.missing in (project / lock.manifest).read_text()
    assert git(project, "status", "--porcelain", "--", lock.lockfile) == ""


# A file both options change too, and the team's own line at its end (spaced as the
# stack's formatter wants it).
TEAM_SOURCE = {
    "fastapi": ("src/svc/main.py", "\n\n# The team's note on this module.\n"),
    "nestjs": ("src/app.module.ts", "\n// The team's note on this module.\n"),
}
OPTION_DEPENDENCIES = {
    "fastapi": {"strawberry-graphql", "redis"},
    "nestjs": {"@nestjs/graphql", "@nestjs/websockets", "@nestjs/platform-ws"},
}


OPTION_TESTS = {
    "fastapi": ["tests/test_graphql.py", "tests/test_realtime.py"],
    "nestjs": ["test/graphql.e2e-spec.ts", "test/websockets.e2e-spec.ts"],
}
OPTION_TEST_COMMAND = {
    "fastapi": ["uv", "run", "--no-sync", "pytest", "--no-cov", "-q"],
    "nestjs": ["npm", "run", "jest", "--", "--runInBand"],
}


@pytest.mark.template
@pytest.mark.parametrize("stack", ["fastapi", "nestjs"])
def test_graphql_and_websockets_turned_on_later_keep_the_teams_changes_and_pass(
    tmp_path: Path, stack: str
) -> None:
    _, project, env = generated_at_v1(tmp_path, stack)
    assert not (project / "schema.graphql").exists()
    replace_first_line(project / "README.md", TEAM_TITLE)
    path, note = TEAM_SOURCE[stack]
    source = project / path
    source.write_text(source.read_text() + note)
    git(project, "add", "-A")
    git(project, "commit", "-qm", "team changes")

    # Both at once: each option's path through the update, and the two together.
    result = scaffold_update(project, env, "--data", "graphql=true", "--data", "websockets=true")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "conflict" not in result.stdout, result.stdout
    answers = (project / ".copier-answers.yml").read_text()
    assert "graphql: true" in answers and "websockets: true" in answers
    assert (project / "README.md").read_text().startswith(TEAM_TITLE)
    assert source.read_text().endswith(note)
    shared = REPO_ROOT / "templates" / "shared" / "schema.graphql"
    assert (project / "schema.graphql").read_text() == shared.read_text()
    assert OPTION_DEPENDENCIES[stack] <= locked_dependencies(project, stack)
    assert "WS_HEARTBEAT_SECONDS=" in (project / ".env.example").read_text()

    # The project's own GraphQL and WebSocket tests arrived with it, and pass; lint
    # (its type check included) passes over the whole project. Its whole suite is what
    # the matrix's variants with both options run (README.md, "Time budget").
    option_tests = OPTION_TESTS[stack]
    assert all((project / path).is_file() for path in option_tests), option_tests
    run(LOCKED_INSTALL[stack], cwd=project, env=env)
    run(["make", "lint"], cwd=project, env=env)
    run(OPTION_TEST_COMMAND[stack] + option_tests, cwd=project, env=env)
