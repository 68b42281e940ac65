"""`scaffold new` in a terminal: it asks for the stack, name and template questions."""

from __future__ import annotations

import sys
from pathlib import Path

import pexpect
import yaml

DOWN = "\x1b[B"


def test_new_asks_every_question_in_a_terminal(tmp_path: Path) -> None:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "scaffold", "new", "--no-install", "--no-git"],
        cwd=str(tmp_path),
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 120),
    )
    child.expect("Stack")
    child.sendline("django")  # not a stack: asked again
    child.expect("Choose one of: fastapi, nestjs")
    child.sendline("nestjs")
    child.expect("Project name")
    child.sendline("shop-api")
    child.expect("One-line description")
    child.sendline("")
    child.expect("Database")
    child.send(DOWN)  # SQLite -> PostgreSQL
    child.sendline("")
    child.expect("HTTP adapter")
    child.send(DOWN)  # Fastify -> Express
    child.sendline("")
    child.expect("Created NestJS service in shop-api")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    answers = yaml.safe_load((tmp_path / "shop-api" / ".copier-answers.yml").read_text())
    assert answers["project_name"] == "shop-api"
    assert answers["database"] == "postgresql"
    assert answers["http_adapter"] == "express"
    assert answers["description"] == "A production-ready backend service"
