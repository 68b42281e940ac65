"""A client of a service's `/ws` (the contract's "WebSocket events"), for the black-box
suite: sockets opened and signed in, events read and checked, closes waited for."""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import jwt
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from tests.blackbox.services import Service

EVENT_MEMBERS = ["type", "id", "at", "item"]
EVENT_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
NOT_AUTHENTICATED = "Not authenticated."
INVALID_TOKEN = "Invalid or expired token."
AUTH_TIMEOUT = 5


def ws_url(service: Service) -> str:
    return "ws" + service.base_url.removeprefix("http") + "/ws"


def open_socket(service: Service, origin: str | None = None, **options: Any) -> ClientConnection:
    """A socket on `/ws`, not yet signed in. No compression, no proxy, and no pings of
    the client's own, so that what the server does is what the test sees."""
    return connect(
        ws_url(service),
        origin=origin,
        compression=None,
        proxy=None,
        ping_interval=None,
        open_timeout=10,
        close_timeout=5,
        **options,
    )


def sign_in(socket: ClientConnection, token: str) -> dict[str, Any]:
    """Send the auth message; the `authenticated` answer, checked."""
    socket.send(json.dumps({"type": "auth", "access_token": token}))
    answer = json.loads(socket.recv(timeout=10))
    assert list(answer) == ["type", "user_id", "expires_at"], answer
    assert answer["type"] == "authenticated", answer
    assert EVENT_TIME.match(answer["expires_at"]), answer
    return dict(answer)


@contextmanager
def signed_in(service: Service, token: str) -> Iterator[ClientConnection]:
    """A socket signed in with `token`, closed at the end."""
    with open_socket(service) as socket:
        sign_in(socket, token)
        yield socket


def next_event(socket: ClientConnection, timeout: float = 10) -> dict[str, Any]:
    """The next message, which must be an event as the contract writes it: members in
    order, compact JSON, a fresh UUID and a millisecond UTC time."""
    text = socket.recv(timeout=timeout)
    assert isinstance(text, str), text
    event = json.loads(text)
    assert list(event) == EVENT_MEMBERS, text
    assert text == json.dumps(event, separators=(",", ":"), ensure_ascii=False), text
    assert event["type"] in {"item.created", "item.updated", "item.deleted"}, text
    assert uuid.UUID(event["id"]).version == 4, text
    assert EVENT_TIME.match(event["at"]), text
    return dict(event)


def assert_quiet(socket: ClientConnection, seconds: float = 0.5) -> None:
    """Nothing arrives on `socket` for `seconds`."""
    try:
        message = socket.recv(timeout=seconds)
    except TimeoutError:
        return
    raise AssertionError(f"unexpected message: {message!r}")


def closed_with(socket: ClientConnection, timeout: float = 10) -> tuple[int | None, str]:
    """Read until the server closes the socket: (code, reason) of its close frame, or
    (None, "") when the connection ended without one."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.recv(timeout=max(deadline - time.monotonic(), 0.01))
        except ConnectionClosed as closed:
            frame = closed.rcvd
            return (frame.code, frame.reason) if frame else (None, "")
        except TimeoutError:
            raise AssertionError(
                f"the server did not close the socket within {timeout} s"
            ) from None


def forged_token(service: Service, user_id: str, lifetime: float, **claims: Any) -> str:
    """An access token for `user_id` signed with the service's secret, expiring in
    `lifetime` seconds (the services sign theirs the same way: tests/blackbox/test_attacks.py)."""
    now = int(time.time())
    body = {
        "sub": user_id,
        "iat": now,
        "exp": int(now + lifetime),
        "jti": str(uuid.uuid4()),
        "type": "access",
        **claims,
    }
    return jwt.encode(body, service.jwt_secret, algorithm="HS256")
