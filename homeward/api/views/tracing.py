"""Tracing requests: list, file, read, their candidate children, and the decision on one,
through `tracing.access` and `tracing.services` as the pages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from homeward.api import representations as rep
from homeward.api import serializers as s
from homeward.api.idempotency import idempotent
from homeward.api.idempotency import parameter as idempotency_parameter
from homeward.api.views.base import ApiView, created, query, valid
from homeward.api.views.cases import (
    MAX_PAGE,
    ReadOptions,
    next_page,
    read_fields,
    registers_children,
)
from homeward.audit.services import record, record_many
from homeward.cases.access import (
    cases_visible_to,
    get_case_for,
    opens_case_records,
    profile_of,
    refuse,
)
from homeward.tracing import services
from homeward.tracing.access import get_request_for, requests_visible_to
from homeward.tracing.models import MatchCandidate, RequestStatus, TracingRequest

NOT_CASE_ROLE = gettext_lazy("Your role sees aggregate figures only, not tracing requests.")
NOT_FILER = gettext_lazy("Only case staff of an agency file tracing requests.")


class RequestFilters(serializers.Serializer):
    status = serializers.ChoiceField(choices=RequestStatus.choices, required=False)
    after = serializers.IntegerField(
        min_value=0, required=False, help_text="Requests after this id"
    )
    limit = serializers.IntegerField(min_value=1, max_value=MAX_PAGE, default=50)
    include_sensitive = serializers.BooleanField(
        default=False, help_text="Also the enquirer's contact and place, and the story (audited)"
    )


def _with_parts(requests: Any) -> Any:
    return requests.select_related("enquirer", "agency").prefetch_related(
        "enquirer__names", "sought__person__names"
    )


class TracingListView(ApiView):
    roles = {
        "GET": (
            opens_case_records,
            gettext_lazy("Your role sees aggregate figures only, not tracing requests."),
        ),
        "POST": (
            registers_children,
            gettext_lazy("Only case staff of an agency file tracing requests."),
        ),
    }

    @extend_schema(
        parameters=[RequestFilters],
        responses=s.TracingListOut,
        operation_id="tracing_requests_list",
    )
    def get(self, request: Request) -> Response:
        """The tracing requests you may open, oldest first, a page at a time."""
        user = request.user
        filters = query(RequestFilters, request)
        requests = requests_visible_to(user)
        if filters.get("status"):
            requests = requests.filter(status=filters["status"])
        if filters.get("after") is not None:
            requests = requests.filter(pk__gt=filters["after"])
        limit = filters["limit"]
        page = list(_with_parts(requests).order_by("pk")[: limit + 1])
        shown = page[:limit]
        read = tuple(read_fields(filters["include_sensitive"]))
        record_many(
            "tracing.listed",
            actor=user,
            targets=[("tracing.tracingrequest", str(r.pk), read) for r in shown],
        )
        reader = rep.Reader(user, filters["include_sensitive"])
        return Response(
            {
                "results": [rep.tracing_request(reader, r) for r in shown],
                "next": next_page(request, shown[-1].pk) if len(page) > limit else None,
            }
        )

    @extend_schema(
        request=s.TracingRequestIn,
        responses={201: s.TracingRequestOut},
        parameters=[idempotency_parameter(True)],
        operation_id="tracing_requests_file",
    )
    @idempotent(required=True)
    def post(self, request: Request) -> Response:
        """File a relative's tracing request; its candidates are looked for in the background."""
        user = request.user
        profile = profile_of(user)
        data = valid(s.TracingRequestIn, request.data)
        sought = [
            services.SoughtInput(
                kind=p["kind"],
                names=s.names_of(p["names"]),
                sex=p["sex"],
                birth=p["birth"],
                mother_names=p["mother_names"],
                father_names=p["father_names"],
                last_known_place=p["last_known_place"],
            )
            for p in data["sought"]
        ]
        filed = services.file_request(
            services.RequestInput(
                enquirer_names=s.names_of(data["enquirer_names"]),
                enquirer_relationship=data["enquirer_relationship"],
                filed_on=data["filed_on"],
                sought=sought,
                enquirer_contact=data["enquirer_contact"],
                enquirer_place=data["enquirer_place"],
                who_left=data["who_left"],
                left_on=data["left_on"],
                left_for=data["left_for"],
                story=data["story"],
            ),
            agency=profile.agency,  # type: ignore[union-attr]  # ByRole: a profile
            by=user,
        )
        filed = _with_parts(TracingRequest.objects.filter(pk=filed.pk)).get()
        return created(rep.tracing_request(rep.Reader(user, include_sensitive=True), filed))


class TracingRequestView(ApiView):
    @extend_schema(
        parameters=[ReadOptions],
        responses=s.TracingRequestOut,
        operation_id="tracing_requests_read",
    )
    def get(self, request: Request, pk: int) -> Response:
        options = query(ReadOptions, request)
        tracing = get_request_for(request.user, pk)
        record(
            "tracing.viewed",
            actor=request.user,
            target=tracing,
            fields=read_fields(options["include_sensitive"]),
        )
        tracing = _with_parts(TracingRequest.objects.filter(pk=tracing.pk)).get()
        reader = rep.Reader(request.user, options["include_sensitive"])
        return Response(rep.tracing_request(reader, tracing))


class CandidatesView(ApiView):
    @extend_schema(responses=s.CandidateListOut, operation_id="tracing_candidates_list")
    def get(self, request: Request, pk: int) -> Response:
        """Children (or relatives) proposed for the people the request seeks, best first:
        only those whose cases you may open."""
        user = request.user
        tracing = get_request_for(user, pk)
        candidates = list(
            MatchCandidate.objects.filter(sought__request=tracing, case__in=cases_visible_to(user))
            .select_related("case__child", "relative")
            .prefetch_related("case__child__names", "relative__names")
            .order_by("-score", "id")
        )
        record("tracing.viewed", actor=user, target=tracing, fields=["candidates"])
        record_many(
            "case.listed",
            actor=user,
            targets=[("cases.childcase", str(c.case_id), ()) for c in candidates],
        )
        return Response({"results": [rep.candidate(c) for c in candidates]})


class DecisionView(ApiView):
    @extend_schema(
        request=s.DecisionIn,
        responses={201: s.DecisionOut},
        parameters=[idempotency_parameter(False)],
        operation_id="tracing_candidates_decide",
    )
    @idempotent(required=False)
    def post(self, request: Request, candidate_pk: int) -> Response:
        """Confirm (the enquirer joins the child's family) or reject (never proposed again)
        a candidate; both the request and the case must be yours to change."""
        user = request.user
        candidate = (
            MatchCandidate.objects.select_related("sought__request").filter(pk=candidate_pk).first()
        )
        if candidate is None:
            refuse(user, "tracing.matchcandidate", candidate_pk, "No such candidate.")
        get_request_for(user, candidate.sought.request_id, write=True)
        get_case_for(user, candidate.case_id, write=True)
        data = valid(s.DecisionIn, request.data)
        traced, because = False, ""
        if data["decision"] == "confirm":
            confirmed = services.confirm_match(
                candidate, by=user, mark_traced=data["mark_traced"], reason=data["reason"]
            )
            traced, because = confirmed.traced, confirmed.not_traced_because
        else:
            services.reject_match(candidate, by=user, reason=data["reason"])
        return Response(
            {
                "decision": data["decision"],
                "case": candidate.case_id,
                "sought": candidate.sought_id,
                "traced": traced,
                "not_traced_because": because,
            },
            status=201,
        )
