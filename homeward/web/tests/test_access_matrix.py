"""The access matrix: every URL of the project x every role x own agency's record, another
agency's, or another agency's referred to the user's own x method. A URL with no rule here
fails the test, so no new page or API endpoint can escape it.

Allowed cells must not be refused; refused cells answer 403 or 404 (the admin: a redirect to
its own sign-in) and never show the other agency's child. API endpoints (`api:`) are tried
with GET, POST (and PUT where they take it), each role both signed in (session) and with an
API key of that role (the roles a key may have); without either they answer 401, not a
redirect.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from homeward.accounts.models import CASE_ROLES, CASE_WRITING_ROLES, Agency, AgencyKind, Role
from homeward.api.keys import KEY_ROLES
from homeward.care.models import FollowUpVisit, HandOver
from homeward.cases import services
from homeward.cases.models import (
    Attachment,
    CaseMerge,
    CaseShare,
    ChildCase,
    DuplicateCandidate,
)
from homeward.cases.services import NameInput, RelativeInput
from homeward.conftest import child_input, make_user, signed_in
from homeward.missions.models import ManifestEntry, Mission
from homeward.releases.tests.helpers import a_release
from homeward.rules.models import CustodyRule, RuleAlert
from homeward.tracing import services as tracing_services
from homeward.tracing.models import MatchCandidate, MatchDecision
from homeward.tracing.services import RequestInput, SoughtInput

EVERYONE = {"anonymous", *Role.values}
SIGNED_IN = set(Role.values)
CASE = {r.value for r in CASE_ROLES}
WRITING = {r.value for r in CASE_WRITING_ROLES}
SUPERVISOR = {Role.SUPERVISOR.value}
COORDINATOR = {Role.MISSION_COORDINATOR.value}
OTHER_CHILD = "Чужой Ребёнок"  # the other agency's child: must never leak
REFERRED_CHILD = "Направленный Ребёнок"  # another agency's child, referred to ours


def share(case: ChildCase, to: Agency, by: User) -> CaseShare:
    return services.offer_case(case, to, kind="referral", reason="r", consent="c", by=by)


@dataclass(frozen=True)
class Rule:
    methods: frozenset[str]
    who: frozenset[str]
    on_record: bool = False  # the URL names a case (or its part): only one's own agency's
    # On a case another agency referred to the user's: allowed (True), refused (False), or
    # not a question (None: the URL names no case, or a pair that is not referred whole).
    referred: bool | None = None
    by_method: tuple[tuple[str, frozenset[str]], ...] = ()  # when who differs by method
    anywhere: frozenset[str] = frozenset()  # roles that reach other agencies' records too

    def who_for(self, method: str) -> frozenset[str]:
        return dict(self.by_method).get(method, self.who)

    @property
    def records(self) -> tuple[str, ...]:
        """Whose record the URL is tried on."""
        if not self.on_record:
            return ("own",)
        return ("own", "other", "referred") if self.referred is not None else ("own", "other")


def rule(
    methods: str,
    who: set[str],
    on_record: bool = False,
    referred: bool | None = None,
    anywhere: set[str] | None = None,
) -> Rule:
    return Rule(
        frozenset(methods.split()), frozenset(who), on_record, referred,
        anywhere=frozenset(anywhere or ()),
    )  # fmt: skip


def case_rule(methods: str, who: set[str], referred: bool = True) -> Rule:
    """A URL naming a case or its part: a referral opens it (unless `referred` is False)."""
    return rule(methods, who, on_record=True, referred=referred)


def api(
    who_by_method: dict[str, set[str]], on_record: bool = False, referred: bool | None = None
) -> Rule:
    """An API endpoint's rule: who may use each of its methods."""
    by_method = tuple((m, frozenset(w)) for m, w in who_by_method.items())
    return Rule(frozenset(who_by_method), frozenset(), on_record, referred, by_method)


def api_case(who_by_method: dict[str, set[str]]) -> Rule:
    """An API endpoint naming a case or its part: a referral opens it, as on the pages."""
    return api(who_by_method, on_record=True, referred=True)


