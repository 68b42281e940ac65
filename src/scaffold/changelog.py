"""CHANGELOG.md, in Keep a Changelog's format: one `## [VERSION] - DATE` section per
release, saying what changes for generated projects."""

from __future__ import annotations

import re

from packaging.version import InvalidVersion, Version

HEADING = re.compile(r"^## \[?([^\]\s]+)\]?")
LINK = re.compile(r"^\[[^\]]+\]: ")  # the link definitions that close the file


def entry(text: str, version: str) -> str | None:
    """The body of `version`'s section (PEP 440 equal: `1.0` is `1.0.0`), if it has one."""
    wanted = Version(version)
    body: list[str] | None = None
    for line in text.splitlines():
        heading = HEADING.match(line)
        if heading or LINK.match(line):
            if body is not None:
                break
            if heading and _same(heading.group(1), wanted):
                body = []
        elif body is not None:
            body.append(line)
    if body is None:
        return None
    return "\n".join(body).strip() or None


def _same(name: str, wanted: Version) -> bool:
    try:
        return Version(name) == wanted
    except InvalidVersion:  # `Unreleased`
        return False
