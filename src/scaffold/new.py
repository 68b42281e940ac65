"""`scaffold new`: render a stack, install it, commit it. No printing, no prompting:
the caller passes callbacks for progress and for the install's output."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scaffold import render, steps, tools
from scaffold.answers import check_known
from scaffold.environment import project_env, tools_dir_to_add
from scaffold.errors import ScaffoldError
from scaffold.stacks import Stack
from scaffold.template import load_questions, read_config, template_source


@dataclass
class NewProject:
    stack: Stack
    target: Path
    answers: dict[str, Any] = field(default_factory=dict)
    force: bool = False
    install: bool = True
    git: bool = True


@dataclass
class Created:
    path: Path
    kept_as_orig: list[Path]
    installed: bool
    # The directory of scaffold's uv or Node, when the project needs it on the user's PATH.
    tools_dir: Path | None = None


def create(
    request: NewProject,
    progress: Callable[[str], None] = lambda _: None,
    output: Callable[[str], None] = lambda _: None,
) -> Created:
    """Generate the project; raises ScaffoldError with a one-line reason on bad input.

    A failed install keeps the project (and still commits it) but raises afterwards,
    so the user sees what to run.
    """
    render.check_target(request.target, request.force)
    # The install runs with scaffold's own uv and Node first on PATH, so that is
    # where the tools are looked for.
    env = project_env(request.stack.name)
    if request.install:
        tools.require(request.stack.tools, env["PATH"])
    if request.git:
        tools.require((tools.GIT,), env["PATH"])
    source = template_source()
    answers = {
        "project_name": request.target.resolve().name,
        **request.answers,
        "stack": request.stack.name,
    }
    questions = load_questions(read_config(source), request.stack.name)
    check_known(answers, {q.name for q in questions})

    progress(f"Rendering the {request.stack.label} template into {request.target}")
    kept = render.render(source, request.target, answers)

    install_error = None
    if request.install:
        progress(f"Installing dependencies with `{' '.join(request.stack.install)}`")
        try:
            steps.install(request.stack, request.target, env, output)
        except ScaffoldError as exc:
            install_error = exc
    if request.git and (outer := steps.enclosing_repository(request.target)):
        # A repository nested in the user's would hide the service from theirs, and a
        # commit of scaffold's in theirs would be one they did not ask for.
        progress(
            f"Inside the git repository at {outer}: no repository of its own; commit "
            "the new files there (`scaffold update` needs them committed)"
        )
    elif request.git:
        progress("Creating a git repository with a first commit")
        steps.git_commit(request.target, f"Generate {request.stack.label} service with scaffold")
    if install_error:
        raise install_error
    commands = [tool.command for tool in request.stack.tools]
    return Created(request.target, kept, request.install, tools_dir_to_add(commands, env))
