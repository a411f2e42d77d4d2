"""Where webhooks and integrations may point: public addresses, or the private hosts a workspace
allows (Settings → General, the same list journeys' HTTP calls use)."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

from sauti.accounts.models import Workspace
from sauti.journeys.runner.http import BlockedAddress, check_url

__all__ = ["BlockedAddress", "check_target"]


def check_target(workspace: Workspace, url: str, *, unresolvable_ok: bool = False) -> None:
    """BlockedAddress when `url` is not http(s) or reaches a private address the workspace did not allow.

    Forms pass `unresolvable_ok`: a host the DNS does not know yet is saved, and each delivery
    checks again (and fails, visibly in the log, while it does not resolve).
    """
    allowed = list((workspace.settings or {}).get("journey_http_allow_hosts") or [])
    if unresolvable_ok:
        host = urlsplit(url).hostname or ""
        try:
            socket.getaddrinfo(host, None)
        except (socket.gaierror, UnicodeError):
            if urlsplit(url).scheme in ("http", "https") and host:
                return
    check_url(url, allowed)
