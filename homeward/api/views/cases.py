"""Children's cases: list, read, register, and change names, identity, placement, status
and family, each through `cases.access.get_case_for` and `cases.services`."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import BigIntegerField, Q, QuerySet
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from homeward.api import representations as rep
from homeward.api import serializers as s
from homeward.api.changes import CASE_TYPE, change_entries
from homeward.api.idempotency import idempotent
from homeward.api.idempotency import parameter as idempotency_parameter
from homeward.api.views.base import ApiView, created, query, valid
from homeward.audit.services import record, record_many
from homeward.cases import services
from homeward.cases.access import (
    can_change_cases,
    get_case_for,
    opens_case_records,
    profile_of,
)
from homeward.cases.models import ChildCase, FamilyMember
from homeward.cases.queries import listed_cases
from homeward.cases.services import ChildInput
from homeward.cases.status import CaseStatus
from homeward.protection.sensitivity import Restricted, may_read

NOT_CASE_ROLE = gettext_lazy("Your role sees aggregate figures only, not case records.")
NOT_REGISTRAR = gettext_lazy("Only caseworkers of an agency can register a child.")
MAX_PAGE = 200


class CaseFilters(serializers.Serializer):
    status = serializers.ChoiceField(choices=CaseStatus.choices, required=False)
    host = serializers.RegexField(
        r"^[A-Za-z]{2}$", required=False, help_text="Country of the current placement (ISO)"
    )
    region = serializers.RegexField(
        r"^[A-Za-z]{2}-[A-Za-z0-9]{1,3}$", required=False, help_text="Home region (ISO 3166-2)"
    )
    agency = serializers.CharField(max_length=40, required=False, help_text="Agency short name")
    updated_since = serializers.DateTimeField(
        required=False, help_text="Cases changed at or after this time (any part of the case)"
    )
    q = serializers.CharField(max_length=200, required=False, help_text="A name in any script")
    after = serializers.IntegerField(min_value=0, required=False, help_text="Cases after this id")
    limit = serializers.IntegerField(min_value=1, max_value=MAX_PAGE, default=50)
    include_sensitive = serializers.BooleanField(
        default=False, help_text="Also places, contacts and facilities (audited)"
    )


class ReadOptions(serializers.Serializer):
    include_sensitive = serializers.BooleanField(
        default=False, help_text="Also places, contacts and facilities (audited)"
    )


def read_fields(include_sensitive: bool) -> list[str]:
    return ["sensitive"] if include_sensitive else []


def changed_since(cases: QuerySet[ChildCase], since: datetime) -> QuerySet[ChildCase]:
    """Cases whose row or any part (names, family, placement...) changed since `since`:
    the audit trail records every change of a case, whatever table it touched."""
    touched = (
        change_entries()
        .filter(object_type=CASE_TYPE, at__gte=since)
        .annotate(case_id=Cast("object_id", BigIntegerField()))
        .values("case_id")
    )
    return cases.filter(Q(updated_at__gte=since) | Q(pk__in=touched))


def registers_children(user: Any) -> bool:
    return profile_of(user) is not None and can_change_cases(user)


class CaseListView(ApiView):
    roles = {
        "GET": (opens_case_records, NOT_CASE_ROLE),
        "POST": (
            registers_children,
            gettext_lazy("Only caseworkers of an agency can register a child."),
        ),
    }

    @extend_schema(parameters=[CaseFilters], responses=s.CaseListOut, operation_id="cases_list")
    def get(self, request: Request) -> Response:
        """The cases you may open, oldest first, a page at a time (`next` for the rest)."""
        user = request.user
        filters = query(CaseFilters, request)
        # The case list's own selection (merged registrations left out); the agency by name.
        selected = {name: value for name, value in filters.items() if name != "agency"}
        cases = listed_cases(user, selected, timezone.localdate())
        if filters.get("agency"):
            cases = cases.filter(agency__short_name__iexact=filters["agency"])
        if filters.get("updated_since"):
            cases = changed_since(cases, filters["updated_since"])
        if filters.get("after") is not None:
            cases = cases.filter(pk__gt=filters["after"])
        limit = filters["limit"]
        rows = cases.select_related("child", "agency").prefetch_related(
            "child__names", "placements"
        )
        page = list(rows.order_by("pk")[: limit + 1])
        shown = page[:limit]
        read = tuple(read_fields(filters["include_sensitive"]))
        record_many(
            "case.listed", actor=user, targets=[("cases.childcase", str(c.pk), read) for c in shown]
        )
        if filters.get("q"):
            record("case.searched", actor=user, fields=["q"])
        reader = rep.Reader(user, filters["include_sensitive"])
        return Response(
            {
                "results": [rep.case_summary(reader, c) for c in shown],
                "next": next_page(request, shown[-1].pk) if len(page) > limit else None,
            }
        )

    @extend_schema(
        request=s.CaseIn,
        responses={201: s.CaseOut},
        parameters=[idempotency_parameter(True)],
        operation_id="cases_register",
    )
    @idempotent(required=True)
    def post(self, request: Request) -> Response:
        """Register a child: the case starts "identified abroad" in your agency."""
        user = request.user
        profile = profile_of(user)
        data = valid(s.CaseIn, request.data)
        _check_legal(user, data.get("relatives", []), "relatives")
        child = ChildInput(
            names=s.names_of(data["names"]),
            sex=data["sex"],
            birth=data["birth"],
            nationality=data["nationality"],
            home_region=data["home_region"],
            placement=s.PlacementIn.as_input(data["placement"]),
            identified_on=data["identified_on"],
            relatives=[s.RelativeIn.as_input(r) for r in data.get("relatives", [])],
        )
        case = services.register_child(child, agency=profile.agency, by=user)  # type: ignore[union-attr]
        return created(rep.case_detail(rep.Reader(user), case))


def next_page(request: Request, last: int) -> str:
    params = request.query_params.copy()
    params["after"] = str(last)
    return f"{request.path}?{urlencode(sorted(params.items()))}"


def _check_legal(user: Any, relatives: list[dict[str, Any]], where: str) -> None:
    """A conviction or sentence is written only by the roles that may read it."""
    if may_read(user, Restricted.LEGAL):
        return
    for number, relative in enumerate(relatives):
        for name in ("conviction", "sentence"):
            if relative.get(name):
                path = f"{where}.{number}.{name}" if where else name
                raise serializers.ValidationError(
                    {path: [_("Your role may not record a conviction or sentence.")]}
                )


class CaseView(ApiView):
    @extend_schema(parameters=[ReadOptions], responses=s.CaseOut, operation_id="cases_read")
    def get(self, request: Request, pk: int) -> Response:
        """One case with its family, as the case page shows it to your role."""
        options = query(ReadOptions, request)
        case = get_case_for(request.user, pk)
        record(
            "case.viewed",
            actor=request.user,
            target=case,
            fields=read_fields(options["include_sensitive"]),
        )
        reader = rep.Reader(request.user, options["include_sensitive"])
        return Response(rep.case_detail(reader, case))


def _answer(request: Request, case: ChildCase, status: int = 200) -> Response:
    case.refresh_from_db()
    body = rep.case_detail(rep.Reader(request.user), case)
    return created(body) if status == 201 else Response(body)


class CaseNamesView(ApiView):
    @extend_schema(
        request=s.NamesIn,
        responses=s.CaseOut,
        operation_id="cases_names_replace",
        parameters=[idempotency_parameter(False)],
    )
    @idempotent(required=False)
    def put(self, request: Request, pk: int) -> Response:
        """Make these the child's spellings, all of them (one preferred)."""
        case = get_case_for(request.user, pk, write=True)
        data = valid(s.NamesIn, request.data)
        services.replace_names(case.child, s.names_of(data["names"]), by=request.user, case=case)
        return _answer(request, case)


