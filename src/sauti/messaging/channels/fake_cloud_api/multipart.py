"""A multipart/form-data reader for the media upload (the standard library no longer ships one)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_PARAM = re.compile(r';\s*([\w*-]+)=(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))')


@dataclass(frozen=True, slots=True)
class Part:
    name: str
    filename: str | None
    content_type: str | None
    data: bytes


def boundary_of(content_type: str) -> str | None:
    media_type, _, _ = content_type.partition(";")
    if media_type.strip().lower() != "multipart/form-data":
        return None
    params = _params(content_type)
    return params.get("boundary") or None


def parse_multipart(body: bytes, boundary: str) -> dict[str, Part]:
    """Parts by field name (the last wins); raises ValueError on a body that is not multipart."""
    delimiter = b"--" + boundary.encode("latin-1")
    if delimiter not in body:
        raise ValueError("the body does not contain the multipart boundary")
    parts: dict[str, Part] = {}
    for chunk in body.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break
        chunk = chunk.removeprefix(b"\r\n")
        head, sep, data = chunk.partition(b"\r\n\r\n")
        if not sep:
            raise ValueError("a multipart part has no header block")
        headers = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        params = _params(headers.get("content-disposition", ""))
        if "name" not in params:
            raise ValueError("a multipart part has no name")
        parts[params["name"]] = Part(params["name"], params.get("filename"), headers.get("content-type"),
                                     data.removesuffix(b"\r\n"))
    return parts


def _params(header: str) -> dict[str, str]:
    return {m.group(1).lower(): (m.group(2) if m.group(2) is not None else m.group(3))
            for m in _PARAM.finditer(header)}
