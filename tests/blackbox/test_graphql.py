"""/graphql on every variant generated with the graphql option, with the same assertions
(docs/contract.md, "GraphQL"): the shared schema, every operation over the same data REST
serves, every error with its code and status, the limits, the IDE and introspection
switches, and schemathesis' GraphQL fuzzing. A variant without the option has no
/graphql at all."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, Phase, given, settings

from tests.blackbox.graphql import (
    FIELD_CODES,
    ITEM_FIELDS,
    REQUEST_CODES,
    SCHEMA,
    USER_FIELDS,
    as_rest,
    assert_error_shape,
    data,
    error,
    gql,
    invalid,
    printed_schema,
)
from tests.blackbox.helpers import (
    Member,
    admin_token,
    assert_problem,
    bearer,
    client,
    login,
    new_user,
    register,
)
from tests.blackbox.services import Project, Service

pytestmark = pytest.mark.only(graphql=True)

ABSENT = "00000000-0000-4000-8000-000000000000"
FULL_PAGE = f"items(limit: 100) {{ items {{ {ITEM_FIELDS} owner {{ id email fullName }} }} total limit offset }}"  # noqa: E501
CREATE = f"mutation($input: ItemCreateInput!) {{ createItem(input: $input) {{ {ITEM_FIELDS} }} }}"
UPDATE_ME = "mutation($input: UserUpdateMeInput!) { updateMe(input: $input)"
UPDATE = f"mutation($id: UUID!, $input: ItemUpdateInput!) {{ updateItem(id: $id, input: $input) {{ {ITEM_FIELDS} }} }}"  # noqa: E501


def _item(http: httpx.Client, auth: dict[str, str], **fields: Any) -> dict[str, Any]:
    response = http.post("/api/v1/items", json={"title": "an item", **fields}, headers=auth)
    assert response.status_code == 201, response.text
    return dict(response.json())


# --- the schema ---------------------------------------------------------------------------


def test_the_schema_printed_from_introspection_is_the_shared_sdl(http: httpx.Client) -> None:
    # Introspection needs no sign-in, and its query (nested deeper than the depth limit
    # through __schema) is not refused.
    assert printed_schema(http) == SCHEMA


def test_the_rest_document_stays_rest(http: httpx.Client) -> None:
    # /graphql is no REST operation: the OpenAPI document is the one the contract lists.
    paths = http.get("/openapi.json").json()["paths"]
    assert paths and not [path for path in paths if "graphql" in path], sorted(paths)


# --- operations over the same data as REST --------------------------------------------------


def test_me_is_what_rest_answers(http: httpx.Client, member: Member) -> None:
    me = data(gql(http, f"{{ me {{ {USER_FIELDS} }} }}", headers=member.auth))["me"]
    assert as_rest(me) == http.get("/api/v1/users/me", headers=member.auth).json()


def test_update_me_changes_what_rest_reads(http: httpx.Client) -> None:
    _, tokens = new_user(http)
    auth = bearer(tokens["access_token"])
    query = UPDATE_ME + f" {{ {USER_FIELDS} }} }}"
    renamed = data(gql(http, query, {"input": {"fullName": "Ada Lovelace"}}, auth))["updateMe"]
    assert renamed["fullName"] == "Ada Lovelace"
    assert as_rest(renamed) == http.get("/api/v1/users/me", headers=auth).json()

    moved = f"moved.{uuid.uuid4().hex[:8]}@example.com"
    changed = data(gql(http, query, {"input": {"email": moved}}, auth))["updateMe"]
    assert (changed["email"], changed["emailVerified"]) == (moved, False)

    taken = register(http)["email"]
    error(
        gql(http, query, {"input": {"email": taken}}, auth),
        "CONFLICT",
        message="A user with this email already exists.",
    )
    assert http.get("/api/v1/users/me", headers=auth).json()["email"] == moved


def test_items_are_created_read_changed_and_deleted_as_rest_sees_them(
    http: httpx.Client, member: Member
) -> None:
    auth = member.auth
    created = data(gql(http, CREATE, {"input": {"title": "From GraphQL"}}, auth))["createItem"]
    assert (created["title"], created["description"]) == ("From GraphQL", None)
    assert created["ownerId"] == member.user["id"]
    rest = http.get(f"/api/v1/items/{created['id']}", headers=auth)
    assert rest.status_code == 200 and as_rest(created) == rest.json()

    one = f"query($id: UUID!) {{ item(id: $id) {{ {ITEM_FIELDS} owner {{ {USER_FIELDS} }} }} }}"
    read = data(gql(http, one, {"id": created["id"]}, auth))["item"]
    owner = read.pop("owner")
    assert read == created
    assert as_rest(owner) == http.get("/api/v1/users/me", headers=auth).json()

    changes = {"title": "Renamed", "description": "Now described"}
    updated = data(gql(http, UPDATE, {"id": created["id"], "input": changes}, auth))["updateItem"]
    assert (updated["title"], updated["description"]) == ("Renamed", "Now described")
    assert as_rest(updated) == http.get(f"/api/v1/items/{created['id']}", headers=auth).json()
    cleared = data(gql(http, UPDATE, {"id": created["id"], "input": {"description": None}}, auth))
    assert cleared["updateItem"]["description"] is None

    delete = "mutation($id: UUID!) { deleteItem(id: $id) }"
    assert data(gql(http, delete, {"id": created["id"]}, auth)) == {"deleteItem": created["id"]}
    assert http.get(f"/api/v1/items/{created['id']}", headers=auth).status_code == 404
    error(gql(http, delete, {"id": created["id"]}, auth), "NOT_FOUND", message="Item not found.")


def test_a_page_of_items_is_the_rest_page(http: httpx.Client) -> None:
    _, tokens = new_user(http)
    auth = bearer(tokens["access_token"])
    for number in range(3):
        _item(http, auth, title=f"item {number}")
    page = f"{{ items(limit: 2, offset: 1) {{ items {{ {ITEM_FIELDS} }} total limit offset }} }}"
    answer = data(gql(http, page, headers=auth))["items"]
    assert as_rest(answer) == http.get("/api/v1/items?limit=2&offset=1", headers=auth).json()
    assert (answer["total"], len(answer["items"])) == (3, 2)
    defaults = data(gql(http, "{ items { limit offset } }", headers=auth))["items"]
    assert defaults == {"limit": 20, "offset": 0}


def test_an_admin_sees_every_owner_and_a_user_only_themselves(
    http: httpx.Client, admin: dict[str, str]
) -> None:
    owners = []
    for _ in range(2):
        user, tokens = new_user(http)
        _item(http, bearer(tokens["access_token"]))
        owners.append(user)
    query = "{ items(limit: 100) { items { ownerId owner { id email } } } }"
    seen = data(gql(http, query, headers=admin))["items"]["items"]
    for entry in seen:
        assert entry["owner"]["id"] == entry["ownerId"], entry
    for user in owners:
        assert {"id": user["id"], "email": user["email"]} in [e["owner"] for e in seen]
    tokens = login(http, owners[0]["email"])
    mine = data(gql(http, query, headers=bearer(tokens["access_token"])))["items"]["items"]
    assert [e["owner"] for e in mine] == [{"id": owners[0]["id"], "email": owners[0]["email"]}]


def test_another_users_item_is_not_found(http: httpx.Client, member: Member) -> None:
    _, tokens = new_user(http)
    theirs = _item(http, bearer(tokens["access_token"]))
    variables = {"id": theirs["id"]}
    for query in [
        "query($id: UUID!) { item(id: $id) { id } }",
        'mutation($id: UUID!) { updateItem(id: $id, input: {title: "mine"}) { id } }',
        "mutation($id: UUID!) { deleteItem(id: $id) }",
    ]:
        error(gql(http, query, variables, member.auth), "NOT_FOUND", message="Item not found.")
    absent = f'{{ item(id: "{ABSENT}") {{ id }} }}'
    error(gql(http, absent, headers=member.auth), "NOT_FOUND", message="Item not found.")
    owner = bearer(tokens["access_token"])
    assert http.get(f"/api/v1/items/{theirs['id']}", headers=owner).json()["title"] == "an item"


def test_admins_manage_users_as_rest_does(http: httpx.Client, admin: dict[str, str]) -> None:
    user, _ = new_user(http)
    one = f"query($id: UUID!) {{ user(id: $id) {{ {USER_FIELDS} }} }}"
    read = data(gql(http, one, {"id": user["id"]}, admin))["user"]
    assert as_rest(read) == http.get(f"/api/v1/users/{user['id']}", headers=admin).json()

    page = f"{{ users(limit: 3, offset: 1) {{ items {{ {USER_FIELDS} }} total limit offset }} }}"
    answer = data(gql(http, page, headers=admin))["users"]
    assert as_rest(answer) == http.get("/api/v1/users?limit=3&offset=1", headers=admin).json()

    update = f"mutation($id: UUID!, $input: UserUpdateInput!) {{ updateUser(id: $id, input: $input) {{ {USER_FIELDS} }} }}"  # noqa: E501
    changes = {"fullName": "Grace", "role": "ADMIN", "isActive": False}
    updated = data(gql(http, update, {"id": user["id"], "input": changes}, admin))["updateUser"]
    assert (updated["fullName"], updated["role"], updated["isActive"]) == ("Grace", "ADMIN", False)
    assert as_rest(updated) == http.get(f"/api/v1/users/{user['id']}", headers=admin).json()

    delete = "mutation($id: UUID!) { deleteUser(id: $id) }"
    assert data(gql(http, delete, {"id": user["id"]}, admin)) == {"deleteUser": user["id"]}
    assert http.get(f"/api/v1/users/{user['id']}", headers=admin).status_code == 404
    for query in (one, delete):
        error(gql(http, query, {"id": user["id"]}, admin), "NOT_FOUND", message="User not found.")


@pytest.mark.parametrize(
    "query",
    [
        "{ users { total } }",
        f'{{ user(id: "{ABSENT}") {{ id }} }}',
        f'mutation {{ updateUser(id: "{ABSENT}", input: {{fullName: "x"}}) {{ id }} }}',
        f'mutation {{ deleteUser(id: "{ABSENT}") }}',
        # The role is checked before the arguments.
        "{ users(limit: 0) { total } }",
    ],
)
def test_admin_fields_are_forbidden_to_users(
    http: httpx.Client, member: Member, query: str
) -> None:
    forbidden = "Administrator role required."
    error(gql(http, query, headers=member.auth), "FORBIDDEN", message=forbidden)


# --- signing in --------------------------------------------------------------------------


def test_fields_need_a_valid_access_token(http: httpx.Client, service: Service) -> None:
    me = "{ me { id } }"
    error(gql(http, me), "UNAUTHENTICATED", message="Not authenticated.")
    # Sign-in is checked before the arguments.
    error(gql(http, CREATE, {"input": {"title": ""}}), "UNAUTHENTICATED")
    invalid_token = "Invalid or expired token."
    error(gql(http, me, headers=bearer("not.a.token")), "UNAUTHENTICATED", message=invalid_token)
    user, tokens = new_user(http)
    refresh = bearer(tokens["refresh_token"])
    error(gql(http, me, headers=refresh), "UNAUTHENTICATED", message=invalid_token)

    deactivate = (
        f'mutation {{ updateUser(id: "{user["id"]}", input: {{isActive: false}}) {{ id }} }}'
    )
    data(gql(http, deactivate, headers=bearer(admin_token(http, service))))
    access = bearer(tokens["access_token"])
    error(gql(http, me, headers=access), "UNAUTHENTICATED", message=invalid_token)


# --- input checked by REST's rules ---------------------------------------------------------


def _rest_errors(response: httpx.Response) -> list[dict[str, str]]:
    return list(assert_problem(response, 422)["errors"])


def test_invalid_input_carries_the_entries_of_rest(
    http: httpx.Client, member: Member, admin: dict[str, str]
) -> None:
    auth = member.auth
    item = _item(http, auth)
    for fields in [
        {"title": ""},
        {"title": "t" * 201, "description": "d" * 2001},
        {"title": "a\u0000b"},
    ]:
        rest = http.post("/api/v1/items", json=fields, headers=auth)
        assert invalid(gql(http, CREATE, {"input": fields}, auth)) == _rest_errors(rest), fields
    for fields in [{"title": None}, {"title": ""}, {"description": "d" * 2001}]:
        rest = http.patch(f"/api/v1/items/{item['id']}", json=fields, headers=auth)
        graphql = gql(http, UPDATE, {"id": item["id"], "input": fields}, auth)
        assert invalid(graphql) == _rest_errors(rest), fields

    me = UPDATE_ME + " { id } }"
    for fields in [{"email": "not-an-email"}, {"email": None}, {"full_name": "f" * 1000}]:
        rest = http.patch("/api/v1/users/me", json=fields, headers=auth)
        graphql = gql(http, me, {"input": as_graphql(fields)}, auth)
        assert invalid(graphql) == _rest_errors(rest), fields

    user = "mutation($id: UUID!, $input: UserUpdateInput!) { updateUser(id: $id, input: $input) { id } }"  # noqa: E501
    for fields in [{"is_active": None}, {"role": None}]:
        rest = http.patch(f"/api/v1/users/{member.user['id']}", json=fields, headers=admin)
        variables = {"id": member.user["id"], "input": as_graphql(fields)}
        assert invalid(gql(http, user, variables, admin)) == _rest_errors(rest), fields

    for field, query in [("items", "limit offset"), ("users", "limit")]:
        for arguments in ["limit: 0", "limit: 101", "offset: -1", "limit: 0, offset: -1"]:
            rest = http.get(
                f"/api/v1/{field}?{arguments.replace(': ', '=').replace(', ', '&')}",
                headers=admin,
            )
            graphql = gql(http, f"{{ {field}({arguments}) {{ {query} }} }}", headers=admin)
            assert invalid(graphql) == _rest_errors(rest), (field, arguments)


def as_graphql(fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "".join(w.capitalize() if i else w for i, w in enumerate(k.split("_"))): v
        for k, v in fields.items()
    }


# --- the request itself --------------------------------------------------------------------


def test_requests_graphql_cannot_run_are_400_with_their_code(
    http: httpx.Client, member: Member
) -> None:
    auth = member.auth
    error(gql(http, "{ me { id }", headers=auth), "GRAPHQL_PARSE_FAILED", 400)
    error(gql(http, "{ me { nope } }", headers=auth), "GRAPHQL_VALIDATION_FAILED", 400)
    error(gql(http, '{ item(id: "x") { id } }', headers=auth), "GRAPHQL_VALIDATION_FAILED", 400)
    by_id = "query($id: UUID!) { item(id: $id) { id } }"
    error(gql(http, by_id, {"id": "x"}, auth), "BAD_USER_INPUT", 400)
    error(gql(http, by_id, {}, auth), "BAD_USER_INPUT", 400)

    no_query = "The request holds no GraphQL query."
    for body in [{}, {"variables": {}}, 42, "text"]:
        response = http.post("/graphql", json=body, headers=auth)
        error(response, "BAD_REQUEST", 400, message=no_query)
    response = http.get("/graphql", headers={**auth, "Accept": "application/json"})
    error(response, "BAD_REQUEST", 400, message=no_query)
    batch = [{"query": "{ me { id } }"}, {"query": "{ me { email } }"}]
    error(
        http.post("/graphql", json=batch, headers=auth),
        "BAD_REQUEST",
        400,
        message="The request must hold one GraphQL operation, not a list.",
    )


def test_queries_may_use_get_and_mutations_may_not(http: httpx.Client, member: Member) -> None:
    auth = member.auth
    params = {"query": "query($n: Int!) { items(limit: $n) { limit } }", "variables": '{"n": 3}'}
    assert data(http.get("/graphql", params=params, headers=auth)) == {"items": {"limit": 3}}
    mutation = {"query": 'mutation { createItem(input: {title: "over GET"}) { id } }'}
    response = http.get("/graphql", params=mutation, headers=auth)
    error(response, "BAD_REQUEST", 405, message="A mutation must be sent with POST.")
    assert response.headers["allow"] == "GET, POST"
    titles = [i["title"] for i in http.get("/api/v1/items?limit=100", headers=auth).json()["items"]]
    assert "over GET" not in titles


def test_bodies_that_cannot_be_read_are_the_problems_rest_answers(
    http: httpx.Client, member: Member
) -> None:
    auth = member.auth
    text = http.post(
        "/graphql", content=b"{ me { id } }", headers={**auth, "Content-Type": "text/plain"}
    )
    detail = assert_problem(text, 415)["detail"]
    assert detail == "The request body must be sent as application/json."
    broken = http.post(
        "/graphql", content=b'{"query": ', headers={**auth, "Content-Type": "application/json"}
    )
    assert assert_problem(broken, 400)["detail"] == "The request body is not valid JSON."
    padding = " " * (1024 * 1024)
    large = http.post(
        "/graphql",
        content=f'{{"query": "{{ me {{ id }} }}"{padding}}}'.encode(),
        headers={**auth, "Content-Type": "application/json"},
    )
    assert_problem(large, 413)


# --- limits --------------------------------------------------------------------------------


def test_the_cost_limit_refuses_what_costs_more_than_2000(
    http: httpx.Client, admin: dict[str, str]
) -> None:
    # A page of 100 with every field and its owner costs 1401 (docs/contract.md).
    data(gql(http, f"{{ {FULL_PAGE} }}", headers=admin))
    twice = f"{{ a: {FULL_PAGE} b: {FULL_PAGE} }}"
    costly = "The query costs 2802, more than the limit of 2000."
    error(gql(http, twice, headers=admin), "GRAPHQL_VALIDATION_FAILED", 400, message=costly)
    # Variables count as their values, fragments as what they select, @skip not at all.
    by_variable = (
        "query($n: Int!) { a: items(limit: $n) { ...Page } b: items(limit: $n) { ...Page } }"
    )
    fragment = f"fragment Page on ItemPage {{ items {{ {ITEM_FIELDS} owner {{ id email fullName }} }} total limit offset }}"  # noqa: E501
    response = gql(http, f"{by_variable} {fragment}", {"n": 100}, admin)
    error(response, "GRAPHQL_VALIDATION_FAILED", 400, message=costly)
    data(gql(http, f"{by_variable} {fragment}", {"n": 20}, admin))
    skipped = f"{{ a: {FULL_PAGE} b: {FULL_PAGE.replace('items(limit: 100)', 'items(limit: 100) @skip(if: true)', 1)} }}"  # noqa: E501
    assert list(data(gql(http, skipped, headers=admin))) == ["a"]
    # 1 + 100 * (1 + 7 + 3) = 1101 for a page of users: the two together are refused.
    users = f"users(limit: 100) {{ items {{ {USER_FIELDS} }} total limit offset }}"
    error(
        gql(http, f"{{ a: {users} b: {users} }}", headers=admin),
        "GRAPHQL_VALIDATION_FAILED",
        400,
        message="The query costs 2202, more than the limit of 2000.",
    )


# --- the IDE and introspection -------------------------------------------------------------


IDE_FILES = {
    "graphiql.min.js": "javascript",
    "graphiql.min.css": "text/css",
    "react.production.min.js": "javascript",
    "react-dom.production.min.js": "javascript",
    "start.js": "javascript",
}


def test_the_graphiql_page_and_its_files_are_served_by_the_service(
    http: httpx.Client, project: Project
) -> None:
    page = http.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200, page.text
    assert page.headers["content-type"].startswith("text/html")
    for name, media_type in IDE_FILES.items():
        assert f'="/graphql/ide/{name}"' in page.text, name
        served = http.get(f"/graphql/ide/{name}")
        assert served.status_code == 200, (name, served.status_code)
        assert media_type in served.headers["content-type"], (name, served.headers)
    bundle = http.get("/graphql/ide/graphiql.min.js").content
    folder = next(project.path.glob("src/**/graphql/ide"))
    assert bundle == (folder / "graphiql.min.js").read_bytes()
    assert http.get("/graphql/ide/nothing.js").status_code == 404
    assert_problem(http.get("/graphql/ide/../../.env"), 404)


def _ide_is_off(service: Service) -> None:
    with client(service) as http:
        page = http.get("/graphql", headers={"Accept": "text/html"})
        error(page, "BAD_REQUEST", 400, message="The request holds no GraphQL query.")
        assert_problem(http.get("/graphql/ide/graphiql.min.js"), 404)
        refused = gql(http, '{ __type(name: "Item") { name } }')
        message = "GraphQL introspection is disabled."
        error(refused, "GRAPHQL_VALIDATION_FAILED", 400, message=message)
        error(gql(http, "{ __schema { queryType { name } } }"), "GRAPHQL_VALIDATION_FAILED", 400)
        # What is no introspection still runs.
        user, tokens = new_user(http)
        me = gql(http, "{ __typename me { id } }", headers=bearer(tokens["access_token"]))
        assert data(me) == {"__typename": "Query", "me": {"id": user["id"]}}


def _ide_is_on(service: Service) -> None:
    with client(service) as http:
        assert http.get("/graphql", headers={"Accept": "text/html"}).status_code == 200
        assert http.get("/graphql/ide/graphiql.min.js").status_code == 200
        assert printed_schema(http) == SCHEMA


def test_production_turns_the_ide_and_introspection_off_unless_asked(project: Project) -> None:
    with project.serve(APP_ENV="production") as production:
        _ide_is_off(production)
    with project.serve(APP_ENV="production", GRAPHQL_IDE="true") as asked:
        _ide_is_on(asked)
    with project.serve(GRAPHQL_IDE="false") as development:
        _ide_is_off(development)


def test_a_graphql_ide_setting_that_is_no_boolean_stops_the_start(project: Project) -> None:
    with project.database() as url:
        code, output = project.start(url, GRAPHQL_IDE="sometimes")
    assert code != 0
    lines = [line for line in output.splitlines() if "GRAPHQL_IDE" in line]
    assert lines, output[-3000:]
    assert "Traceback" not in output and "    at " not in output, output[-3000:]


# --- fuzzing ---------------------------------------------------------------------------------


@pytest.mark.only(graphql=True, database="sqlite")  # one variant of each stack: time budget
def test_schemathesis_graphql_fuzzing_finds_no_server_error(
    service: Service, http: httpx.Client, admin: dict[str, str]
) -> None:
    import schemathesis

    # A dedicated admin, so every operation is reached past its role check.
    fuzzer = register(http)
    promoted = http.patch(f"/api/v1/users/{fuzzer['id']}", json={"role": "admin"}, headers=admin)
    assert promoted.status_code == 200, promoted.text
    auth = bearer(login(http, fuzzer["email"])["access_token"])
    schema = schemathesis.graphql.from_url(f"{service.base_url}/graphql")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 11, [o.label for o in operations]
    seen: list[str] = []
    for operation in operations:
        # 15 drawn queries an operation, a fixed seed; each answer checked below.
        @settings(
            max_examples=15,
            deadline=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        @given(case=operation.as_strategy())
        def fuzz(case: Any) -> None:
            response = case.call(headers=auth, timeout=10)
            _assert_contract_answer(response.status_code, response.json(), case.body)
            seen.append(case.operation.label)

        fuzz()
    assert set(seen) == {o.label for o in operations}
    assert http.get("/health/ready").status_code == 200


def _assert_contract_answer(status: int, body: Any, query: Any) -> None:
    where = f"{status} for {query}: {body}"
    assert status in (200, 400), where
    assert isinstance(body, dict), where
    for found in body.get("errors", []):
        assert_error_shape(found)
        codes = REQUEST_CODES if status == 400 else FIELD_CODES
        assert found["extensions"]["code"] in codes, where


# --- without the option ------------------------------------------------------------------------


@pytest.mark.only(graphql=False)
def test_without_the_option_there_is_no_graphql(http: httpx.Client, project: Project) -> None:
    assert_problem(http.post("/graphql", json={"query": "{ __typename }"}), 404)
    assert_problem(http.get("/graphql", headers={"Accept": "text/html"}), 404)
    assert not (project.path / "schema.graphql").exists()
    assert not list(project.path.glob("src/**/graphql"))
