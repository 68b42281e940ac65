"""What is measured: the variants, the endpoints, the cores and how long."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from scaffold.smoke import matrix

BENCH_DIR = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent  # scaffold, copier and py-spy of this venv
SERVER_CPU, LOAD_CPU = "0", "1"
CONNECTIONS = 32


DATABASES = ("sqlite", "postgresql")


@dataclass(frozen=True)
class Variant:
    """A variant of scaffold smoke's matrix, as the benchmark names it (the apps of the
    results: `<stack>-<database>`), and the bare framework app it is compared with."""

    name: str
    smoke: matrix.Variant
    bare: str
    # Whether a minimal Nest app on the same framework (benchmarks/bare/nest.js) is
    # measured on /health for reference: the ceiling of the /health ratio there.
    nest_floor: bool = False

    @property
    def stack(self) -> str:
        return self.smoke.stack

    @property
    def database(self) -> str:
        return str(self.smoke.get("database"))

    @property
    def bare_app(self) -> str:
        """The bare framework app's name; bare FastAPI's, which also serves /users/me
        from the service's database, names the database."""
        if self.stack == "fastapi":
            return f"bare-{self.bare}-{self.database}"
        return f"bare-{self.bare}"

    @property
    def floor_app(self) -> str | None:
        return f"bare-nest-{self.bare}" if self.nest_floor else None

    @property
    def family(self) -> str:
        """The name without the database: `nestjs-fastify`."""
        return self.name.removesuffix(f"-{self.database}")

    def selected_by(self, names: list[str]) -> bool:
        """Named in `--variants`, by its own name or by its family's (`fastapi` is both
        databases of FastAPI)."""
        return self.name in names or self.family in names


# Each stack (and NestJS adapter), on each database, with the other options at their
# defaults (no GraphQL, no WebSockets): the answers are given in full rather than
# picked from the smoke matrix, which has no NestJS-Express-SQLite variant without them.
_STACKS: tuple[tuple[str, str, dict[str, str], bool], ...] = (
    ("fastapi", "fastapi", {}, False),
    ("nestjs-fastify", "nestjs", {"http_adapter": "fastify"}, True),
    ("nestjs-express", "nestjs", {"http_adapter": "express"}, True),
)
VARIANTS = tuple(
    Variant(
        f"{name}-{database}",
        matrix.Variant(
            stack, {"database": database, **answers, "graphql": False, "websockets": False}
        ),
        bare=name.removeprefix("nestjs-"),
        nest_floor=nest_floor,
    )
    for name, stack, answers, nest_floor in _STACKS
    for database in DATABASES
)


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str
    body: str | None = None


ITEM_BODY = json.dumps({"title": "Benchmark item", "description": "Written by benchmarks/run.py"})
HEALTH = Endpoint("GET /health", "GET", "/health")
ME = Endpoint("GET /api/v1/users/me", "GET", "/api/v1/users/me")
ITEMS = Endpoint("POST /api/v1/items", "POST", "/api/v1/items", body=ITEM_BODY)
ENDPOINTS = (HEALTH, ME, ITEMS)


@dataclass(frozen=True)
class Settings:
    warmup_seconds: int  # wrk takes whole seconds
    seconds: int  # the measured window, per endpoint
    rounds: int  # windows per endpoint, the least disturbed one kept
    generate_repeats: int  # 0: generation is not timed


FULL = Settings(warmup_seconds=3, seconds=10, rounds=1, generate_repeats=3)
# The quick run fits in .ci/run's budget of 4 minutes: three short windows per endpoint, no
# generation timing (nothing a quick run checks), and by default not NestJS on Express,
# whose code is NestJS on Fastify's but for the adapter (its floors are checked by the
# full run, and by a quick run that names it in --variants).
QUICK = Settings(warmup_seconds=1, seconds=2, rounds=3, generate_repeats=0)
QUICK_FAMILIES = ("fastapi", "nestjs-fastify")
