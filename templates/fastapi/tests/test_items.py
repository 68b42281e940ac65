import uuid

from httpx import AsyncClient

from tests.helpers import assert_problem, signed_in_user


async def test_item_lifecycle(client: AsyncClient) -> None:
    user, headers = await signed_in_user(client)
    response = await client.post(
        "/api/v1/items", json={"title": "Write docs", "description": "soon"}, headers=headers
    )
    assert response.status_code == 201
    item = response.json()
    assert set(item) == {"id", "title", "description", "owner_id", "created_at", "updated_at"}
    assert item["owner_id"] == user["id"]
    url = f"/api/v1/items/{item['id']}"
    assert (await client.get(url, headers=headers)).json() == item
    updated = await client.patch(url, json={"title": "Write better docs"}, headers=headers)
    assert updated.status_code == 200
    assert updated.json()["title"] == "Write better docs"
    assert updated.json()["description"] == "soon"
    assert updated.json()["updated_at"] >= item["updated_at"]
    cleared = await client.patch(url, json={"description": None}, headers=headers)
    assert cleared.json()["description"] is None
    assert (await client.delete(url, headers=headers)).status_code == 204
    assert_problem(await client.get(url, headers=headers), 404, "Not Found")


async def test_an_invalid_body_is_a_422_before_any_item_is_looked_up(client: AsyncClient) -> None:
    _, headers = await signed_in_user(client)
    absent = f"/api/v1/items/{uuid.uuid4()}"
    assert_problem(
        await client.patch(absent, json={"title": None}, headers=headers),
        422,
        "Unprocessable Content",
    )
    assert_problem(
        await client.patch(absent, json={"title": "x"}, headers=headers), 404, "Not Found"
    )


async def test_items_need_a_signed_in_user(client: AsyncClient) -> None:
    assert_problem(await client.get("/api/v1/items"), 401, "Unauthorized")
    response = await client.post("/api/v1/items", json={"title": "x"})
    assert_problem(response, 401, "Unauthorized")
    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_item_validation(client: AsyncClient) -> None:
    _, headers = await signed_in_user(client)
    for body, field in (
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "ok", "description": "x" * 2001}, "description"),
        ({}, "title"),
        ({"title": "ok", "owner_id": str(uuid.uuid4())}, "owner_id"),
        ({"title": 5}, "title"),
        ({"title": "nul\x00byte"}, "title"),
    ):
        response = await client.post("/api/v1/items", json=body, headers=headers)
        errors = assert_problem(response, 422, "Unprocessable Content")["errors"]
        assert errors[0]["location"] == "body"
        assert errors[0]["field"] == field
    created = await client.post(
        "/api/v1/items", json={"title": "x" * 200, "description": "y" * 2000}, headers=headers
    )
    assert created.status_code == 201
    url = f"/api/v1/items/{created.json()['id']}"
    response = await client.patch(url, json={"title": None}, headers=headers)
    assert_problem(response, 422, "Unprocessable Content")


async def test_other_users_items_are_not_found(client: AsyncClient) -> None:
    _, alice = await signed_in_user(client)
    _, bob = await signed_in_user(client)
    item = (await client.post("/api/v1/items", json={"title": "private"}, headers=alice)).json()
    url = f"/api/v1/items/{item['id']}"
    assert_problem(await client.get(url, headers=bob), 404, "Not Found")
    assert_problem(await client.patch(url, json={"title": "x"}, headers=bob), 404, "Not Found")
    assert_problem(await client.delete(url, headers=bob), 404, "Not Found")
    assert (await client.get("/api/v1/items", headers=bob)).json()["total"] == 0
    assert (await client.get(url, headers=alice)).status_code == 200


async def test_list_is_paginated_newest_first_and_admins_see_all(
    client: AsyncClient, admin_headers: dict[str, str]
) -> None:
    _, alice = await signed_in_user(client)
    _, bob = await signed_in_user(client)
    titles = [f"item {n}" for n in range(5)]
    for title in titles:
        await client.post("/api/v1/items", json={"title": title}, headers=alice)
    await client.post("/api/v1/items", json={"title": "bob's"}, headers=bob)
    page = (await client.get("/api/v1/items?limit=2&offset=1", headers=alice)).json()
    assert page["total"] == 5
    assert page["limit"] == 2
    assert page["offset"] == 1
    assert [i["title"] for i in page["items"]] == ["item 3", "item 2"]
    everything = (await client.get("/api/v1/items", headers=admin_headers)).json()
    assert everything["total"] == 6
    assert everything["items"][0]["title"] == "bob's"
    response = await client.get("/api/v1/items?limit=101", headers=alice)
    assert_problem(response, 422, "Unprocessable Content")


async def test_admin_can_manage_any_item(
    client: AsyncClient, admin_headers: dict[str, str]
) -> None:
    _, alice = await signed_in_user(client)
    item = (await client.post("/api/v1/items", json={"title": "hers"}, headers=alice)).json()
    url = f"/api/v1/items/{item['id']}"
    assert (await client.get(url, headers=admin_headers)).status_code == 200
    assert (await client.delete(url, headers=admin_headers)).status_code == 204
