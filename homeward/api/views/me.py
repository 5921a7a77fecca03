"""Who the API takes you for: a key's service account (and the key), or yourself."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from homeward.api import serializers as s
from homeward.api.authentication import key_of
from homeward.api.views.base import ApiView
from homeward.cases.access import profile_of


class MeView(ApiView):
    @extend_schema(responses=s.MeOut, operation_id="me")
    def get(self, request: Request) -> Response:
        """Your account as the API sees it: agency, role and scope decide what you reach."""
        profile = profile_of(request.user)
        key = key_of(request)
        return Response(
            {
                "username": request.user.get_username(),
                "agency": profile.agency.short_name if profile else "",
                "role": profile.role if profile else "",
                "scope": profile.scope if profile else "self",
                "key": {"name": key.name, "prefix": key.prefix, "expires_at": key.expires_at}
                if key
                else None,
            }
        )