ADMINS = {Role.AGENCY_ADMIN.value, Role.SYSTEM_ADMIN.value}
MANIFEST = COORDINATOR | SUPERVISOR


RULES: dict[str, Rule] = {
    "login": rule("GET POST", EVERYONE),
    "healthz": rule("GET", EVERYONE),
    "logout": rule("POST", EVERYONE),
    "set_language": rule("POST", EVERYONE),
    "second_factor": rule("GET POST", SIGNED_IN),
    "set_up_second_factor": rule("GET POST", SIGNED_IN),
    "home": rule("GET", SIGNED_IN),
    "alerts": rule("GET", CASE),
    "overdue_visits": rule("GET", CASE),
    "statistics:page": rule("GET", SIGNED_IN),
    "releases:list": rule("GET", SIGNED_IN),
    "releases:prepare": rule("GET POST", {Role.ANALYST.value}),
    "releases:detail": rule("GET", SIGNED_IN),
    "releases:approve": rule("POST", SUPERVISOR),
    "releases:reject": rule("POST", SUPERVISOR),
    "releases:download": rule("GET", SIGNED_IN),
    "cases:list": rule("GET", CASE),
    "cases:register": rule("GET POST", WRITING),
    "cases:offered": rule("GET", WRITING),
    "cases:decide_offer": rule("POST", WRITING, on_record=True),
    "cases:detail": case_rule("GET", CASE),
    "cases:edit_identity": case_rule("GET POST", WRITING),
    "cases:edit_names": case_rule("GET POST", WRITING),
    "cases:add_family_member": case_rule("GET POST", WRITING),
    "cases:edit_family_member": case_rule("GET POST", WRITING),
    "cases:change_placement": case_rule("GET POST", WRITING),
    "cases:change_status": case_rule("POST", WRITING),
    "cases:add_note": case_rule("POST", WRITING),
    "cases:offer": case_rule("POST", WRITING, referred=False),
    "cases:revoke_share": case_rule("POST", WRITING, referred=False),
    "cases:upload_attachment": case_rule("GET POST", WRITING),
    "cases:download_attachment": case_rule("GET", CASE),
    "cases:duplicates": rule("GET", SUPERVISOR),
    "cases:merge_pair": rule("POST", SUPERVISOR, on_record=True),
    "cases:dismiss_pair": rule("POST", SUPERVISOR, on_record=True),
    "cases:undo_merge": rule("POST", SUPERVISOR, on_record=True),
    "tracing:list": rule("GET", CASE),
    "tracing:file": rule("GET POST", WRITING),
    "tracing:detail": rule("GET", CASE, on_record=True),
    "tracing:close": rule("POST", WRITING, on_record=True),
    "tracing:decide_match": rule("POST", WRITING, on_record=True),
    "tracing:review": rule("GET", CASE, on_record=True),
    "tracing:matching_state": rule("GET", CASE, on_record=True),
    "tracing:matches": rule("GET", CASE),
    "tracing:edit_sought": rule("GET POST", WRITING, on_record=True),
    "imports:start": rule("GET POST", WRITING),
    "imports:mapping": rule("GET POST", WRITING, on_record=True),
    "imports:report": rule("GET", WRITING, on_record=True),
    "imports:commit": rule("POST", WRITING, on_record=True),
    "exports:start": rule("GET POST", CASE),
    # Only its requester (here the caseworker) downloads an export.
    "exports:download": rule("GET", {Role.CASEWORKER.value}, on_record=True),
    "missions:list": rule("GET", CASE),
    "missions:plan": rule("GET POST", COORDINATOR),
    "missions:detail": rule("GET", CASE),
    "missions:edit": rule("GET POST", COORDINATOR),
    "missions:add_child": rule("POST", COORDINATOR),
    "missions:remove_child": rule("POST", COORDINATOR),
    "missions:override_readiness": rule("POST", SUPERVISOR),
    "missions:add_escort": rule("POST", COORDINATOR),
    "missions:confirm": rule("POST", COORDINATOR),
    "missions:approve": rule("POST", SUPERVISOR),
    "missions:depart": rule("POST", COORDINATOR),
    "missions:arrival": rule("GET POST", COORDINATOR),
    "missions:cancel": rule("POST", COORDINATOR),
    "missions:close": rule("POST", COORDINATOR),
    "missions:manifest": rule("GET", COORDINATOR | SUPERVISOR),
    "missions:record_readiness": case_rule("POST", CASE),
    "missions:withdraw_readiness": case_rule("POST", CASE),
    "health:record_examination": case_rule("GET POST", {Role.MEDICAL_OFFICER.value}),
    "care:hand_over": case_rule("GET POST", WRITING),
    "care:record_visit": case_rule("GET POST", WRITING),
    "rules:resolve": case_rule("POST", WRITING),
    # API keys: an agency administrator manages their agency's, a system administrator all.
    "api_keys:list": rule("GET POST", ADMINS),
    "api_keys:revoke": rule("POST", ADMINS, on_record=True, anywhere={Role.SYSTEM_ADMIN.value}),
    # The background workers' state: system administrators only (nothing personal on it).
    "operations:worker": rule("GET", {Role.SYSTEM_ADMIN.value}),
    # The API: the same rules as the pages it stands beside.
    "api:schema": api({"GET": EVERYONE}),
    "api:docs": api({"GET": EVERYONE}),
    "api:me": api({"GET": SIGNED_IN}),
    "api:cases": api({"GET": CASE, "POST": WRITING}),
    "api:case": api_case({"GET": CASE}),
    "api:case-names": api_case({"PUT": WRITING}),
    "api:case-identity": api_case({"PUT": WRITING}),
    "api:case-placements": api_case({"POST": WRITING}),
    "api:case-transitions": api_case({"POST": WRITING}),
    "api:case-family": api_case({"GET": CASE, "POST": WRITING}),
    "api:case-family-member": api_case({"PUT": WRITING}),
    "api:case-readiness": api_case({"GET": CASE}),
    "api:tracing-requests": api({"GET": CASE, "POST": WRITING}),
    "api:tracing-request": api({"GET": CASE}, on_record=True),
    "api:tracing-candidates": api({"GET": CASE}, on_record=True),
    "api:tracing-decision": api({"POST": WRITING}, on_record=True),
    "api:missions": api({"GET": CASE}),
    "api:mission": api({"GET": CASE}),
    "api:mission-readiness": api({"GET": CASE}),
    "api:mission-manifest": api({"GET": MANIFEST}),
    "api:mission-manifest-pdf": api({"GET": MANIFEST}),
    "api:stats-children": api({"GET": SIGNED_IN}),
    "api:stats-tracing": api({"GET": SIGNED_IN}),
    "api:stats-missions": api({"GET": SIGNED_IN}),
    "api:stats-abroad": api({"GET": SIGNED_IN}),
    "api:releases": api({"GET": SIGNED_IN}),
    "api:release": api({"GET": SIGNED_IN}),
    "api:imports": api({"POST": WRITING}),
    "api:import": api({"GET": WRITING}, on_record=True),
    "api:import-commit": api({"POST": WRITING}, on_record=True),
    "api:changes": api({"GET": CASE}),
}
# Django's admin is for staff accounts only; none of the roles is staff.
ADMIN_NAMESPACE = "admin"


