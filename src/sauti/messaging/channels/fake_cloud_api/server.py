"""Runs the fake Cloud API: `serve` (blocking, for `sauti fake-whatsapp`), `build_app` (ASGI, to embed),
`start_in_thread` (for tests), and the CLI arguments the `sauti` command wires in.
"""

from __future__ import annotations

import argparse
import logging
import socket
import threading
from dataclasses import dataclass

import uvicorn

from .app import FakeCloudAPI
from .config import FakeCloudAPIConfig

__all__ = ["FakeCloudAPI", "FakeCloudAPIConfig", "RunningFake", "add_arguments", "build_app",
           "config_from_args", "serve", "start_in_thread"]


def build_app(config: FakeCloudAPIConfig) -> FakeCloudAPI:
    """The ASGI app for one fake number; its state lives as long as the app object."""
    return FakeCloudAPI(config)


def serve(config: FakeCloudAPIConfig) -> None:
    """Serve until interrupted (one process, one event loop; access log off to keep up with benchmarks)."""
    print(f"Fake WhatsApp Cloud API on http://{config.host}:{config.port} "
          f"(phone number id {config.phone_number_id}, WABA {config.waba_id}); "
          f"webhooks to {config.webhook_url or 'nowhere'}", flush=True)
    if config.verbose:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    uvicorn.run(build_app(config), host=config.host, port=config.port, log_level="warning", access_log=False,
                lifespan="on")


@dataclass
class RunningFake:
    """A fake served from a background thread; `url` is its base URL (no version segment)."""

    app: FakeCloudAPI
    url: str
    port: int
    _server: uvicorn.Server
    _thread: threading.Thread

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)

    def __enter__(self) -> RunningFake:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_in_thread(config: FakeCloudAPIConfig, *, timeout_s: float = 10.0) -> RunningFake:
    """Start on config.host:config.port (port 0 picks a free one) and return once it accepts requests."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((config.host, config.port))
    port = sock.getsockname()[1]
    app = build_app(config)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on"))
    # server.run picks uvloop when installed: on the plain asyncio loop accepted sockets keep Nagle's
    # algorithm, which adds ~40 ms to every small request.
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=f"fake-cloud-api-{port}",
                              daemon=True)
    thread.start()
    deadline = threading.Event()
    for _ in range(int(timeout_s / 0.01)):
        if server.started:
            break
        deadline.wait(0.01)
    else:
        server.should_exit = True
        raise RuntimeError("the fake Cloud API did not start")
    return RunningFake(app, f"http://{config.host}:{port}", port, server, thread)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The `sauti fake-whatsapp` options."""
    defaults = FakeCloudAPIConfig()
    parser.add_argument("--host", default=defaults.host, help="interface to listen on (default %(default)s)")
    parser.add_argument("--port", type=int, default=defaults.port, help="port to listen on (default %(default)s)")
    parser.add_argument("--webhook-url", required=True,
                        help="where to deliver signed webhooks, e.g. http://127.0.0.1:8000/webhooks/whatsapp")
    parser.add_argument("--app-secret", required=True, help="the app secret that signs webhooks")
    parser.add_argument("--phone-number-id", default=defaults.phone_number_id,
                        help="the business number's id (default %(default)s)")
    parser.add_argument("--waba-id", default=defaults.waba_id,
                        help="the WhatsApp business account id (default %(default)s)")
    parser.add_argument("--display-phone-number", default=defaults.display_phone_number,
                        help="the business number as users see it (default %(default)s)")
    parser.add_argument("--access-token", default=None,
                        help="require exactly this Bearer token (default: accept any)")
    parser.add_argument("--status-delay-ms", type=int, default=defaults.status_delay_ms,
                        help="pause between sent, delivered and read statuses (default %(default)s)")
    parser.add_argument("--template-approval-delay", type=float, default=defaults.template_approval_delay_s,
                        help="seconds before a new template is approved, or rejected when its name "
                             "contains 'reject' (default %(default)s)")
    parser.add_argument("--no-statuses", action="store_true", help="send no status webhooks after sends")
    parser.add_argument("--verbose", action="store_true", help="log every webhook delivery attempt")


def config_from_args(ns: argparse.Namespace) -> FakeCloudAPIConfig:
    """The config for parsed `add_arguments` options; options a caller did not add keep their defaults."""
    defaults = FakeCloudAPIConfig()
    return FakeCloudAPIConfig(
        host=ns.host, port=ns.port, webhook_url=ns.webhook_url, app_secret=ns.app_secret,
        phone_number_id=ns.phone_number_id, waba_id=ns.waba_id,
        display_phone_number=getattr(ns, "display_phone_number", defaults.display_phone_number),
        access_token=ns.access_token, statuses=() if ns.no_statuses else ("sent", "delivered", "read"),
        status_delay_ms=ns.status_delay_ms, template_approval_delay_s=ns.template_approval_delay,
        verbose=getattr(ns, "verbose", False))


def main(argv: list[str] | None = None) -> None:
    """`python -m sauti.messaging.channels.fake_cloud_api.server ...`, the same as `sauti fake-whatsapp`."""
    parser = argparse.ArgumentParser(prog="fake-whatsapp", description="A fake WhatsApp Cloud API server.")
    add_arguments(parser)
    serve(config_from_args(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
