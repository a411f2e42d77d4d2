"""Suite-wide fixtures and markers."""

from __future__ import annotations

import pytest

# Packages with no Django and no database: their tests are marked `pure` so the PostgreSQL pass
# of `make test` does not run them a second time.
PURE_DIRS = ("/tests/expressions/", "/tests/journeys/lang/", "/tests/journeys/engine/",
             "/tests/messaging/channels/fake_cloud_api/")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if any(d in str(item.path) for d in PURE_DIRS):
            item.add_marker(pytest.mark.pure)
