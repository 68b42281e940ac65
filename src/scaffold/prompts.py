"""`scaffold new`'s conversation at a terminal, in one style (questionary's, as copier's
own prompts): copier.yml's questions in its order, each `when` following the answers
given so far; choices picked with the arrow keys, text typed over its default; each
answer checked at the prompt by copier.yml's validator. Only the CLI imports this."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import questionary
import typer

from scaffold import serving_cost
from scaffold.errors import ScaffoldError
from scaffold.render import check_target
from scaffold.stacks import STACKS
from scaffold.template import Question, as_bool, load_questions, questions_in_order


def converse(config: dict[str, Any], answers: dict[str, Any], force: bool) -> dict[str, Any]:
    """`answers` completed with an answer to every question they leave open."""
    answers = dict(answers)
    for question in questions_in_order(config, answers):
        if question.name not in answers:
            answers[question.name] = _ask(question, answers, config, force)
    return answers


def _ask(question: Question, answers: dict[str, Any], config: dict[str, Any], force: bool) -> Any:
    if question.choices:
        prompt = _select(question, config)
    elif question.type == "bool":
        default = as_bool(question.default)
        prompt = questionary.confirm(question.help or question.name, default=default)
    else:
        prompt = _text(question, answers, force)
    try:
        return prompt.unsafe_ask()  # Ctrl-C raises KeyboardInterrupt, as anywhere else
    except EOFError:
        raise ScaffoldError(
            "input ended before every question was answered (answer with --data, "
            "or take the defaults with --defaults)"
        ) from None


def _select(question: Question, config: dict[str, Any]) -> questionary.Question:
    titles: dict[str, str] = {}
    if question.name == "stack":
        measured = serving_cost.load()
        if measured is not None:
            typer.secho(
                f"Serving cost, per server CPU-second on SQLite: reads are {serving_cost.READ} "
                f"with a token, writes {serving_cost.WRITE}; MiB are the RSS at idle. Measured "
                f"{measured.at[:10]} on {measured.machine}.",
                dim=True,
            )
        titles = stack_lines(config, measured)
    return questionary.select(
        question.help or question.name,
        choices=[
            questionary.Choice(titles.get(value, label), value)
            for label, value in question.choices.items()
        ],
        default=question.default if question.default in question.choices.values() else None,
    )


def _text(question: Question, answers: dict[str, Any], force: bool) -> questionary.Question:
    def validate(text: str) -> str | bool:
        error = question.error(text, answers)
        if not error and question.name == "project_name":
            error = _unusable_target(text, force)  # the answer names the directory to create
        return error or True

    return questionary.text(
        question.help or question.name, default=str(question.default or ""), validate=validate
    )


def _unusable_target(name: str, force: bool) -> str:
    try:
        check_target(Path(name), force)
    except ScaffoldError as exc:
        return str(exc)
    return ""


def stack_lines(config: dict[str, Any], measured: serving_cost.Measured | None) -> dict[str, str]:
    """Per stack, what it is best at and, when figures are shipped, what the project its
    defaults generate costs to serve (against the first stack's)."""
    lines = {name: f"{s.label} ({s.language}) — {s.strengths}" for name, s in STACKS.items()}
    if measured is None:
        return lines
    costs = {name: measured.of(_defaults(config, name)) for name in STACKS}
    reference_name, reference = next(iter(costs.items()))
    for name, cost in costs.items():
        if cost is None:
            continue
        reads = f"~{_about(cost.reads_per_cpu_second)} reads"
        if reference is not None and name != reference_name:
            ratio = cost.reads_per_cpu_second / reference.reads_per_cpu_second
            reads += f" ({ratio:.1f}x {STACKS[reference_name].label})"
        lines[name] += (
            f"; {reads}, ~{_about(cost.writes_per_cpu_second)} writes per CPU-s; "
            f"{cost.rss_idle_mib:.0f} MiB"
        )
    return lines


def _defaults(config: dict[str, Any], stack: str) -> dict[str, Any]:
    """The answers of `scaffold new --stack STACK --defaults`."""
    return {q.name: q.default for q in load_questions(config, stack)} | {"stack": stack}


def _about(figure: float) -> str:
    """Two significant figures, with thousands separators: 4589 -> 4,600."""
    return f"{float(f'{figure:.2g}'):,.0f}"