class CaseIdentityView(ApiView):
    @extend_schema(
        request=s.IdentityIn,
        responses=s.CaseOut,
        operation_id="cases_identity_set",
        parameters=[idempotency_parameter(False)],
    )
    @idempotent(required=False)
    def put(self, request: Request, pk: int) -> Response:
        """Sex, date of birth, nationality and home region, all at once."""
        case = get_case_for(request.user, pk, write=True)
        data = valid(s.IdentityIn, request.data)
        services.update_identity(
            case,
            sex=data["sex"],
            birth=data["birth"],
            nationality=data["nationality"],
            home_region=data["home_region"],
            by=request.user,
        )
        return _answer(request, case)


class CasePlacementView(ApiView):
    @extend_schema(
        request=s.PlacementIn,
        responses={201: s.CaseOut},
        parameters=[idempotency_parameter(False)],
        operation_id="cases_placement_move",
    )
    @idempotent(required=False)
    def post(self, request: Request, pk: int) -> Response:
        """Where the child lives from a date on."""
        case = get_case_for(request.user, pk, write=True)
        data = valid(s.PlacementIn, request.data)
        services.move_placement(case, s.PlacementIn.as_input(data), by=request.user)
        return _answer(request, case, 201)


class CaseTransitionView(ApiView):
    @extend_schema(
        request=s.TransitionIn,
        responses={201: s.CaseOut},
        parameters=[idempotency_parameter(False)],
        operation_id="cases_status_move",
    )
    @idempotent(required=False)
    def post(self, request: Request, pk: int) -> Response:
        """Move the case to another status, as the flow allows (`allowed_next`)."""
        case = get_case_for(request.user, pk, write=True)
        data = valid(s.TransitionIn, request.data)
        services.transition(
            case,
            data["to_status"],
            by=request.user,
            reason=data["reason"],
            effective_on=data["effective_on"],
        )
        return _answer(request, case, 201)


