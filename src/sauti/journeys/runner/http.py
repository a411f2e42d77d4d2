"""HTTP calls made by journeys: timeouts, a GET cache, and a guard against private networks.

A journey is user-written code running inside the organisation's network; by default it may only
reach public addresses. A workspace can allow named hosts (`journey_http_allow_hosts` setting),
e.g. an internal CRM.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

MIN_TIMEOUT_MS, MAX_TIMEOUT_MS = 100, 20_000
CACHE_LIMIT = 2048
_cache: dict[tuple[int, str, str], tuple[float, HttpResult]] = {}


@dataclass(frozen=True, slots=True)
class HttpResult:
    status: int | None
    body: Any
    headers: dict[str, str]


class BlockedAddress(Exception):
    pass


def _blocked(ip: str) -> bool:
    address = ipaddress.ip_address(ip)
    return (address.is_private or address.is_loopback or address.is_link_local or address.is_reserved
            or address.is_multicast or address.is_unspecified)


def check_url(url: str, allow_hosts: list[str]) -> None:
    """Refuse URLs whose host resolves to a private, loopback or otherwise internal address."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BlockedAddress(f"only http(s) URLs can be called, not {url!r}")
    host = parts.hostname.lower()
    if host in {h.lower() for h in allow_hosts}:
        return
    try:
        infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80))
    except socket.gaierror as exc:
        raise BlockedAddress(f"cannot resolve {host}") from exc
    for info in infos:
        if _blocked(str(info[4][0])):
            raise BlockedAddress(f"{host} is a private or local address; add it to the workspace's "
                                 "allowed hosts to call it from journeys")


def perform(workspace_id: int, *, method: str, url: str, headers: list[tuple[str, str]], body: str | None,
            timeout_ms: int, cache_ttl_ms: int, allow_hosts: list[str]) -> HttpResult:
    method = method.upper()
    key = (workspace_id, method, url)
    now = time.monotonic()
    if method == "GET" and cache_ttl_ms > 0:
        hit = _cache.get(key)
        if hit and hit[0] > now:
            return hit[1]
    try:
        check_url(url, allow_hosts)
        timeout = max(MIN_TIMEOUT_MS, min(MAX_TIMEOUT_MS, timeout_ms)) / 1000
        response = httpx.request(method, url, headers=headers, content=body, timeout=timeout,
                                 follow_redirects=False)
    except BlockedAddress as exc:
        return HttpResult(None, f"ERROR: {exc}", {})
    except httpx.HTTPError as exc:
        return HttpResult(None, f"ERROR: {type(exc).__name__}: {exc}", {})
    result = HttpResult(response.status_code, _decode(response), dict(response.headers))
    if method == "GET" and cache_ttl_ms > 0 and response.status_code < 400:
        if len(_cache) > CACHE_LIMIT:
            _cache.clear()
        _cache[key] = (now + cache_ttl_ms / 1000, result)
    return result


def _decode(response: httpx.Response) -> Any:
    text = response.text
    if "json" in response.headers.get("content-type", "") or text[:1] in ("{", "["):
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text
