"""What a Cloud API error means for Sauti: retry later, give up on the message, or stop the channel.

Meta says to branch on `code` (and `error_data.details`), never on the HTTP status or title.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any


class Outcome(enum.Enum):
    RETRY = "retry"  # throughput or pair rate limits, temporary errors: try again with backoff
    FAIL = "fail"  # this message cannot go (window closed, bad parameter, undeliverable)
    CHANNEL_DOWN = "channel_down"  # the credentials no longer work: stop sending, tell a human


WINDOW_CLOSED = 131047
RETRY_CODES = {1, 2, 4, 80007, 130429, 131000, 131016, 131056, 133016}
CHANNEL_CODES = {0, 190, 131031}


@dataclass
class CloudAPIError(Exception):
    code: int | None
    message: str
    details: str = ""
    http_status: int = 0
    raw: dict[str, Any] | None = None

    def __str__(self) -> str:
        tail = f": {self.details}" if self.details else ""
        return f"({self.code}) {self.message}{tail}"

    @property
    def outcome(self) -> Outcome:
        if self.code in CHANNEL_CODES:
            return Outcome.CHANNEL_DOWN
        if self.code in RETRY_CODES or self.http_status >= 500 or self.http_status == 429 or self.code is None:
            return Outcome.RETRY
        return Outcome.FAIL

    def as_status_error(self) -> dict[str, Any]:
        """The same error in the shape status webhooks use, so a message has one error format."""
        return {"code": self.code, "title": self.message, "message": self.message,
                "error_data": {"details": self.details}}


def error_from_response(status: int, body: Any) -> CloudAPIError:
    err = body.get("error") if isinstance(body, dict) else None
    if not isinstance(err, dict):
        return CloudAPIError(None, f"HTTP {status} from the Cloud API", http_status=status)
    code = err.get("code")
    try:
        code = int(code) if code is not None else None
    except (TypeError, ValueError):
        code = None
    details = str((err.get("error_data") or {}).get("details") or "")
    return CloudAPIError(code, str(err.get("message") or ""), details, status, err)
