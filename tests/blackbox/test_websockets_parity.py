"""The same WebSocket conversations with FastAPI and NestJS side by side: the same
answers to /ws without an upgrade or from a foreign origin, the same close codes and
reasons, and the same bytes of every message (tests/blackbox/differential.py normalises
ids and times in place; a difference fails the case and prints both sides)."""

from __future__ import annotations

import json

import pytest
from websockets.exceptions import InvalidStatus

from tests.blackbox.conftest import Stacks
from tests.blackbox.differential import Case, Side, differences, sides
from tests.blackbox.realtime import closed_with, open_socket

CASES: dict[str, Case] = {}
REFUSAL_HEADERS = ("content-type", "vary", "x-content-type-options", "x-frame-options")
TITLE = 'Café ☕ "quoted" \\ back\tslash\u2028and\u007f'


def case(function: Case) -> Case:
    CASES[function.__name__] = function
    return function


def _token(auth: dict[str, str]) -> str:
    return auth["Authorization"].removeprefix("Bearer ")


@case
def the_route_over_http(side: Side) -> None:
    for method in ("GET", "HEAD", "POST", "DELETE"):
        side.request(method, "/ws")
    try:
        open_socket(side.service, origin="https://elsewhere.example").close()
    except InvalidStatus as refused:
        response = refused.response
        side.record(
            "upgrade from another origin",
            {
                **{name: response.headers.get(name) for name in REFUSAL_HEADERS},
                "body": json.loads(response.body or b"null"),
            },
            response.status_code,
        )
    else:
        side.record("upgrade from another origin", "opened")


@case
def refusals(side: Side) -> None:
    _, auth = side.user("ws-refusals")
    token = _token(auth)
    before = [
        "hello",
        '{"type": "auth"}',
        '{"type": "auth", "access_token": "not.a.token"}',
        b"\x01binary",
    ]
    for message in before:
        with open_socket(side.service) as ws:
            ws.send(message)
            side.record(f"sent {message!r}"[:80], list(closed_with(ws)))
    for message in ["[]", '{"type": "nope"}', "x" * 65537, b"\x01binary"]:
        with open_socket(side.service) as ws:
            ws.send(json.dumps({"type": "auth", "access_token": token}))
            side.record("signed in", ws.recv(timeout=10))
            ws.send(message)
            side.record(f"sent {message!r} once signed in"[:80], list(closed_with(ws)))


@case
def events(side: Side) -> None:
    _, auth = side.user("ws-events")
    with open_socket(side.service) as ws:
        ws.send(json.dumps({"type": "auth", "access_token": _token(auth)}))
        side.record("signed in", ws.recv(timeout=10))
        item = side.post(
            "/api/v1/items", json={"title": TITLE, "description": "line\nbreak"}, headers=auth
        ).json()
        path = f"/api/v1/items/{item['id']}"
        side.patch(path, json={"description": None}, headers=auth)
        side.delete(path, headers=auth)
        for _ in range(3):
            side.record("event", ws.recv(timeout=10))


@pytest.mark.parametrize("name", list(CASES))
def test_both_stacks_speak_the_same_websocket(name: str, websocket_stacks: Stacks) -> None:
    with sides((websocket_stacks.fastapi, websocket_stacks.nestjs)) as (left, right):
        CASES[name](left)
        CASES[name](right)
        found = differences(left, right)
        assert not found, found
