"""PostgreSQL going away under a running service, and coming back.

The service runs on a private cluster this test owns (never the machine's shared
PostgreSQL). The cluster is first frozen (SIGSTOP: it accepts connections and never
answers, like a hung server or a black-holed network), then stopped the way a crash
looks to clients (`pg_ctl -m immediate`), then started again, while the service keeps
running.
"""

from __future__ import annotations

import re
import time

import httpx
import pytest

from tests.blackbox.helpers import PASSWORD, assert_problem, bearer, client, login, new_user
from tests.blackbox.services import Project
from tests.support.pg_cluster import private_cluster

pytestmark = pytest.mark.only(database="postgresql", websockets=False)

# Nothing of the failure's inside may reach the client.
LEAKS = re.compile(
    r"traceback|\bselect\b|\binsert\b|psycopg|asyncpg|sqlalchemy|typeorm|econnrefused|"
    r"queryfailed|connection refused|\bat .*\.(?:js|ts):\d+|\.py\"?, line \d+",
    re.IGNORECASE,
)


def _assert_clean_failure(response: httpx.Response, port: int) -> None:
    assert 500 <= response.status_code < 600, response.text
    assert_problem(response, response.status_code)
    assert not LEAKS.search(response.text), response.text
    assert str(port) not in response.text, response.text


def _wait_ready(http: httpx.Client, timeout: float) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while True:
        response = http.get("/health/ready")
        if response.status_code == 200 or time.monotonic() > deadline:
            return response
        time.sleep(0.5)


def test_database_outage_and_recovery(project: Project) -> None:
    with (
        private_cluster() as cluster,
        project.serve(cluster.create_database("app")) as service,
        client(service) as http,
    ):
        user, tokens = new_user(http)
        auth = bearer(tokens["access_token"])
        before = http.post("/api/v1/items", json={"title": "written before"}, headers=auth)
        assert before.status_code == 201, before.text

        # A hung database: readiness must still answer, within its ~2 s bound.
        cluster.freeze()
        try:
            started = time.monotonic()
            hung = http.get("/health/ready", timeout=30)
            elapsed = time.monotonic() - started
        finally:
            cluster.thaw()
        assert hung.status_code == 503, hung.text
        assert hung.json() == {"status": "unavailable", "checks": {"database": "unavailable"}}
        assert elapsed < 5, f"readiness took {elapsed:.1f}s against a hung database"
        assert _wait_ready(http, timeout=30).status_code == 200

        # A stopped database.
        cluster.stop("immediate")

        started = time.monotonic()
        ready = http.get("/health/ready")
        assert time.monotonic() - started < 5, "readiness check not bounded"
        assert ready.status_code == 503, ready.text
        assert ready.headers["content-type"].startswith("application/json")
        assert ready.json() == {"status": "unavailable", "checks": {"database": "unavailable"}}
        assert http.get("/health").json() == {"status": "ok"}  # liveness needs no database

        _assert_clean_failure(http.get("/api/v1/items", headers=auth), cluster.port)
        _assert_clean_failure(
            http.post("/api/v1/items", json={"title": "during"}, headers=auth), cluster.port
        )
        _assert_clean_failure(
            http.post(
                "/api/v1/auth/register", json={"email": "x@example.com", "password": PASSWORD}
            ),
            cluster.port,
        )
        _assert_clean_failure(
            http.post("/api/v1/auth/login", data={"username": user["email"], "password": PASSWORD}),
            cluster.port,
        )

        cluster.start()

        # Same process, no restart: it reconnects by itself.
        recovered = _wait_ready(http, timeout=30)
        assert recovered.status_code == 200, recovered.text
        assert recovered.json() == {"status": "ok", "checks": {"database": "ok"}}
        page = http.get("/api/v1/items", headers=auth)
        assert page.status_code == 200, page.text
        assert [i["title"] for i in page.json()["items"]] == ["written before"]
        assert page.json()["items"][0] == before.json()
        fresh = bearer(login(http, user["email"])["access_token"])
        after = http.post("/api/v1/items", json={"title": "written after"}, headers=fresh)
        assert after.status_code == 201, after.text
        assert http.get("/api/v1/items", headers=auth).json()["total"] == 2