def named_patterns(
    patterns: list[Any] | None = None, prefix: str = ""
) -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            found += named_patterns(pattern.url_patterns, namespace)
        elif pattern.name:
            found.append((prefix + pattern.name, pattern))
    return found


PROJECT_URLS = sorted({name for name, _ in named_patterns() if not name.startswith("admin:")})
# Every admin page without arguments, but its own sign-in and sign-out (the doors).
ADMIN_URLS = sorted(
    name
    for name, p in named_patterns()
    if name.startswith("admin:")
    and not p.pattern.regex.groups
    and name not in ("admin:login", "admin:logout")
)


def test_every_url_of_the_project_has_a_rule() -> None:
    assert [name for name in PROJECT_URLS if name not in RULES] == []
    assert [name for name in RULES if name not in PROJECT_URLS] == []


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    return build_world()


def build_world() -> dict[str, Any]:
    """Two agencies' cases with family, a file and offers; one user per role in the first
    (`user_<role>`). The browser sweep of every page renders this world too."""
    own_agency = Agency.objects.create(
        name="Own agency", short_name="OWN", kind=AgencyKind.CONSULAR, country="IQ"
    )
    other_agency = Agency.objects.create(
        name="Other agency", short_name="OTH", kind=AgencyKind.NGO, country="SY"
    )
    third = Agency.objects.create(
        name="Third agency", short_name="THR", kind=AgencyKind.REGIONAL_SERVICE, country="RU"
    )
    users = {role: make_user(f"user_{role}", own_agency, role) for role in Role.values}
    outsider = make_user("other_caseworker", other_agency, Role.CASEWORKER)
    mother = RelativeInput("mother", [NameInput("Мать Тест", "family")], status="detained")
    cases = {
        "own": services.register_child(
            child_input(relatives=[mother]), agency=own_agency, by=users["caseworker"]
        ),
        "other": services.register_child(
            child_input(names=[NameInput(OTHER_CHILD, "family")], relatives=[mother]),
            agency=other_agency, by=outsider,
        ),
    }  # fmt: skip
    # The other agency's case it referred to ours, which our caseworker accepted.
    cases["referred"] = services.register_child(
        child_input(names=[NameInput(REFERRED_CHILD, "family")], relatives=[mother]),
        agency=other_agency, by=outsider,
    )  # fmt: skip
    services.decide_share(
        share(cases["referred"], own_agency, outsider), accept=True, by=users["caseworker"]
    )
    for key, owner in (("own", users["caseworker"]), ("other", outsider), ("referred", outsider)):
        services.add_attachment(
            cases[key], SimpleUploadedFile("doc.txt", b"document", content_type="text/plain"),
            kind="document", description="", by=owner, max_bytes=1000,
        )  # fmt: skip

    shares_to_decide = {
        "own": share(cases["other"], own_agency, outsider),
        "other": share(cases["own"], third, users["caseworker"]),
    }
    shares_to_revoke = {
        "own": share(cases["own"], other_agency, users["caseworker"]),
        "other": share(cases["other"], third, outsider),
        "referred": share(cases["referred"], third, outsider),
    }
    tracing = {
        "own": file_request(own_agency, users["caseworker"]),
        "other": file_request(other_agency, outsider),
    }
    candidates = {which: candidate(tracing[which], cases[which]) for which in ("own", "other")}
    return {
        "users": users, "cases": cases, "decide": shares_to_decide, "revoke": shares_to_revoke,
        "tracing": tracing, "candidates": candidates,
        "owners": {"own": (own_agency, users["caseworker"]), "other": (other_agency, outsider)},
    }  # fmt: skip


