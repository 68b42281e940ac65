"""Suite-wide fixtures and hooks: one generated, installed project per variant of
`scaffold smoke`'s matrix, shared by the template tests and the black-box suite, and
the time each variant took, printed at the end of the run."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from _pytest.terminal import TerminalReporter

from scaffold.smoke.matrix import Variant
from scaffold.smoke.project import Project
from tests.support.postgres import postgres_database
from tests.support.projects import MATRIX, install


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[Variant], Project]]:
    """`installed(variant)`: the variant generated and `make install`ed once per session,
    with a PostgreSQL database of its own when it uses PostgreSQL (DATABASE_URL)."""
    projects: dict[Variant, Project] = {}
    with ExitStack() as cleanup:

        def get(variant: Variant) -> Project:
            if variant not in projects:
                work = tmp_path_factory.mktemp(variant.id)
                project = install(variant, work / "svc-test")
                if variant.get("database") == "postgresql":
                    database = cleanup.enter_context(postgres_database())
                    project.env["DATABASE_URL"] = database
                projects[variant] = project
            return projects[variant]

        yield get


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The variant travels with each report to the controller, for the time summary.
    for item in items:
        variant = _variant(item)
        if variant is not None:
            item.user_properties.append(("variant", variant.id))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Under `pytest -n N`, every test of one variant runs on the same worker, so the
    variant is generated and installed once in the whole run; other tests are grouped
    by module, for their module-scoped fixtures. (xdist's own `--dist loadgroup` marks
    a group by editing the test's node id, which pytest 9 no longer lets it do.)"""
    from xdist.scheduler import LoadScopeScheduling

    ids = sorted((v.id for v in MATRIX), key=len, reverse=True)

    class ByVariant(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            params = nodeid[nodeid.find("[") :] if nodeid.endswith("]") else ""
            found = next((i for i in ids if re.search(rf"[\[-]{re.escape(i)}[\]-]", params)), None)
            return f"variant {found}" if found else super()._split_scope(nodeid)

    return ByVariant(config, log)


def _variant(item: pytest.Item) -> Variant | None:
    params = getattr(getattr(item, "callspec", None), "params", {})
    return next((p for p in params.values() if isinstance(p, Variant)), None)


def pytest_terminal_summary(terminalreporter: TerminalReporter) -> None:
    """Time per variant: its tests' setup, call and teardown, install included (the
    reports carry the variant through xdist as a user property)."""
    seconds: dict[str, float] = defaultdict(float)
    tests: dict[str, set[str]] = defaultdict(set)
    for reports in terminalreporter.stats.values():
        for report in reports:
            if not isinstance(report, pytest.TestReport):
                continue
            variant = dict(report.user_properties).get("variant")
            if variant is not None:
                seconds[variant] += report.duration
                tests[variant].add(report.nodeid)
    if not seconds:
        return
    terminalreporter.section("time per variant")
    for variant, total in sorted(seconds.items(), key=lambda kv: -kv[1]):
        terminalreporter.write_line(
            f"{variant:<32} {len(tests[variant]):>4} tests {total / 60:>6.1f} min"
        )
