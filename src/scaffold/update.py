"""`scaffold update`: bring template changes into a project that has moved on.

copier does the three-way work: it renders the template at the project's recorded
version with the recorded answers, renders it again at the target version, and
applies the difference to the project, marking conflicts where both sides touched
the same lines. scaffold adds the checks that make this safe (a clean git subtree to
roll back to, at a repository's root or in a monorepo), a template source that is
present on this machine, `--dry-run` on a scratch clone, re-locking the dependencies
when the manifest changed, and a summary of what changed and what conflicts. Without
`--to` it goes to the newest release this scaffold ships, and it names the releases it
crosses with their CHANGELOG.md entries; `list_releases` is `scaffold update --list`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from scaffold import changelog, checkout, copier_api
from scaffold.answers import check_known
from scaffold.errors import ScaffoldError
from scaffold.git import commit, git, succeeds
from scaffold.releases import Release
from scaffold.relock import Relock, relock
from scaffold.stacks import Stack, get_stack
from scaffold.template import (
    Source,
    has_revision,
    load_questions,
    read_config,
    read_text,
    shipped_releases,
    template_source,
)

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


@dataclass(frozen=True)
class ReleaseNotes:
    release: Release
    entry: str | None  # its CHANGELOG.md section; None when it has none


@dataclass
class Updated:
    from_version: str
    to_version: str
    # `git status --porcelain` lines of what the update changed ("M path", "?? path").
    changes: list[str]
    conflicts: list[str]
    # The lock file's re-lock after the manifest changed; None when it did not change.
    relocked: Relock | None = None
    # The releases newer than the project's, up to the target: what the update brings.
    releases: list[ReleaseNotes] = field(default_factory=list)


@dataclass
class Listing:
    source: str
    releases: list[Release]  # by version
    recorded: str | None  # the project's `_commit`, when listed in a project
    current: Release | None  # the release that is exactly the project's version


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
    shipped = shipped_releases(source)
    target = _target(source, shipped, version, request.to)
    brings = _crossed(source, shipped, version, target)
    stack = get_stack(str(recorded["stack"]))
    check_known(request.answers, {q.name for q in load_questions(read_config(source), stack.name)})

    if request.dry_run:
        with checkout.scratch_clone(located) as scratch:
            progress(f"Dry run: updating a scratch copy of {project.name}")
            updated = _apply(scratch, stack, recorded, source, target, request, progress)
            return replace(updated, releases=brings)
    progress(f"Updating {project} from template version {version}")
    updated = _apply(project, stack, recorded, source, target, request, progress)
    return replace(updated, releases=brings)


def list_releases(project: Path) -> Listing:
    """The releases this scaffold ships and, in a project, which one it is on."""
    if not project.is_dir():
        raise ScaffoldError(f"{project} is not a directory")
    source = template_source()
    shipped = shipped_releases(source)
    if not (project / ANSWERS_FILE).is_file():
        return Listing(source.url, shipped, None, None)
    recorded = str(_read_answers(project)["_commit"])
    current = None
    if has_revision(source, recorded):
        commit = git(source.path, "rev-parse", f"{recorded}^{{commit}}")
        current = next((r for r in shipped if r.commit == commit), None)
    return Listing(source.url, shipped, recorded, current)


def _target(source: Source, shipped: list[Release], recorded: str, to: str | None) -> str:
    """What to update to: `to` (a release by version or tag, or any git revision), else
    the newest release, else (a template without releases) the source's own version."""
    if to is not None:
        named = next((r for r in shipped if to in (r.tag, r.version)), None)
        if named is not None:
            return named.ref
        if has_revision(source, to):
            return to
        known = ", ".join(r.tag for r in shipped) or "none"
        raise ScaffoldError(f"unknown template version {to!r} in {source.url} (releases: {known})")
    if not shipped:
        return source.ref
    newest = shipped[-1]
    # A project generated after the newest release (by a scaffold built between two)
    # stays on its version instead of going back to the release.
    return recorded if _is_ancestor(source, newest.commit, recorded) else newest.ref


def _crossed(
    source: Source, shipped: list[Release], recorded: str, target: str
) -> list[ReleaseNotes]:
    """The releases the target has and the project has not, with their entries from the
    source's CHANGELOG.md: the newest one, so that lines added later are there too."""
    crossed = [
        r
        for r in shipped
        if _is_ancestor(source, r.commit, target) and not _is_ancestor(source, r.commit, recorded)
    ]
    text = read_text(source, "CHANGELOG.md") if crossed else None
    return [ReleaseNotes(r, changelog.entry(text, r.version) if text else None) for r in crossed]


def _is_ancestor(source: Source, ancestor: str, descendant: str) -> bool:
    """Whether `descendant`'s history contains `ancestor` (or it is `ancestor`)."""
    return succeeds(source.path, "merge-base", "--is-ancestor", ancestor, descendant)


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