def twin(world: dict[str, Any], which: str) -> tuple[ChildCase, ChildCase]:
    """The case and a second registration of the same child in the same agency."""
    if f"twin_{which}" not in world:
        agency, by = world["owners"][which]
        world[f"twin_{which}"] = services.register_child(
            child_input(names=[NameInput(OTHER_CHILD, "ngo")]), agency=agency, by=by
        )
    first, second = world["cases"][which], world[f"twin_{which}"]
    ChildCase.objects.filter(pk__in=[first.pk, second.pk]).update(merged_into=None)
    return first, second


def fresh_pair(world: dict[str, Any], which: str) -> DuplicateCandidate:
    first, second = twin(world, which)
    pair, _ = DuplicateCandidate.objects.update_or_create(
        first=first, second=second,
        defaults={
            "score": 0.99, "explanation": [], "computed_at": timezone.now(), "dismissed_at": None,
        },
    )  # fmt: skip
    return pair


def fresh_merge(world: dict[str, Any], which: str) -> CaseMerge:
    kept, merged = twin(world, which)
    ChildCase.objects.filter(pk=merged.pk).update(merged_into=kept)
    nothing_moved: dict[str, list[int]] = {
        "names": [],
        "family": [],
        "notes": [],
        "attachments": [],
    }
    return CaseMerge.objects.create(kept=kept, merged=merged, reason="r", moved=nothing_moved)


