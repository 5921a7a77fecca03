"""Missions: read, the manifest (JSON, or the PDF as a download) and the children's
readiness, under the missions pages' rules (missions.views.get_mission_for and
get_manifest_for)."""

from __future__ import annotations

from dataclasses import asdict

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from homeward.api import representations as rep
from homeward.api import serializers as s
from homeward.api.views.base import ApiView
from homeward.audit.services import record, record_many
from homeward.cases.access import cases_visible_to
from homeward.missions import documents
from homeward.missions.models import ManifestEntry, Mission
from homeward.missions.views import _see_missions, get_manifest_for, get_mission_for


def _shown_on_board(user: object, mission: Mission) -> tuple[list[ManifestEntry], int]:
    """The children on board whose cases the user may open, and how many others there are."""
    entries = list(
        mission.on_board()
        .filter(case__in=cases_visible_to(user))
        .select_related("case__child")
        .prefetch_related("case__readiness", "case__family")
        .order_by("seat", "id")
    )
    return entries, mission.on_board().count() - len(entries)


class MissionListView(ApiView):
    @extend_schema(responses=s.MissionListOut, operation_id="missions_list")
    def get(self, request: Request) -> Response:
        """Every mission, latest first (any case role sees missions)."""
        _see_missions(request.user)
        missions = Mission.objects.order_by("-departs_on", "code")
        return Response({"results": [rep.mission(m) for m in missions]})


class MissionView(ApiView):
    @extend_schema(responses=s.MissionDetailOut, operation_id="missions_read")
    def get(self, request: Request, pk: int) -> Response:
        """A mission with the children on board whose cases you may open."""
        mission = get_mission_for(request.user, pk)
        record("mission.viewed", actor=request.user, target=mission)
        entries, not_shown = _shown_on_board(request.user, mission)
        on_board = [
            {
                "entry": e.pk,
                "case": e.case_id,
                "reference": e.case.reference,
                "seat": e.seat,
                "receiving_region": e.receiving_region,
            }
            for e in entries
        ]
        return Response(rep.mission(mission) | {"on_board": on_board, "not_shown": not_shown})


class MissionReadinessView(ApiView):
    @extend_schema(responses=s.MissionReadinessOut, operation_id="missions_readiness")
    def get(self, request: Request, pk: int) -> Response:
        """Each child on board (whose case you may open): ready or not, and what is missing."""
        mission = get_mission_for(request.user, pk)
        entries, not_shown = _shown_on_board(request.user, mission)
        record_many(
            "case.viewed",
            actor=request.user,
            targets=[("cases.childcase", str(e.case_id), ("readiness",)) for e in entries],
        )
        return Response(
            {
                "mission": mission.pk,
                "not_shown": not_shown,
                "children": [rep.case_readiness(e.case) for e in entries],
            }
        )


class ManifestView(ApiView):
    @extend_schema(responses=s.ManifestOut, operation_id="missions_manifest")
    def get(self, request: Request, pk: int) -> Response:
        """The manifest as printed: names in their official forms (coordinators and
        supervisors whose scope reaches every child on board)."""
        mission = get_manifest_for(request.user, pk)
        rows = [asdict(row) for row in documents.manifest_rows(mission)]
        record("mission.manifest_exported", actor=request.user, target=mission, fields=["json"])
        return Response(
            {
                "mission": mission.code,
                "route": mission.route,
                "departs_on": mission.departs_on,
                "rows": rows,
            }
        )


class ManifestPdfView(ApiView):
    @extend_schema(
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)},
        operation_id="missions_manifest_pdf",
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        """The printable manifest (PDF), as a download."""
        mission = get_manifest_for(request.user, pk)
        content = documents.manifest_pdf(mission)
        record("mission.manifest_exported", actor=request.user, target=mission, fields=["pdf"])
        response = HttpResponse(content, content_type="application/pdf")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = (
            f'attachment; filename="manifest-{mission.code}-{stamp}.pdf"'
        )
        return response
