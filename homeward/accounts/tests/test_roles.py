"""A deactivated account, or one whose staff profile was removed, acts no more: every
service that acts for a user refuses it, with the words it refuses any other role with.

Each service is called twice on the same world: first as the active user it is meant for
(in a savepoint rolled back; it may refuse for another reason, never for the role), then as
that user deactivated or, in the second run, with their staff profile removed. The services
that check no role (registering a child, a status move, a note, a visit) refuse them too."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from io import BytesIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Model
from django.http import Http404
from django.utils import timezone

from homeward.accounts.models import Role, StaffProfile
from homeward.accounts.roles import profile_of, role_of
from homeward.api import keys
from homeward.care import services as care
from homeward.care.models import FollowUpVisit, HandOver
from homeward.cases import merging
from homeward.cases import services as cases
from homeward.cases.access import get_case_for
from homeward.cases.models import CaseMerge, ChildCase, DuplicateCandidate
from homeward.cases.services import NameInput, PlacementInput, RelativeInput
from homeward.conftest import at, child_input, make_user
from homeward.disclosure import DisclosureRules
from homeward.exports.services import request_export
from homeward.health.services import ExaminationInput, record_examination
from homeward.imports import services as imports
from homeward.imports.access import get_batch_for
from homeward.missions import services as missions
from homeward.missions.models import ReadinessItem
from homeward.protection.sensitivity import Restricted, may_read
from homeward.releases.services import approve_release, prepare_release, reject_release
from homeward.rules.models import CustodyRule, RuleAlert
from homeward.rules.services import resolve_alert
from homeward.statistics.services import StatsQuery
from homeward.tracing.access import get_request_for
from homeward.tracing.models import MatchCandidate
from homeward.tracing.services import (
    RequestInput,
    SoughtInput,
    close_request,
    confirm_match,
    file_request,
    reject_match,
    update_sought,
)

pytestmark = pytest.mark.django_db

# A refusal other than the role's (the mission is not open, a form field is empty) would
# hide a missing role check: each call names the words its role refusal starts with.
Call = Callable[[Any], Any]


@dataclass(frozen=True)
class Acting:
    service: str
    who: str  # the standing user the service is meant for
    call: Call
    refusal: str  # how the role refusal starts; "" for the one way in (404) and may_read


def mission_input(code: str) -> missions.MissionInput:
    return missions.MissionInput(
        code=code, name="Baghdad to Moscow (test)", departure_airport="BGW",
        arrival_airport="ZIA", departs_on=date(2018, 12, 30), arrives_on=date(2018, 12, 30),
        capacity=30,
    )  # fmt: skip


@pytest.fixture
def world(
    make_case: Callable[..., ChildCase],
    make_ready_case: Callable[..., ChildCase],
    make_mission: Callable[..., Any],
    arrived_case: ChildCase,
    agency: Any,
    other_agency: Any,
    caseworker: User,
    supervisor: User,
    medic: User,
    coordinator: User,
    analyst: User,
    outsider: User,
) -> dict[str, Any]:
    admin = make_user("admin", agency, Role.AGENCY_ADMIN)
    case, flying = make_ready_case(), make_ready_case()
    mission = make_mission()
    entry = missions.add_to_manifest(mission, flying, by=coordinator, today=date(2018, 12, 20))
    first, second = make_case(), make_case()
    pair = DuplicateCandidate.objects.create(
        first=first, second=second, score=0.99, explanation=[], computed_at=timezone.now()
    )
    third, fourth = make_case(), make_case()
    ChildCase.objects.filter(pk=fourth.pk).update(merged_into=third)
    moved: dict[str, list[int]] = {"names": [], "family": [], "notes": [], "attachments": []}
    merge = CaseMerge.objects.create(kept=third, merged=fourth, reason="r", moved=moved)
    source = imports.source_named(caseworker, "KoBo, Iraq team")
    content = BytesIO(
        "external_id,name_cyrillic,sex,birth,nationality,host_country,identified_on\n"
        "r-1,Роль Тест,f,2013,RU,IQ,2018-05-02\n".encode()
    )
    request = RequestInput(
        enquirer_names=[NameInput("Патимат Исаева", "family")],
        enquirer_relationship="grandmother", filed_on=date(2019, 1, 1),
        sought=[SoughtInput("child", names=[NameInput("Амина Исаева", "family")])],
    )  # fmt: skip
    tracing = file_request(request, agency=agency, by=caseworker)
    return {
        "users": {
            "caseworker": caseworker, "supervisor": supervisor, "medic": medic,
            "coordinator": coordinator, "analyst": analyst, "outsider": outsider, "admin": admin,
        },
        "case": case, "arrived": arrived_case, "mission": mission, "entry": entry,
        "pair": pair, "merge": merge, "source": source,
        "batch": imports.upload(source, "children", content, "r.csv", by=caseworker),
        "share": cases.offer_case(
            make_case(), other_agency, kind="referral", reason="Relatives found",
            consent="Mother's written consent", by=caseworker,
        ),
        "release": prepare_release(
            "Total", StatsQuery(by=("region",)), DisclosureRules(), by=analyst
        ),
        "key": keys.create_key(
            name="KoBo", agency=agency, role="caseworker", scope="agency",
            expires_at=timezone.now() + timedelta(days=100), by=admin,
        ).key,
        "request": tracing, "request_input": request, "agency": agency,
        "candidate": MatchCandidate.objects.create(
            sought=tracing.sought.get(), case=case, score=0.99, match_weight=12.0,
            explanation=[], explanation_text="", computed_at=timezone.now(),
        ),
        "visit": FollowUpVisit.objects.create(
            case=case, hand_over=HandOver.objects.create(
                case=case, handed_over_on=date(2019, 1, 1), receiver_kind="state_institution",
                institution="Children's home (test)", region="RU-DA",
            ), months_after=1, due_on=date(2019, 2, 1),
        ),
        "alert": RuleAlert.objects.create(
            case=case, rule=CustodyRule.objects.create(
                host_country="IQ", age_limit_years=3, action="Placed with relatives",
                source="Test", valid_from=date(2000, 1, 1),
            ), kind="past", message="Past the limit", raised_on=date(2019, 1, 1),
            evaluated_on=date(2019, 1, 1),
        ),
        "other_agency": other_agency,
    }  # fmt: skip


def acting(w: dict[str, Any]) -> list[Acting]:
    mission, entry, case = w["mission"], w["entry"], w["case"]
    item = ReadinessItem.TRAVEL_DOCUMENT
    planner = "Only a mission coordinator may"
    return [
        # missions
        Acting("plan_mission", "coordinator",
               lambda by: missions.plan_mission(mission_input("M-ROLE"), by=by), planner),
        Acting("update_mission", "coordinator",
               lambda by: missions.update_mission(mission, mission_input(mission.code), by=by),
               planner),
        Acting("add_escort", "coordinator",
               lambda by: missions.add_escort(mission, w["users"]["caseworker"], "escort", by=by),
               planner),
        Acting("record_readiness", "caseworker",
               lambda by: missions.record_readiness(case, item, done_on=date(2018, 11, 3), by=by),
               "Your role does not record readiness"),
        Acting("withdraw_readiness", "caseworker",
               lambda by: missions.withdraw_readiness(case, item, reason="expired", by=by),
               "Your role does not record readiness"),
        Acting("add_to_manifest", "coordinator",
               lambda by: missions.add_to_manifest(mission, case, by=by, today=date(2018, 12, 20)),
               planner),
        Acting("remove_from_manifest", "coordinator",
               lambda by: missions.remove_from_manifest(entry, by=by, reason="unwell"), planner),
        Acting("override_readiness", "supervisor",
               lambda by: missions.override_readiness(entry, reason="urgent", by=by),
               "Only a supervisor may"),
        Acting("confirm_manifest", "coordinator",
               lambda by: missions.confirm_manifest(mission, by=by), planner),
        Acting("approve_manifest", "supervisor",
               lambda by: missions.approve_manifest(mission, by=by), "Only a supervisor may"),
        Acting("record_departure", "coordinator",
               lambda by: missions.record_departure(
                   mission, departed_at=at(date(2018, 12, 30), 8), by=by), planner),
        Acting("record_arrival", "coordinator",
               lambda by: missions.record_arrival(
                   mission, arrived_at=at(date(2018, 12, 30), 14), by=by), planner),
        Acting("close_mission", "coordinator",
               lambda by: missions.close_mission(mission, by=by), planner),
        Acting("cancel_mission", "coordinator",
               lambda by: missions.cancel_mission(mission, by=by, reason="weather"), planner),
        # cases: sharing and merging
        Acting("offer_case", "caseworker",
               lambda by: cases.offer_case(
                   case, w["other_agency"], kind="referral", reason="r", consent="c", by=by),
               "Only the agency that holds the case may"),
        Acting("decide_share", "outsider",
               lambda by: cases.decide_share(w["share"], accept=True, by=by),
               "Only case staff of an agency receive referrals"),
        Acting("revoke_share", "caseworker",
               lambda by: cases.revoke_share(w["share"], by=by),
               "Only the agency that holds the case may"),
        Acting("merge_cases", "supervisor",
               lambda by: merging.merge_cases(
                   w["pair"].first, w["pair"].second, reason="same child", by=by),
               "Only a supervisor merges cases"),
        Acting("undo_merge", "supervisor",
               lambda by: merging.undo_merge(w["merge"], by=by), "Only a supervisor merges cases"),
        Acting("dismiss_duplicate", "supervisor",
               lambda by: merging.dismiss_duplicate(w["pair"], by=by),
               "Only a supervisor merges cases"),
        # health
        Acting("record_examination", "medic",
               lambda by: record_examination(
                   w["arrived"], ExaminationInput("Hospital (test)", date(2018, 12, 31)), by=by),
               "Only a medical officer records"),
        # releases
        Acting("prepare_release", "analyst",
               lambda by: prepare_release("Total", StatsQuery(by=("region",)),
                                          DisclosureRules(), by=by),
               "Only analysts prepare"),
        Acting("approve_release", "supervisor",
               lambda by: approve_release(w["release"], by=by), "Only supervisors approve"),
        Acting("reject_release", "supervisor",
               lambda by: reject_release(w["release"], by=by, reason="too fine"),
               "Only supervisors approve"),
        # exports and imports
        Acting("request_export", "caseworker",
               lambda by: request_export(by, "children", "csv"), "Only case staff export"),
        Acting("source_named", "caseworker",
               lambda by: imports.source_named(by, "KoBo, Iraq team"), "Only case staff who"),
        Acting("upload", "caseworker",
               lambda by: imports.upload(w["source"], "children", BytesIO(b"a\n1\n"), "u.csv",
                                         by=by),
               "Only case staff who"),
        Acting("dry_run", "caseworker",
               lambda by: imports.dry_run(w["batch"], by=by), "Only case staff who"),
        Acting("commit", "caseworker",
               lambda by: imports.commit(w["batch"], by=by), "Only case staff who"),
        # API keys
        Acting("create_key", "admin",
               lambda by: keys.create_key(
                   name="Other", agency=w["users"]["admin"].staff_profile.agency,
                   role="caseworker", scope="agency",
                   expires_at=timezone.now() + timedelta(days=100), by=by),
               "Only an administrator of the agency"),
        Acting("revoke_key", "admin",
               lambda by: keys.revoke_key(w["key"], by=by), "Only an administrator of the agency"),
        # the services that only record who acted
        *[Acting(name, "caseworker", call, NOT_STAFF) for name, call in recording(w)],
        # the one way in
        Acting("get_case_for", "caseworker",
               lambda by: get_case_for(by, case.pk, write=True), ""),
        Acting("get_request_for", "caseworker",
               lambda by: get_request_for(by, w["request"].pk, write=True), ""),
        Acting("get_batch_for", "caseworker", lambda by: get_batch_for(by, w["batch"].pk), ""),
        Acting("may_read", "medic", lambda by: may_read(by, Restricted.HEALTH), ""),
    ]  # fmt: skip


NOT_STAFF = "Not for your role"


def recording(w: dict[str, Any]) -> list[tuple[str, Call]]:
    """The services that check no role (their views reach the case through `get_case_for`)
    but refuse a user who no longer acts as staff; each is called as the case's caseworker
    (on this world some refuse for another reason, which is all the first call asks)."""
    case, request, day = w["case"], w["request"], date(2019, 1, 2)
    names = [NameInput("Амина Исаева", "civil_registry")]
    relative = RelativeInput("aunt", [NameInput("Зарема Исаева", "family")])
    placement = PlacementInput("IQ", "camp", day, "Camp (test)")
    upload = SimpleUploadedFile("note.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    return [
        ("register_child", lambda by: cases.register_child(
            child_input(), agency=w["agency"], by=by)),
        ("transition", lambda by: cases.transition(case, "on_hold", by=by, reason="waiting")),
        ("replace_names", lambda by: cases.replace_names(case.child, names, by=by, case=case)),
        ("update_identity", lambda by: cases.update_identity(
            case, sex="f", birth=case.child.birth, nationality="RU", home_region="RU-CE", by=by)),
        ("add_family_member", lambda by: cases.add_family_member(case, relative, by=by)),
        ("update_family_member", lambda by: cases.update_family_member(
            case.family.first(), relative, by=by)),
        ("move_placement", lambda by: cases.move_placement(case, placement, by=by)),
        ("add_note", lambda by: cases.add_note(case, "Seen today", by=by)),
        ("add_attachment", lambda by: cases.add_attachment(
            case, upload, kind="document", description="d", by=by, max_bytes=10_000)),
        ("hand_over", lambda by: care.hand_over(
            w["arrived"], care.HandOverInput(day, "RU-DA", institution="Home"), by=by)),
        ("record_visit", lambda by: care.record_visit(
            w["visit"], care.VisitInput(day, schooling="school"), by=by)),
        ("resolve_alert", lambda by: resolve_alert(w["alert"], action="placed", by=by)),
        ("file_request", lambda by: file_request(w["request_input"], agency=w["agency"], by=by)),
        ("update_sought", lambda by: update_sought(
            request.sought.get(), SoughtInput("child", names=names), by=by)),
        ("close_request", lambda by: close_request(request, reason="found", by=by)),
        ("confirm_match", lambda by: confirm_match(w["candidate"], by=by)),
        ("reject_match", lambda by: reject_match(w["candidate"], by=by, reason="no")),
    ]  # fmt: skip


def outcome(act: Acting, user: User, world: dict[str, Any]) -> str:
    """How the call ended, in a savepoint rolled back: "refused" (with the role's words or,
    for the one way in, a 404 or a False), "done", or the other refusal's message."""
    refresh(world)
    try:
        with transaction.atomic():
            result = act.call(user)
            transaction.set_rollback(True)
    except (Http404, PermissionDenied):
        return "refused" if not act.refusal else "404"
    except Exception as error:
        message = str(getattr(error, "message", error))
        return "refused" if act.refusal and message.startswith(act.refusal) else message
    return "refused" if result is False else "done"