def fresh_candidate(world: dict[str, Any], which: str) -> MatchCandidate:
    """An undecided candidate: an allowed cell decides it, and the next cell needs one."""
    old = world["candidates"][which]
    MatchDecision.objects.filter(sought=old.sought, case=old.case).delete()
    if not MatchCandidate.objects.filter(pk=old.pk).exists():
        world["candidates"][which] = candidate(old.sought.request, old.case)
    return world["candidates"][which]


def candidate(request: Any, case: ChildCase) -> MatchCandidate:
    return MatchCandidate.objects.create(
        sought=request.sought.get(), case=case, score=0.99, match_weight=12.0,
        explanation=[], explanation_text="", computed_at=timezone.now(),
    )  # fmt: skip


def file_request(agency: Agency, by: User) -> Any:
    data = RequestInput(
        enquirer_names=[NameInput(OTHER_CHILD + " (бабушка)", "family")],
        enquirer_relationship="grandmother", filed_on=date(2019, 1, 1),
        sought=[SoughtInput("child", names=[NameInput(OTHER_CHILD, "family")])],
    )  # fmt: skip
    return tracing_services.file_request(data, agency=agency, by=by)


def import_batch(world: dict[str, Any], which: str) -> Any:
    """An uploaded file of one child, by the agency's caseworker."""
    from io import BytesIO

    from homeward.imports import services as imports

    if f"import_{which}" not in world:
        _agency, by = world["owners"][which]
        source = imports.source_named(by, "Matrix source")
        content = BytesIO(
            "external_id,name_cyrillic,sex,birth,nationality,host_country,identified_on\n"
            "m-1,Импорт Тест,f,2013,RU,IQ,2018-05-02\n".encode()
        )
        world[f"import_{which}"] = imports.upload(source, "children", content, "m.csv", by=by)
    return world[f"import_{which}"]


def an_export(world: dict[str, Any], which: str) -> Any:
    """A finished export of the agency's children, requested by its caseworker."""
    from homeward.exports.services import request_export

    if f"export_{which}" not in world:
        _agency, by = world["owners"][which]
        world[f"export_{which}"] = request_export(by, "children", "csv")
    return world[f"export_{which}"]


