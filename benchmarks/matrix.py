"""What is measured: the variants, the endpoints, the cores and how long."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from scaffold.smoke import matrix
from tests.support.projects import variant

BENCH_DIR = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent  # scaffold, copier and py-spy of this venv
SERVER_CPU, LOAD_CPU = "0", "1"
CONNECTIONS = 32


@dataclass(frozen=True)
class Variant:
    """A variant of scaffold smoke's matrix, as the benchmark names it (the apps of the
    results), and the bare framework app it is compared with."""

    name: str
    smoke: matrix.Variant
    bare: str
    # Whether a minimal Nest app on the same framework (benchmarks/bare/nest.js) is
    # measured on /health for reference: the ceiling of the /health target there.
    nest_floor: bool = False

    @property
    def stack(self) -> str:
        return self.smoke.stack

    @property
    def floor_app(self) -> str | None:
        return f"bare-nest-{self.bare}" if self.nest_floor else None


# SQLite named on each: the matrix's first Express variant is a PostgreSQL one.
VARIANTS = (
    Variant("fastapi", variant("fastapi", database="sqlite"), "fastapi"),
    Variant(
        "nestjs-fastify",
        variant("nestjs", database="sqlite", http_adapter="fastify"),
        "fastify",
        nest_floor=True,
    ),
    Variant(
        "nestjs-express",
        variant("nestjs", database="sqlite", http_adapter="express"),
        "express",
        nest_floor=True,
    ),
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
ENDPOINTS = (
    HEALTH,
    ME,
    Endpoint("POST /api/v1/items", "POST", "/api/v1/items", body=ITEM_BODY),
)


@dataclass(frozen=True)
class Settings:
    warmup_seconds: int  # wrk takes whole seconds
    seconds: int
    # Measured windows per endpoint; the least disturbed one (most requests per
    # CPU-second) is kept, which steadies the short CI runs on a busy machine.
    rounds: int
    generate_repeats: int


FULL = Settings(warmup_seconds=3, seconds=10, rounds=1, generate_repeats=3)
QUICK = Settings(warmup_seconds=1, seconds=2, rounds=2, generate_repeats=1)
