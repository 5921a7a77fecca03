"""The changes feed: what changed in the cases, tracing requests and missions you may
open, after a cursor, so that a partner keeps a copy in sync without reading everything."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from homeward.api import serializers as s
from homeward.api.changes import changes_since
from homeward.api.views.base import ApiView, query
from homeward.api.views.cases import NOT_CASE_ROLE
from homeward.audit.services import record
from homeward.cases.access import opens_case_records


class ChangesQuery(serializers.Serializer):
    since = serializers.RegexField(
        r"^[0-9]{1,18}$",
        required=False,
        default="0",
        help_text="The `next_cursor` of the last answer; 0 (or nothing) for everything.",
    )
    limit = serializers.IntegerField(min_value=1, max_value=1000, default=200)


class ChangesView(ApiView):
    roles = {"GET": (opens_case_records, NOT_CASE_ROLE)}

    @extend_schema(parameters=[ChangesQuery], responses=s.ChangesOut, operation_id="changes_list")
    def get(self, request: Request) -> Response:
        """Changes after `since`, oldest first: which record, what kind of change, which
        fields. Read the records themselves at their `url`. Keep `next_cursor` and ask again
        with it; `more` says there is more already."""
        user = request.user
        params = query(ChangesQuery, request)
        page = changes_since(user, int(params["since"]), params["limit"])
        record("api.changes_read", actor=user)
        return Response(
            {"results": page.changes, "next_cursor": str(page.next_cursor), "more": page.more}
        )