class FamilyListOut(serializers.Serializer):
    results = s.FamilyMemberOut(many=True)


class CaseFamilyView(ApiView):
    @extend_schema(parameters=[ReadOptions], responses=FamilyListOut, operation_id="family_list")
    def get(self, request: Request, pk: int) -> Response:
        """The child's family as the case page shows it to your role."""
        options = query(ReadOptions, request)
        case = get_case_for(request.user, pk)
        record(
            "case.viewed",
            actor=request.user,
            target=case,
            fields=["family", *read_fields(options["include_sensitive"])],
        )
        reader = rep.Reader(request.user, options["include_sensitive"])
        family = case.family.select_related("person").prefetch_related("person__names")
        return Response({"results": [rep.family_member(reader, m) for m in family]})

    @extend_schema(
        request=s.RelativeIn,
        responses={201: s.FamilyMemberOut},
        parameters=[idempotency_parameter(False)],
        operation_id="family_add",
    )
    @idempotent(required=False)
    def post(self, request: Request, pk: int) -> Response:
        """Add a relative to the child's family."""
        case = get_case_for(request.user, pk, write=True)
        data = valid(s.RelativeIn, request.data)
        _check_legal(request.user, [data], "")
        member = services.add_family_member(case, s.RelativeIn.as_input(data), by=request.user)
        body = rep.family_member(rep.Reader(request.user), member)
        location = f"{request.path}{member.pk}/"
        return Response(body, status=201, headers={"Location": location})


class FamilyMemberView(ApiView):
    @extend_schema(
        request=s.RelativeIn,
        responses=s.FamilyMemberOut,
        parameters=[idempotency_parameter(False)],
        operation_id="family_change",
    )
    @idempotent(required=False)
    def put(self, request: Request, pk: int, member_pk: int) -> Response:
        """Change what is recorded of a relative (names, when given, replace theirs). Roles
        that may not read a conviction keep the one recorded."""
        case = get_case_for(request.user, pk, write=True)
        member = get_object_or_404(
            FamilyMember.objects.select_related("person"), pk=member_pk, case=case
        )
        data = valid(s.RelativeIn, request.data)
        _check_legal(request.user, [data], "")
        if not may_read(request.user, Restricted.LEGAL):
            data |= {"conviction": member.conviction, "sentence": member.sentence}
        services.update_family_member(member, s.RelativeIn.as_input(data), by=request.user)
        member.refresh_from_db()
        return Response(rep.family_member(rep.Reader(request.user), member))


class CaseReadinessView(ApiView):
    @extend_schema(responses=s.ReadinessOut, operation_id="cases_readiness")
    def get(self, request: Request, pk: int) -> Response:
        """The checklist before a seat on a mission, item by item, and what stands in the way."""
        case = get_case_for(request.user, pk)
        record("case.viewed", actor=request.user, target=case, fields=["readiness"])
        return Response(rep.case_readiness(case))
