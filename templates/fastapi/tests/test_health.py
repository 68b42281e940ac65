import uuid
from pathlib import Path

from fastapi import FastAPI
from httpx import AsyncClient

from tests.conftest import ClientFactory
from tests.helpers import UNREACHABLE_DATABASE_URL, assert_problem


async def test_liveness(client: AsyncClient) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readiness_when_the_database_answers(client: AsyncClient) -> None:
    response = await client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


async def test_readiness_when_the_database_does_not_answer(make_client: ClientFactory) -> None:
    # Nothing listens on port 1, and no first admin is created at start-up without a database.
    client = await make_client(
        database_url=UNREACHABLE_DATABASE_URL, first_admin_email=None, first_admin_password=None
    )
    response = await client.get("/health/ready")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"status": "unavailable", "checks": {"database": "unavailable"}}
    # Liveness doesn't touch the database.
    assert (await client.get("/health")).status_code == 200


async def test_readiness_recovers_when_the_database_comes_back(
    make_client: ClientFactory, tmp_path: Path
) -> None:
    # SQLite can't open a file in a directory that doesn't exist yet: "down" until it does.
    directory = tmp_path / "not-yet"
    client = await make_client(
        database_url=f"sqlite:///{directory / 'app.db'}",
        first_admin_email=None,
        first_admin_password=None,
    )
    assert (await client.get("/health/ready")).status_code == 503
    directory.mkdir()
    response = await client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


async def test_request_id_is_echoed_when_safe(client: AsyncClient) -> None:
    response = await client.get("/health", headers={"X-Request-ID": "abc.DEF_1:2-3"})
    assert response.headers["X-Request-ID"] == "abc.DEF_1:2-3"


async def test_request_id_is_replaced_when_unsafe_or_missing(client: AsyncClient) -> None:
    for headers in ({"X-Request-ID": "bad id<script>"}, {"X-Request-ID": "a" * 129}, {}):
        response = await client.get("/health", headers=headers)
        assert uuid.UUID(response.headers["X-Request-ID"]).version == 4


async def test_security_headers_on_success_and_error(client: AsyncClient) -> None:
    for path in ("/health", "/no-such-route", "/docs"):
        response = await client.get(path)
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"


async def test_unknown_route_is_a_404_problem(client: AsyncClient) -> None:
    assert_problem(await client.get("/no-such-route"), 404, "Not Found")


async def test_wrong_method_is_a_405_problem(client: AsyncClient) -> None:
    response = await client.delete("/health")
    assert_problem(response, 405, "Method Not Allowed")
    assert response.headers["Allow"] == "GET, HEAD"
    # Every method of the path, though GET and POST are two routes.
    response = await client.put("/api/v1/items")
    assert_problem(response, 405, "Method Not Allowed")
    assert response.headers["Allow"] == "GET, HEAD, POST"


async def test_unhandled_error_is_a_bare_500_problem(make_client: ClientFactory) -> None:
    def add_failing_route(app: FastAPI) -> None:
        async def boom() -> None:
            raise RuntimeError("secret internals: SELECT * FROM users")

        app.add_api_route("/boom", boom)

    client = await make_client(configure=add_failing_route)
    response = await client.get("/boom", headers={"X-Request-ID": "req-500"})
    body = assert_problem(response, 500, "Internal Server Error")
    assert "secret" not in response.text
    assert "SELECT" not in body["detail"]
    assert response.headers["X-Request-ID"] == "req-500"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
