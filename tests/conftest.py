"""Suite-wide hooks."""

from __future__ import annotations

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Under `pytest -n N --dist loadgroup`, a template test module's tests share one
    # worker, so its module-scoped generated and installed projects are built once.
    for item in items:
        if item.path.parent.name == "templates" and not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(item.path.stem))
