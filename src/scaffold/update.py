"""`scaffold update`: bring template changes into a project that has moved on.

copier does the three-way work: it renders the template at the project's recorded
version with the recorded answers, renders it again at the target version, and
applies the difference to the project, marking conflicts where both sides touched
the same lines. scaffold adds the checks that make this safe (a clean git subtree to
roll back to, at a repository's root or in a monorepo), a template source that is
present on this machine, `--dry-run` on a scratch clone, re-locking the dependencies
when the manifest changed, and a summary of what changed and what conflicts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from scaffold import checkout, copier_api
from scaffold.answers import check_known
from scaffold.errors import ScaffoldError
from scaffold.git import commit, git
from scaffold.relock import Relock, relock
from scaffold.stacks import Stack, get_stack
from scaffold.template import Source, has_revision, load_questions, read_config, template_source

ANSWERS_FILE = ".copier-answers.yml"
CONFLICT_MARKER = b"<<<<<<< before updating"


class Conflict(StrEnum):
    """How copier shows where both sides changed the same lines."""

    INLINE = "inline"  # git-style markers in the file
    REJ = "rej"  # the template's version in the file, the hunk left over in FILE.rej


@dataclass
class UpdateRequest:
    project: Path
    to: str | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    conflict: Conflict = Conflict.INLINE
    dry_run: bool = False
    interactive: bool = False


@dataclass
class Updated:
    from_version: str
    to_version: str
    # `git status --porcelain` lines of what the update changed ("M path", "?? path").
    changes: list[str]
    conflicts: list[str]
    # The lock file's re-lock after the manifest changed; None when it did not change.
    relocked: Relock | None = None


def update(request: UpdateRequest, progress: Callable[[str], None] = lambda _: None) -> Updated:
    located = checkout.locate(request.project, ANSWERS_FILE)
    project = located.project
    recorded = _read_answers(project)
    source = template_source()
    version = str(recorded["_commit"])
    if not has_revision(source, version):
        raise ScaffoldError(
            f"template version {version} recorded in {ANSWERS_FILE} is not in {source.url}; "
            "install a scaffold at least as new as the one that generated this project"
        )
    target = request.to or source.ref
    if request.to and not has_revision(source, request.to):
        raise ScaffoldError(f"unknown template version {request.to!r} in {source.url}")
    stack = get_stack(str(recorded["stack"]))
    check_known(request.answers, {q.name for q in load_questions(read_config(source), stack.name)})

    if request.dry_run:
        with checkout.scratch_clone(located) as scratch:
            progress(f"Dry run: updating a scratch copy of {project.name}")
            return _apply(scratch, stack, recorded, source, target, request, progress)
    progress(f"Updating {project} from template version {version}")
    return _apply(project, stack, recorded, source, target, request, progress)


def _apply(
    project: Path,
    stack: Stack,
    recorded: dict[str, Any],
    source: Source,
    target: str,
    request: UpdateRequest,
    progress: Callable[[str], None],
) -> Updated:
    if recorded["_src_path"] != source.url:
        # The recorded template is not on this machine (another checkout, another
        # user's home): copier reads the old version from `_src_path`, so point it
        # at this machine's copy, in a commit of its own the user can see.
        _rewrite_src_path(project, source.url)
    start = git(project, "rev-parse", "HEAD")
    copier_api.update(project, target, request.answers, request.interactive, request.conflict.value)
    new_version = str(_read_answers(project)["_commit"])
    conflicts = _conflicts(project, _changes(project, start))
    relocked = relock(stack, project, start, conflicts, progress)
    # Listed after the re-lock, which changes the lock file.
    changes = _changes(project, start)
    return Updated(str(recorded["_commit"]), new_version, changes, conflicts, relocked)


def _read_answers(project: Path) -> dict[str, Any]:
    path = project / ANSWERS_FILE
    if not path.is_file():
        raise ScaffoldError(
            f"no {ANSWERS_FILE} in {project}: run `scaffold update` in a project made by "
            "`scaffold new`"
        )
    try:
        answers = yaml.safe_load(path.read_text())
    except yaml.YAMLError:
        answers = None
    missing = [
        k
        for k in ("_commit", "_src_path", "stack")
        if not isinstance(answers, dict) or not answers.get(k)
    ]
    if missing:
        raise ScaffoldError(f"{ANSWERS_FILE} is broken: {', '.join(missing)} missing or unreadable")
    assert isinstance(answers, dict)
    return answers


def _rewrite_src_path(project: Path, url: str) -> None:
    path = project / ANSWERS_FILE
    lines = [
        f"_src_path: {url}" if line.startswith("_src_path:") else line
        for line in path.read_text().splitlines()
    ]
    path.write_text("\n".join(lines) + "\n")
    commit(
        project,
        "Point .copier-answers.yml at this machine's scaffold templates",
        paths=[ANSWERS_FILE],
    )


def _changes(project: Path, start: str) -> list[str]:
    # The project's own subtree, relative to it: in a monorepo, the rest is not ours.
    tracked = git(project, "diff", "--name-status", "--relative", start).splitlines()
    untracked = git(project, "ls-files", "--others", "--exclude-standard").splitlines()
    return [line.replace("\t", " ", 1) for line in tracked] + [f"? {p}" for p in untracked]


def _conflicts(project: Path, changes: list[str]) -> list[str]:
    found = []
    for change in changes:
        name = change.split(" ", 1)[1]
        path = project / name
        if name.endswith(".rej") or (path.is_file() and _has_marker(path)):
            found.append(name)
    return found


def _has_marker(path: Path) -> bool:
    with path.open("rb") as lines:
        return any(line.rstrip() == CONFLICT_MARKER for line in lines)
