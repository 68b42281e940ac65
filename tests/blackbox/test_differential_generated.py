"""Requests schemathesis generates from one stack's OpenAPI document, sent to both stacks:
their answers must be identical (compared as in test_differential.py).

For each operation, a fixed number of valid and of invalid requests are drawn from the
document (derandomised: the same requests every run), each sent to FastAPI and then to
NestJS as an admin of its own, so that every operation is reached past its auth check.
Both directions run: requests drawn from FastAPI's document and from NestJS's.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import Case
from schemathesis.generation import GenerationMode

from tests.blackbox.conftest import Stacks
from tests.blackbox.differential import Side, differences, sides
from tests.blackbox.helpers import PASSWORD, bearer
from tests.blackbox.services import Service

EXAMPLES = 8  # per operation and mode: 18 operations x 2 modes x 2 documents x 8
DOCUMENTS = ["fastapi", "nestjs"]


def _draw(service: Service) -> list[Case]:
    """Valid and invalid requests for every operation of `service`'s document."""
    schema = schemathesis.openapi.from_url(f"{service.base_url}/openapi.json")
    cases: list[Case] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        drawn = len(cases)
        for mode in GenerationMode:

            @given(operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                derandomize=True,
                database=None,
                deadline=None,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def collect(case: Case) -> None:
                cases.append(case)

            try:
                collect()
            except Unsatisfiable:
                # An operation that takes no input has no invalid request to draw.
                if mode is GenerationMode.POSITIVE:
                    raise
        assert len(cases) > drawn, f"no requests drawn for {operation.label}"
    return cases


def _fuzzer(side: Side, document: str) -> dict[str, str]:
    """An admin made for this test (fuzzing PATCH /users/me may rename it)."""
    email = side.email(f"fuzzer-{document}")
    user = side.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD}).json()
    side.patch(f"/api/v1/users/{user['id']}", json={"role": "admin"}, headers=side.admin)
    form = {"username": email, "password": PASSWORD}
    return bearer(side.post("/api/v1/auth/login", data=form).json()["access_token"])


def _send(side: Side, case: Case, auth: dict[str, str]) -> None:
    sent: dict[str, Any] = case.as_transport_kwargs(base_url=side.service.base_url)
    data = sent.get("data")
    if isinstance(data, str | bytes):  # httpx takes raw bodies as `content`
        sent["content"] = sent.pop("data")
    url = httpx.URL(sent.pop("url"))
    headers = {**sent.pop("headers"), **auth}
    headers.pop("X-Schemathesis-TestCaseId", None)
    if sent.pop("cookies", None):
        raise AssertionError(f"{case.operation.label}: the documents declare no cookies")
    side.request(sent.pop("method"), url.raw_path.decode(), headers=headers, **sent)


@pytest.mark.parametrize("document", DOCUMENTS)
def test_generated_requests_get_the_same_answers(document: str, stacks: Stacks) -> None:
    cases = _draw(getattr(stacks, document))
    with sides((stacks.fastapi, stacks.nestjs)) as (left, right):
        for side in (left, right):
            auth = _fuzzer(side, document)
            for case in cases:
                _send(side, case, auth)
        different = differences(left, right)
    assert not different, f"requests drawn from {document}'s document:\n{different}"
