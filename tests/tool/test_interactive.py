"""`scaffold new` in a terminal: one conversation, in copier.yml's order, with arrow-key
choices and validated text, and nothing rendered before its last answer."""

from __future__ import annotations

import io
import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import pexpect
import yaml

DOWN = "\x1b[B"
ENTER = "\r"
CLEAR = "\x15"  # Ctrl-U: erase the default written in for the user
CTRL_C = "\x03"
CTRL_D = "\x04"


def spawn(cwd: Path, *args: str) -> tuple[pexpect.spawn, io.StringIO]:
    """`scaffold new ARGS` at a 120-column terminal, and the transcript of its output."""
    child = pexpect.spawn(
        sys.executable,
        ["-m", "scaffold", "new", "--no-install", "--no-git", *args],
        cwd=str(cwd),
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 120),
    )
    transcript = io.StringIO()
    child.logfile_read = transcript
    return child, transcript


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return int(child.exitstatus)


def shipped_figures() -> dict[str, list[str]]:
    """What the stack lines must show, formatted from the shipped benchmark summary: for
    each stack, its defaults' variant (SQLite; NestJS on Fastify)."""
    document = json.loads(resources.files("scaffold").joinpath("serving_cost.json").read_text())
    variants = document["variants"]

    read, write = "GET /api/v1/users/me", "POST /api/v1/items"

    def figures(variant: dict[str, Any]) -> list[str]:
        rates = variant["requests_per_cpu_second"]
        return [
            f"~{float(f'{rates[read]:.2g}'):,.0f} reads",  # two significant figures
            f"~{float(f'{rates[write]:.2g}'):,.0f} writes per CPU-s",
            f"{variant['rss_idle_mib']:.0f} MiB",
        ]

    fastapi, nestjs = variants["fastapi-sqlite"], variants["nestjs-fastify-sqlite"]
    ratio = nestjs["requests_per_cpu_second"][read] / fastapi["requests_per_cpu_second"][read]
    return {
        "FastAPI (Python)": figures(fastapi),
        "NestJS (TypeScript)": [*figures(nestjs), f"({ratio:.1f}x FastAPI)"],
    }


def test_new_asks_every_question_in_one_conversation(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine\n")
    child, transcript = spawn(tmp_path)

    child.expect_exact("Which stack to generate")
    child.expect_exact("MiB")
    child.expect_exact("MiB")  # both stack lines are drawn
    shown = transcript.getvalue()
    lines = {
        stack: next(line for line in shown.splitlines() if stack + " — " in line)
        for stack in ("FastAPI (Python)", "NestJS (TypeScript)")
    }
    assert "quickest to build" in lines["FastAPI (Python)"]
    for stack, figures in shipped_figures().items():
        for figure in figures:
            assert figure in lines[stack], (figure, lines[stack])
    child.send(DOWN + ENTER)  # FastAPI -> NestJS

    child.expect_exact("Project name")
    child.send(CLEAR + "taken" + ENTER)  # a directory in use: refused at the prompt
    child.expect_exact("taken exists and is not empty")
    child.send(CLEAR + "Shop_API" + ENTER)  # copier.yml's validator refuses it
    child.expect_exact("must start with a letter and hold only lower-case letters")
    child.send(CLEAR + "shop-api" + ENTER)
    child.expect_exact("One-line description")
    child.send(ENTER)  # the default
    child.expect_exact("Database")
    child.send(DOWN + ENTER)  # SQLite -> PostgreSQL
    child.expect_exact("HTTP adapter")  # NestJS only
    child.expect_exact("Express")
    assert "Rendering" not in transcript.getvalue()
    child.send(DOWN + ENTER)  # Fastify -> Express
    child.expect_exact("Serve a GraphQL API")  # a yes/no question
    child.expect_exact("(y/N)")
    child.send("n")  # a confirm takes one key
    child.expect_exact("Push item changes to signed-in clients")
    child.expect_exact("(y/N)")
    child.send("n")  # the last answer
    child.expect_exact("Rendering the NestJS template into shop-api")
    child.expect_exact("Created NestJS service in shop-api")
    assert finish(child) == 0

    answers = yaml.safe_load((tmp_path / "shop-api" / ".copier-answers.yml").read_text())
    assert answers["stack"] == "nestjs"
    assert answers["project_name"] == "shop-api"
    assert answers["description"] == "A production-ready backend service"
    assert answers["database"] == "postgresql"
    assert answers["http_adapter"] == "express"
    assert answers["graphql"] is False
    assert answers["websockets"] is False
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shop-api", "taken"]


def test_new_asks_only_what_the_command_line_leaves_open(tmp_path: Path) -> None:
    child, transcript = spawn(tmp_path, "api", "--stack", "fastapi", "-d", "database=postgresql")

    child.expect_exact("One-line description")
    child.send(CLEAR + "Orders" + ENTER)
    child.expect_exact("Serve a GraphQL API")  # no adapter before it: not NestJS
    child.send(ENTER)  # the default: no
    child.expect_exact("Push item changes to signed-in clients")
    child.send(ENTER)
    child.expect_exact("Rendering the FastAPI template into api")
    assert finish(child) == 0
    for answered in ("Which stack", "Project name", "Database", "HTTP adapter"):
        assert answered not in transcript.getvalue()
    answers = yaml.safe_load((tmp_path / "api" / ".copier-answers.yml").read_text())
    assert (answers["stack"], answers["project_name"]) == ("fastapi", "api")
    assert (answers["description"], answers["database"]) == ("Orders", "postgresql")


def test_ctrl_c_during_the_conversation_exits_130_and_writes_nothing(tmp_path: Path) -> None:
    child, transcript = spawn(tmp_path)

    child.expect_exact("Which stack to generate")
    child.send(ENTER)
    child.expect_exact("Project name")
    child.send(CTRL_C)
    child.expect_exact("error: interrupted")
    assert finish(child) == 130
    assert "Traceback" not in transcript.getvalue()
    assert list(tmp_path.iterdir()) == []


def test_end_of_input_during_the_conversation_is_a_one_line_error(tmp_path: Path) -> None:
    child, transcript = spawn(tmp_path)

    child.expect_exact("Which stack to generate")
    child.send(ENTER)
    child.expect_exact("Project name")
    child.send(CLEAR + CTRL_D)  # Ctrl-D on an empty answer: end of input
    child.expect_exact("error: input ended before every question was answered")
    assert finish(child) == 2
    assert "Traceback" not in transcript.getvalue()
    assert list(tmp_path.iterdir()) == []
