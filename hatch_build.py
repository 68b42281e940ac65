"""Build hook: ship the templates with their history and release tags inside the wheel.

`git bundle` packs this repository's history into one file, `scaffold/templates.bundle`,
which copier reads like any git repository. An installed scaffold can so render any
released template version offline, which `scaffold update` needs to compute what
changed since a project was generated. The bundle carries a `v<version>` tag for every
release, derived from history (src/scaffold/releases.py): tags do not travel with a
clone, so the clone a wheel is built from may have none.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class TemplateBundleHook(BuildHookInterface):  # type: ignore[type-arg]
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return  # an editable install renders from the checkout itself
        root = Path(self.root)
        out = Path(self.directory) / "templates.bundle"
        out.parent.mkdir(parents=True, exist_ok=True)
        if _git(root, "rev-parse", "--is-shallow-repository") == "true":
            raise RuntimeError(
                "scaffold's wheel ships the whole template history, and this clone is "
                "shallow: run `git fetch --unshallow` first"
            )
        with tempfile.TemporaryDirectory(prefix="scaffold-bundle-") as tmp:
            _bundle(root, Path(tmp) / "templates.git", out)
        build_data["force_include"][str(out)] = "scaffold/templates.bundle"


def _bundle(root: Path, repo: Path, out: Path) -> None:
    # Tag in a clone, so that the developer's repository gains no tags; `--shared`
    # borrows its objects instead of copying them.
    _git(root, "clone", "--quiet", "--bare", "--no-tags", "--shared", str(root), str(repo))
    for release in _releases(root).derived(partial(_git, repo)):
        _git(repo, "tag", release.tag, release.commit)
    # The branch is named for this build (scaffold-v0.2.0, or scaffold-v0.2.0-3-gabc1234
    # between releases): the user's template repository keeps one branch per build, so
    # no commit a scaffold shipped becomes unreachable when another one is installed.
    branch = f"refs/heads/scaffold-{_git(repo, 'describe', '--tags', '--always')}"
    _git(repo, "update-ref", branch, "HEAD")
    _git(repo, "bundle", "create", "--quiet", str(out), branch, "--tags")


def _releases(root: Path) -> ModuleType:
    """src/scaffold/releases.py, by path: the build environment lacks scaffold's
    dependencies, so the package itself cannot be imported."""
    spec = importlib.util.spec_from_file_location(
        "scaffold_releases", root / "src" / "scaffold" / "releases.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(
            "scaffold's wheel is built from a git clone (it ships the template history): "
            f"`git {' '.join(args)}` failed: {result.stderr.strip()}"
        )
    return result.stdout.strip()
