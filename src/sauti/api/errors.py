"""One error type for the API, rendered as {"errors": [{"code", "title", "details"}]}.

Codes follow the WhatsApp On-Premises API that Turn's API (and its clients) grew up with, so
existing integrations keep recognising them.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

MISSING = 1008  # required parameter is missing
INVALID = 1009  # parameter value is not valid
UNAUTHORIZED = 1005  # access denied
FORBIDDEN = 1005  # access denied: the token lacks the scope
NOT_FOUND = 1006  # resource not found
RATE_LIMITED = 1015  # too many requests
WINDOW_CLOSED = 470  # message outside the 24-hour window (Turn's legacy code)
CONFLICT = 1029  # the request conflicts with the resource's state


@dataclass
class ApiError(Exception):
    status: int
    code: int
    title: str
    details: str = ""
    field: str | None = None
    extra: dict[str, Any] = dc_field(default_factory=dict)

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "title": self.title, "details": self.details}
        if self.field:
            error["source"] = {"pointer": "/" + self.field.replace(".", "/")}
        return {"errors": [error | self.extra]}


def missing(field_name: str) -> ApiError:
    return ApiError(400, MISSING, "Required parameter is missing", f"'{field_name}' is required", field_name)


def invalid(field_name: str, why: str) -> ApiError:
    return ApiError(400, INVALID, "Parameter value is not valid", f"'{field_name}': {why}", field_name)


def not_found(what: str) -> ApiError:
    return ApiError(404, NOT_FOUND, "Not found", what)
