"""Behaviour that depends on how the service was started: each test starts its own server.

On the variants without GraphQL: the option adds no setting these read, and the
GraphQL variants' own start-up settings (GRAPHQL_IDE, production) are test_graphql.py's.
That keeps the suite's time to what each option needs (README.md, "Time budget")."""

from __future__ import annotations

import socket

import pytest

from tests.blackbox.helpers import (
    PASSWORD,
    admin_token,
    assert_problem,
    bearer,
    client,
    login,
    register,
    unique_email,
)
from tests.blackbox.services import Project
from tests.support.projects import MATRIX

pytestmark = pytest.mark.only(graphql=False, websockets=False)


def test_login_rate_limit_and_docs_disabled(project: Project) -> None:
    with (
        project.serve(
            LOGIN_RATE_LIMIT="3/minute", DOCS_ENABLED="false", LOG_LEVEL="error"
        ) as service,
        client(service) as http,
    ):
        # Every attempt counts, successful or not.
        user = register(http)
        login(http, user["email"])
        for _ in range(2):
            wrong = {"username": user["email"], "password": "wrong password"}
            assert_problem(http.post("/api/v1/auth/login", data=wrong), 401)
        limited = http.post(
            "/api/v1/auth/login", data={"username": user["email"], "password": PASSWORD}
        )
        assert_problem(limited, 429)
        retry_after = int(limited.headers["retry-after"])
        assert 1 <= retry_after <= 60, retry_after
        # Other routes are not limited.
        assert http.get("/health").status_code == 200
        register(http)

        for path in ("/docs", "/redoc", "/openapi.json"):
            assert_problem(http.get(path), 404)

    # LOG_LEVEL=error (a name every stack accepts): nothing below error was written.
    lines = service.json_log()
    below = [line for line in lines if not _at_least_error(line["level"])]
    assert below == [], below[:5]


def _at_least_error(level: str | int) -> bool:
    if isinstance(level, int):  # pino-style numeric levels
        return level >= 50
    return level.lower() in ("error", "fatal", "critical")


def _flush_redis_db(host: str, port: int, db: int) -> None:
    """FLUSHDB over RESP: the counters of an earlier variant must not leak into this one."""
    with socket.create_connection((host, port), timeout=5) as sock:
        sock.sendall(f"*2\r\n$6\r\nSELECT\r\n${len(str(db))}\r\n{db}\r\n".encode())
        sock.sendall(b"*1\r\n$7\r\nFLUSHDB\r\n")
        replies = b""
        while replies.count(b"\r\n") < 2:
            replies += sock.recv(64)
    assert replies == b"+OK\r\n+OK\r\n", replies


def test_login_rate_limit_is_shared_by_replicas_through_redis(project: Project) -> None:
    # Redis databases 1-14 belong to this test, one per variant so that variants running
    # at once on xdist workers keep apart (the generated suites use 15).
    db = 1 + MATRIX.index(project.variant)
    assert db < 15, "more variants than Redis databases for this test"
    _flush_redis_db("127.0.0.1", 6379, db)
    redis = {"REDIS_URL": f"redis://127.0.0.1:6379/{db}", "LOGIN_RATE_LIMIT": "3/minute"}
    with (
        project.database() as database_url,
        project.serve(database_url, **redis) as first,
        project.serve(database_url, **redis) as second,
        client(first) as one,
        client(second) as two,
    ):
        user = register(one)
        attempt = {"username": user["email"], "password": PASSWORD}
        assert one.post("/api/v1/auth/login", data=attempt).status_code == 200
        assert two.post("/api/v1/auth/login", data=attempt).status_code == 200
        assert one.post("/api/v1/auth/login", data=attempt).status_code == 200
        # The fourth attempt in the minute, on the replica that has seen only one.
        limited = two.post("/api/v1/auth/login", data=attempt)
        assert_problem(limited, 429)
        assert 1 <= int(limited.headers["retry-after"]) <= 60
        assert_problem(one.post("/api/v1/auth/login", data=attempt), 429)
    _flush_redis_db("127.0.0.1", 6379, db)


def test_first_admin_restored_never_duplicated_rate_limit_off_and_quiet_production_logs(
    project: Project,
) -> None:
    with project.database() as database_url:
        with project.serve(database_url, LOGIN_RATE_LIMIT="0") as first, client(first) as http:
            # LOGIN_RATE_LIMIT=0 turns the limit off.
            wrong = {"username": unique_email("nobody"), "password": "wrong password"}
            for _ in range(8):
                assert_problem(http.post("/api/v1/auth/login", data=wrong), 401)

            admin = bearer(admin_token(http, first))
            deputy = register(http)
            promoted = http.patch(
                f"/api/v1/users/{deputy['id']}", json={"role": "admin"}, headers=admin
            )
            assert promoted.status_code == 200, promoted.text
            me = http.get("/api/v1/users/me", headers=admin).json()
            deputy_auth = bearer(login(http, deputy["email"])["access_token"])
            demoted = http.patch(
                f"/api/v1/users/{me['id']}",
                json={"role": "user", "is_active": False},
                headers=deputy_auth,
            )
            assert demoted.status_code == 200, demoted.text
            assert (demoted.json()["role"], demoted.json()["is_active"]) == ("user", False)

        # Restarted with another FIRST_ADMIN_PASSWORD: the admin is an active admin again,
        # its password untouched, and still one account.
        with (
            project.serve(
                database_url,
                APP_ENV="production",
                FIRST_ADMIN_PASSWORD="a-different-password",
                LOG_LEVEL="info",
            ) as second,
            client(second) as http,
        ):
            assert_problem(
                http.post(
                    "/api/v1/auth/login",
                    data={"username": second.admin_email, "password": "a-different-password"},
                ),
                401,
            )
            auth = bearer(login(http, second.admin_email, first.admin_password)["access_token"])
            me_again = http.get("/api/v1/users/me", headers=auth).json()
            assert (me_again["id"], me_again["role"], me_again["is_active"]) == (
                me["id"],
                "admin",
                True,
            )
            page = http.get("/api/v1/users?limit=100", headers=auth).json()
            emails = [u["email"] for u in page["items"]]
            assert emails.count(second.admin_email) == 1, emails

            # A successful request writes no line at all in production.
            request_id = "production-quiet-check"
            listed = http.get("/api/v1/items", headers={"X-Request-ID": request_id, **auth})
            assert listed.status_code == 200

    # Read once the server has stopped: a line written asynchronously after the response
    # (pino's default) would otherwise be missed and the check pass without looking.
    lines = second.json_log()
    assert lines, "no JSON log lines"
    for line in lines:
        assert {"time", "level", "message"} <= set(line), line
    written = [line for line in lines if line.get("request_id") == request_id]
    assert written == [], "production writes per-request access lines"


def test_production_refuses_a_weak_secret(project: Project) -> None:
    # 31 bytes: one short of the minimum.
    with project.database() as database_url:
        code, output = project.start(database_url, APP_ENV="production", JWT_SECRET="s" * 31)
    assert code != 0, output
    # One `error:` line that says what to fix; neither a Python traceback nor a Node stack.
    reasons = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(reasons) == 1, output
    assert "JWT_SECRET must be set to at least 32 bytes" in reasons[0], output
    assert "Traceback" not in output and "    at " not in output, output
