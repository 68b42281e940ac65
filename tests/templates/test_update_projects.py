"""`scaffold update` on real generated projects: generated and installed by
`scaffold new` at template v1.0.0, changed by their team, updated to v2.0.0 with a
conflict, resolved, and their own test suite still passes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from tests.support.generate import copy_template
from tests.support.git import git, release
from tests.support.projects import environment
from tests.support.processes import run

TEAM_TITLE = "# svc — the team's own title\n"
TEMPLATE_TITLE = "# svc — the template's new title\n"
CONFLICT = re.compile(
    r"<<<<<<< before updating\n(?P<ours>.*?)=======\n.*?>>>>>>> after updating\n", re.S
)


def keep_ours(path: Path) -> None:
    """Resolve copier's inline conflicts in favour of the team's side."""
    path.write_text(CONFLICT.sub(lambda m: m.group("ours"), path.read_text()))


def replace_first_line(path: Path, line: str) -> None:
    path.write_text(line + path.read_text().split("\n", 1)[1])


@pytest.mark.template
@pytest.mark.parametrize("stack", ["fastapi", "nestjs"])
def test_update_a_changed_project_then_its_tests_pass(tmp_path: Path, stack: str) -> None:
    env = environment(stack)
    template = copy_template(tmp_path / "template")
    git(template, "init", "-q")
    release(template, "v1.0.0")
    env["SCAFFOLD_TEMPLATE"] = str(template)

    # Generated and installed as a user does it.
    run(
        [sys.executable, "-m", "scaffold", "new", "svc", "-s", stack, "--defaults"],
        cwd=tmp_path,
        env=env,
    )
    project = tmp_path / "svc"
    lock = "uv.lock" if stack == "fastapi" else "package-lock.json"
    assert lock in git(project, "ls-files").split()

    # The team changes the README title and .env.example, drops the Dockerfile,
    # adds a file of its own.
    replace_first_line(project / "README.md", TEAM_TITLE)
    env_example = project / ".env.example"
    env_example.write_text(env_example.read_text().replace("LOG_LEVEL=info", "LOG_LEVEL=debug"))
    (project / "Dockerfile").unlink()
    (project / "TEAM.md").write_text("ours\n")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "team changes")

    # v2.0.0 changes the README title too, and the first line of .env.example.
    readme = template / "templates" / stack / "README.md.jinja"
    replace_first_line(readme, TEMPLATE_TITLE)
    shared_env = template / "templates" / "shared" / "env.example.jinja"
    replace_first_line(shared_env, "# Settings of this service (v2).\n")
    release(template, "v2.0.0")

    result = subprocess.run(
        [sys.executable, "-m", "scaffold", "update", "--no-input"],
        cwd=project,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "conflict: README.md" in result.stdout
    assert result.stdout.count("conflict: ") == 1
    assert (project / ".env.example").read_text().startswith("# Settings of this service (v2).")
    assert "LOG_LEVEL=debug" in (project / ".env.example").read_text()
    assert not (project / "Dockerfile").exists()
    assert (project / "TEAM.md").read_text() == "ours\n"

    keep_ours(project / "README.md")
    assert (project / "README.md").read_text().startswith(TEAM_TITLE)
    run(["make", "test"], cwd=project, env=env)
    git(project, "add", "-A")
    git(project, "commit", "-qm", "update to template v2.0.0")
    assert git(project, "status", "--porcelain") == ""
