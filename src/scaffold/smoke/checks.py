"""What a served project must answer, checked over loopback HTTP with the standard
library: the liveness and readiness probes, a self-hosted docs page, with the graphql
option a GraphQL answer and a self-hosted GraphiQL page, and with the websockets option an
item event heard on /ws (with the websockets package)."""

from __future__ import annotations

import json
import re
import secrets
import urllib.error
import urllib.request
from urllib.parse import urlencode, urljoin, urlparse

from websockets.exceptions import WebSocketException
from websockets.sync.client import connect

ASSET = re.compile(r'(?:src|href)="([^"]+)"')


class CheckFailed(Exception):
    """A served project answered something other than what it must."""


def check_service(base_url: str, graphql: bool = False, websockets: bool = False) -> list[str]:
    """Check `/health`, `/health/ready` and `/docs` (and `/graphql`, `/ws`); what was
    checked, one line each."""
    done = []
    for probe in ("/health", "/health/ready"):
        status, _, body = fetch(base_url + probe)
        document = _json(probe, body)
        if status != 200 or document.get("status") != "ok":
            raise CheckFailed(f"{probe} answered {status} {body[:300]!r}")
        checks = document.get("checks", {})
        failing = {k: v for k, v in checks.items() if v != "ok"} if isinstance(checks, dict) else {}
        if failing:
            raise CheckFailed(f"{probe} reports failing checks: {failing}")
        done.append(f"{probe}: 200 {json.dumps(document)}")
    done.append(_check_page(base_url, "/docs"))
    if graphql:
        done.append(_check_graphql(base_url + "/graphql"))
        done.append(_check_page(base_url, "/graphql"))
    if websockets:
        done.append(_check_websocket(base_url))
    return done


def _check_page(base_url: str, path: str) -> str:
    """The page is HTML whose scripts and styles all come from the service itself: docs
    that need a CDN break on an offline or locked-down network."""
    url = base_url + path
    status, content_type, body = fetch(url, accept="text/html")
    if status != 200 or not content_type.startswith("text/html"):
        raise CheckFailed(f"{path} answered {status} {content_type}")
    assets = ASSET.findall(body.decode(errors="replace"))
    if not assets:
        raise CheckFailed(f"{path} references no scripts or styles")
    for asset in assets:
        absolute = urljoin(url, asset)
        if urlparse(absolute).netloc != urlparse(url).netloc:
            raise CheckFailed(f"{path} loads {asset} from another host")
        asset_status, _, content = fetch(absolute)
        if asset_status != 200 or not content:
            raise CheckFailed(f"{path} asset {asset} answered {asset_status}")
    return f"{path}: 200 with {len(assets)} self-hosted assets"


def _check_graphql(url: str) -> str:
    """A query that needs no sign-in, answered as GraphQL answers."""
    query = json.dumps({"query": "{ __typename }"}).encode()
    status, _, body = fetch(url, data=query, content_type="application/json")
    document = _json("/graphql", body)
    if status != 200 or document.get("data") != {"__typename": "Query"}:
        raise CheckFailed(f"/graphql answered {status} {body[:300]!r} to {{ __typename }}")
    return f"/graphql: 200 {json.dumps(document)}"


def _check_websocket(base_url: str) -> str:
    """A throw-away user signs in on /ws and hears of the item it creates over REST."""
    email = f"smoke.{secrets.token_hex(6)}@example.com"
    password = secrets.token_urlsafe(16)
    account = json.dumps({"email": email, "password": password}).encode()
    status, _, body = fetch(
        f"{base_url}/api/v1/auth/register", data=account, content_type="application/json"
    )
    if status != 201:
        raise CheckFailed(f"registering a user answered {status} {body[:300]!r}")
    form = urlencode({"username": email, "password": password}).encode()
    status, _, body = fetch(
        f"{base_url}/api/v1/auth/login", data=form, content_type="application/x-www-form-urlencoded"
    )
    token = _json("/api/v1/auth/login", body).get("access_token")
    if status != 200 or not isinstance(token, str):
        raise CheckFailed(f"signing in answered {status} {body[:300]!r}")
    url = "ws" + base_url.removeprefix("http") + "/ws"
    try:
        with connect(url, open_timeout=10) as socket:
            socket.send(json.dumps({"type": "auth", "access_token": token}))
            welcome = json.loads(socket.recv(timeout=10))
            if welcome.get("type") != "authenticated":
                raise CheckFailed(f"/ws answered {welcome!r} to the auth message")
            item = json.dumps({"title": "smoke"}).encode()
            status, _, body = fetch(
                f"{base_url}/api/v1/items",
                data=item,
                content_type="application/json",
                authorization=f"Bearer {token}",
            )
            if status != 201:
                raise CheckFailed(f"creating an item answered {status} {body[:300]!r}")
            event = json.loads(socket.recv(timeout=10))
    except (OSError, TimeoutError, WebSocketException, ValueError) as exc:
        raise CheckFailed(f"/ws: {type(exc).__name__}: {exc}") from None
    if event.get("type") != "item.created" or event.get("item") != _json("/api/v1/items", body):
        raise CheckFailed(f"/ws sent {event!r} for the item created")
    return "/ws: signed in and heard item.created"


def fetch(
    url: str,
    timeout: float = 10,
    accept: str = "*/*",
    data: bytes | None = None,
    content_type: str | None = None,
    authorization: str | None = None,
) -> tuple[int, str, bytes]:
    """(status, content type, body) of a GET (a POST of `data`), error statuses included."""
    headers = {"Accept": accept} | ({"Content-Type": content_type} if content_type else {})
    if authorization:
        headers["Authorization"] = authorization
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers.get("content-type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("content-type", ""), error.read()


def _json(probe: str, body: bytes) -> dict[str, object]:
    try:
        document = json.loads(body)
    except ValueError:
        raise CheckFailed(f"{probe} did not answer JSON: {body[:300]!r}") from None
    if not isinstance(document, dict):
        raise CheckFailed(f"{probe} answered {document!r}, not an object")
    return document
