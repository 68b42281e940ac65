"""scaffold installed from a wheel, as a user gets it: no checkout of the template
repository, templates shipped with their history and release tags, `scaffold update`
offline."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from tests.support import REPO_ROOT
from tests.support.git import git

# Test releases of a clone of scaffold, far past any the repository will have.
V1, V15, V2 = "90.0.0", "90.1.0", "91.0.0"
NOTES = Path("templates") / "fastapi" / "NOTES.md"


def release(checkout: Path, version: str, notes: str) -> None:
    """Release `version` of a clone of scaffold as its maintainers do, with NOTES.md
    saying `notes`: bump pyproject's version and add the version's CHANGELOG.md entry
    in one commit; the release tag is derived from that history when building."""
    (checkout / NOTES).write_text(f"{notes}\n")
    pyproject = checkout / "pyproject.toml"
    text = pyproject.read_text()
    pyproject.write_text(re.sub(r'(?m)^version = ".*"$', f'version = "{version}"', text, count=1))
    changelog = checkout / "CHANGELOG.md"
    text = changelog.read_text()
    assert "## [Unreleased]\n" in text
    entry = f"## [{version}] - 2026-12-31\n\n- NOTES.md says {notes}.\n"
    changelog.write_text(text.replace("## [Unreleased]\n", f"## [Unreleased]\n\n{entry}", 1))
    git(checkout, "add", "-A")
    git(checkout, "commit", "-qm", f"Release {version}")


def bundle_tags(installed: Path) -> dict[str, str]:
    """The shipped bundle's release tags: name -> commit."""
    heads = git(installed, "bundle", "list-heads", "scaffold/templates.bundle").splitlines()
    return {
        ref.removeprefix("refs/tags/"): sha
        for sha, ref in map(str.split, heads)
        if ref.startswith("refs/tags/")
    }


def version_at(checkout: Path, revision: str) -> str:
    match = re.search(
        r'(?m)^version = "(.*)"$', git(checkout, "show", f"{revision}:pyproject.toml")
    )
    assert match, revision
    return match.group(1)


def build_wheel(checkout: Path, dist: Path) -> subprocess.CompletedProcess[str]:
    """Build the wheel from `checkout` into `dist` (no network)."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(dist),
            str(checkout),
        ],
        check=False,
        capture_output=True,
        text=True,
    )


def build_and_install(checkout: Path, target: Path) -> None:
    """Build the wheel from `checkout` and unpack it into `target` (no network)."""
    dist = target.with_suffix(".dist")
    built = build_wheel(checkout, dist)
    assert built.returncode == 0, built.stderr
    (wheel,) = dist.glob("scaffold-*.whl")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )


def scaffold(
    installed: Path, home: Path, *args: str, cwd: Path
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(installed), "HOME": str(home)}
    env.pop("SCAFFOLD_TEMPLATE", None)
    return subprocess.run(
        [sys.executable, "-m", "scaffold", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def date_of(checkout: Path, commit: str) -> str:
    return git(checkout, "log", "-1", "--format=%cs", commit).strip()


def test_wheels_ship_release_tags_and_update_across_releases_offline(tmp_path: Path) -> None:
    checkout = tmp_path / "scaffold-src"
    # A fresh clone: no tag travels with it (nor would one from a server).
    git(tmp_path, "clone", "--quiet", "--no-tags", str(REPO_ROOT), str(checkout))
    release(checkout, V1, "first")
    home = tmp_path / "home"
    user_repo = home / ".local/share/scaffold/templates.git"
    v1 = tmp_path / "v1"
    build_and_install(checkout, v1)
    assert git(checkout, "tag") == ""  # the build tagged in a clone of its own

    # Every release in the history is tagged in the bundle: each commit of the mainline
    # at which pyproject's version changed, as v<version>.
    tags = bundle_tags(v1)
    assert {"v0.1.0", "v0.2.0", f"v{V1}"} <= set(tags)
    for tag, commit in tags.items():
        assert version_at(checkout, commit) == tag[1:]
        if git(checkout, "rev-list", "--parents", "-n1", commit).split()[1:]:
            assert version_at(checkout, f"{commit}^1") != tag[1:]

    made = scaffold(
        v1, home, "new", "svc", "-s", "fastapi", "--defaults", "--no-install", cwd=tmp_path
    )
    assert made.returncode == 0, made.stderr
    project = tmp_path / "svc"
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_commit"] == f"v{V1}"
    assert answers["_src_path"] == str(user_repo)

    listed = scaffold(v1, home, "update", "--list", cwd=project)
    assert listed.returncode == 0, listed.stderr
    width = len(f"v{V1}")
    rows = [f"  {tag:<{width}}  {date_of(checkout, tags[tag])}" for tag in sorted(tags)]
    assert listed.stdout.splitlines() == [
        f"Template releases in {user_repo}:",
        *rows[:-1],
        f"{rows[-1]}  <- this project",
    ]

    release(checkout, V15, "second")
    release(checkout, V2, "third")
    (checkout / NOTES).write_text("not released\n")
    git(checkout, "commit", "-qam", "After the release")
    v2 = tmp_path / "v2"
    build_and_install(checkout, v2)

    dry = scaffold(v2, home, "update", "--dry-run", "--no-input", cwd=project)
    assert dry.returncode == 0, dry.stderr
    assert "would change: M NOTES.md" in dry.stdout
    assert (project / NOTES.name).read_text() == "first\n"

    updated = scaffold(v2, home, "update", "--no-input", cwd=project)
    assert updated.returncode == 0, updated.stderr
    # To the newest release the wheel ships, not to the commit it was built from.
    assert (project / NOTES.name).read_text() == "third\n"
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["_commit"] == f"v{V2}"
    out = updated.stdout
    assert out.index(f"v{V15} (") < out.index("says second") < out.index(f"v{V2} (")
    assert out.index(f"v{V2} (") < out.index("says third") < out.index("changed: M NOTES.md")
    assert "says first" not in out

    # The older scaffold, run again, lists only the releases it ships, and its bundle
    # takes none of the newer scaffold's tags or branch from the user's repository.
    older = scaffold(v1, home, "update", "--list", cwd=project)
    assert older.returncode == 0, older.stderr
    assert f"v{V15}" not in older.stdout
    assert older.stdout.splitlines()[-1] == f"This project is on template version v{V2}."
    assert {f"v{V1}", f"v{V15}", f"v{V2}"} <= set(git(user_repo, "tag").split())
    # One branch per build, named for it: the second is one commit past v91.0.0.
    first, second = git(user_repo, "branch", "--format=%(refname:short)").split()
    assert first == f"scaffold-v{V1}"
    assert second.startswith(f"scaffold-v{V2}-1-g")
    assert git(checkout, "rev-parse", "HEAD").startswith(second.rsplit("-g", 1)[1])


def test_wheel_is_not_built_from_a_shallow_clone(tmp_path: Path) -> None:
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "--quiet", "--depth", "1", REPO_ROOT.as_uri(), str(shallow))
    built = build_wheel(shallow, tmp_path / "dist")
    assert built.returncode != 0
    assert "this clone is shallow: run `git fetch --unshallow` first" in built.stderr
