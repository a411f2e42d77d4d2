"""Shapes shared by the API's routers: the one error body and the common answers."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import ConfigDict


class ErrorItem(Schema):
    model_config = ConfigDict(extra="allow")
    code: int
    title: str
    details: str


class ErrorsOut(Schema):
    errors: list[ErrorItem]


class SuccessOut(Schema):
    success: bool


def errors(*statuses: int) -> dict[int, Any]:
    """`response=` entries for the error statuses an operation answers besides 401/403/429."""
    return {status: ErrorsOut for status in statuses}
