"""Generated projects and the services started from them, as a user would start them."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scaffold.smoke import project as smoke
from scaffold.smoke.matrix import Variant
from tests.support.mailbox import shared_mailbox
from tests.support.postgres import postgres_database
from tests.support.processes import run

ADMIN_EMAIL = "first.admin@example.com"
ADMIN_PASSWORD = "first-admin-password"
ALLOWED_ORIGIN = "https://allowed.example"
FRONTEND_URL = "https://app.example"
MAIL_FROM = "accounts@svc.example"


@dataclass(frozen=True)
class Service:
    """A running generated service and what it was started with."""

    variant: Variant
    base_url: str
    env: dict[str, str]
    log_path: Path

    @property
    def api(self) -> str:
        return f"{self.base_url}/api/v1"

    @property
    def jwt_secret(self) -> str:
        return self.env["JWT_SECRET"]

    @property
    def admin_email(self) -> str:
        return self.env["FIRST_ADMIN_EMAIL"]

    @property
    def admin_password(self) -> str:
        return self.env["FIRST_ADMIN_PASSWORD"]

    def json_log(self, wait_for: str | None = None, timeout: float = 5.0) -> list[dict[str, Any]]:
        """The complete JSON log lines; with `wait_for`, once a line has that request id.

        The services write stdout asynchronously (pino's default), so a request's line
        may land a moment after its response.
        """
        deadline = time.monotonic() + timeout
        while True:
            text = self.log_path.read_text(errors="replace")
            complete = text[: text.rfind("\n") + 1].splitlines()
            lines = [json.loads(line) for line in complete if line.startswith("{")]
            if wait_for is None or time.monotonic() > deadline:
                return lines
            if any(line.get("request_id") == wait_for for line in lines):
                return lines
            time.sleep(0.05)


@dataclass
class Project:
    """A generated, installed project; `serve` starts it the way a user would."""

    variant: Variant
    path: Path
    # What every command gets (tools on PATH); `env` adds the service's own settings.
    tool_env: dict[str, str] = field(default_factory=dict)

    @contextmanager
    def database(self) -> Iterator[str]:
        """A fresh, empty database URL of the project's kind, removed afterwards."""
        if self.variant.get("database") == "postgresql":
            with postgres_database("scaffold_blackbox") as url:
                yield url
        else:
            db_dir = self.path / "databases"
            db_dir.mkdir(exist_ok=True)
            yield f"sqlite:///{db_dir / f'{secrets.token_hex(6)}.db'}"

    def env(self, database_url: str, **overrides: str) -> dict[str, str]:
        """Every contract variable set explicitly, so neither .env nor the caller leaks in."""
        return {
            **self.tool_env,
            "APP_ENV": "development",
            "DATABASE_URL": database_url,
            "JWT_SECRET": secrets.token_hex(32),
            "ACCESS_TOKEN_TTL_SECONDS": "900",
            "REFRESH_TOKEN_TTL_SECONDS": "1209600",
            "CORS_ORIGINS": ALLOWED_ORIGIN,
            "FIRST_ADMIN_EMAIL": ADMIN_EMAIL,
            "FIRST_ADMIN_PASSWORD": ADMIN_PASSWORD,
            "LOGIN_RATE_LIMIT": "10000/minute",
            "REDIS_URL": "",
            "EMAIL_RATE_LIMIT": "10000/minute",
            "SMTP_URL": shared_mailbox().url,
            "MAIL_FROM": MAIL_FROM,
            "FRONTEND_URL": FRONTEND_URL,
            "PASSWORD_RESET_TTL_SECONDS": "3600",
            "EMAIL_VERIFICATION_TTL_SECONDS": "86400",
            "REQUIRE_VERIFIED_EMAIL": "false",
            "DOCS_ENABLED": "true",
            "LOG_LEVEL": "info",
            **overrides,
        }

    @contextmanager
    def serve(self, database_url: str | None = None, **overrides: str) -> Iterator[Service]:
        """`make start` on a free loopback port, on `database_url` or a fresh database."""
        with ExitStack() as stack:
            if database_url is None:
                database_url = stack.enter_context(self.database())
            env = self.env(database_url, **overrides)
            log = self.path / f"server-{secrets.token_hex(4)}.log"
            generated = smoke.Project(self.variant, self.path, env)
            base_url = stack.enter_context(smoke.serve(generated, log, timeout=240)).url
            yield Service(self.variant, base_url, env, log)

    def start(self, database_url: str, **overrides: str) -> tuple[int, str]:
        """Run `make start` expecting it to exit by itself: (exit code, output)."""
        result = run(
            ["make", "start"],
            cwd=self.path,
            env={**self.env(database_url, **overrides), "HOST": "127.0.0.1"},
            timeout=90,
            check=False,
        )
        return result.returncode, result.stdout + result.stderr
