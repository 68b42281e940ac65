"""Where the templates come from, and what they ask.

scaffold renders from git so that copier records the template version (`_commit`)
and a source (`_src_path`) in each project's `.copier-answers.yml`; `scaffold update`
and plain `copier update` later render the recorded version again from that source
to see what the template changed since. The source is:

- `SCAFFOLD_TEMPLATE`, a local template directory or git repository, when set
  (template development and testing);
- else a git checkout of this repository, when scaffold runs from one (editable
  installs), uncommitted changes included;
- else, for an installed wheel, `~/.local/share/scaffold/templates.git`: a git
  repository into which each scaffold fetches the template history and release tags
  it ships (`templates.bundle`, written into the wheel at build time by
  hatch_build.py). It only ever gains commits and tags, so it holds every version
  any installed scaffold has shipped. A teammate's machine records its own path:
  `scaffold update` points the answers file at the local copy when the recorded one
  is not there.

A project generated from a release records its tag (`_commit: v0.2.0`), as copier
records `git describe --tags` (from a checkout, to which no tag travelled, it records
the commit); releases.py says which releases a source holds.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import yaml
from jinja2.sandbox import SandboxedEnvironment

from scaffold import releases
from scaffold.errors import ScaffoldError
from scaffold.git import git, succeeds

PACKAGE_DIR = Path(__file__).resolve().parent
BUNDLE = PACKAGE_DIR / "templates.bundle"
CHECKOUT = PACKAGE_DIR.parents[1]
USER_REPO = Path("~/.local/share/scaffold/templates.git")


@dataclass(frozen=True)
class Source:
    url: str  # an absolute path; what copier records as `_src_path`
    ref: str  # the git revision to render

    @property
    def path(self) -> Path:
        return Path(self.url)


def template_source() -> Source:
    """The template this scaffold renders, fetching its shipped history if needed."""
    override = os.environ.get("SCAFFOLD_TEMPLATE")
    if override:
        return Source(str(Path(override).resolve()), "HEAD")
    if (CHECKOUT / "copier.yml").is_file() and (CHECKOUT / ".git").exists():
        return Source(str(CHECKOUT), "HEAD")
    if BUNDLE.is_file():
        return Source(str(USER_REPO.expanduser()), _fetch_bundle())
    raise ScaffoldError("scaffold's templates are missing from this installation; reinstall it")


def _fetch_bundle() -> str:
    """Add the shipped template history to the user's template repository."""
    repo = USER_REPO.expanduser()
    if not (repo / ".git").is_dir():
        repo.parent.mkdir(parents=True, exist_ok=True)
        git(repo.parent, "init", "--quiet", str(repo))
    # The bundle's one branch is named for its build (hatch_build.py), so each scaffold
    # adds its own beside the others'. Neither it nor a tag is forced: a recorded
    # `_commit: v0.2.0` keeps meaning the commit it meant when it was recorded.
    heads = git(repo, "bundle", "list-heads", str(BUNDLE)).splitlines()
    (branch,) = (ref for _, ref in map(str.split, heads) if ref.startswith("refs/heads/"))
    git(
        repo,
        "fetch",
        "--quiet",
        "--no-tags",
        str(BUNDLE),
        f"{branch}:{branch}",
        "refs/tags/*:refs/tags/*",
    )
    return git(repo, "rev-parse", branch)


def has_revision(source: Source, revision: str) -> bool:
    """Whether the source's git history holds `revision` (a sha or `git describe`)."""
    return (source.path / ".git").exists() and succeeds(
        source.path, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"
    )


def shipped_releases(source: Source) -> list[releases.Release]:
    """The releases the source's ref holds, by version (none for a plain directory)."""
    if not (source.path / ".git").exists():
        return []
    return releases.shipped(partial(git, source.path), source.ref)


def read_text(source: Source, name: str) -> str | None:
    """The source's file `name` at its ref (the working tree's for a HEAD checkout)."""
    if source.ref == "HEAD" and (source.path / name).is_file():
        return (source.path / name).read_text()
    if succeeds(source.path, "cat-file", "-e", f"{source.ref}:{name}"):
        return git(source.path, "show", f"{source.ref}:{name}")
    return None


def read_config(source: Source) -> dict[str, Any]:
    """The source's copier.yml at its ref."""
    text = read_text(source, "copier.yml")
    config = yaml.safe_load(text) if text is not None else None
    if not isinstance(config, dict):
        raise ScaffoldError(f"{source.url} has no valid copier.yml")
    return config


# copier renders copier.yml with jinja2-ansible-filters' filters (a validator's
# `regex_search`): so does scaffold, to ask the same questions the same way.
_JINJA = SandboxedEnvironment(extensions=["jinja2_ansible_filters.AnsibleCoreFiltersExtension"])


@dataclass(frozen=True)
class Question:
    name: str
    help: str
    default: Any
    # Label -> value, as copier.yml lists them; empty when any value is allowed.
    choices: dict[str, str]
    # copier.yml's validator: a Jinja template rendering an error message, or nothing.
    validator: str = ""
    # copier.yml's type: "str", "bool", ...
    type: str = "str"

    def error(self, value: Any, answers: Mapping[str, Any]) -> str:
        """Why the validator refuses `value`, given the other answers; "" if it does not."""
        if not self.validator:
            return ""
        return _JINJA.from_string(self.validator).render({**answers, self.name: value}).strip()


def as_bool(value: Any) -> bool:
    """A yes/no answer or default as copier.yml and the command line write it: a boolean,
    or text such as "true" / "false" (a default is rendered to text)."""
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "1", "on")
    return bool(value)


def questions_in_order(config: dict[str, Any], answers: Mapping[str, Any]) -> Iterator[Question]:
    """copier.yml's questions in order, those whose `when` holds, each with its `when`
    and default rendered on `answers` as they are when it is reached: a caller that
    adds each answer before taking the next question gets copier's conversation."""
    context: dict[str, Any] = {}
    for name, spec in config.items():
        if name.startswith("_") or not isinstance(spec, dict):
            continue
        context.update(answers)
        when = spec.get("when", True)
        if isinstance(when, str):
            when = _JINJA.from_string(when).render(context).strip().lower() == "true"
        default = spec.get("default")
        if isinstance(default, str):
            default = _JINJA.from_string(default).render(context)
        context.setdefault(name, default)
        if not when:
            continue
        choices = spec.get("choices") or {}
        if isinstance(choices, list):
            choices = {str(c): str(c) for c in choices}
        yield Question(
            name,
            spec.get("help", ""),
            default,
            choices,
            spec.get("validator", ""),
            spec.get("type", "str"),
        )


def load_questions(config: dict[str, Any], stack: str) -> list[Question]:
    """The questions copier asks for `stack`, in order, with defaults rendered."""
    return list(questions_in_order(config, {"stack": stack}))
