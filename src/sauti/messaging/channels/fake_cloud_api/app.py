"""The ASGI application: lifespan, Bearer authentication and routing to the endpoint modules.

Graph paths may carry a version segment (`/v23.0/...`) or none; `/_fake/...` are the control
endpoints for tests and need no token.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import re

from . import control_api, media_api, messages_api, templates_api, uploads_api
from .config import FakeCloudAPIConfig
from .errors import ACCESS_TOKEN, GraphError, unknown_object
from .http_io import BodyTooLarge, Receive, Request, Response, Scope, Send, json_response, read_request
from .store import Store
from .webhooks import WebhookDispatcher

logger = logging.getLogger(__name__)

_VERSION = re.compile(r"^v\d+(\.\d+)?$")


class FakeCloudAPI:
    """One fake WhatsApp number: its state, its webhook dispatcher and pending template reviews."""

    def __init__(self, config: FakeCloudAPIConfig) -> None:
        self.config = config
        self.store = Store()
        self.webhooks = WebhookDispatcher(config)
        self._reviews: dict[str, asyncio.TimerHandle] = {}
        self._started = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        if not self._started:
            # Also started here for servers that skip the lifespan protocol.
            await self.startup()
        try:
            request = await read_request(scope, receive)
            response = await self.handle(request)
        except BodyTooLarge:
            response = json_response(GraphError(100, "body: too large").to_body(), 413)
        await response.send(send)

    async def handle(self, request: Request) -> Response:
        try:
            return await self._route(request)
        except GraphError as error:
            return json_response(error.to_body(), error.http_status)
        except Exception:
            logger.exception("fake Cloud API failed on %s %s", request.method, request.path)
            return json_response(GraphError(1, "internal error in the fake Cloud API", http_status=500).to_body(),
                                 500)

    async def _route(self, request: Request) -> Response:
        parts = [part for part in request.path.split("/") if part]
        if parts and parts[0] == "_fake":
            return await control_api.route(self, request, parts[1:])
        if parts and _VERSION.match(parts[0]):
            parts = parts[1:]
        self.authorize(request)
        method = request.method
        match parts:
            case [owner, "messages"] if method == "POST":
                return await messages_api.post_message(self, request, owner)
            case [owner, "media"] if method == "POST":
                return await media_api.upload(self, request, owner)
            case [owner, "message_templates"] if method in ("GET", "POST", "DELETE"):
                return await templates_api.route(self, request, owner)
            case [app_id, "uploads"] if method == "POST":
                return await uploads_api.open_session(self, request, app_id)
            case [session_id] if session_id.startswith("upload:") and method == "POST":
                return await uploads_api.upload(self, request, session_id)
            case [object_id] if object_id in self.store.media:
                return await media_api.object_route(self, request, object_id)
            case [object_id] if object_id in self.store.templates:
                return await templates_api.object_route(self, request, object_id)
            case [object_id]:
                raise unknown_object(object_id, method)
        raise GraphError(100, f"Unknown path components: {request.path}", http_status=400)

    def authorize(self, request: Request) -> None:
        """Graph calls need `Authorization: Bearer`; a configured access_token must match exactly."""
        token = request.bearer_token
        expected = self.config.access_token
        if token is None or (expected is not None and not hmac.compare_digest(token, expected)):
            raise GraphError(ACCESS_TOKEN, None, http_status=401)

    # --- lifecycle ------------------------------------------------------------------------

    async def startup(self) -> None:
        self._started = True
        await self.webhooks.start()

    async def shutdown(self) -> None:
        self.cancel_reviews()
        await self.webhooks.close()
        self._started = False

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await self.startup()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.shutdown()
                await send({"type": "lifespan.shutdown.complete"})
                return

    # --- template review ------------------------------------------------------------------

    def schedule_review(self, template_id: str) -> None:
        """Decide a PENDING template after the configured delay and announce it by webhook."""
        loop = asyncio.get_running_loop()
        self._reviews[template_id] = loop.call_later(self.config.template_approval_delay_s,
                                                     templates_api.finish_review, self, template_id)

    def cancel_reviews(self) -> None:
        for handle in self._reviews.values():
            handle.cancel()
        self._reviews.clear()

    def forget_review(self, template_id: str) -> None:
        handle = self._reviews.pop(template_id, None)
        if handle is not None:
            handle.cancel()
