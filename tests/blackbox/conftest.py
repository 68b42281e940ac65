"""Generated services started for real (`make install`, `make start`), one per stack variant.

Each variant of the matrix is generated and installed once per session (the install the
template tests use too); the main service runs for the whole session and the tests talk
to it over loopback only. Tests that need a differently configured server (rate limit,
docs off, production mode, a database that goes away) start a short-lived one from the
same install with `Project.serve`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from scaffold.smoke.matrix import Variant
from scaffold.smoke.project import Project as Installed
from tests.blackbox.helpers import Member, admin_token, bearer, client, new_user
from tests.blackbox.services import Project, Service
from tests.support.projects import MATRIX, variant

# The stacks compared side by side (tests that need `stacks`): on SQLite, and on
# PostgreSQL with NestJS on Express, so both HTTP adapters meet FastAPI.
PAIRS = [
    (
        variant("fastapi", database="sqlite"),
        variant("nestjs", database="sqlite", http_adapter="fastify"),
    ),
    (
        variant("fastapi", database="postgresql"),
        variant("nestjs", database="postgresql", http_adapter="express"),
    ),
]

# The same with GraphQL on: each database, and each NestJS adapter, once.
GRAPHQL_PAIRS = [
    (
        variant("fastapi", database="sqlite", graphql=True),
        variant("nestjs", database="sqlite", graphql=True),
    ),
    (
        variant("fastapi", database="postgresql", graphql=True),
        variant("nestjs", database="postgresql", graphql=True),
    ),
]

# The same with WebSockets on: each database, and each NestJS adapter, once.
WEBSOCKET_PAIRS = [
    (
        variant("fastapi", database="sqlite", websockets=True),
        variant("nestjs", database="sqlite", http_adapter="express", websockets=True),
    ),
    (
        variant("fastapi", database="postgresql", websockets=True),
        variant("nestjs", database="postgresql", http_adapter="fastify", websockets=True),
    ),
]


@dataclass(frozen=True)
class Stacks:
    """Two stacks' services, each started on a fresh database of the same kind."""

    fastapi: Service
    nestjs: Service

    def __iter__(self) -> Iterator[Service]:
        return iter((self.fastapi, self.nestjs))


@contextmanager
def side_by_side(
    pair: tuple[Variant, Variant], installed: Callable[[Variant], Installed]
) -> Iterator[Stacks]:
    """The pair's services, each started on a fresh database of its own."""
    with ExitStack() as stack:
        services = []
        for generated in map(installed, pair):
            project = Project(generated.variant, generated.path, generated.env)
            services.append(stack.enter_context(project.serve()))
        yield Stacks(*services)


@pytest.fixture(scope="session", params=MATRIX, ids=lambda v: v.id)
def project(request: pytest.FixtureRequest, installed: Callable[[Variant], Installed]) -> Project:
    """The variant's install, shared with the template tests."""
    generated = installed(request.param)
    return Project(generated.variant, generated.path, generated.env)


@pytest.fixture(scope="session")
def service(project: Project) -> Iterator[Service]:
    """The project's main server, started once and shared by the read-mostly suite."""
    with project.serve() as running:
        yield running


@pytest.fixture(scope="session", params=PAIRS, ids=lambda pair: "-vs-".join(v.id for v in pair))
def stacks(
    request: pytest.FixtureRequest, installed: Callable[[Variant], Installed]
) -> Iterator[Stacks]:
    """FastAPI and NestJS served side by side, for the tests that compare their answers.

    The id ends with the NestJS variant's, so the scheduler (tests/conftest.py) runs these
    tests on the worker that installed that variant."""
    with side_by_side(request.param, installed) as both:
        yield both


def _pairs(name: str, pairs: list[tuple[Variant, Variant]]) -> object:
    """A `stacks` fixture called `name`, over other pairs."""

    @pytest.fixture(
        name=name, scope="session", params=pairs, ids=lambda p: "-vs-".join(v.id for v in p)
    )
    def pair(
        request: pytest.FixtureRequest, installed: Callable[[Variant], Installed]
    ) -> Iterator[Stacks]:
        with side_by_side(request.param, installed) as both:
            yield both

    return pair


graphql_stacks = _pairs("graphql_stacks", GRAPHQL_PAIRS)
websocket_stacks = _pairs("websocket_stacks", WEBSOCKET_PAIRS)


@pytest.fixture
def http(service: Service) -> Iterator[httpx.Client]:
    """A checking client of the main server (tests/blackbox/helpers.py `client`)."""
    with client(service) as c:
        yield c


@pytest.fixture(scope="session")
def admin(service: Service) -> dict[str, str]:
    """Authorization headers of the first admin (tests never demote it)."""
    with client(service) as http:
        return bearer(admin_token(http, service))


@pytest.fixture(scope="session")
def member(service: Service) -> Member:
    """Never deactivated, deleted, renamed or signed out by any test."""
    with client(service) as http:
        user, tokens = new_user(http)
    return Member(user, tokens)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "only(**answers): a black-box test that only exists for the variants with these "
        "answers (only(database='postgresql'), only(graphql=True))",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    kept, dropped = [], []
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.blackbox)
            item.add_marker(pytest.mark.template)
            only = item.get_closest_marker("only")
            if only and not all(
                variant.get(k) == v for variant in _variants(item) for k, v in only.kwargs.items()
            ):
                # Not a skip: a database fault test has no SQLite counterpart, a GraphQL
                # test nothing to run on a variant without GraphQL.
                dropped.append(item)
                continue
        kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def _variants(item: pytest.Item) -> list[Variant]:
    """The variants a test runs on: its project's, or both of a side-by-side pair."""
    params = getattr(getattr(item, "callspec", None), "params", {})
    found: list[Variant] = []
    for value in params.values():
        candidates = value if isinstance(value, tuple) else (value,)
        found += [v for v in candidates if isinstance(v, Variant)]
    return found
