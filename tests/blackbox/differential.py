"""Sending the same requests to two stacks and comparing their answers in full.

A case is a function of one `Side`: it sends its requests through it, and may use what
earlier answers returned (ids, tokens). It runs once against each stack; every answer is
normalised (ids, timestamps, tokens, request ids) and recorded, and the two recordings
must be equal: status, the headers the contract names, and the whole body.
"""

from __future__ import annotations

import difflib
import itertools
import json
import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.blackbox.helpers import PASSWORD, bearer, client
from tests.blackbox.services import Service

# The headers the contract names; a stack may add others (Date, Server, ...).
COMPARED_HEADERS = (
    "content-type",
    "allow",
    "www-authenticate",
    "retry-after",
    "location",
    "vary",
    "x-content-type-options",
    "x-frame-options",
    "access-control-allow-origin",
    "access-control-allow-credentials",
    "access-control-allow-methods",
    "access-control-allow-headers",
    "access-control-expose-headers",
    "access-control-max-age",
)

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")
JWT = re.compile(r"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
CHARSET = re.compile(r";\s*charset=utf-8$", re.IGNORECASE)
# In every address, so that a case run again on the same databases registers anew.
RUN = secrets.token_hex(3)


@dataclass(frozen=True)
class Answer:
    """One request and its normalised answer."""

    request: str
    status: int
    headers: dict[str, str]
    body: Any

    def lines(self) -> list[str]:
        headers = [f"{name}: {value}" for name, value in self.headers.items()]
        body = json.dumps(self.body, indent=1, sort_keys=True, ensure_ascii=False)
        return [self.request, f"-> {self.status}", *headers, *body.splitlines()]


@dataclass
class Side:
    """One stack as a case sees it: a client that records normalised answers."""

    service: Service
    http: httpx.Client
    answers: list[Answer] = field(default_factory=list)
    _ids: dict[str, str] = field(default_factory=dict)
    _names: Iterator[int] = field(default_factory=itertools.count)
    _admin: dict[str, str] | None = None

    @property
    def name(self) -> str:
        return self.service.variant.id

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        response = self.http.request(method, path, **kwargs)
        self.answers.append(
            Answer(
                self._request(response.request),
                response.status_code,
                self._headers(response),
                self._body(response),
            )
        )
        return response

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", path, **kwargs)

    def email(self, case: str) -> str:
        """An address the same on both sides (each side has a database of its own, and
        runs the same cases in the same order), unique within the run as long as each
        test names its addresses after itself."""
        return f"{case}.{next(self._names)}.{RUN}@example.com"

    def user(self, case: str, **extra: Any) -> tuple[dict[str, Any], dict[str, str]]:
        """A new user and its Authorization headers, both requests recorded."""
        email = self.email(case)
        user = self.post(
            "/api/v1/auth/register", json={"email": email, "password": PASSWORD, **extra}
        )
        tokens = self.post("/api/v1/auth/login", data={"username": email, "password": PASSWORD})
        return user.json(), bearer(tokens.json()["access_token"])

    @property
    def admin(self) -> dict[str, str]:
        """The first admin's Authorization headers (signing in is not recorded)."""
        if self._admin is None:
            form = {"username": self.service.admin_email, "password": self.service.admin_password}
            response = self.http.post("/api/v1/auth/login", data=form)
            assert response.status_code == 200, response.text
            self._admin = bearer(response.json()["access_token"])
        return self._admin

    def record(self, what: str, seen: Any, status: int = 0) -> None:
        """Something seen other than an HTTP answer (a WebSocket message or close), as an
        answer to `what`: JSON as JSON, other text with its ids and times normalised in
        place, so that two texts differing in their bytes differ here too."""
        if isinstance(seen, str):
            seen = TIMESTAMP.sub("<timestamp>", UUID.sub(lambda m: self._id(m.group()), seen))
        else:
            seen = self._normalise(seen)
        self.answers.append(Answer(what, status, {}, seen))

    def _request(self, request: httpx.Request) -> str:
        """The request line, and the start of its body: what the two sides were sent."""
        target = request.url.raw_path.decode()
        body = request.content.decode(errors="backslashreplace")
        shown = f"{request.method} {target} {body}".rstrip()
        return JWT.sub("<token>", UUID.sub(lambda m: self._id(m.group()), shown))[:300]

    def _id(self, value: str) -> str:
        # Each side numbers the ids it meets in order, so equal histories read the same.
        return self._ids.setdefault(value, f"<id {len(self._ids) + 1}>")

    def _headers(self, response: httpx.Response) -> dict[str, str]:
        present = [name for name in COMPARED_HEADERS if name in response.headers]
        headers = {name: response.headers[name] for name in present}
        if "content-type" in headers:
            # The one difference the contract allows: Nest's adapters add this parameter to
            # JSON types, and RFC 8259 gives it no meaning (JSON is UTF-8).
            headers["content-type"] = CHARSET.sub("", headers["content-type"])
        return headers

    def _body(self, response: httpx.Response) -> Any:
        if not response.content:
            return None
        try:
            body = response.json()
        except ValueError:
            return response.text
        return self._normalise(body)

    def _normalise(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {
                key: "<request id>" if key == "request_id" else self._normalise(child)
                for key, child in value.items()
            }
        if isinstance(value, list):
            return [self._normalise(child) for child in value]
        if isinstance(value, str):
            if UUID.fullmatch(value):
                return self._id(value)
            if TIMESTAMP.fullmatch(value):
                return "<timestamp>"
            if JWT.fullmatch(value):
                return "<token>"
        return value


Case = Callable[[Side], object]


@contextmanager
def sides(services: tuple[Service, Service]) -> Iterator[tuple[Side, Side]]:
    with client(services[0]) as first, client(services[1]) as second:
        yield Side(services[0], first), Side(services[1], second)


def differences(left: Side, right: Side) -> str:
    """Each pair of answers that differ, side by side; empty when the sides agree."""
    shown = []
    pairs = itertools.zip_longest(left.answers, right.answers)
    for number, (a, b) in enumerate(pairs, 1):
        if a != b:
            shown.append(f"answer {number}:\n{side_by_side(a, b, left.name, right.name)}")
    return "\n\n".join(shown)


def side_by_side(a: Answer | None, b: Answer | None, left: str, right: str, width: int = 60) -> str:
    """Two answers in columns, equal lines aligned and differing ones marked with `!`."""
    a_lines = a.lines() if a else ["(no request)"]
    b_lines = b.lines() if b else ["(no request)"]
    rows = [f"  {left:<{width}} | {right}"]
    matcher = difflib.SequenceMatcher(a=a_lines, b=b_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        pairs = itertools.zip_longest(a_lines[i1:i2], b_lines[j1:j2], fillvalue="")
        for x, y in pairs:
            mark = " " if tag == "equal" else "!"
            rows.append(f"{mark} {x[:width]:<{width}} | {y[:width]}")
    return "\n".join(rows)


def run_case(case: Case, services: tuple[Service, Service]) -> str:
    """Run `case` against both services; the differences between their answers."""
    with sides(services) as (left, right):
        case(left)
        case(right)
        return differences(left, right)
