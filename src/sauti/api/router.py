"""The Turn-style REST API (django-ninja): one NinjaAPI, routers per resource, one error shape."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja.errors import AuthenticationError, HttpError, ValidationError

from sauti.api.auth import TokenAuth
from sauti.api.errors import INVALID, MISSING, NOT_FOUND, ApiError
from sauti.api.openapi import SautiAPI

api = SautiAPI(
    title="Sauti API",
    version="1",
    description="Turn-compatible API: send messages, read chats and contacts, manage and start journeys, "
                "export data and Flow Results. Code written for Turn's API works by changing its base URL. "
                "Authenticate with `Authorization: Bearer <token>` (Settings → API tokens, or `sauti token "
                "create`); each operation needs a scope of the token, and every answer carries Turn's "
                "`X-Ratelimit-*` headers. Errors are `{\"errors\": [{\"code\", \"title\", \"details\"}]}`.",
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url="/api/docs",
    openapi_url="/api/openapi.json",
)


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return api.create_response(request, exc.body(), status=exc.status)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for error in exc.errors:
        location = [str(p) for p in error.get("loc", []) if p not in ("body", "payload", "query", "path")]
        where = ".".join(location) or "body"
        missing = error.get("type") == "missing"
        errors.append({"code": MISSING if missing else INVALID,
                       "title": "Required parameter is missing" if missing else "Parameter value is not valid",
                       "details": f"'{where}': {error.get('msg', 'invalid')}",
                       "source": {"pointer": "/" + "/".join(location)}})
    return api.create_response(request, {"errors": errors}, status=400)


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    body = {"errors": [{"code": 1005, "title": "Access denied", "details": "send Authorization: Bearer <token>"}]}
    return api.create_response(request, body, status=401)


@api.exception_handler(UnicodeError)
def _unicode_error(request: HttpRequest, exc: UnicodeError) -> HttpResponse:
    """JSON may carry lone surrogates (\\udcde) that no database can store: a 400, not a 500."""
    body = {"errors": [{"code": INVALID, "title": "Parameter value is not valid",
                        "details": "the body contains text that is not valid Unicode (a lone surrogate)"}]}
    return api.create_response(request, body, status=400)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = NOT_FOUND if exc.status_code == 404 else INVALID
    return api.create_response(request, {"errors": [{"code": code, "title": str(exc), "details": str(exc)}]},
                               status=exc.status_code)


def _register() -> None:
    from sauti.api import contacts, exports, flow_results, media, messages, people, stacks, templates

    api.add_router("/v1", messages.router)
    api.add_router("/v1", people.router)  # before contacts: /contacts/schemas is not a wa_id
    api.add_router("/v1", contacts.router)
    api.add_router("/v1", media.router)
    api.add_router("/v1", stacks.router)
    api.add_router("/v1", flow_results.router)
    api.add_router("/v1", exports.router)
    api.add_router("", templates.router)


_register()


def error_body(code: int, title: str, details: str = "") -> dict[str, Any]:
    return {"errors": [{"code": code, "title": title, "details": details}]}