def refresh(world: dict[str, Any]) -> None:
    """The world's records as the database has them: a call rolled back may have changed
    the instances it was given."""
    ids = world.setdefault("ids", {k: v.pk for k, v in world.items() if isinstance(v, Model)})
    for key, pk in ids.items():
        world[key].pk = pk  # a delete rolled back leaves the instance without its id
        world[key].refresh_from_db()


def deactivate(user: User) -> User:
    User.objects.filter(pk=user.pk).update(is_active=False)
    return User.objects.get(pk=user.pk)


def without_profile(user: User) -> User:
    StaffProfile.objects.filter(user=user).delete()
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize("lose", [deactivate, without_profile], ids=["deactivated", "no profile"])
def test_every_service_refuses_a_user_who_no_longer_acts_as_staff(
    world: dict[str, Any], lose: Callable[[User], User]
) -> None:
    calls = acting(world)
    allowed = {act.service: outcome(act, world["users"][act.who], world) for act in calls}
    assert [s for s, how in allowed.items() if how == "refused"] == []
    lost = {name: lose(user) for name, user in world["users"].items()}
    refused = {act.service: outcome(act, lost[act.who], world) for act in calls}
    assert {s: how for s, how in refused.items() if how != "refused"} == {}


def test_the_role_of_an_active_member_of_staff_only(caseworker: User) -> None:
    assert role_of(caseworker) == Role.CASEWORKER
    assert role_of(None) is None
    assert profile_of(deactivate(caseworker)) is None
    assert role_of(without_profile(caseworker)) is None
