"""/ws on every variant generated with the websockets option, with the same assertions
(docs/contract.md, "WebSocket events"): signing in and each refusal, the events of REST
and GraphQL writes and who hears them, the limits, heartbeats, slow clients, shutdown,
replicas sharing Redis, and a bounded burst and churn of sockets. A variant without the
option has no /ws."""

from __future__ import annotations

import json
import secrets
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import ClientConnection

from scaffold.smoke.project import free_port
from tests.blackbox.graphql import ITEM_FIELDS, as_rest, data, gql
from tests.blackbox.helpers import (
    Member,
    admin_token,
    assert_problem,
    bearer,
    client,
    new_user,
)
from tests.blackbox.realtime import (
    AUTH_TIMEOUT,
    INVALID_TOKEN,
    NOT_AUTHENTICATED,
    assert_quiet,
    closed_with,
    forged_token,
    next_event,
    open_socket,
    sign_in,
    signed_in,
    ws_url,
)
from tests.blackbox.services import ALLOWED_ORIGIN, Project, Service

pytestmark = pytest.mark.only(websockets=True)
# The heavier tests (load, churn, replicas, a Redis outage) run on one variant of each
# stack, the PostgreSQL one, within the time budget (README.md, "Time budget").
HEAVY = pytest.mark.only(database="postgresql", websockets=True)

DESCRIPTION = "d" * 2000  # the longest a description may be: the biggest events


