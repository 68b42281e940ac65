"""scaffold installed from a wheel, as a user gets it: no checkout of the template
repository, templates shipped with their history, `scaffold update` offline."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from tests.support import REPO_ROOT
from tests.support.git import git, release


def build_and_install(checkout: Path, target: Path) -> None:
    """Build the wheel from `checkout` and unpack it into `target` (no network)."""
    dist = target.with_suffix(".dist")
    subprocess.run(
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
        check=True,
        capture_output=True,
    )
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


def test_wheel_generates_and_later_wheel_updates_offline(tmp_path: Path) -> None:
    checkout = tmp_path / "scaffold-src"
    git(tmp_path, "clone", "--quiet", str(REPO_ROOT), str(checkout))
    # Release 1 as committed in this repository, plus a file release 2 will change.
    notes = checkout / "templates" / "fastapi" / "NOTES.md"
    notes.write_text("first\n")
    release(checkout, "v1.0.0")
    home = tmp_path / "home"
    v1 = tmp_path / "v1"
    build_and_install(checkout, v1)
    assert (v1 / "scaffold" / "templates.bundle").is_file()

    made = scaffold(
        v1, home, "new", "svc", "-s", "fastapi", "--defaults", "--no-install", cwd=tmp_path
    )
    assert made.returncode == 0, made.stderr
    project = tmp_path / "svc"
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_commit"] == "v1.0.0"
    assert answers["_src_path"] == str(home / ".local/share/scaffold/templates.git")

    notes.write_text("second\n")
    release(checkout, "v2.0.0")
    v2 = tmp_path / "v2"
    build_and_install(checkout, v2)

    dry = scaffold(v2, home, "update", "--dry-run", "--no-input", cwd=project)
    assert dry.returncode == 0, dry.stderr
    assert "would change: M NOTES.md" in dry.stdout
    assert (project / "NOTES.md").read_text() == "first\n"

    updated = scaffold(v2, home, "update", "--no-input", cwd=project)
    assert updated.returncode == 0, updated.stderr
    assert (project / "NOTES.md").read_text() == "second\n"
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["_commit"] == "v2.0.0"
