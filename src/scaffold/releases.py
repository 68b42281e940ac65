"""scaffold's releases: which versions a template repository holds, and where.

The templates and the tool share one version, pyproject.toml's `version`. A release is
the mainline (first-parent) commit at which that version changed, named `v<version>`
(PEP 440): a version bump that arrives by a merge is released at the merge, with
everything merged before it. Tags pushed to a server do not travel with every clone
of the repository, so the releases are derived from this history instead: the wheel
build (hatch_build.py) tags them in the bundle it ships, and scaffold running from a
checkout derives them the same way. A template repository that carries tags (the
user's template repository, a team's fork) has its `v*` tags as its releases.

hatch_build.py loads this module by its path, in a build environment that has
hatchling (and so packaging) but not scaffold's own dependencies: git is run through
the caller's `Git` function, and nothing else of scaffold is imported.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

Git = Callable[..., str]  # `git ARGS` in one repository: its stripped stdout


@dataclass(frozen=True)
class Release:
    version: str  # as pyproject.toml or the tag spells it, without the `v`
    commit: str
    date: str  # the commit's, YYYY-MM-DD
    ref: str  # how git names it in its repository: its tag, or its commit when untagged

    @property
    def tag(self) -> str:
        return f"v{self.version}"


def derived(git: Git, rev: str = "HEAD") -> list[Release]:
    """The releases in `rev`'s history, from pyproject.toml's versions, by version."""
    found: dict[str, Release] = {}
    log = git("log", "--first-parent", "--reverse", "--format=%H %cs", rev, "--", "pyproject.toml")
    for line in log.splitlines():
        commit, date = line.split()
        try:
            project = tomllib.loads(git("show", f"{commit}:pyproject.toml")).get("project", {})
        except tomllib.TOMLDecodeError:
            continue  # nothing was built, so nothing released, from an unreadable one
        version = project.get("version")
        if isinstance(version, str) and version not in found:
            found[version] = Release(version, commit, date, commit)
    return _ordered(found.values())


def tagged(git: Git, rev: str) -> list[Release]:
    """The repository's `v<PEP 440>` tags in `rev`'s history, by version."""
    lines = git(
        "for-each-ref",
        f"--merged={rev}",
        # The commit a tag names (`*objectname` for an annotated tag), and its date.
        "--format=%(refname:strip=2) %(if)%(*objectname)%(then)%(*objectname)"
        "%(else)%(objectname)%(end) %(creatordate:short)",
        "refs/tags/v*",
    )
    releases = []
    for line in lines.splitlines():
        tag, commit, date = line.split()
        releases.append(Release(tag[1:], commit, date, tag))
    return _ordered(releases)


def shipped(git: Git, rev: str) -> list[Release]:
    """The releases `rev` ships: its repository's release tags, or where it has none (a
    clone of scaffold, to which no tag travelled) the releases derived from history."""
    return tagged(git, rev) or derived(git, rev)


def _ordered(releases: Iterable[Release]) -> list[Release]:
    """By PEP 440 version, leaving out what is not one (a tag such as `vendor-fix`)."""
    versions = []
    for release in releases:
        try:
            versions.append((Version(release.version), release))
        except InvalidVersion:
            continue
    return [release for _, release in sorted(versions, key=lambda pair: pair[0])]
