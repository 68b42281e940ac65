"""The apps measured: each variant's generated service, installed and migrated with its
production settings, and the bare and floor apps (benchmarks/bare/) next to it."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from benchmarks.matrix import BENCH_DIR, HEALTH, ITEMS, ME, Endpoint, Variant
from scaffold.smoke.project import Project
from tests.support.processes import run
from tests.support.projects import environment, install, make


def project_dir(variant: Variant, work: Path) -> Path:
    return work / variant.name / "bench-svc"


def prepare(variants: list[Variant], work: Path) -> dict[str, Project]:
    """Each variant generated and installed (NestJS also built), side by side; the uv
    and npm caches make a rerun quick."""

    def one(variant: Variant) -> Project:
        project = install(variant.smoke, project_dir(variant, work))
        if variant.stack == "nestjs":
            make(project, "build")
        else:
            # Bytecode compiled ahead, as the generated Dockerfile's UV_COMPILE_BYTECODE
            # has it: a deployed service does not compile its imports as it starts, and
            # with PYTHONDONTWRITEBYTECODE set (as on this machine) it would at every start
            # (FastAPI's start-up read 4.1-4.4 s so, 2.1-2.5 s with bytecode).
            # Like uv's, it passes over files this Python cannot compile (coredis ships
            # one for 3.12 only): they are never imported here.
            python = str(project.path / ".venv/bin/python")
            compile_all = [python, "-m", "compileall", "-q", "-j0", ".venv/lib", "src"]
            run(compile_all, project.path, check=False)
        return project

    with ThreadPoolExecutor(max_workers=len(variants)) as pool:
        return dict(zip([v.name for v in variants], pool.map(one, variants), strict=True))


def existing(variant: Variant, work: Path) -> Project | None:
    """The variant's project as an earlier run left it in `work`, if it did."""
    path = project_dir(variant, work)
    if not (path / "Makefile").is_file():
        return None
    return Project(variant.smoke, path, environment(variant.stack))


def service_env(database_url: str) -> dict[str, str]:
    """The service's production settings, on a new database."""
    return {
        "APP_ENV": "production",
        "JWT_SECRET": secrets.token_hex(32),
        "LOGIN_RATE_LIMIT": "0",
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "info",
    }


def migrate(project: Project, env: Mapping[str, str]) -> None:
    run(["make", "migrate"], project.path, {**project.env, **env})


@dataclass(frozen=True)
class BareApp:
    name: str
    cmd: list[str]
    env: dict[str, str]
    endpoints: tuple[Endpoint, ...]
    on_database: bool = False  # serves from the service's database


def bare_apps(variant: Variant, project: Project, service: Mapping[str, str]) -> list[BareApp]:
    """The bare framework app, and the floor app if any, run with the project's own
    packages. Bare FastAPI (one per database: `bare-fastapi-sqlite`) also serves
    /users/me on the service's migrated database with its JWT secret, so the token the
    service issued is valid there. The Node apps touch no database: one of each is
    enough for both databases (the caller measures it once)."""
    bare = BENCH_DIR / "bare"
    if variant.bare == "fastapi":
        python = str(project.path / ".venv" / "bin" / "python")
        env = {"DATABASE_URL": service["DATABASE_URL"], "JWT_SECRET": service["JWT_SECRET"]}
        cmd = [python, str(bare / "fastapi_app.py")]
        return [BareApp(variant.bare_app, cmd, env, (HEALTH, ME, ITEMS), on_database=True)]
    node = {"NODE_PATH": str(project.path / "node_modules"), "NODE_ENV": "production"}
    apps = [(variant.bare_app, [str(bare / f"{variant.bare}.js")])]
    if variant.floor_app:
        apps.append((variant.floor_app, [str(bare / "nest.js"), variant.bare]))
    return [BareApp(name, ["node", *args], node, (HEALTH,)) for name, args in apps]
