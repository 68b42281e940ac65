"""The generated CI's `template` job: from what the project has (.copier-answers.yml)
and git alone, it says whether a newer template release is out, and never fails.

Its step's script runs here as GitHub Actions runs a `run:` step (bash -eo pipefail),
against a template repository reached by a file:// URL."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from typer.testing import Result

from tests.support.generate import copy_template
from tests.support.git import git, release

Cli = Callable[..., Result]


@pytest.fixture(params=["fastapi", "nestjs"])
def project(
    request: pytest.FixtureRequest, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A project generated from template v1.0.0 (in tmp_path / "template")."""
    template = copy_template(tmp_path / "template")
    git(template, "init", "-q")
    release(template, "v1.0.0")
    monkeypatch.setenv("SCAFFOLD_TEMPLATE", str(template))
    made = cli("new", "svc", "-s", str(request.param), "--defaults", "--no-install")
    assert made.exit_code == 0, made.output
    return tmp_path / "svc"


def run_step(project: Path, secret: str = "") -> str:
    workflow = yaml.safe_load((project / ".github" / "workflows" / "ci.yml").read_text())
    (step,) = [s for s in workflow["jobs"]["template"]["steps"] if "run" in s]
    assert step["continue-on-error"] is True
    script = project.parent / "step.sh"
    script.write_text(step["run"])
    # An unset secret reaches the step as an empty string.
    env = {**os.environ, "TEMPLATE_URL": secret}
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_ci_step_says_when_a_newer_release_is_out(project: Path, tmp_path: Path) -> None:
    template = tmp_path / "template"
    url = template.as_uri()
    # The answers name the template by a path on this machine: CI cannot look there.
    assert run_step(project).startswith(
        f"::notice title=Template::On template v1.0.0 from {template}, which CI cannot reach"
    )
    assert run_step(project, url) == "Template v1.0.0: no newer release than v1.0.0.\n"

    git(template, "tag", "v1.9.0")
    (template / "copier.yml").write_text((template / "copier.yml").read_text() + "\n")
    release(template, "v1.10.0")  # the newest by version, not by text
    git(template, "tag", "v2.0.0rc1")  # a pre-release is not announced
    newer = (
        "::notice title=Template::Template v1.10.0 is out (this project: v1.0.0); "
        "'scaffold update' brings it in (README.md, Updating from the template).\n"
    )
    assert run_step(project, url) == newer
    # A template recorded by its git URL needs no secret.
    answers = project / ".copier-answers.yml"
    answers.write_text(answers.read_text().replace(f"_src_path: {template}", f"_src_path: {url}"))
    assert run_step(project) == newer

    unreachable = (tmp_path / "nowhere").as_uri()
    assert run_step(project, unreachable) == (
        f"::notice title=Template::Could not list the releases of {unreachable}.\n"
    )
