"""The stacks scaffold can generate, each declared in one place.

Adding a stack is adding `templates/<name>/` plus one `Stack` entry here: what it
needs on the machine, and how to install, test and start a generated project.
"""

from __future__ import annotations

from dataclasses import dataclass

from scaffold.errors import ScaffoldError


@dataclass(frozen=True)
class Tool:
    """An executable a stack needs, with what to tell the user when it is missing."""

    command: str
    install_hint: str
    # Oldest supported major version, checked with `<command> --version` when set.
    min_major: int | None = None


@dataclass(frozen=True)
class Stack:
    name: str
    label: str
    # What it is best at, in a few words (shown when choosing a stack).
    strengths: str
    language: str
    tools: tuple[Tool, ...]
    install: tuple[str, ...]
    test: str = "make test"
    start: str = "make start"


STACKS: dict[str, Stack] = {
    stack.name: stack
    for stack in (
        Stack(
            name="fastapi",
            label="FastAPI",
            strengths="quickest to build, Python's ML ecosystem",
            language="Python",
            tools=(Tool("uv", "install uv: `pip install uv` (https://docs.astral.sh/uv/)"),),
            install=("uv", "sync"),
        ),
        Stack(
            name="nestjs",
            label="NestJS",
            strengths="modular and typed",
            language="TypeScript",
            tools=(
                Tool("node", "install Node.js 22 or newer (https://nodejs.org)", min_major=22),
                Tool("npm", "install npm (it comes with Node.js)"),
            ),
            install=("npm", "install"),
        ),
    )
}


def get_stack(name: str) -> Stack:
    try:
        return STACKS[name]
    except KeyError:
        known = ", ".join(STACKS)
        raise ScaffoldError(f"unknown stack {name!r}; choose one of: {known}") from None
