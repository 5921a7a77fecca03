"""Figures: the counts `homeward stats` gives, and approved public releases as published
(a suppressed cell is the blank, never its value). Every signed-in role may read figures,
as on the statistics page."""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from homeward.api import serializers as s
from homeward.api.views.base import ApiView, query
from homeward.audit.services import record
from homeward.cases.status import CaseStatus
from homeward.lib.agebands import REPORT_BANDS, AgeBandError, parse_bands
from homeward.lib.places import UnknownPlaceError, country_name
from homeward.releases import files
from homeward.releases.document import document_of
from homeward.releases.models import Release, ReleaseStatus
from homeward.statistics.activity import count_missions, count_tracing
from homeward.statistics.disclosed import children_for, small_counts_for
from homeward.statistics.series import children_abroad, default_period, month_starts
from homeward.statistics.services import (
    DIMENSIONS,
    FLOWS,
    MIDPOINT,
    SEPARATE,
    StatsQuery,
    count_children,
)


class Period(serializers.Serializer):
    """`from` and `to`, which Python cannot name as attributes."""

    from_ = serializers.DateField(required=False, help_text="Period start")
    to = serializers.DateField(required=False, help_text="Period end (included)")

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


class ChildrenQuery(Period):
    as_of = serializers.DateField(required=False, help_text="Count open cases on this day")
    repatriated_on = serializers.DateField(required=False)
    flow = serializers.ChoiceField(choices=list(FLOWS), required=False)
    host = serializers.RegexField(r"^[A-Za-z]{2}$", required=False)
    status = serializers.ListField(
        child=serializers.ChoiceField(choices=CaseStatus.choices), required=False, max_length=20
    )
    by = serializers.ListField(
        child=serializers.ChoiceField(choices=list(DIMENSIONS)), required=False, max_length=3
    )
    bands = serializers.CharField(
        required=False,
        default=REPORT_BANDS,
        max_length=100,
        help_text="e.g. 0-2,3-9,10,11-17,18+ or a preset",
    )
    uncertain_band = serializers.BooleanField(
        default=False, help_text="Count straddling ages in a separate row"
    )


def _children_query(params: dict[str, Any]) -> StatsQuery:
    host = params.get("host")
    try:
        if host:
            country_name(host)
        bands = tuple(parse_bands(params["bands"]))
    except UnknownPlaceError as error:
        raise serializers.ValidationError({"host": [str(error)]}) from None
    except AgeBandError as error:
        raise serializers.ValidationError({"bands": [str(error)]}) from None
    return StatsQuery(
        as_of=params.get("as_of"),
        repatriated_on=params.get("repatriated_on"),
        flow=params.get("flow"),
        flow_from=params.get("from"),
        flow_to=params.get("to"),
        host=host.upper() if host else None,
        statuses=tuple(params.get("status", ())),
        by=tuple(params.get("by", ())),
        bands=bands,
        age_counting=SEPARATE if params["uncertain_band"] else MIDPOINT,
    )


class ChildrenStatsView(ApiView):
    @extend_schema(
        parameters=[ChildrenQuery], responses=s.ChildrenStatsOut, operation_id="statistics_children"
    )
    def get(self, request: Request) -> Response:
        """Children counted as `homeward stats` counts them: open cases on a day, or a flow
        in a period, grouped by up to three dimensions."""
        result = count_children(_children_query(query(ChildrenQuery, request)))
        record("statistics.viewed", actor=request.user)
        return Response(children_for(request.user, result))


class AsOf(serializers.Serializer):
    as_of = serializers.DateField(required=False)


class TracingStatsView(ApiView):
    @extend_schema(parameters=[AsOf], responses=s.RowsOut, operation_id="statistics_tracing")
    def get(self, request: Request) -> Response:
        """Tracing requests and matches as of a day (`homeward stats --count tracing`)."""
        day = query(AsOf, request).get("as_of") or default_period()[1]
        record("statistics.viewed", actor=request.user)
        rows = small_counts_for(request.user, count_tracing(day))
        return Response({"description": f"Family tracing as of {day}", "rows": rows})


class RequiredPeriod(Period):
    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["from"].required = fields["to"].required = True
        return fields


class MissionStatsView(ApiView):
    @extend_schema(
        parameters=[RequiredPeriod], responses=s.RowsOut, operation_id="statistics_missions"
    )
    def get(self, request: Request) -> Response:
        """Missions arriving in a period, each with the children who flew on it."""
        period = query(RequiredPeriod, request)
        start, end = period["from"], period["to"]
        if start > end:
            raise serializers.ValidationError({"to": [_("The period ends before it starts.")]})
        record("statistics.viewed", actor=request.user)
        rows = small_counts_for(request.user, count_missions(start, end))
        return Response({"description": f"Missions arriving from {start} to {end}", "rows": rows})


class AbroadStatsView(ApiView):
    @extend_schema(parameters=[Period], responses=s.RowsOut, operation_id="statistics_abroad")
    def get(self, request: Request) -> Response:
        """Children remaining abroad on the first of each month."""
        period = query(Period, request)
        first, last = default_period(until=period.get("to"))
        first = period.get("from") or first
        if first > last:
            raise serializers.ValidationError({"from": [_("The period ends before it starts.")]})
        record("statistics.viewed", actor=request.user)
        series = children_abroad(month_starts(first, last))
        return Response(
            {
                "description": "Children remaining abroad (open cases not yet placed at home)",
                "rows": small_counts_for(
                    request.user, [{"on": p.on, "count": p.count} for p in series]
                ),
            }
        )


def _summary(release: Release) -> dict[str, Any]:
    return {
        "id": release.pk,
        "title": release.title,
        "description": release.description,
        "approved_on": release.decided_at.date() if release.decided_at else None,
        "url": reverse("api:release", kwargs={"pk": release.pk}),
    }


class ReleaseListView(ApiView):
    @extend_schema(responses=s.ReleaseListOut, operation_id="releases_list")
    def get(self, request: Request) -> Response:
        """Public releases approved for publication, newest first."""
        approved = Release.objects.filter(status=ReleaseStatus.APPROVED).order_by("-decided_at")
        return Response({"results": [_summary(r) for r in approved]})


class ReleaseView(ApiView):
    @extend_schema(responses=s.ReleaseOut, operation_id="releases_read")
    def get(self, request: Request, pk: int) -> Response:
        """An approved release as published (the same document as its JSON file):
        suppressed cells show the blank, never a value."""
        release = get_object_or_404(Release, pk=pk)
        if not release.is_approved:
            raise Http404(_("This release is not approved for publication."))
        record("releases.downloaded", actor=request.user, target=release, fields=["api"])
        published = json.loads(files.as_json(document_of(release)))
        return Response(_summary(release) | published)
