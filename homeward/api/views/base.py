"""What every endpoint shares: who may use it, how refusals are audited, no caching."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from homeward.audit.services import record


class AnswerInJson(DefaultContentNegotiation):
    """JSON whatever the client accepts: documents (a PDF) are returned by their views
    directly, and an error is a problem in JSON even to a client that asked for a PDF."""

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        first = next(iter(renderers))
        return first, first.media_type


class ByRole(BasePermission):
    """The view's `roles`: per method, who may use it and what a refusal says. Checked
    before anything else of the request (an idempotency key, the body), and audited as
    the pages audit a refused role."""

    def has_permission(self, request: Request, view: Any) -> bool:
        rule = getattr(view, "roles", {}).get(request.method)
        if rule is not None:
            allowed, message = rule
            require(allowed(request.user), request.user, str(message))
        return True


class ApiView(APIView):
    content_negotiation_class = AnswerInJson
    permission_classes = [IsAuthenticated, ByRole]
    # {method: (who may, what a refusal says)}; records are checked by their own functions.
    roles: dict[str, tuple[Callable[[Any], bool], Any]] = {}

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        # Answers carry personal data: no browser or proxy keeps a copy.
        response["Cache-Control"] = "no-store"
        return response


def require(allowed: bool, user: Any, message: str) -> None:
    """Refuse a role as the pages do: audited, 403."""
    if not allowed:
        record("access.denied", actor=user)
        raise PermissionDenied(message)


def valid(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def query(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    """Query parameters, read and checked by a serializer (lists from repeated names)."""
    data: dict[str, Any] = {}
    twice: dict[str, list[str]] = {}
    for name, field in serializer_class().fields.items():
        values = request.query_params.getlist(name)
        if not values:
            continue
        if isinstance(field, serializers.ListField):
            data[name] = values
        elif len(values) > 1:
            twice[name] = [_("Give this parameter once.")]
        else:
            data[name] = values[0]
    if twice:
        raise serializers.ValidationError(twice)
    return valid(serializer_class, data)


def created(data: dict[str, Any]) -> Response:
    return Response(data, status=201, headers={"Location": data["url"]})
