"""The OpenAPI document: every operation also documents the answers every call may get (401, 403,
429 with the rate-limit headers), so generated clients and schemathesis know the whole contract."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

RATE_HEADERS = {
    "X-Ratelimit-Bucket": {"description": "general, text (text sends) or media (media sends and uploads)",
                           "schema": {"type": "string"}},
    "X-Ratelimit-Limit": {"description": "calls allowed in the window", "schema": {"type": "integer"}},
    "X-Ratelimit-Remaining": {"description": "calls left in the window", "schema": {"type": "integer"}},
    "X-Ratelimit-Reset": {"description": "when the window ends, in seconds since 1970", "schema": {"type": "integer"}},
}
COMMON = {
    "401": "No token, or an unknown, expired or revoked one",
    "403": "The token lacks the scope this call needs",
    "429": "Too many calls in this window for the token's bucket (see Retry-After)",
}


class SautiAPI(NinjaAPI):
    def _scopes(self) -> dict[str, str]:
        """operationId → the scope its auth requires."""
        found = {}
        for _, router in self._routers:
            for path_view in router.path_operations.values():
                for operation in path_view.operations:
                    scope = next((getattr(a, "scope", None) for a in operation.auth_callbacks), None)
                    if scope:
                        found[operation.operation_id or self.get_openapi_operation_id(operation)] = scope
        return found

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        scopes = self._scopes()
        errors_ref = {"$ref": "#/components/schemas/ErrorsOut"}
        schema.setdefault("components", {}).setdefault("schemas", {}).setdefault("ErrorsOut", {
            "type": "object", "required": ["errors"], "properties": {"errors": {"type": "array", "items": {
                "type": "object", "required": ["code", "title", "details"],
                "properties": {"code": {"type": "integer"}, "title": {"type": "string"},
                               "details": {"type": "string"}}}}}})
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                scope = scopes.get(operation.get("operationId", ""))
                if scope:
                    operation["x-scope"] = scope
                    operation["description"] = (operation.get("description", "") + f"\n\nScope: `{scope}`").strip()
                # ninja keys its responses by int; the additions below are strings, as JSON has them.
                responses = operation["responses"] = {str(k): v for k, v in operation["responses"].items()}
                for status, text in COMMON.items():
                    responses.setdefault(status, {"description": text,
                                                  "content": {"application/json": {"schema": errors_ref}}})
                for status, response in responses.items():
                    if status != "401":
                        response.setdefault("headers", {}).update(RATE_HEADERS)
                if "400" not in responses:
                    # Any operation with parameters or a body may answer a 400 naming the field.
                    responses["400"] = {"description": "A parameter or the body is not valid",
                                        "content": {"application/json": {"schema": errors_ref}}}
        return schema
