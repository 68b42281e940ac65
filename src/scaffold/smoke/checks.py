"""What a served project must answer, checked over loopback HTTP with the standard
library: the liveness and readiness probes and a self-hosted docs page."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from urllib.parse import urljoin, urlparse

ASSET = re.compile(r'(?:src|href)="([^"]+)"')


class CheckFailed(Exception):
    """A served project answered something other than what it must."""


def check_service(base_url: str) -> list[str]:
    """Check `/health`, `/health/ready` and `/docs`; what was checked, one line each."""
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
    done.append(_check_docs(base_url + "/docs"))
    return done


def _check_docs(url: str) -> str:
    """The docs page is HTML whose scripts and styles all come from the service itself:
    docs that need a CDN break on an offline or locked-down network."""
    status, content_type, body = fetch(url)
    if status != 200 or not content_type.startswith("text/html"):
        raise CheckFailed(f"/docs answered {status} {content_type}")
    assets = ASSET.findall(body.decode(errors="replace"))
    if not assets:
        raise CheckFailed("/docs references no scripts or styles")
    for asset in assets:
        absolute = urljoin(url, asset)
        if urlparse(absolute).netloc != urlparse(url).netloc:
            raise CheckFailed(f"/docs loads {asset} from another host")
        asset_status, _, content = fetch(absolute)
        if asset_status != 200 or not content:
            raise CheckFailed(f"/docs asset {asset} answered {asset_status}")
    return f"/docs: 200 with {len(assets)} self-hosted assets"


def fetch(url: str, timeout: float = 10) -> tuple[int, str, bytes]:
    """(status, content type, body) of a GET, error statuses included."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
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
