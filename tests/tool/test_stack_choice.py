"""The stack question's lines: what each stack is best at, and its serving cost only
when this installation ships the benchmark's figures (the figures themselves are
checked at a terminal, in test_interactive.py)."""

from __future__ import annotations

import pytest

from scaffold import prompts, serving_cost
from scaffold.errors import ScaffoldError
from scaffold.template import read_config, template_source


def test_without_shipped_figures_the_lines_only_say_what_each_stack_is_best_at() -> None:
    assert prompts.stack_lines(read_config(template_source()), None) == {
        "fastapi": "FastAPI (Python) — quickest to build, Python's ML ecosystem",
        "nestjs": "NestJS (TypeScript) — modular and typed",
    }


def test_a_deleted_figures_file_is_no_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serving_cost, "FILE", "deleted-by-a-fork.json")
    assert serving_cost.load() is None


def test_a_damaged_figures_file_is_one_line_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serving_cost, "FILE", "__init__.py")  # not JSON
    with pytest.raises(ScaffoldError, match=r"^scaffold's __init__.py is damaged \(.*\); "):
        serving_cost.load()
