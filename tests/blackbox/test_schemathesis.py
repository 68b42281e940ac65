"""Schemathesis over the service's own /openapi.json: no 5xx, responses (their status
codes too) as documented.

Runs schemathesis' CLI (its stable, documented entry point) against the running service,
bounded: its boundary-value coverage phase plus 10 generated examples per operation, a
fixed seed (a failure reproduces), no stateful phase, and a wall-clock limit on the whole
run. Requests carry an access token of an admin made for the run, so every operation is
reached past its auth check.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.blackbox.helpers import admin_token, bearer, client, login, register
from tests.blackbox.services import Service
from tests.support.processes import run

# The REST suite in depth on each stack's variant without GraphQL or WebSockets; the
# others run the REST contract (test_contract.py), their options' suites and their own
# projects' whole suites, and two pairs compare both stacks side by side (README.md,
# "Time budget").
pytestmark = pytest.mark.only(graphql=False, websockets=False)

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
# status_code_conformance: every status a route answers is documented (docs/contract.md,
# "OpenAPI document").
CHECKS = (
    "not_a_server_error,status_code_conformance,response_schema_conformance,"
    "content_type_conformance"
)


def test_schemathesis_finds_no_server_errors_or_schema_mismatches(
    service: Service, tmp_path: Path
) -> None:
    with client(service) as http:
        # A dedicated admin: fuzzing PATCH /users/me may rename it, never the first admin.
        fuzzer = register(http)
        promoted = http.patch(
            f"/api/v1/users/{fuzzer['id']}",
            json={"role": "admin"},
            headers=bearer(admin_token(http, service)),
        )
        assert promoted.status_code == 200, promoted.text
        token = login(http, fuzzer["email"])["access_token"]

    result = run(
        [
            str(SCHEMATHESIS),
            "run",
            f"{service.base_url}/openapi.json",
            "--header",
            f"Authorization: Bearer {token}",
            "--checks",
            CHECKS,
            "--phases",
            "examples,coverage,fuzzing",
            "--max-examples",
            "10",
            "--seed",
            "20261124",
            "--no-shrink",
            "--workers",
            "1",
            "--request-timeout",
            "10",
            "--max-failures",
            "40",
        ],
        cwd=tmp_path,  # its report/cache directories stay out of the checkout
        timeout=240,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-12000:]
    with client(service) as http:
        assert http.get("/health/ready").status_code == 200
