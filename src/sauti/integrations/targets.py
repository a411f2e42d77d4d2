"""Where webhooks and integrations may point: public addresses, or the private hosts a workspace
allows (Settings → General, the same list journeys' HTTP calls use)."""

from __future__ import annotations

from sauti.accounts.models import Workspace
from sauti.journeys.runner.http import BlockedAddress, check_url

__all__ = ["BlockedAddress", "check_target"]


def check_target(workspace: Workspace, url: str) -> None:
    """BlockedAddress when `url` is not http(s) or reaches a private address the workspace did not allow."""
    check_url(url, list((workspace.settings or {}).get("journey_http_allow_hosts") or []))
