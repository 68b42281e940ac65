"""Which variants to smoke-test: every answer of every option, and every pair of answers.

A full cross product of the template's options grows too fast to install each one
(every boolean option doubles it), yet most template bugs need one answer, or two
answers together, to show. So the matrix is a pairwise covering array per stack:
each answer of each choice question appears, and so does each combination of two
answers to two different questions. It is the smallest such array where the product
is small enough to search, else built greedily; defaults first either way, so the first
variant of each stack is its all-defaults project and the list is the same on every run.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from scaffold.answers import check_known
from scaffold.errors import ScaffoldError
from scaffold.stacks import STACKS
from scaffold.template import as_bool, load_questions

# A question and one of its answers: the unit the covering array covers.
Choice = tuple[str, Any]


@dataclass(frozen=True)
class Variant:
    """One stack with one set of answers: a project to generate and check."""

    stack: str
    # The answer to each option question, in question order: what tells variants apart.
    options: Mapping[str, Any] = field(default_factory=dict)
    # Other answers given on the command line (a description, a fixed free-text value).
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        """`nestjs-postgresql-express`: the stack, then each option's answer in question
        order (a true boolean option by its name, a false one left out)."""
        parts = [self.stack]
        for name, value in self.options.items():
            if value is True:
                parts.append(name)
            elif value is not False:
                parts.append(str(value))
        return "-".join(parts)

    @property
    def answers(self) -> dict[str, Any]:
        """Everything to render the variant with, besides the stack and project name."""
        return {**self.extra, **self.options}

    def get(self, question: str, default: Any = None) -> Any:
        return self.answers.get(question, default)

    def __hash__(self) -> int:  # the answers are mappings; their rendering is not
        return hash((self.stack, tuple(self.options.items()), tuple(self.extra.items())))


def options(config: dict[str, Any], stack: str) -> dict[str, list[Any]]:
    """The questions with a fixed set of answers for `stack`, each with its answers,
    default first. Free-text questions (name, description) are not varied."""
    found: dict[str, list[Any]] = {}
    for question in load_questions(config, stack):
        if question.name == "stack":
            continue
        if config[question.name].get("type") == "bool":
            values: list[Any] = [False, True]
            default = as_bool(question.default)
        elif question.choices:
            values = list(question.choices.values())
            default = question.default
        else:
            continue
        found[question.name] = sorted(values, key=lambda v: v != default)
    return found


def build(
    config: dict[str, Any],
    stacks: Iterable[str] = STACKS,
    fixed: Mapping[str, Any] | None = None,
) -> list[Variant]:
    """The pairwise matrix of each stack, with the `fixed` answers held on every variant.

    A fixed answer to a question a stack does not ask (`http_adapter` for FastAPI) is
    not an error as long as some chosen stack asks it.
    """
    fixed = dict(fixed or {})
    variants = []
    asked: set[str] = set()
    for stack in stacks:
        opts = options(config, stack)
        known = {q.name for q in load_questions(config, stack)}
        asked |= known
        held = {name: value for name, value in fixed.items() if name in known}
        for name, value in held.items():
            if name in opts:
                wanted = as_bool(value) if isinstance(opts[name][0], bool) else value
                if wanted not in opts[name]:
                    raise ScaffoldError(
                        f"{name}={value} is not an answer of {stack}'s {name!r}; "
                        f"choose one of: {', '.join(map(_show, opts[name]))}"
                    )
                opts[name] = [wanted]
        extra = {name: value for name, value in held.items() if name not in opts}
        variants += [Variant(stack, answers, extra) for answers in _pairwise(opts)]
    check_known(fixed, asked)
    return variants


def select(variants: list[Variant], ids: Iterable[str]) -> list[Variant]:
    """The variants named by id, in matrix order; an unknown id is an error."""
    wanted = list(ids)
    known = {v.id for v in variants}
    unknown = [i for i in wanted if i not in known]
    if unknown:
        raise ScaffoldError(
            f"no variant {unknown[0]!r} in the matrix; its variants are: {', '.join(sorted(known))}"
        )
    return [v for v in variants if v.id in wanted]


# Up to this many combinations, the smallest covering array is searched for outright
# (greedy needs 5 variants for three yes/no questions, where 4 do).
EXACT_UP_TO = 16


def _pairwise(opts: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """A covering array, the all-defaults candidate first (the candidates come defaults
    first). Small products: the smallest one, the earliest in candidate order. Larger:
    greedy, taking the candidate that covers the most answers and answer pairs not
    covered yet, until all are; ties go to the earliest candidate."""
    names = list(opts)
    candidates = [
        dict(zip(names, values, strict=True)) for values in itertools.product(*opts.values())
    ]
    needed = set().union(*map(_covers, candidates))
    if 1 < len(candidates) <= EXACT_UP_TO:
        first, rest = candidates[0], candidates[1:]
        for size in range(len(rest) + 1):
            for others in itertools.combinations(rest, size):
                chosen = [first, *others]
                if needed <= set().union(*map(_covers, chosen)):
                    return chosen
    chosen = []
    while needed:
        best = max(candidates, key=lambda c: len(needed & _covers(c)))
        chosen.append(best)
        needed -= _covers(best)
    return chosen or [{}]


def _covers(answers: dict[str, Any]) -> set[frozenset[Choice]]:
    """The single answers and the answer pairs that one set of answers covers."""
    items = list(answers.items())
    return {frozenset([item]) for item in items} | {
        frozenset(pair) for pair in itertools.combinations(items, 2)
    }


def _show(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)