def _item(http: httpx.Client, token: str, **fields: Any) -> dict[str, Any]:
    response = http.post(
        "/api/v1/items", json={"title": "an item", **fields}, headers=bearer(token)
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def _token(tokens: dict[str, Any]) -> str:
    return str(tokens["access_token"])


# --- the route ------------------------------------------------------------------------------


def test_ws_without_an_upgrade_is_426_and_other_methods_405(http: httpx.Client) -> None:
    got = http.get("/ws")
    body = assert_problem(got, 426)
    assert body["detail"] == "This address accepts WebSocket connections only."
    assert got.headers["upgrade"].lower() == "websocket"
    head = http.head("/ws")
    assert head.status_code == 426 and head.content == b""
    assert head.headers["content-length"] == got.headers["content-length"]
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        refused = http.request(method, "/ws")
        assert_problem(refused, 405)
        assert refused.headers["allow"] == "GET, HEAD"
    assert "/ws" not in http.get("/openapi.json").json()["paths"]


def test_an_origin_not_in_cors_origins_is_refused_before_the_socket_opens(
    service: Service, member: Member
) -> None:
    with pytest.raises(InvalidStatus) as refused:
        open_socket(service, origin="https://elsewhere.example")
    response = refused.value.response
    assert response.status_code == 403
    assert response.headers["content-type"].split(";")[0] == "application/problem+json"
    # The headers of every answer (docs/contract.md, "Every response"), and CORS's Vary.
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-request-id"]
    assert response.headers["vary"] == "Origin"
    assert json.loads(response.body) == {
        "type": "about:blank",
        "title": "Forbidden",
        "status": 403,
        "detail": "The origin is not allowed.",
    }
    for origin in (ALLOWED_ORIGIN, None):  # a listed origin, and a client that sends none
        with open_socket(service, origin=origin) as ws:
            assert sign_in(ws, _token(member.tokens))["user_id"] == member.user["id"]


# --- signing in ---------------------------------------------------------------------------


def test_signing_in_answers_who_and_until_when(service: Service, member: Member) -> None:
    token = _token(member.tokens)
    with open_socket(service) as ws:
        answer = sign_in(ws, token)
    exp = jwt.decode(token, options={"verify_signature": False})["exp"]
    assert answer == {
        "type": "authenticated",
        "user_id": member.user["id"],
        "expires_at": datetime.fromtimestamp(exp, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
    }


def test_each_way_of_not_signing_in_closes_with_4401(
    service: Service, http: httpx.Client, admin: dict[str, str]
) -> None:
    user, tokens = new_user(http)
    inactive_user, inactive_tokens = new_user(http)
    deleted_user, deleted_tokens = new_user(http)
    patched = http.patch(
        f"/api/v1/users/{inactive_user['id']}", json={"is_active": False}, headers=admin
    )
    assert patched.status_code == 200, patched.text
    assert http.delete(f"/api/v1/users/{deleted_user['id']}", headers=admin).status_code == 204
    cases: list[tuple[str, str]] = [
        ("hello", NOT_AUTHENTICATED),
        ("[]", NOT_AUTHENTICATED),
        ('{"type": "hello", "access_token": "x"}', NOT_AUTHENTICATED),
        ('{"type": "auth"}', NOT_AUTHENTICATED),
        ('{"type": "auth", "access_token": 42}', NOT_AUTHENTICATED),
        ('{"type": "auth", "access_token": "not.a.token"}', INVALID_TOKEN),
        (json.dumps({"type": "auth", "access_token": tokens["refresh_token"]}), INVALID_TOKEN),
        (
            json.dumps({"type": "auth", "access_token": forged_token(service, user["id"], -10)}),
            INVALID_TOKEN,
        ),
        (json.dumps({"type": "auth", "access_token": _token(inactive_tokens)}), INVALID_TOKEN),
        (json.dumps({"type": "auth", "access_token": _token(deleted_tokens)}), INVALID_TOKEN),
    ]
    answers = {}
    for message, _ in cases:
        with open_socket(service) as ws:
            ws.send(message)
            answers[message] = closed_with(ws)
    assert answers == {message: (4401, reason) for message, reason in cases}


def test_a_socket_that_does_not_sign_in_within_5_seconds_is_closed(service: Service) -> None:
    with open_socket(service) as ws:
        opened = time.monotonic()
        assert closed_with(ws, timeout=AUTH_TIMEOUT + 5) == (4401, NOT_AUTHENTICATED)
    assert time.monotonic() - opened > AUTH_TIMEOUT - 0.5


def test_after_signing_in_only_auth_messages_are_accepted(
    service: Service, member: Member, http: httpx.Client
) -> None:
    _, other = new_user(http)
    not_accepted = (4400, "The message is not one this server accepts.")
    cases: list[tuple[str | bytes, tuple[int, str]]] = [
        ("not json", not_accepted),
        ("[]", not_accepted),
        ('{"type": "subscribe"}', not_accepted),
        # 64 KiB exactly is within the bound, and judged as a message.
        ('{"type":"x","pad":"' + "p" * (65536 - 21) + '"}', not_accepted),
        ("x" * 65537, (1009, "The message is larger than 64 KiB.")),
        (b"\x00binary", (1003, "Binary messages are not accepted.")),
        (json.dumps({"type": "auth", "access_token": _token(other)}), (4401, INVALID_TOKEN)),
    ]
    assert len(cases[3][0]) == 65536
    answers = {}
    for message, _ in cases:
        with signed_in(service, _token(member.tokens)) as ws:
            ws.send(message)
            answers[repr(message)[:60]] = closed_with(ws)
    assert answers == {repr(message)[:60]: expected for message, expected in cases}


def test_a_socket_is_closed_when_its_token_expires_unless_a_fresh_one_came(
    service: Service, member: Member, http: httpx.Client
) -> None:
    user_id = member.user["id"]
    with signed_in(service, forged_token(service, user_id, 2)) as expiring:
        started = time.monotonic()
        assert closed_with(expiring, timeout=6) == (4401, INVALID_TOKEN)
        assert 0.5 < time.monotonic() - started < 4
    with signed_in(service, forged_token(service, user_id, 2)) as renewed:
        fresh = _token(member.tokens)
        assert sign_in(renewed, fresh)["user_id"] == user_id
        assert_quiet(renewed, 3)  # past the first token's expiry, still open
        item = _item(http, fresh)
        assert next_event(renewed)["item"] == item


def test_a_user_holds_at_most_10_signed_in_sockets(service: Service, http: httpx.Client) -> None:
    _, tokens = new_user(http)
    with ExitStack() as stack:
        sockets = [stack.enter_context(signed_in(service, _token(tokens))) for _ in range(10)]
        with open_socket(service) as eleventh:
            eleventh.send(json.dumps({"type": "auth", "access_token": _token(tokens)}))
            assert closed_with(eleventh) == (4429, "Too many connections for this user.")
        sockets.pop().close()
        _eventually(lambda: _signs_in(service, _token(tokens)))


def _signs_in(service: Service, token: str) -> bool:
    with open_socket(service) as ws:
        ws.send(json.dumps({"type": "auth", "access_token": token}))
        return bool(json.loads(ws.recv(timeout=10))["type"] == "authenticated")


def _eventually(check: Callable[[], bool], timeout: float = 5) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"{check} still false after {timeout} s"
        time.sleep(0.1)


# --- events ---------------------------------------------------------------------------------


def test_the_owner_and_admins_hear_each_change_and_nobody_else(
    service: Service, http: httpx.Client
) -> None:
    _, owner = new_user(http)
    _, other = new_user(http)
    admin = admin_token(http, service)
    with (
        signed_in(service, _token(owner)) as mine,
        signed_in(service, _token(other)) as theirs,
        signed_in(service, admin) as admins,
    ):
        created = _item(http, _token(owner), title='Café ☕ "quoted"', description=DESCRIPTION)
        path = f"/api/v1/items/{created['id']}"
        updated = http.patch(path, json={"description": None}, headers=bearer(_token(owner)))
        assert updated.status_code == 200, updated.text
        assert http.delete(path, headers=bearer(_token(owner))).status_code == 204
        heard = {}
        for name, ws in (("owner", mine), ("admin", admins)):
            events = [next_event(ws) for _ in range(3)]
            assert [e["type"] for e in events] == ["item.created", "item.updated", "item.deleted"]
            assert [e["item"] for e in events] == [created, updated.json(), updated.json()]
            assert [list(e["item"]) for e in events] == [list(created)] * 3
            heard[name] = [e["id"] for e in events]
        assert heard["owner"] == heard["admin"] and len(set(heard["owner"])) == 3
        # The first event the other user hears is of their own item: none of the owner's
        # came before it (one server sends its events in order).
        own = _item(http, _token(other))
        assert next_event(theirs)["item"] == own
        assert next_event(admins)["item"] == own
        # An admin's own item reaches each of its sockets once.
        first, second = _item(http, admin), _item(http, admin)
        assert [next_event(admins)["item"] for _ in range(2)] == [first, second]
        assert_quiet(mine)


@pytest.mark.only(graphql=True, websockets=True)
def test_graphql_mutations_send_the_same_events(service: Service, http: httpx.Client) -> None:
    _, owner = new_user(http)
    auth = bearer(_token(owner))
    with signed_in(service, _token(owner)) as ws:
        create = f"mutation($input: ItemCreateInput!) {{ createItem(input: $input) {{ {ITEM_FIELDS} }} }}"  # noqa: E501
        created = as_rest(
            data(gql(http, create, {"input": {"title": "via graphql"}}, auth))["createItem"]
        )
        update = f'mutation($id: UUID!) {{ updateItem(id: $id, input: {{title: "renamed"}}) {{ {ITEM_FIELDS} }} }}'  # noqa: E501
        updated = as_rest(data(gql(http, update, {"id": created["id"]}, auth))["updateItem"])
        delete = "mutation($id: UUID!) { deleteItem(id: $id) }"
        assert data(gql(http, delete, {"id": created["id"]}, auth)) == {"deleteItem": created["id"]}
        events = [next_event(ws) for _ in range(3)]
    assert [(e["type"], e["item"]) for e in events] == [
        ("item.created", created),
        ("item.updated", updated),
        ("item.deleted", updated),
    ]


@HEAVY
def test_a_burst_of_200_sockets_hears_every_event_exactly_once(
    service: Service, http: httpx.Client
) -> None:
    """20 users with 10 sockets each; each user writes twice, and each socket hears the
    first write and then the second: nothing lost, nothing twice."""
    users = [_token(new_user(http)[1]) for _ in range(20)]

    with ExitStack() as stack, ThreadPoolExecutor(max_workers=50) as pool:

        def opened(token: str) -> ClientConnection:
            ws = stack.enter_context(open_socket(service))  # ExitStack's deque: thread-safe
            sign_in(ws, token)
            return ws

        every = list(pool.map(opened, [token for token in users for _ in range(10)]))
        sockets = {token: every[i * 10 : i * 10 + 10] for i, token in enumerate(users)}

        def writes(token: str) -> list[dict[str, Any]]:
            with client(service) as own:
                return [_item(own, token, title=f"burst {n}") for n in range(2)]

        written = dict(zip(users, pool.map(writes, users), strict=True))

        def heard(token: str) -> list[list[str]]:
            return [[next_event(ws)["item"]["id"] for _ in range(2)] for ws in sockets[token]]

        expected = {
            token: [[item["id"] for item in items]] * 10 for token, items in written.items()
        }
        assert dict(zip(users, pool.map(heard, users), strict=True)) == expected


@HEAVY
def test_churn_leaves_the_server_healthy_and_no_slot_taken(
    service: Service, http: httpx.Client
) -> None:
    """300 sockets opened, signed in and dropped (every other one without a close
    handshake), 5 users at a time; then each user can still hold its 10 sockets."""
    users = [_token(new_user(http)[1]) for _ in range(5)]

    def churn(token: str) -> None:
        for n in range(60):
            with open_socket(service) as ws:
                sign_in(ws, token)
                if n % 2 == 0:
                    ws.close_socket()  # gone without a close frame, as over a lost network

    with ThreadPoolExecutor(max_workers=5) as pool:
        list(pool.map(churn, users))
    assert http.get("/health").status_code == 200
    for token in users:
        _eventually(lambda token=token: _signs_in(service, token))
        with ExitStack() as stack:
            sockets = [stack.enter_context(signed_in(service, token)) for _ in range(10)]
            item = _item(http, token)
            assert [next_event(ws)["item"] for ws in sockets] == [item] * 10


# --- keeping sockets healthy ----------------------------------------------------------------


def _server_side(service: Service, client_port: int) -> tuple[str, int] | None:
    """The TCP state (its hex code) and send queue in bytes of the server's end of the
    connection from `client_port` (both ends are in this machine's /proc/net/tcp); None
    once it is gone."""
    server_port = int(service.base_url.rsplit(":", 1)[1])
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = fields[1], fields[2]
        if (
            int(local.split(":")[1], 16) == server_port
            and int(remote.split(":")[1], 16) == client_port
        ):
            return fields[3], int(fields[4].split(":")[0], 16)
    return None


def _established(service: Service, client_port: int) -> bool:
    seen = _server_side(service, client_port)
    return seen is not None and seen[0] == "01"


@HEAVY
def test_a_client_that_does_not_read_is_cut_off(service: Service, http: httpx.Client) -> None:
    """A signed-in client stops reading while its item changes up to 3000 times (events of
    about 2.3 kB: 7 MB in all, past the 4 MB a Linux socket may buffer and the service's
    own 256 KiB); the server drops it rather than buffer them all, and serves on."""
    _, tokens = new_user(http)
    token = _token(tokens)
    item = _item(http, token, description=DESCRIPTION)
    path, auth = f"/api/v1/items/{item['id']}", bearer(token)

    def change(n: int) -> None:
        with client(service) as own:
            for k in range(25):
                response = own.patch(path, json={"title": f"change {n}.{k}"}, headers=auth)
                assert response.status_code == 200, response.text

    with _raw_signed_in(service, token, receive_buffer=4096) as raw:
        port = raw.getsockname()[1]
        with ThreadPoolExecutor(max_workers=4) as pool:
            for batch in range(30):  # 30 batches of 4 x 25 changes
                list(pool.map(change, range(batch * 4, batch * 4 + 4)))
                if not _established(service, port):
                    break
            else:
                held = _server_side(service, port)
                pytest.fail(f"the server still holds a client that read nothing: {held}")
    assert http.get("/health").status_code == 200
    with signed_in(service, token) as ws:
        item = _item(http, token)
        assert next_event(ws)["item"] == item


@contextmanager
def _raw_signed_in(
    service: Service, token: str, receive_buffer: int | None = None
) -> Iterator[socket.socket]:
    """A socket on /ws signed in through websockets' sans-I/O protocol, which then
    neither reads nor answers pings: what the test does with the socket is all that
    happens on it."""
    from websockets.client import ClientProtocol
    from websockets.http11 import Response
    from websockets.uri import parse_uri

    protocol = ClientProtocol(parse_uri(ws_url(service)))
    host, port = service.base_url.removeprefix("http://").split(":")
    raw = socket.socket()
    if receive_buffer:
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    raw.settimeout(10)
    raw.connect((host, int(port)))
    try:
        protocol.send_request(protocol.connect())
        raw.sendall(b"".join(protocol.data_to_send()))
        answered = False
        while not answered:
            protocol.receive_data(raw.recv(65536))
            for event in protocol.events_received():
                if isinstance(event, Response):
                    assert event.status_code == 101, event
                    protocol.send_text(json.dumps({"type": "auth", "access_token": token}).encode())
                    raw.sendall(b"".join(protocol.data_to_send()))
                elif json.loads(event.data)["type"] == "authenticated":
                    answered = True
        yield raw
    finally:
        raw.close()


def test_heartbeats_cut_off_a_deaf_peer_and_stopping_closes_with_1001(project: Project) -> None:
    """A server pinging every second: a peer that never answers is cut off within two
    intervals and a bit; one that does stays. Stopping the server (SIGTERM) closes every
    socket with 1001 first."""
    with ExitStack() as outlives_the_server:
        with project.serve(WS_HEARTBEAT_SECONDS="1") as fast, client(fast) as own:
            _, tokens = new_user(own)
            token = _token(tokens)
            with _raw_signed_in(fast, token) as deaf, signed_in(fast, token) as alive:
                port = deaf.getsockname()[1]
                started = time.monotonic()
                _eventually(lambda: not _established(fast, port), timeout=6)
                assert time.monotonic() - started > 0.5
                assert_quiet(alive, 1.5)
                item = _item(own, token)
                assert next_event(alive)["item"] == item
            stopping = outlives_the_server.enter_context(signed_in(fast, token))
        # Leaving `serve` sent SIGTERM to the server and waited for it to exit.
        assert closed_with(stopping, timeout=1) == (1001, "The server is shutting down.")


# --- replicas -------------------------------------------------------------------------------


@contextmanager
def _replicas(project: Project, redis_url: str) -> Iterator[tuple[Service, Service]]:
    """Two servers of the project on one database and one Redis."""
    shared = {"REDIS_URL": redis_url, "JWT_SECRET": secrets.token_hex(32)}
    with project.database() as url, ExitStack() as stack:
        first = stack.enter_context(project.serve(url, **shared))
        second = stack.enter_context(project.serve(url, **shared))
        yield first, second


@HEAVY
def test_a_write_on_one_replica_is_heard_on_the_other_exactly_once(project: Project) -> None:
    with (
        _replicas(project, "redis://127.0.0.1:6379/13") as (a, b),
        client(a) as on_a,
        client(b) as on_b,
    ):
        _, tokens = new_user(on_a)
        token = _token(tokens)
        with signed_in(a, token) as socket_a, signed_in(b, token) as socket_b:
            written = [_item(on_b, token, title="on b"), _item(on_a, token, title="on a")]
            for ws in (socket_a, socket_b):
                assert [next_event(ws)["item"] for _ in range(2)] == written
                assert_quiet(ws)


@HEAVY
def test_redis_going_away_delays_nothing_and_events_resume_when_it_is_back(
    project: Project, tmp_path: Path
) -> None:
    port = free_port()
    with _redis(port, tmp_path) as stop_redis, ExitStack() as stack:
        served = stack.enter_context(project.serve(REDIS_URL=f"redis://127.0.0.1:{port}/0"))
        http = stack.enter_context(client(served))
        _, tokens = new_user(http)
        token = _token(tokens)
        ws = stack.enter_context(signed_in(served, token))
        item = _item(http, token)
        assert next_event(ws)["item"] == item
        stop_redis()
        started = time.monotonic()
        _item(http, token, title="while redis is away")
        assert time.monotonic() - started < 5
        with _redis(port, tmp_path):
            deadline = time.monotonic() + 20
            while True:
                item = _item(http, token, title="after redis is back")
                try:
                    event = next_event(ws, timeout=1)
                except TimeoutError:
                    assert time.monotonic() < deadline, "no event 20 s after Redis returned"
                    continue
                if event["item"]["title"] != "while redis is away":
                    assert event["item"] == item
                    break


@contextmanager
def _redis(port: int, workdir: Path) -> Iterator[Callable[[], None]]:
    """A private redis-server on `port` (never the machine's shared one); the callable
    stops it early."""
    proc = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )

    def stop() -> None:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=10)

    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)
        yield stop
    finally:
        stop()


@pytest.mark.only(websockets=False)
def test_without_the_option_ws_is_an_unknown_route(http: httpx.Client) -> None:
    assert_problem(http.get("/ws"), 404)
