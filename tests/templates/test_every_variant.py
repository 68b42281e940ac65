"""What every variant of every stack must pass alike: `make start` answers what
`scaffold smoke` checks, and the generated CI workflow is valid."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from scaffold.smoke.checks import check_service
from scaffold.smoke.matrix import Variant
from scaffold.smoke.project import Project, serve
from tests.support.actionlint import actionlint
from tests.support.projects import MATRIX

pytestmark = pytest.mark.template


@pytest.fixture(params=MATRIX, ids=lambda v: v.id)
def project(request: pytest.FixtureRequest, installed: Callable[[Variant], Project]) -> Project:
    return installed(request.param)


def test_start_passes_the_smoke_checks(project: Project) -> None:
    with serve(project, project.path.parent / "logs" / "serve.log") as served:
        checked = check_service(
            served.url,
            graphql=project.variant.get("graphql"),
            websockets=project.variant.get("websockets"),
        )
    assert checked[2].startswith("/docs: 200 with"), checked
    if project.variant.get("graphql"):
        assert "/graphql: 200 with 5 self-hosted assets" in checked, checked
    if project.variant.get("websockets"):
        assert checked[-1] == "/ws: signed in and heard item.created", checked


def test_ci_workflow_passes_actionlint(project: Project) -> None:
    assert actionlint(project.path) == []
