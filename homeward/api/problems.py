"""Every error the API answers, as an RFC 9457 problem (`application/problem+json`).

The one place where refusals become HTTP answers, so that a change to the services'
errors (one base class with a typed `field`, say) is adapted here only:

- a service's refusal (any `homeward.refusals.Refusal`) is 422, naming the field it
  blames from the refusal's `field`, `within` and `index`;
- a request the API cannot read (a missing or malformed field) is 400, one error per field;
- a record the user may not reach is 404, as on the pages (the refusal is audited there);
- a role that may not use an endpoint is 403; no or a bad key is 401;
- too many requests is 429 with `Retry-After`.

The body: `type`, `title`, `status`, `detail`, `instance` (the path asked for), and
`errors`: a list of `{"field", "pointer", "detail"}`, where `field` is the input's name
as the API spells it ("names", "sought.1.birth") and `pointer` a JSON pointer to it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found
from rest_framework import exceptions
from rest_framework.response import Response

from homeward.lib.ages import BirthDateError
from homeward.refusals import Refusal

CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "urn:homeward:problem:"

# Where a service names a field differently from the API's input.
FIELD_ALIASES = {
    "birth_date": "birth",
    "birth_known": "birth",
    "birth_estimated_age": "birth",
    "birth_estimated_on": "birth",
    "birth_margin_years": "birth",
    "closed_on": "closed_on",
    "to_status": "to_status",
}


@dataclass
class Problem:
    status: int
    slug: str
    title: str
    detail: str
    errors: list[dict[str, str]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    def body(self, instance: str) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": f"{TYPE_BASE}{self.slug}",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "instance": instance,
        }
        if self.errors:
            body["errors"] = self.errors
        return body


def api_field(name: str | None, within: str | None = None, index: int | None = None) -> str:
    """The API's spelling of a field a service names: "sought.1.birth" for the birth of
    the second person sought (`within="sought", index=1`)."""
    if not name:
        return ""
    if within is not None and index is not None:
        return f"{within}.{index}.{name}"
    return FIELD_ALIASES.get(name, name)


def error(field_name: str, detail: str) -> dict[str, str]:
    pointer = "#/" + field_name.replace(".", "/") if field_name else "#"
    return {"field": field_name, "pointer": pointer, "detail": detail}


def refusal(detail: str, name: str) -> Problem:
    return Problem(
        422, "refused", _("The request was refused by a rule."), detail, [error(name, detail)]
    )


def _flatten(detail: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, str]]:
    """(field, message) pairs from DRF's nested validation errors."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            yield from _flatten(value, (*path, str(key)) if key != "non_field_errors" else path)
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            for item in detail:
                yield ".".join(path), str(item)
        else:
            for number, item in enumerate(detail):
                yield from _flatten(item, (*path, str(number)))
    else:
        yield ".".join(path), str(detail)


def _problem_for(exc: Exception) -> Problem | None:
    if isinstance(exc, Refusal):
        return refusal(exc.message, api_field(exc.field, exc.within, exc.index))
    if isinstance(exc, BirthDateError):
        return refusal(exc.message, api_field("birth"))
    if isinstance(exc, Http404 | exceptions.NotFound):
        return Problem(404, "not-found", _("Not found"), str(exc) or _("No such record."))
    if isinstance(exc, DjangoPermissionDenied):
        return Problem(403, "forbidden", _("Forbidden"), str(exc) or _("Not for your role."))
    if isinstance(exc, exceptions.ValidationError):
        errors = [error(name, message) for name, message in _flatten(exc.detail)]
        detail = "; ".join(
            f"{e['field']}: {e['detail']}" if e["field"] else e["detail"] for e in errors
        )
        return Problem(400, "invalid-request", _("The request is not valid."), detail, errors)
    if isinstance(exc, exceptions.APIException):
        return _http_problem(exc)
    return None


def _http_problem(exc: exceptions.APIException) -> Problem:
    status = exc.status_code
    slugs = {
        401: "unauthorized",
        403: "forbidden",
        405: "method-not-allowed",
        406: "not-acceptable",
        409: "conflict",
        415: "unsupported-media-type",
        429: "too-many-requests",
    }
    problem = Problem(
        status,
        slugs.get(status, "bad-request"),
        {401: _("Not signed in"), 429: _("Too many requests")}.get(status, _("Request refused")),
        str(exc.detail) if not isinstance(exc.detail, dict | list) else _("Request refused."),
    )
    if isinstance(exc, exceptions.Throttled):
        problem.headers["Retry-After"] = str(max(1, math.ceil(getattr(exc, "wait", None) or 1)))
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        problem.headers["WWW-Authenticate"] = 'Bearer realm="homeward"'
        problem.status = 401
    return problem


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 404 (a path no endpoint matches): a problem under /api/, the page elsewhere."""
    if not request.path.startswith("/api/"):
        return page_not_found(request, exception)
    body = Problem(404, "not-found", _("Not found"), _("No such endpoint.")).body(request.path)
    response = JsonResponse(body, status=404, content_type=CONTENT_TYPE)
    response["Cache-Control"] = "no-store"
    return response


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's exception handler: a problem for every error we know; others stay 500s."""
    problem = _problem_for(exc)
    if problem is None:
        return None
    request = context.get("request")
    instance = request.get_full_path() if request is not None else ""
    view = context.get("view")
    if isinstance(exc, exceptions.MethodNotAllowed) and view is not None:
        problem.headers["Allow"] = ", ".join(view.allowed_methods)
    response = Response(problem.body(instance), status=problem.status, headers=problem.headers)
    response.content_type = CONTENT_TYPE
    return response
