"""Graph API errors as Meta returns them: `{"error": {message, type, code, error_data, fbtrace_id}}`."""

from __future__ import annotations

from typing import Any

from .ids import new_fbtrace_id

INVALID_PARAMETER = 100
MISSING_PARAMETER = 131008
INVALID_VALUE = 131009
ACCESS_TOKEN = 190

_TITLES = {
    1: "An unknown error has occurred.",
    2: "Service temporarily unavailable",
    INVALID_PARAMETER: "Invalid parameter",
    ACCESS_TOKEN: "Invalid OAuth access token - Cannot parse access token",
    130429: "Rate limit hit",
    131000: "Something went wrong",
    MISSING_PARAMETER: "Required parameter is missing",
    INVALID_VALUE: "Parameter value is not valid",
    131021: "Recipient cannot be sender",
    131026: "Message undeliverable",
    131047: "Re-engagement message",
    131056: "(Business Account, Consumer Account) pair rate limit hit",
    132000: "Number of parameters does not match the expected number of params",
    132001: "Template name does not exist in the translation",
    132015: "Template is paused due to low quality so it cannot be sent in a template message",
    132016: "Template has been disabled",
}

_FAULT_DETAILS = {
    ACCESS_TOKEN: "Error validating access token: Session has expired.",
    130429: "Cloud API message throughput has been reached.",
    131026: "Message undeliverable: the recipient may not be a WhatsApp user.",
    131047: "Message failed to send because more than 24 hours have passed since the customer "
            "last replied to this number.",
    131056: "Too many messages sent from this phone number to the same phone number in a short period "
            "of time.",
}

# Codes a client should retry (Meta sets is_transient on them).
_TRANSIENT = {1, 2, 130429, 131000, 131056}


class GraphError(Exception):
    """An error the fake answers with; `details` names the offending field, as Meta's do."""

    def __init__(self, code: int, details: str | None = None, *, http_status: int = 400,
                 title: str | None = None, subcode: int | None = None) -> None:
        self.code = code
        self.details = details
        self.http_status = http_status
        self.title = title or _TITLES.get(code, "Invalid parameter")
        self.subcode = subcode
        super().__init__(f"({code}) {self.title}: {details}")

    def to_body(self) -> dict[str, Any]:
        """The Graph error JSON; codes below 1000 are plain Graph errors without error_data."""
        error: dict[str, Any] = {"message": f"(#{self.code}) {self.title}", "type": "OAuthException",
                                 "code": self.code}
        if self.code == ACCESS_TOKEN:
            error["message"] = self.title
        if self.subcode is not None:
            error["error_subcode"] = self.subcode
        if self.details is not None:
            error["error_data"] = {"messaging_product": "whatsapp", "details": self.details}
        if self.code in _TRANSIENT:
            error["is_transient"] = True
        error["fbtrace_id"] = new_fbtrace_id()
        return {"error": error}

    def to_webhook_error(self) -> dict[str, Any]:
        """The same error as it appears inside `statuses[].errors[]` of a webhook."""
        return {"code": self.code, "title": self.title, "message": self.title,
                "error_data": {"details": self.details or self.title},
                "href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"}


def missing(path: str) -> GraphError:
    return GraphError(MISSING_PARAMETER, f"{path}: required parameter is missing")


def invalid(path: str, problem: str) -> GraphError:
    return GraphError(INVALID_VALUE, f"{path}: {problem}")


def bad_param(path: str, problem: str) -> GraphError:
    return GraphError(INVALID_PARAMETER, f"{path}: {problem}")


def unknown_object(object_id: str, method: str) -> GraphError:
    """Graph's answer for an id this account does not have (code 100, subcode 33)."""
    return GraphError(INVALID_PARAMETER,
                      f"Unsupported {method.lower()} request. Object with ID '{object_id}' does not exist, "
                      "cannot be loaded due to missing permissions, or does not support this operation.",
                      subcode=33)


def fault_error(code: int) -> GraphError:
    """The error an injected fault produces: HTTP 400 for Meta codes, 401 for 190, 5xx as given."""
    if code == ACCESS_TOKEN:
        return GraphError(ACCESS_TOKEN, _FAULT_DETAILS[ACCESS_TOKEN], http_status=401,
                          title="Error validating access token: Session has expired.", subcode=463)
    if 500 <= code <= 599:
        graph_code = 2 if code == 503 else 1
        return GraphError(graph_code, None, http_status=code)
    return GraphError(code, _FAULT_DETAILS.get(code, _TITLES.get(code, "Injected fault")))
