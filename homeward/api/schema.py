"""What drf-spectacular cannot see by itself: how callers authenticate, and that every
operation may answer with a problem (RFC 9457) for the usual refusals."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from homeward.api.problems import CONTENT_TYPE


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "homeward.api.authentication.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "hwk_...",
            "description": "An API key made by an administrator (page API keys, or "
            "`homeward api-key create`).",
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "homeward.api.authentication.SignedInSessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": "Signed in to the pages (with the second factor); writes need "
            "the X-CSRFToken header.",
        }


PROBLEM = {
    "type": "object",
    "required": ["type", "title", "status", "detail", "instance"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "pointer", "detail"],
                "properties": {
                    "field": {"type": "string", "description": "The input at fault"},
                    "pointer": {"type": "string", "description": "JSON pointer to it"},
                    "detail": {"type": "string"},
                },
            },
        },
    },
}
STANDARD = {
    "400": "The request is not valid: `errors` names each field.",
    "401": "No API key or session, or a key that is unknown, expired or revoked.",
    "403": "Your role may not do this.",
    "404": "No such record, or not one you may reach (the same answer, audited).",
    "405": "This method is not allowed here.",
    "409": "A request with this Idempotency-Key is still being served.",
    "415": "The body is not JSON (or a form, for imports).",
    "422": "Refused by a rule: `errors` names the field and why.",
    "429": "Too many requests for this key: wait `Retry-After` seconds.",
}
HEADERS = {"429": {"Retry-After": {"schema": {"type": "integer"}}}}
OPEN = ("/api/v1/schema/", "/api/v1/docs/")


def add_problems(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Postprocessing hook: the Problem component, and the problems every operation may
    answer with."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    reference = {"$ref": "#/components/schemas/Problem"}
    for path, operations in result.get("paths", {}).items():
        if path in OPEN:
            continue
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, description in STANDARD.items():
                answer = {
                    "description": description,
                    "content": {CONTENT_TYPE: {"schema": reference}},
                }
                if status in HEADERS:
                    answer["headers"] = HEADERS[status]
                responses.setdefault(status, answer)
    return result