def url_for(name: str, world: dict[str, Any], which: str) -> str:
    case: ChildCase = world["cases"][which]
    # Made only for the URL asked for: some of them change the world (a fresh pair, a merge).
    kwargs_by_name: dict[str, Callable[[], dict[str, int]]] = {
        "cases:decide_offer": lambda: {"share_pk": world["decide"][which].pk},
        "cases:revoke_share": lambda: {"pk": case.pk, "share_pk": world["revoke"][which].pk},
        "cases:edit_family_member": lambda: {"pk": case.pk, "member_pk": case.family.get().pk},
        "tracing:decide_match": lambda: {"candidate_pk": fresh_candidate(world, which).pk},
        "tracing:review": lambda: {"candidate_pk": fresh_candidate(world, which).pk},
        "tracing:edit_sought": lambda: {"pk": world["tracing"][which].sought.get().pk},
        "cases:merge_pair": lambda: {"pk": fresh_pair(world, which).pk},
        "cases:dismiss_pair": lambda: {"pk": fresh_pair(world, which).pk},
        "cases:undo_merge": lambda: {"pk": fresh_merge(world, which).pk},
        "releases:detail": lambda: {"pk": a_release(world["users"]["analyst"]).pk},
        "releases:approve": lambda: {"pk": a_release(world["users"]["analyst"]).pk},
        "releases:reject": lambda: {"pk": a_release(world["users"]["analyst"]).pk},
        "releases:download": lambda: {
            "pk": a_release(world["users"]["analyst"], approved_by=world["users"]["supervisor"]).pk
        },
        "cases:download_attachment": lambda: {
            "pk": case.pk, "attachment_pk": Attachment.objects.get(case=case).pk,
        },
        "missions:remove_child": lambda: {
            "pk": mission(world).pk, "entry_pk": fresh_entry(world, case).pk,
        },
        "missions:override_readiness": lambda: {
            "pk": mission(world).pk, "entry_pk": fresh_entry(world, case).pk,
        },
        "missions:manifest": lambda: {"pk": mission(world).pk, "fmt": "csv"},
        "missions:record_readiness": lambda: {"case_pk": case.pk},
        "missions:withdraw_readiness": lambda: {"case_pk": case.pk},
        "care:record_visit": lambda: {"pk": case.pk, "visit_pk": fresh_visit(case).pk},
        "rules:resolve": lambda: {"pk": case.pk, "alert_pk": fresh_alert(case).pk},
        "imports:mapping": lambda: {"pk": import_batch(world, which).pk},
        "imports:report": lambda: {"pk": import_batch(world, which).pk},
        "imports:commit": lambda: {"pk": import_batch(world, which).pk},
        "exports:download": lambda: {"pk": an_export(world, which).pk},
        "api_keys:revoke": lambda: {"pk": an_api_key(world, which).pk},
        "api:case-family-member": lambda: {"pk": case.pk, "member_pk": case.family.get().pk},
        "api:tracing-request": lambda: {"pk": world["tracing"][which].pk},
        "api:tracing-candidates": lambda: {"pk": world["tracing"][which].pk},
        "api:tracing-decision": lambda: {"candidate_pk": fresh_candidate(world, which).pk},
        "api:mission": lambda: {"pk": mission(world).pk},
        "api:mission-readiness": lambda: {"pk": mission(world).pk},
        "api:mission-manifest": lambda: {"pk": mission(world).pk},
        "api:mission-manifest-pdf": lambda: {"pk": mission(world).pk},
        "api:release": lambda: {
            "pk": a_release(world["users"]["analyst"], approved_by=world["users"]["supervisor"]).pk
        },
        "api:import": lambda: {"pk": import_batch(world, which).pk},
        "api:import-commit": lambda: {"pk": import_batch(world, which).pk},
    }  # fmt: skip
    if name in kwargs_by_name:
        return reverse(name, kwargs=kwargs_by_name[name]())
    if name.startswith("missions:") and name not in ("missions:list", "missions:plan"):
        return reverse(name, kwargs={"pk": mission(world).pk})
    if name.startswith("tracing:") and RULES[name].on_record:
        return reverse(name, kwargs={"pk": world["tracing"][which].pk})
    return reverse(name, kwargs={"pk": case.pk} if RULES[name].on_record else None)


def an_api_key(world: dict[str, Any], which: str) -> Any:
    """A key of the agency's (made at the console), to revoke; a fresh one once revoked."""
    from homeward.api.models import ApiKey
    from homeward.api.tests.helpers import make_key

    agency, _by = world["owners"][which]
    key = ApiKey.objects.filter(
        account__staff_profile__agency=agency, revoked_at=None, name="matrix key"
    ).first()
    if key is None:
        secret = make_key(agency, Role.CASEWORKER.value, name="matrix key")
        key = ApiKey.objects.get(prefix=secret.split("_")[1])
    return key


def mission(world: dict[str, Any]) -> Mission:
    if "mission" not in world:
        world["mission"] = Mission.objects.create(
            code="M-MATRIX", name="Matrix", departure_airport="BGW", arrival_airport="ZIA",
            departs_on=date(2018, 12, 30), arrives_on=date(2018, 12, 30), capacity=30,
        )  # fmt: skip
    return world["mission"]


def fresh_entry(world: dict[str, Any], case: ChildCase) -> ManifestEntry:
    ManifestEntry.objects.filter(mission=mission(world), case=case).delete()
    return ManifestEntry.objects.create(mission=mission(world), case=case)


def fresh_visit(case: ChildCase) -> FollowUpVisit:
    hand_over = HandOver.objects.create(
        case=case, handed_over_on=date(2019, 1, 1), receiver_kind="state_institution",
        institution="Children's home (test)", region="RU-DA",
    )  # fmt: skip
    return FollowUpVisit.objects.create(
        case=case, hand_over=hand_over, months_after=1, due_on=date(2019, 2, 1)
    )


