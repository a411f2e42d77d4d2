"""The Resumable Upload API: `POST /<app-id>/uploads` opens a session, `POST /upload:<id>` sends the
bytes and answers the `4::…` handle that a media header's `example.header_handle` takes."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

from .errors import GraphError, bad_param, missing
from .http_io import Request, Response, json_response
from .ids import new_token

if TYPE_CHECKING:
    from .app import FakeCloudAPI


async def open_session(fake: FakeCloudAPI, request: Request, app_id: str) -> Response:
    query = request.query
    for key in ("file_length", "file_type"):
        if not query.get(key):
            raise missing(key)
    try:
        length = int(query["file_length"])
    except ValueError:
        raise bad_param("file_length", "must be the file's size in bytes") from None
    if length <= 0:
        raise bad_param("file_length", "must be positive")
    session_id = "upload:" + base64.urlsafe_b64encode(new_token().encode()).decode().rstrip("=")
    fake.store.upload_sessions[session_id] = {"app_id": app_id, "length": length, "type": query["file_type"],
                                              "name": query.get("file_name", "file")}
    return json_response({"id": session_id})


async def upload(fake: FakeCloudAPI, request: Request, session_id: str) -> Response:
    session = fake.store.upload_sessions.get(session_id)
    if session is None:
        raise GraphError(100, f"upload session {session_id} does not exist", http_status=404)
    if request.headers.get("file_offset", "0") != "0":
        raise bad_param("file_offset", "the fake takes whole files from offset 0")
    if len(request.body) != session["length"]:
        raise bad_param("file_length", f"the session announced {session['length']} bytes, {len(request.body)} came")
    handle = "4::" + base64.b64encode(f"{session['type']}:{new_token()}".encode()).decode()
    fake.store.upload_handles[handle] = request.body
    del fake.store.upload_sessions[session_id]
    return json_response({"h": handle})
