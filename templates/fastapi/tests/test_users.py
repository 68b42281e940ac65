import uuid

from httpx import AsyncClient

from tests.helpers import PASSWORD, assert_problem, bearer, login, register, signed_in_user


async def test_read_me(client: AsyncClient) -> None:
    user, headers = await signed_in_user(client, full_name="Ada")
    response = await client.get("/api/v1/users/me", headers=headers)
    assert response.status_code == 200
    assert response.json() == user


async def test_update_me(client: AsyncClient) -> None:
    _, headers = await signed_in_user(client)
    new_email = f"renamed-{uuid.uuid4().hex[:8]}@Example.com"
    response = await client.patch(
        "/api/v1/users/me", json={"full_name": "Grace", "email": new_email}, headers=headers
    )
    assert response.status_code == 200
    assert response.json()["full_name"] == "Grace"
    assert response.json()["email"] == new_email.lower()
    cleared = await client.patch("/api/v1/users/me", json={"full_name": None}, headers=headers)
    assert cleared.json()["full_name"] is None


async def test_update_me_refuses_a_taken_email_and_unknown_fields(client: AsyncClient) -> None:
    other = await register(client)
    me, headers = await signed_in_user(client)
    response = await client.patch(
        "/api/v1/users/me", json={"email": other["email"]}, headers=headers
    )
    assert_problem(response, 409, "Conflict")
    # Your own email is no conflict.
    same = await client.patch("/api/v1/users/me", json={"email": me["email"]}, headers=headers)
    assert same.status_code == 200
    for body in ({"role": "admin"}, {"is_active": False}, {"email": None}):
        response = await client.patch("/api/v1/users/me", json=body, headers=headers)
        assert_problem(response, 422, "Unprocessable Content")


async def test_change_password(client: AsyncClient) -> None:
    user = await register(client)
    tokens = await login(client, user["email"])
    headers = bearer(tokens)
    wrong = await client.post(
        "/api/v1/users/me/password",
        json={"current_password": "not-the-password", "new_password": "new-password-1"},
        headers=headers,
    )
    assert_problem(wrong, 400, "Bad Request")
    response = await client.post(
        "/api/v1/users/me/password",
        json={"current_password": PASSWORD, "new_password": "new-password-1"},
        headers=headers,
    )
    assert response.status_code == 204
    # Refresh tokens issued before the change are revoked.
    stale = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )
    assert_problem(stale, 401, "Unauthorized")
    await login(client, user["email"], "new-password-1")
    old = await client.post(
        "/api/v1/auth/login", data={"username": user["email"], "password": PASSWORD}
    )
    assert_problem(old, 401, "Unauthorized")
    short = await client.post(
        "/api/v1/users/me/password",
        json={"current_password": "new-password-1", "new_password": "short"},
        headers=headers,
    )
    assert_problem(short, 422, "Unprocessable Content")


async def test_admin_routes_need_the_admin_role(client: AsyncClient) -> None:
    user, headers = await signed_in_user(client)
    for method, path in (
        ("GET", "/api/v1/users"),
        ("GET", f"/api/v1/users/{user['id']}"),
        ("PATCH", f"/api/v1/users/{user['id']}"),
        ("DELETE", f"/api/v1/users/{user['id']}"),
    ):
        json = {"role": "admin"} if method == "PATCH" else None
        response = await client.request(method, path, json=json, headers=headers)
        assert_problem(response, 403, "Forbidden")
    assert_problem(await client.get("/api/v1/users"), 401, "Unauthorized")


async def test_list_users_is_paginated_newest_first(
    client: AsyncClient, admin_headers: dict[str, str]
) -> None:
    created = [await register(client) for _ in range(3)]
    response = await client.get("/api/v1/users?limit=2", headers=admin_headers)
    assert response.status_code == 200
    page = response.json()
    assert page["total"] == 4  # the three, and the first admin
    assert page["limit"] == 2
    assert page["offset"] == 0
    assert [u["id"] for u in page["items"]] == [created[2]["id"], created[1]["id"]]
    rest = (await client.get("/api/v1/users?limit=2&offset=2", headers=admin_headers)).json()
    assert rest["items"][0]["id"] == created[0]["id"]
    assert len(rest["items"]) == 2
    default = (await client.get("/api/v1/users", headers=admin_headers)).json()
    assert default["limit"] == 20


async def test_pagination_bounds(client: AsyncClient, admin_headers: dict[str, str]) -> None:
    for query in ("limit=0", "limit=101", "offset=-1", "limit=abc"):
        response = await client.get(f"/api/v1/users?{query}", headers=admin_headers)
        body = assert_problem(response, 422, "Unprocessable Content")
        assert body["errors"][0]["location"] == "query"
        assert body["errors"][0]["field"] == query.split("=")[0]
    response = await client.get("/api/v1/users?limit=100", headers=admin_headers)
    assert response.status_code == 200


async def test_admin_reads_updates_and_deletes_a_user(
    client: AsyncClient, admin_headers: dict[str, str]
) -> None:
    user, user_headers = await signed_in_user(client)
    item = await client.post("/api/v1/items", json={"title": "mine"}, headers=user_headers)
    assert item.status_code == 201
    url = f"/api/v1/users/{user['id']}"
    assert (await client.get(url, headers=admin_headers)).json() == user
    response = await client.patch(
        url, json={"full_name": "Renamed", "role": "admin"}, headers=admin_headers
    )
    assert response.status_code == 200
    assert response.json()["role"] == "admin"
    assert response.json()["full_name"] == "Renamed"
    refused = await client.patch(url, json={"email": "x@example.com"}, headers=admin_headers)
    assert_problem(refused, 422, "Unprocessable Content")
    assert (await client.delete(url, headers=admin_headers)).status_code == 204
    assert_problem(await client.get(url, headers=admin_headers), 404, "Not Found")
    # Their items went with them.
    items = (await client.get("/api/v1/items", headers=admin_headers)).json()
    assert items["total"] == 0


async def test_unknown_or_malformed_user_ids(
    client: AsyncClient, admin_headers: dict[str, str]
) -> None:
    missing = f"/api/v1/users/{uuid.uuid4()}"
    assert_problem(await client.get(missing, headers=admin_headers), 404, "Not Found")
    patch = await client.patch(missing, json={"full_name": "x"}, headers=admin_headers)
    assert_problem(patch, 404, "Not Found")
    assert_problem(await client.delete(missing, headers=admin_headers), 404, "Not Found")
    response = await client.get("/api/v1/users/not-a-uuid", headers=admin_headers)
    body = assert_problem(response, 422, "Unprocessable Content")
    assert body["errors"][0]["location"] == "path"
    assert body["errors"][0]["field"] == "id"
