"""Answers given on the command line (`--data key=value`) or in a YAML file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from scaffold.errors import ScaffoldError


def parse_data(pairs: list[str]) -> dict[str, str]:
    """`["database=postgresql", ...]` -> `{"database": "postgresql", ...}`."""
    answers = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ScaffoldError(f"--data takes key=value, got {pair!r}")
        answers[key.strip()] = value
    return answers


def load_answers_file(path: Path) -> dict[str, Any]:
    """A YAML mapping of answers; copier's private keys (`_src_path`, ...) are dropped,
    so a project's `.copier-answers.yml` can seed another project."""
    try:
        content = yaml.safe_load(path.read_text())
    except OSError as exc:
        raise ScaffoldError(f"cannot read answers file {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise ScaffoldError(f"answers file {path} is not valid YAML: {_first_line(exc)}") from None
    if content is None:
        return {}
    if not isinstance(content, dict):
        raise ScaffoldError(f"answers file {path} must hold a mapping of question: answer")
    return {str(k): v for k, v in content.items() if not str(k).startswith("_")}


def check_known(answers: dict[str, Any], known: set[str]) -> None:
    unknown = sorted(set(answers) - known)
    if unknown:
        raise ScaffoldError(
            f"unknown answer {unknown[0]!r}; this stack's questions are: "
            + ", ".join(sorted(known))
        )


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0]
