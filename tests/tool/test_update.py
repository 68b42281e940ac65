"""`scaffold update` against a template repository that releases a new version.

The fixture template is a git copy of the real one plus a few files of its own,
tagged v1.0.0; the tests edit the generated project as a team would, release
v2.0.0 of the template, and update.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from typer.testing import Result

from tests.support import REPO_ROOT
from tests.support.generate import copy_template
from tests.support.git import git, release

Cli = Callable[..., Result]
GUIDE = "".join(f"line {n}\n" for n in range(1, 13))
CHANGELOG = """# Changelog

## [Unreleased]

## [2.0.0] - 2026-12-03

### Added

- docs/v2.md, the second page.

## [1.5.0] - 2026-12-02

### Added

- docs/v15.md.

## [1.0.0] - 2026-12-01

The first release.

[2.0.0]: https://example.com/compare/v1.5.0...v2.0.0
"""


@pytest.fixture(params=["fastapi", "nestjs"])
def stack(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stack: str) -> Path:
    """Template v1.0.0: the real template plus docs/guide.md and docs/extra.md."""
    path = copy_template(tmp_path / "template")
    docs = path / "templates" / stack / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "guide.md").write_text(GUIDE)
    (docs / "extra.md").write_text("extra\n")
    git(path, "init", "-q")
    release(path, "v1.0.0")
    monkeypatch.setenv("SCAFFOLD_TEMPLATE", str(path))
    return path


@pytest.fixture
def project(cli: Cli, tmp_path: Path, template: Path, stack: str) -> Path:
    """A project generated at v1.0.0, then changed and committed by its team."""
    result = cli("new", "svc", "-s", stack, "--defaults", "--no-install")
    assert result.exit_code == 0, result.output
    path = tmp_path / "svc"
    guide = path / "docs" / "guide.md"
    guide.write_text(guide.read_text().replace("line 2\n", "line 2 as the team wrote it\n"))
    env_example = path / ".env.example"
    env_example.write_text(env_example.read_text().replace("LOG_LEVEL=info", "LOG_LEVEL=debug"))
    (path / "docs" / "extra.md").unlink()
    (path / "team.txt").write_text("ours\n")
    git(path, "add", "-A")
    git(path, "commit", "-qm", "team changes")
    return path


def release_v2(template: Path, stack: str) -> None:
    """v2.0.0 changes line 2 (the team changed it too) and line 11 of the guide, the
    first line of .env.example (the team changed another line), and adds a file."""
    docs = template / "templates" / stack / "docs"
    guide = GUIDE.replace("line 2\n", "line 2 as the template now says\n")
    (docs / "guide.md").write_text(guide.replace("line 11\n", "line 11, improved\n"))
    (docs / "new.md").write_text("new in v2\n")
    env = template / "templates" / "shared" / "env.example.jinja"
    text = env.read_text()
    env.write_text("# Settings for this service.\n" + text.split("\n", 1)[1])
    release(template, "v2.0.0")


def read(path: Path) -> str:
    return path.read_text()


def recorded(project: Path) -> str:
    return str(yaml.safe_load(read(project / ".copier-answers.yml"))["_commit"])


def commit_unreleased(template: Path, stack: str, name: str) -> None:
    (template / "templates" / stack / "docs" / name).write_text("not released\n")
    git(template, "add", "-A")
    git(template, "commit", "-qm", f"unreleased {name}")


def date_of(template: Path, tag: str) -> str:
    return git(template, "log", "-1", "--format=%cs", tag).strip()


def test_update_keeps_team_edits_brings_template_changes_reports_conflicts(
    cli: Cli, project: Path, template: Path, stack: str
) -> None:
    release_v2(template, stack)
    env = read(project / ".env")
    result = cli("update", "--project", str(project), "--no-input")
    assert result.exit_code == 1, result.output  # 1: there are conflicts to resolve
    # The team's edits stay, and so does their .env with its secret.
    assert read(project / "team.txt") == "ours\n"
    assert read(project / ".env") == env
    assert "LOG_LEVEL=debug" in read(project / ".env.example")
    assert not (project / "docs" / "extra.md").exists()
    # Template changes arrive.
    assert read(project / "docs" / "new.md") == "new in v2\n"
    assert read(project / ".env.example").startswith("# Settings for this service.\n")
    guide = read(project / "docs" / "guide.md")
    assert "line 11, improved" in guide
    # Both changed line 2: a conflict with both sides shown and reported.
    assert "<<<<<<< before updating" in guide
    assert "line 2 as the team wrote it" in guide and "line 2 as the template now says" in guide
    assert "conflict: docs/guide.md" in result.output
    assert result.output.count("conflict: ") == 1
    assert yaml.safe_load(read(project / ".copier-answers.yml"))["_commit"] == "v2.0.0"
    # Nothing committed: the user reviews with git diff.
    assert git(project, "log", "--oneline").count("\n") == 2


def test_update_with_rej_files(cli: Cli, project: Path, template: Path, stack: str) -> None:
    release_v2(template, stack)
    result = cli("update", "-p", str(project), "--no-input", "--conflict", "rej")
    assert result.exit_code == 1, result.output
    # copier's rej mode: the file takes the template's side, and the team's hunk that
    # no longer applies waits in FILE.rej: kept, not dropped.
    assert "line 2 as the template now says" in read(project / "docs" / "guide.md")
    assert "+line 2 as the team wrote it" in read(project / "docs" / "guide.md.rej")
    assert "line 11, improved" in read(project / "docs" / "guide.md")
    assert "conflict: docs/guide.md.rej" in result.output


def test_dry_run_lists_changes_and_touches_nothing(
    cli: Cli, project: Path, template: Path, stack: str
) -> None:
    release_v2(template, stack)
    head = git(project, "rev-parse", "HEAD")
    result = cli("update", "-p", str(project), "--no-input", "--dry-run")
    assert result.exit_code == 1, result.output
    assert "would change: ? docs/new.md" in result.output
    assert "would change: M .env.example" in result.output
    assert "conflict: docs/guide.md" in result.output
    assert git(project, "status", "--porcelain") == ""
    assert git(project, "rev-parse", "HEAD") == head
    assert not (project / "docs" / "new.md").exists()


def test_to_picks_a_version_and_data_changes_an_answer(
    cli: Cli, project: Path, template: Path, stack: str
) -> None:
    (template / "templates" / stack / "docs" / "v15.md").write_text("1.5\n")
    release(template, "v1.5.0")
    release_v2(template, stack)
    result = cli(  # a release by its version, as well as by its tag
        "update", "-p", str(project), "--no-input", "--to", "1.5.0", "-d", "database=postgresql"
    )
    assert result.exit_code == 0, result.output
    assert (project / "docs" / "v15.md").is_file()
    assert not (project / "docs" / "new.md").exists()
    answers = yaml.safe_load(read(project / ".copier-answers.yml"))
    assert answers["_commit"] == "v1.5.0" and answers["database"] == "postgresql"
    assert "DATABASE_URL=postgresql://" in read(project / ".env.example")


def test_update_goes_to_the_newest_release_with_the_changelog_of_each_it_crosses(
    cli: Cli, project: Path, template: Path, stack: str
) -> None:
    docs = template / "templates" / stack / "docs"
    (docs / "v15.md").write_text("1.5\n")
    release(template, "v1.5.0")
    (docs / "v2.md").write_text("2\n")
    (template / "CHANGELOG.md").write_text(CHANGELOG)
    release(template, "v2.0.0")
    commit_unreleased(template, stack, "unreleased.md")
    result = cli("update", "-p", str(project), "--no-input")
    assert result.exit_code == 0, result.output
    assert (project / "docs" / "v15.md").is_file() and (project / "docs" / "v2.md").is_file()
    assert not (project / "docs" / "unreleased.md").exists()  # HEAD is not a release
    assert recorded(project) == "v2.0.0"
    out = result.output
    v15, v2 = f"v1.5.0 ({date_of(template, 'v1.5.0')})", f"v2.0.0 ({date_of(template, 'v2.0.0')})"
    assert out.index("Template v1.0.0 -> v2.0.0") < out.index(v15) < out.index(v2), out
    assert "  ### Added\n\n  - docs/v15.md.\n" in out.split(v15)[1].split(v2)[0]
    assert "  - docs/v2.md, the second page.\n" in out.split(v2)[1]
    assert "The first release" not in out and "example.com" not in out


def test_list_shows_the_releases_and_the_one_the_project_is_on(
    cli: Cli, project: Path, template: Path, stack: str
) -> None:
    (template / "templates" / stack / "docs" / "v15.md").write_text("1.5\n")
    release(template, "v1.5.0")
    (project / "team.txt").write_text("uncommitted\n")  # listing needs no clean tree
    v1, v15 = date_of(template, "v1.0.0"), date_of(template, "v1.5.0")
    result = cli("update", "--list", "-p", str(project))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"Template releases in {template}:",
        f"  v1.0.0  {v1}  <- this project",
        f"  v1.5.0  {v15}",
    ]
    outside = cli("update", "--list")  # not in a project: only the releases
    assert outside.exit_code == 0, outside.output
    assert outside.output.splitlines() == [
        f"Template releases in {template}:",
        f"  v1.0.0  {v1}",
        f"  v1.5.0  {v15}",
    ]


def test_a_project_past_the_newest_release_stays_on_its_version(
    cli: Cli, tmp_path: Path, template: Path, stack: str
) -> None:
    commit_unreleased(template, stack, "later.md")
    made = cli("new", "later", "-s", stack, "--defaults", "--no-install")
    assert made.exit_code == 0, made.output
    project = tmp_path / "later"
    version = recorded(project)
    assert version.startswith("v1.0.0-1-g"), version  # git describe: v1.0.0 and one more
    result = cli("update", "-p", str(project), "--no-input")
    assert result.exit_code == 0, result.output
    assert "Already up to date" in result.output
    assert (project / "docs" / "later.md").is_file()  # not taken back to v1.0.0
    assert recorded(project) == version
    listing = cli("update", "--list", "-p", str(project))
    assert f"This project is on template version {version}." in listing.output
    assert "<- this project" not in listing.output


def test_list_from_a_checkout_derives_its_releases(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SCAFFOLD_TEMPLATE", raising=False)
    result = cli("update", "--list")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Template releases in {REPO_ROOT}:"
    assert "  v0.1.0  2026-11-24" in lines
    assert any(line.startswith("  v0.2.0  ") for line in lines)


def test_up_to_date_project(cli: Cli, project: Path) -> None:
    result = cli("update", "-p", str(project), "--no-input")
    assert result.exit_code == 0, result.output
    assert "Already up to date" in result.output
    assert git(project, "status", "--porcelain") == ""


def refused(result: Result, message: str) -> None:
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and message in errors[0], result.output


def test_refuses_outside_git(cli: Cli, project: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns(".git"))
    refused(cli("update", "-p", str(copy), "--no-input"), "is not a git repository")


def test_refuses_uncommitted_changes(cli: Cli, project: Path) -> None:
    (project / "team.txt").write_text("edited\n")
    refused(cli("update", "-p", str(project), "--no-input"), "uncommitted changes")
    assert read(project / "team.txt") == "edited\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no .copier-answers.yml"),
        ("stack: [unclosed\n", ".copier-answers.yml is broken"),
        ("stack: fastapi\n", "_commit, _src_path missing"),
        ("_commit: v0.0.9\n_src_path: /nowhere\nstack: fastapi\n", "v0.0.9 recorded"),
    ],
)
def test_refuses_bad_answers(cli: Cli, project: Path, content: str | None, message: str) -> None:
    answers = project / ".copier-answers.yml"
    if content is None:
        answers.unlink()
    else:
        answers.write_text(content)
    git(project, "add", "-A")
    git(project, "commit", "-qm", "break answers")
    refused(cli("update", "-p", str(project), "--no-input"), message)


def test_refuses_unknown_target_version(cli: Cli, project: Path, template: Path) -> None:
    refused(
        cli("update", "-p", str(project), "--no-input", "--to", "v9.9.9"),
        f"unknown template version 'v9.9.9' in {template} (releases: v1.0.0)",
    )


def test_list_refuses_a_missing_project(cli: Cli, tmp_path: Path) -> None:
    refused(cli("update", "--list", "-p", str(tmp_path / "nowhere")), "is not a directory")


def test_refuses_unknown_conflict_style(cli: Cli) -> None:
    result = cli("update", "--conflict", "bogus")
    assert result.exit_code == 2, result.output  # typer's usage error, before any work
    words = " ".join(result.output.replace("│", " ").split())  # unwrap typer's error box
    assert "Invalid value for '--conflict'" in words, result.output
    assert "'bogus' is not one of 'inline', 'rej'" in words, result.output
