"""Mission pages: the list, one mission with its manifest and readiness, and each action.

Any case role sees missions; the manifest shows only the children whose cases the user may
open (others are counted, not named). Planning and the manifest are the mission
coordinator's, approval a supervisor's; the manifest documents go to those two roles only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homeward.audit.services import record
from homeward.cases.access import cases_visible_to, get_case_for, opens_case_records, refuse
from homeward.cases.forms import show_case_error
from homeward.cases.services import CaseError
from homeward.lib.places import region_choices
from homeward.missions import documents, queries, services
from homeward.missions.forms import (
    AddChildForm,
    ArrivalForm,
    DepartureForm,
    EditMissionForm,
    EscortForm,
    MissionForm,
    OverrideForm,
    ReadinessForm,
    ReasonForm,
    WithdrawReadinessForm,
)
from homeward.missions.models import ACTIVE_STATUSES, ManifestEntry, Mission, MissionStatus
from homeward.missions.services import (
    APPROVERS,
    MANIFEST_READERS,
    PLANNERS,
    READINESS_RECORDERS,
    role_of,
)
from homeward.web.refusals import refuse_at


def _require(user: Any, roles: frozenset[str], message: str) -> None:
    if role_of(user) not in roles:
        record("access.denied", actor=user)
        raise PermissionDenied(message)


def _see_missions(user: Any) -> None:
    if not opens_case_records(user):
        record("access.denied", actor=user)
        raise PermissionDenied(_("Your role sees aggregate figures only, not missions."))


def get_mission_for(user: Any, pk: int) -> Mission:
    _see_missions(user)
    mission = Mission.objects.filter(pk=pk).first()
    if mission is None:
        refuse(user, "missions.mission", pk, _("No such mission."))
    return mission


# The mission list's filter: "in preparation" is what the dashboard's panel counts.
LIST_FILTERS = {
    "preparing": (MissionStatus.PLANNED, MissionStatus.MANIFEST_CONFIRMED),
    "active": ACTIVE_STATUSES,
    **{status.value: (status,) for status in MissionStatus},
}


@require_GET
def mission_list(request: HttpRequest) -> HttpResponse:
    _see_missions(request.user)
    missions = Mission.objects.all()
    shown = request.GET.get("status", "")
    if shown in LIST_FILTERS:
        missions = missions.filter(status__in=LIST_FILTERS[shown])
    choices = [
        ("", _("Every mission")),
        ("preparing", _("In preparation")),
        ("active", _("Still to fly or in the air")),
        *MissionStatus.choices,
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "missions/mission_list.html",
        {
            "page": queries.missions_page(missions, request.GET.get("page")),
            "query": query.urlencode(),
            "can_plan": role_of(request.user) in PLANNERS,
            "status_choices": choices,
            "shown": shown,
        },
    )


@require_http_methods(["GET", "POST"])
def plan_mission(request: HttpRequest) -> HttpResponse:
    _require(request.user, PLANNERS, _("Only a mission coordinator plans missions."))
    form = MissionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mission = services.plan_mission(form.as_input(), by=request.user)
        except CaseError as error:
            show_case_error(form, error)
        else:
            messages.success(request, _("Mission %(code)s planned.") % {"code": mission.code})
            return redirect("missions:detail", pk=mission.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "missions/plan.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def edit_mission(request: HttpRequest, pk: int) -> HttpResponse:
    mission = get_mission_for(request.user, pk)
    _require(request.user, PLANNERS, _("Only a mission coordinator changes a mission."))
    initial = {name: getattr(mission, name) for name in ("code", *services.FLIGHT_FIELDS)}
    form = EditMissionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_mission(
                mission, form.as_input(), by=request.user, reason=form.cleaned_data["reason"]
            )
        except CaseError as error:
            show_case_error(form, error)
        else:
            messages.success(request, _("Mission saved."))
            return redirect("missions:detail", pk=mission.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "mission": mission}
    return render(request, "missions/plan.html", context, status=status)


@require_GET
def mission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mission = get_mission_for(request.user, pk)
    record("mission.viewed", actor=request.user, target=mission)
    role = role_of(request.user)
    can_plan = role in PLANNERS
    detail = queries.mission_page(
        mission, request.user,
        list_ready=can_plan and mission.is_active, page_number=request.GET.get("page"),
    )  # fmt: skip
    return render(
        request,
        "missions/mission_detail.html",
        {
            "mission": mission,
            "detail": detail,
            "page": detail.candidates,  # for web/_pages.html
            "departure_form": DepartureForm(),
            "override_form": OverrideForm(),
            "can_plan": can_plan,
            "can_approve": role in APPROVERS,
            "can_print": role in MANIFEST_READERS,
            "editable": mission.status in (MissionStatus.PLANNED, MissionStatus.MANIFEST_CONFIRMED),
            "add_form": AddChildForm(mission=mission),
            "escort_form": EscortForm(),
            "regions": region_choices("RU"),
        },
    )


def _act(
    request: HttpRequest,
    mission: Mission,
    change: Callable[[], object],
    done: str,
    control: str = "steps",
) -> HttpResponse:
    """Run a service; say what happened, or why not next to the `control` that asked for
    it, and go back to the mission at that control."""
    try:
        change()
    except CaseError as error:
        refuse_at(request, control, error.message)
    else:
        messages.success(request, done)
    return redirect(reverse("missions:detail", kwargs={"pk": mission.pk}) + f"#{control}")


@require_POST
def add_child(request: HttpRequest, pk: int) -> HttpResponse:
    mission = get_mission_for(request.user, pk)
    _require(request.user, PLANNERS, _("Only a mission coordinator changes a manifest."))
    form = AddChildForm(request.POST, mission=mission)
    if not form.is_valid():
        refuse_at(request, "candidates", _("Choose a child to add: ") + form.errors.as_text())
        return redirect("missions:detail", pk=mission.pk)
    d = form.cleaned_data
    case = get_case_for(request.user, d["case"], write=True)
    return _act(
        request,
        mission,
        lambda: services.add_to_manifest(
            mission,
            case,
            by=request.user,
            seat=d["seat"],
            escort=d["escort"],
            receiving_region=d["receiving_region"].strip().upper(),
            reason=d["reason"],
        ),
        f"{case.reference} is on the manifest.",
        control="candidates",
    )


def _entry_of(request: HttpRequest, mission: Mission, entry_pk: int) -> ManifestEntry:
    """A child's seat on this mission, for a user whose scope reaches the child."""
    entry = ManifestEntry.objects.filter(mission=mission, pk=entry_pk).first()
    if entry is None:
        refuse(request.user, "missions.manifestentry", entry_pk, _("No such manifest entry."))
    get_case_for(request.user, entry.case_id)
    return entry


