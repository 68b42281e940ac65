"""`scaffold new` through typer's CliRunner: generation, answers, refusals."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from typer.testing import Result

Cli = Callable[..., Result]


def answers(project: Path) -> dict[str, object]:
    return yaml.safe_load((project / ".copier-answers.yml").read_text())


def test_new_non_interactive_records_answers_and_version(cli: Cli, tmp_path: Path) -> None:
    result = cli(
        "new",
        "orders-api",
        "--stack",
        "nestjs",
        "--defaults",
        "--no-install",
        "--no-git",
        "--data",
        "database=postgresql",
        "-d",
        "description=Orders",
    )
    assert result.exit_code == 0, result.output
    recorded = answers(tmp_path / "orders-api")
    assert recorded["stack"] == "nestjs"
    assert recorded["project_name"] == "orders-api"
    assert recorded["database"] == "postgresql"
    assert recorded["description"] == "Orders"
    assert recorded["http_adapter"] == "fastify"  # the default
    assert recorded["_src_path"]
    assert recorded["_commit"]  # the template version, for `scaffold update`
    assert "cd orders-api" in result.output and "make test" in result.output


def test_answers_file_is_read_and_data_wins(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "answers.yml").write_text(
        "_src_path: elsewhere\nstack: fastapi\ndatabase: postgresql\ndescription: From file\n"
    )
    result = cli(
        "new",
        "billing",
        "--answers-file",
        "answers.yml",
        "--no-input",
        "--no-install",
        "--no-git",
        "--data",
        "description=From flag",
    )
    assert result.exit_code == 0, result.output
    recorded = answers(tmp_path / "billing")
    assert recorded["stack"] == "fastapi"
    assert recorded["database"] == "postgresql"
    assert recorded["description"] == "From flag"
    assert recorded["_src_path"] != "elsewhere"


def test_env_gets_a_fresh_secret_and_stays_out_of_git(cli: Cli, tmp_path: Path) -> None:
    result = cli("new", "svc", "-s", "fastapi", "--defaults", "--no-install")
    assert result.exit_code == 0, result.output
    project = tmp_path / "svc"
    secret = next(
        line.split("=", 1)[1]
        for line in (project / ".env").read_text().splitlines()
        if line.startswith("JWT_SECRET=")
    )
    assert len(bytes.fromhex(secret)) == 32
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=project, capture_output=True, text=True, check=True
    ).stdout.split()
    assert ".env.example" in tracked and ".copier-answers.yml" in tracked
    assert ".env" not in tracked
    log = subprocess.run(
        ["git", "log", "--oneline"], cwd=project, capture_output=True, text=True, check=True
    ).stdout
    assert len(log.splitlines()) == 1


def test_inside_another_repository_no_repository_of_its_own(cli: Cli, tmp_path: Path) -> None:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=tmp_path, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout

    git("init", "-q")
    result = cli("new", "services/orders", "-s", "fastapi", "--defaults", "--no-install")
    assert result.exit_code == 0, result.output
    assert f"Inside the git repository at {tmp_path}" in result.output
    project = tmp_path / "services" / "orders"
    assert (project / ".copier-answers.yml").is_file()
    assert not (project / ".git").exists()
    # Nothing committed or staged in the user's repository: the files wait for them.
    assert git("rev-list", "--all") == ""
    assert git("diff", "--cached", "--name-only") == ""
    assert "?? services/" in git("status", "--porcelain")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["new", "Bad_Name", "-s", "fastapi", "--defaults"], "project_name"),
        (["new", "9lives", "-s", "fastapi", "--defaults"], "must start with a letter"),
        (["new", "svc", "-s", "django", "--defaults"], "unknown stack 'django'"),
        (["new", "svc", "--no-input"], "missing answer: stack"),
        (["new", "-s", "fastapi", "--no-input"], "missing answer: project name"),
        (["new", "svc", "-s", "fastapi", "--defaults", "-d", "database=mysql"], "'mysql'"),
        (
            ["new", "svc", "-s", "fastapi", "--defaults", "-d", "colour=blue"],
            "unknown answer 'colour'",
        ),
        (
            ["new", "svc", "-s", "fastapi", "--defaults", "-d", "http_adapter=express"],
            "unknown answer 'http_adapter'",
        ),
        (["new", "svc", "-s", "fastapi", "--defaults", "-d", "novalue"], "key=value"),
        (["new", "svc", "-s", "fastapi", "--defaults", "-a", "missing.yml"], "cannot read"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(
    cli: Cli, tmp_path: Path, args: list[str], message: str
) -> None:
    result = cli(*args, "--no-install", "--no-git")
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and message in errors[0], result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        p for p in ["missing.yml"] if (tmp_path / p).exists()
    ]


def test_broken_answers_file(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text("stack: [fastapi\n")
    result = cli("new", "svc", "-a", "a.yml", "--no-input", "--no-install", "--no-git")
    assert result.exit_code == 2
    assert "not valid YAML" in result.output


def test_non_empty_target_is_refused_and_left_alone(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "svc"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    result = cli("new", "svc", "-s", "fastapi", "--defaults", "--no-install", "--no-git")
    assert result.exit_code == 2
    assert "not empty" in result.output and "--force" in result.output
    assert [p.name for p in target.iterdir()] == ["notes.txt"]


def test_force_keeps_user_files_that_would_be_replaced(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "svc"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    (target / ".env.example").write_text("MY=1\n")
    result = cli("new", "svc", "-s", "fastapi", "--defaults", "--no-install", "--no-git", "--force")
    assert result.exit_code == 0, result.output
    assert (target / "notes.txt").read_text() == "mine"
    assert (target / ".env.example.orig").read_text() == "MY=1\n"
    assert "JWT_SECRET=" in (target / ".env.example").read_text()
    assert ".env.example.orig" in result.output


def test_empty_existing_directory_is_fine(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "svc").mkdir()
    result = cli("new", "svc", "-s", "fastapi", "--defaults", "--no-install", "--no-git")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "svc" / ".copier-answers.yml").is_file()


def test_target_that_is_a_file(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "svc").write_text("x")
    result = cli("new", "svc", "-s", "fastapi", "--defaults", "--no-install", "--no-git")
    assert result.exit_code == 2
    assert "not a directory" in result.output


def test_failing_template_task_leaves_nothing_behind(
    cli: Cli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    template_with_task: Callable[[str], str],
) -> None:
    monkeypatch.setenv("SCAFFOLD_TEMPLATE", template_with_task("exit 3"))
    result = cli("new", "svc", "-s", "fastapi", "--defaults", "--no-install", "--no-git")
    assert result.exit_code == 2, result.output
    assert "template failed" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["template-src"]


def test_list_shows_stacks_and_their_options(cli: Cli) -> None:
    result = cli("list")
    assert result.exit_code == 0, result.output
    fastapi, nestjs = result.output.split("nestjs  ")
    assert "fastapi" in fastapi and "uv" in fastapi and "database" in fastapi
    assert "http_adapter" not in fastapi
    assert "http_adapter" in nestjs and "fastify|express" in nestjs and "node" in nestjs
    for stack in (fastapi, nestjs):  # a yes/no question, written as --data takes it
        assert "--data graphql=… [true|false] (default: false)" in stack