def fresh_alert(case: ChildCase) -> RuleAlert:
    rule, _ = CustodyRule.objects.get_or_create(
        host_country="IQ", age_limit_years=3, action="Placed with relatives",
        source="Test", valid_from=date(2000, 1, 1),
    )  # fmt: skip
    return RuleAlert.objects.create(
        case=case, rule=rule, kind="past", message="Past the limit",
        raised_on=date(2019, 1, 1), evaluated_on=date(2019, 1, 1),
    )  # fmt: skip


def client_for(who: str, world: dict[str, Any]) -> Client:
    return Client() if who == "anonymous" else signed_in(world["users"][who])


def clients_for(name: str, who: str, world: dict[str, Any]) -> list[tuple[str, Client]]:
    """A page is tried signed in; an API endpoint also with a key of the role, if a key
    may have it."""
    clients = [("session", client_for(who, world))]
    if name.startswith("api:") and who in KEY_ROLES:
        from homeward.api.tests.helpers import KeyClient, make_key

        if f"key_{who}" not in world:
            world[f"key_{who}"] = make_key(world["owners"]["own"][0], who)
        clients.append(("key", KeyClient(world[f"key_{who}"])))
    return clients


def body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


@pytest.mark.slow
@pytest.mark.parametrize("name", PROJECT_URLS)
def test_each_cell_of_the_access_matrix(name: str, world: dict[str, Any], settings: Any) -> None:
    settings.HOMEWARD_API_RATE_PER_MINUTE = 100_000  # the matrix is not about rate limits
    rule = RULES[name]
    other_reference = world["cases"]["other"].reference
    methods = ("GET", "POST", *(("PUT",) if "PUT" in rule.methods else ()))
    for who in sorted(EVERYONE):
        for which in rule.records:
            for method in methods:
                # A fresh session per cell: no message left by one cell shows in the next.
                for how, client in clients_for(name, who, world):
                    response = getattr(client, method.lower())(url_for(name, world, which))
                    check_cell(
                        f"{name} {who} ({how}) {which} {method}",
                        rule, who, which, method, response, other_reference,
                        name.startswith("api:"),
                    )  # fmt: skip
                    body(response)  # a file's stream is read to its end, which closes it


def check_cell(
    cell: str, rule: Rule, who: str, which: str, method: str, response: Any,
    other_reference: str, api: bool = False,
) -> None:  # fmt: skip
    cell = f"{cell} -> {response.status_code}"
    if method not in rule.methods:
        # The API asks who calls before what is asked: a stranger hears 401 first.
        expected = ((401, 405) if who == "anonymous" else (405,)) if api else (405, 302)
        assert response.status_code in expected, cell
        return
    on_this_record = {"own": True, "other": False, "referred": bool(rule.referred)}[which]
    reaches = on_this_record or not rule.on_record or who in rule.anywhere
    allowed = who in rule.who_for(method) and reaches
    if allowed:
        assert response.status_code not in (401, 403, 404), cell
    elif who == "anonymous" and api:
        assert response.status_code == 401, cell
    elif who == "anonymous":
        assert response.status_code == 302 and "/sign-in/" in response["Location"], cell
    else:
        assert response.status_code in (403, 404), cell
        text = body(response)
        assert OTHER_CHILD not in text and other_reference not in text, cell


@pytest.mark.parametrize("name", ADMIN_URLS)
def test_the_admin_is_closed_to_every_role(name: str, world: dict[str, Any]) -> None:
    for who in sorted(EVERYONE):
        response = client_for(who, world).get(reverse(name))
        assert response.status_code == 302, f"{name} {who}"
        sign_in_pages = (reverse("admin:login"), reverse("login"))
        assert response["Location"].startswith(sign_in_pages), f"{name} {who}"


def test_the_admin_sign_in_turns_away_a_signed_in_role(world: dict[str, Any]) -> None:
    page = client_for("supervisor", world).get(reverse("admin:login")).content.decode()
    assert "not authorized to access this page" in page