@require_POST
def remove_child(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    mission = get_mission_for(request.user, pk)
    _require(request.user, PLANNERS, _("Only a mission coordinator changes a manifest."))
    entry = _entry_of(request, mission, entry_pk)
    get_case_for(request.user, entry.case_id, write=True)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request,
        mission,
        lambda: services.remove_from_manifest(entry, by=request.user, reason=reason),
        f"{entry.case.reference} was taken off the manifest.",
        control="manifest",
    )


@require_POST
def override_readiness(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """A supervisor lets a child on board fly without the items missing now, saying why."""
    mission = get_mission_for(request.user, pk)
    _require(request.user, APPROVERS, _("Only a supervisor lets a child fly without an item."))
    entry = _entry_of(request, mission, entry_pk)
    form = OverrideForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request,
        mission,
        lambda: services.override_readiness(entry, reason=reason, by=request.user),
        _("%(case)s may fly without the items missing now; the manifest says why.")
        % {"case": entry.case.reference},
        control="manifest",
    )


@require_POST
def add_escort(request: HttpRequest, pk: int) -> HttpResponse:
    mission = get_mission_for(request.user, pk)
    _require(request.user, PLANNERS, _("Only a mission coordinator chooses escorts."))
    form = EscortForm(request.POST)
    if not form.is_valid():
        refuse_at(
            request,
            "escorts",
            _("Choose a member of staff and their duty: ") + form.errors.as_text(),
        )
        return redirect("missions:detail", pk=mission.pk)
    d = form.cleaned_data
    return _act(
        request,
        mission,
        lambda: services.add_escort(mission, d["user"], d["duty"], by=request.user),
        _("Escort added."),
        control="escorts",
    )


def _mission_step(
    request: HttpRequest,
    pk: int,
    roles: frozenset[str],
    refusal: str,
    step: Callable[[Mission], object],
    done: str,
) -> HttpResponse:
    """A one-button step on a mission: only for `roles`, then `_act`."""
    mission = get_mission_for(request.user, pk)
    _require(request.user, roles, refusal)
    return _act(request, mission, lambda: step(mission), done)


@require_POST
def confirm_manifest(request: HttpRequest, pk: int) -> HttpResponse:
    return _mission_step(
        request, pk, PLANNERS, _("Only a mission coordinator confirms a manifest."),
        lambda mission: services.confirm_manifest(mission, by=request.user),
        _("Manifest confirmed; a supervisor approves it next."),
    )  # fmt: skip


@require_POST
def approve_manifest(request: HttpRequest, pk: int) -> HttpResponse:
    return _mission_step(
        request, pk, APPROVERS, _("Only a supervisor approves a manifest."),
        lambda mission: services.approve_manifest(mission, by=request.user),
        _("Manifest approved."),
    )  # fmt: skip


@require_POST
def record_departure(request: HttpRequest, pk: int) -> HttpResponse:
    """The departure, with the date and time the flight took off (the form's default: now)."""
    mission = get_mission_for(request.user, pk)
    _require(request.user, PLANNERS, _("Only a mission coordinator records a departure."))
    form = DepartureForm(request.POST)
    if not form.is_valid():
        refuse_at(request, "steps", _("Give the date and time the flight took off."))
        return redirect(reverse("missions:detail", kwargs={"pk": mission.pk}) + "#steps")
    departed_at = form.cleaned_data["departed_at"]
    return _act(
        request,
        mission,
        lambda: services.record_departure(mission, departed_at=departed_at, by=request.user),
        _("Departure recorded: %(when)s.")
        % {"when": timezone.localtime(departed_at).strftime("%Y-%m-%d %H:%M")},
    )


