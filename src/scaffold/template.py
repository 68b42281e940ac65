"""Where the templates come from, and what they ask.

scaffold renders from a git source so that copier records the template version
(`_commit`) in each project's `.copier-answers.yml`, which `scaffold update` and
`copier update` need later:

- from a git checkout of this repository (development, editable installs), the
  checkout itself, uncommitted changes included;
- from an installed wheel, `templates.bundle`: a git bundle of this repository's
  history, tags included, written into the wheel at build time (hatch_build.py), so
  every released template version is available offline;
- `SCAFFOLD_TEMPLATE` (a path or git URL) overrides both, e.g. for template testing.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jinja2.sandbox import SandboxedEnvironment

from scaffold.errors import ScaffoldError

PACKAGE_DIR = Path(__file__).resolve().parent
BUNDLE = PACKAGE_DIR / "templates.bundle"
CHECKOUT = PACKAGE_DIR.parents[1]


def template_source() -> str:
    """The copier source to render from (a directory, bundle file or git URL)."""
    override = os.environ.get("SCAFFOLD_TEMPLATE")
    if override:
        return override
    if (CHECKOUT / "copier.yml").is_file() and (CHECKOUT / ".git").exists():
        return str(CHECKOUT)
    if BUNDLE.is_file():
        return str(BUNDLE)
    raise ScaffoldError("scaffold's templates are missing from this installation; reinstall it")


@contextmanager
def template_files(source: str) -> Iterator[Path]:
    """A directory holding the source's current copier.yml and templates/."""
    if Path(source, "copier.yml").is_file():
        yield Path(source)
        return
    with tempfile.TemporaryDirectory(prefix="scaffold-template-") as tmp:
        result = subprocess.run(
            ["git", "clone", "--quiet", "--depth", "1", source, tmp],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise ScaffoldError(f"cannot read the template at {source}: {result.stderr.strip()}")
        yield Path(tmp)


@dataclass(frozen=True)
class Question:
    name: str
    help: str
    default: Any
    # Label -> value, as copier.yml lists them; empty when any value is allowed.
    choices: dict[str, str]

    @property
    def required(self) -> bool:
        return self.default is None


def load_questions(template_dir: Path, stack: str) -> list[Question]:
    """The questions copier asks for `stack`, in order, with defaults rendered."""
    config = yaml.safe_load((template_dir / "copier.yml").read_text())
    jinja = SandboxedEnvironment()
    context: dict[str, Any] = {"stack": stack}
    questions = []
    for name, spec in config.items():
        if name.startswith("_") or not isinstance(spec, dict):
            continue
        when = spec.get("when", True)
        if isinstance(when, str):
            when = jinja.from_string(when).render(context).strip().lower() == "true"
        default = spec.get("default")
        if isinstance(default, str):
            default = jinja.from_string(default).render(context)
        context.setdefault(name, default)
        if not when:
            continue
        choices = spec.get("choices") or {}
        if isinstance(choices, list):
            choices = {str(c): str(c) for c in choices}
        questions.append(Question(name, spec.get("help", ""), default, choices))
    return questions
