"""`sauti fake-whatsapp` options map onto the config; `build_app` serves without the lifespan protocol."""

from __future__ import annotations

import argparse
import asyncio

import httpx
import pytest

from sauti.messaging.channels.fake_cloud_api.server import (
    FakeCloudAPIConfig,
    add_arguments,
    build_app,
    config_from_args,
)


def _parse(*argv: str) -> FakeCloudAPIConfig:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return config_from_args(parser.parse_args(argv))


def test_the_required_options_and_the_defaults() -> None:
    config = _parse("--port", "9000", "--webhook-url", "http://127.0.0.1:8000/webhooks/whatsapp",
                    "--app-secret", "s3cret")
    assert config == FakeCloudAPIConfig(host="127.0.0.1", port=9000,
                                        webhook_url="http://127.0.0.1:8000/webhooks/whatsapp", app_secret="s3cret")
    assert config.statuses == ("sent", "delivered", "read")
    assert config.access_token is None


def test_every_option() -> None:
    config = _parse("--host", "0.0.0.0", "--port", "1", "--webhook-url", "http://x/w", "--app-secret", "s",
                    "--phone-number-id", "111", "--waba-id", "222", "--access-token", "tok",
                    "--status-delay-ms", "5", "--template-approval-delay", "0.5", "--no-statuses")
    assert (config.host, config.phone_number_id, config.waba_id, config.access_token) == ("0.0.0.0", "111", "222",
                                                                                         "tok")
    assert (config.status_delay_ms, config.template_approval_delay_s, config.statuses) == (5, 0.5, ())


def test_the_webhook_url_and_app_secret_are_required() -> None:
    with pytest.raises(SystemExit):
        _parse("--port", "9000", "--app-secret", "s")
    with pytest.raises(SystemExit):
        _parse("--port", "9000", "--webhook-url", "http://x/w")


def test_build_app_works_in_process_without_lifespan() -> None:
    async def exercise() -> tuple[int, dict]:
        app = build_app(FakeCloudAPIConfig(webhook_url=None))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://fake") as client:
            response = await client.post("/v23.0/100000000000001/messages", headers={"Authorization": "Bearer t"},
                                         json={"messaging_product": "whatsapp", "to": "1", "text": {"body": "hi"}})
            sent = (await client.get("/_fake/sent")).json()
        await app.shutdown()
        return response.status_code, sent

    status, sent = asyncio.run(exercise())
    assert status == 200
    assert len(sent["messages"]) == 1
