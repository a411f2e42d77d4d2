"""Settings of one fake Cloud API server: which number it plays, where its webhooks go, its pace."""

from __future__ import annotations

from dataclasses import dataclass

# Meta retries failed webhook deliveries for days; the fake keeps the same shape (growing pauses,
# order kept) over about half a minute, long enough for a receiver restart in a test.
DEFAULT_RETRY_DELAYS_S: tuple[float, ...] = (0.2, 0.5, 1.0, 2.0, 5.0, 5.0, 5.0, 5.0, 5.0)


@dataclass(frozen=True, slots=True)
class FakeCloudAPIConfig:
    """One WhatsApp number (phone_number_id) in one business account (waba_id).

    access_token None accepts any Bearer token; a string requires exactly that token.
    webhook_url None (or "") keeps statuses and template updates in the log only.
    """

    host: str = "127.0.0.1"
    port: int = 8765
    webhook_url: str | None = None
    app_secret: str = "fake-app-secret"  # noqa: S105 - a test fixture's secret, not a credential
    phone_number_id: str = "100000000000001"
    waba_id: str = "200000000000001"
    display_phone_number: str = "15550000001"
    access_token: str | None = None
    statuses: tuple[str, ...] = ("sent", "delivered", "read")
    status_delay_ms: int = 50
    template_approval_delay_s: float = 2.0
    webhook_batch_max: int = 50
    webhook_batch_ms: int = 100
    webhook_retry_delays_s: tuple[float, ...] = DEFAULT_RETRY_DELAYS_S
    webhook_timeout_s: float = 10.0
    verbose: bool = False
