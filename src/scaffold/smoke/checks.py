"""What a served project must answer, checked over loopback HTTP with the standard
library: the liveness and readiness probes, a self-hosted docs page, and with the
graphql option a GraphQL answer and a self-hosted GraphiQL page."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from urllib.parse import urljoin, urlparse

ASSET = re.compile(r'(?:src|href)="([^"]+)"')


class CheckFailed(Exception):
    """A served project answered something other than what it must."""


def check_service(base_url: str, graphql: bool = False) -> list[str]:
    """Check `/health`, `/health/ready` and `/docs` (and `/graphql`); what was checked,
    one line each."""
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


def fetch(
    url: str,
    timeout: float = 10,
    accept: str = "*/*",
    data: bytes | None = None,
    content_type: str | None = None,
) -> tuple[int, str, bytes]:
    """(status, content type, body) of a GET (a POST of `data`), error statuses included."""
    headers = {"Accept": accept} | ({"Content-Type": content_type} if content_type else {})
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
