"""Suite-wide fixtures and markers."""

from __future__ import annotations

from typing import Any

import pytest

# Packages with no Django and no database: their tests are marked `pure` so the PostgreSQL pass
# of `make test` does not run them a second time.
PURE_DIRS = ("/tests/expressions/", "/tests/journeys/lang/", "/tests/journeys/engine/",
             "/tests/messaging/channels/fake_cloud_api/")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if any(d in str(item.path) for d in PURE_DIRS):
            item.add_marker(pytest.mark.pure)


APP_SECRET = "test-app-secret"
PHONE_NUMBER_ID = "100000000000001"
WABA_ID = "200000000000001"


@pytest.fixture
def workspace(db: Any) -> Any:
    from sauti.accounts.services import create_workspace
    from sauti.messaging import ingest

    ingest.forget_cached_workspaces()
    return create_workspace(name="Clinic line", phone_number_id=PHONE_NUMBER_ID, waba_id=WABA_ID,
                            access_token="test-token", app_secret=APP_SECRET, verify_token="verify-me",
                            graph_url="http://127.0.0.1:9/v23.0")


@pytest.fixture
def api_token(workspace: Any) -> str:
    from sauti.api.services import create_token

    return create_token(workspace, name="tests")[1]


@pytest.fixture
def api(client: Any, api_token: str) -> Any:
    """A Django test client that sends the API token and JSON."""

    class Api:
        def __init__(self) -> None:
            self.headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token}"}

        def get(self, path: str, **kw: Any) -> Any:
            return client.get(path, **self.headers, **kw)

        def post(self, path: str, body: Any, **kw: Any) -> Any:
            import json

            return client.post(path, data=json.dumps(body), content_type="application/json", **self.headers, **kw)

    return Api()
