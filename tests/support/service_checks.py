"""Checks every generated stack must pass the same way, as its user would see them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import httpx

from tests.support.processes import run, serve

ASSET = re.compile(r'(?:src|href)="([^"]+)"')


def assert_serves_health_and_local_docs(
    project: Path, env: Mapping[str, str], timeout: float = 120
) -> None:
    """`make start` serves health, readiness, self-hosted docs and the OpenAPI document."""
    with serve(project, env=env, timeout=timeout) as base_url:
        assert httpx.get(f"{base_url}/health").json() == {"status": "ok"}
        ready = httpx.get(f"{base_url}/health/ready")
        assert ready.json() == {"status": "ok", "checks": {"database": "ok"}}
        for page in ("/docs", "/redoc"):
            response = httpx.get(base_url + page, follow_redirects=True)
            assert response.status_code == 200
            assert response.headers["x-frame-options"] == "DENY"
            assets = ASSET.findall(response.text)
            assert assets, f"{page} references no assets"
            for url in assets:
                assert not re.match(r"^(https?:)?//", url), f"{page} loads {url} from another host"
                asset = httpx.get(str(response.url.join(url)))
                assert asset.status_code == 200, url
                assert len(asset.content) > 500, url
        document = httpx.get(f"{base_url}/openapi.json").json()
        password_flows = [
            scheme["flows"]["password"]
            for scheme in document["components"]["securitySchemes"].values()
            if "password" in scheme.get("flows", {})
        ]
        assert [flow["tokenUrl"] for flow in password_flows] == ["/api/v1/auth/login"]
        assert "/api/v1/items/{id}" in document["paths"]
        missing = httpx.get(f"{base_url}/nope")
        assert missing.status_code == 404
        assert missing.headers["content-type"].startswith("application/problem+json")


def assert_production_refuses_a_short_secret(
    project: Path, env: Mapping[str, str], timeout: float = 120
) -> None:
    """`make start` in production with a weak JWT_SECRET exits with one `error:` line."""
    result = run(
        ["make", "start"],
        cwd=project,
        env={**env, "APP_ENV": "production", "JWT_SECRET": "too-short", "HOST": "127.0.0.1"},
        timeout=timeout,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    # Neither a Python traceback nor a Node stack trace.
    assert "Traceback" not in output and "    at " not in output, output
    reasons = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(reasons) == 1, result.stderr
    assert "JWT_SECRET must be set to at least 32 bytes" in reasons[0]
