"""The ASGI application: Django's HTTP views through one WSGI thread hop, Channels for WebSockets.

Sauti's views and middleware are synchronous. Served as native ASGI, Django would hop between the
event loop and a thread for every middleware of every request (several milliseconds of CPU per
request); through a WSGI bridge a request costs one hop, which is what lets one process ingest
webhooks at hundreds per second.
"""

import os
from collections.abc import Awaitable, Callable
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sauti.settings")

from a2wsgi import WSGIMiddleware  # noqa: E402
from channels.routing import ProtocolTypeRouter  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
MAX_BODY = 32 * 1024 * 1024  # media uploads through the API are the largest bodies


class WholeBody:
    """Read the whole request body on the event loop before a thread takes the request.

    A thread that waited for a slow client's body would be lost to everyone else; with a few
    threads per process, a handful of slow clients could starve the server.
    """

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the client left before sending its request: nothing to answer
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > MAX_BODY:
                await send({"type": "http.response.start", "status": 413,
                            "headers": [(b"content-type", b"application/json")]})
                await send({"type": "http.response.body", "body": b'{"error": "request body too large"}'})
                return
            if not message.get("more_body", False):
                break
        body, delivered = b"".join(chunks), False

        async def replay() -> dict[str, Any]:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


# A few threads per process: more only fight over the interpreter lock (measured: 4 threads ingest
# ~45% more webhooks per second than 16). Scale with `sauti web --workers N` instead.
http_app = WholeBody(WSGIMiddleware(get_wsgi_application(),
                                    workers=int(os.environ.get("SAUTI_WEB_THREADS", "4"))))

def _websockets() -> Any:
    """The inbox's live updates: session-authenticated websockets under /ws/."""
    from channels.auth import AuthMiddlewareStack
    from channels.routing import URLRouter
    from channels.security.websocket import AllowedHostsOriginValidator
    from django.urls import path

    from sauti.inbox.consumers import InboxConsumer

    return AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter([
        path("ws/w/<str:workspace>/inbox/", InboxConsumer.as_asgi()),
    ])))


application = ProtocolTypeRouter({"http": http_app, "websocket": _websockets()})
