"""The stacks scaffold can generate, each declared in one place.

Adding a stack is adding `templates/<name>/` plus one `Stack` entry here: what it
needs on the machine, and how to install, re-lock, test and start a generated project.
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
class Lock:
    """The lock file a project's locked install (Docker, CI) follows, and the command
    that brings it in line with the manifest without installing anything."""

    manifest: str
    lockfile: str
    relock: tuple[str, ...]

    @property
    def command(self) -> str:
        return " ".join(self.relock)


@dataclass(frozen=True)
class Stack:
    name: str
    label: str
    # What it is best at, in a few words (shown when choosing a stack).
    strengths: str
    language: str
    tools: tuple[Tool, ...]
    install: tuple[str, ...]
    lock: Lock
    test: str = "make test"
    start: str = "make start"


# Node and npm are missing only where the machine has none and scaffold was installed
# without its `node` extra (uv is a dependency of scaffold).
NODE_EXTRA = "or install scaffold with its node extra (`pip install '.[node]'` in its checkout)"

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
            lock=Lock("pyproject.toml", "uv.lock", relock=("uv", "lock")),
        ),
        Stack(
            name="nestjs",
            label="NestJS",
            strengths="modular and typed",
            language="TypeScript",
            tools=(
                Tool(
                    "node",
                    f"install Node.js 22 or newer (https://nodejs.org), {NODE_EXTRA}",
                    min_major=22,
                ),
                Tool("npm", f"install npm (it comes with Node.js), {NODE_EXTRA}"),
            ),
            install=("npm", "install"),
            lock=Lock(
                "package.json",
                "package-lock.json",
                relock=("npm", "install", "--package-lock-only"),
            ),
        ),
    )
}


def get_stack(name: str) -> Stack:
    try:
        return STACKS[name]
    except KeyError:
        known = ", ".join(STACKS)
        raise ScaffoldError(f"unknown stack {name!r}; choose one of: {known}") from None