@require_POST
def cancel_mission(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _mission_step(
        request, pk, PLANNERS, _("Only a mission coordinator cancels a mission."),
        lambda mission: services.cancel_mission(mission, by=request.user, reason=reason),
        _("Mission cancelled; its children are back to “cleared to leave”."),
    )  # fmt: skip


@require_POST
def close_mission(request: HttpRequest, pk: int) -> HttpResponse:
    return _mission_step(
        request, pk, PLANNERS, _("Only a mission coordinator closes a mission."),
        lambda mission: services.close_mission(mission, by=request.user),
        _("Closed."),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def record_arrival(request: HttpRequest, pk: int) -> HttpResponse:
    mission = get_mission_for(request.user, pk)
    _require(request.user, PLANNERS, _("Only a mission coordinator records an arrival."))
    entries = mission.on_board().select_related("case__child").order_by("seat", "id")
    form = ArrivalForm(request.POST or None, entries=entries)
    if request.method == "POST" and form.is_valid():
        try:
            flew, stayed = services.record_arrival(
                mission,
                arrived_at=form.cleaned_data["arrived_at"],
                by=request.user,
                not_travelled=form.not_travelled(),
                reception=form.cleaned_data["reception"],
            )
        except CaseError as error:
            form.show_refusal(error)
        else:
            messages.success(
                request,
                _("Arrival recorded: %(flew)s children repatriated, %(stayed)s did not travel.")
                % {"flew": flew, "stayed": stayed},
            )
            return redirect("missions:detail", pk=mission.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "missions/arrival.html", {"mission": mission, "form": form}, status=status
    )


DOCUMENTS = {
    "pdf": ("application/pdf", documents.manifest_pdf),
    "csv": ("text/csv; charset=utf-8", documents.manifest_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        documents.manifest_xlsx,
    ),
}


def get_manifest_for(user: Any, pk: int) -> Mission:
    """The mission whose manifest `user` may have (the pages' and the API's one rule)."""
    mission = get_mission_for(user, pk)
    _require(user, MANIFEST_READERS, _("Only coordinators and supervisors print manifests."))
    # The document names every child on board: only for someone whose scope reaches them all.
    hidden = mission.on_board().exclude(case__in=cases_visible_to(user)).count()
    if hidden:
        record("access.denied", actor=user, target=mission)
        raise PermissionDenied(
            _(
                "The manifest names %(hidden)s children whose cases your scope "
                "does not reach; a coordinator or supervisor with national scope "
                "prints it."
            )
            % {"hidden": hidden}
        )
    return mission


@require_GET
def manifest_document(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    mission = get_manifest_for(request.user, pk)
    content_type, render_document = DOCUMENTS[fmt]
    content = render_document(mission)
    record("mission.manifest_exported", actor=request.user, target=mission, fields=[fmt])
    response = HttpResponse(content, content_type=content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="manifest-{mission.code}-{stamp}.{fmt}"'
    )
    return response


@require_POST
def withdraw_readiness(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Untick an item that no longer holds (a document expired), saying why."""
    _require(request.user, READINESS_RECORDERS, _("Your role does not record readiness."))
    case = get_case_for(request.user, case_pk)
    form = WithdrawReadinessForm(request.POST)
    if not form.is_valid():
        refuse_at(request, "readiness", _("Nothing withdrawn: ") + form.errors.as_text())
    else:
        try:
            services.withdraw_readiness(
                case, form.cleaned_data["item"], reason=form.cleaned_data["reason"], by=request.user
            )
        except CaseError as error:
            refuse_at(request, "readiness", error.message)
        else:
            messages.success(request, _("Readiness withdrawn."))
    return redirect(reverse("cases:detail", kwargs={"pk": case.pk}) + "#readiness")


@require_POST
def record_readiness(request: HttpRequest, case_pk: int) -> HttpResponse:
    _require(request.user, READINESS_RECORDERS, _("Your role does not record readiness."))
    # Medical officers read cases but do not change them: fit to fly is theirs to record.
    case = get_case_for(request.user, case_pk)
    form = ReadinessForm(request.POST)
    if not form.is_valid():
        refuse_at(request, "readiness", _("Readiness not saved: ") + form.errors.as_text())
    else:
        d = form.cleaned_data
        try:
            services.record_readiness(
                case, d["item"], done_on=d["done_on"], evidence=d["evidence"], by=request.user
            )
        except CaseError as error:
            refuse_at(request, "readiness", error.message)
        else:
            messages.success(request, _("Readiness recorded."))
    return redirect(reverse("cases:detail", kwargs={"pk": case.pk}) + "#readiness")
