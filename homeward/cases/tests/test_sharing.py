"""Another agency sees a case only through a referral or transfer it has accepted."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from homeward.accounts.models import Agency, Scope, StaffProfile
from homeward.audit.models import AuditEntry
from homeward.cases.access import cases_visible_to
from homeward.cases.models import ChildCase
from homeward.cases.services import CaseError, decide_share, offer_case, revoke_share
from homeward.conftest import signed_in

pytestmark = pytest.mark.django_db


def offer(case: ChildCase, to: Agency, by: User, kind: str = "referral") -> object:
    return offer_case(
        case, to, kind=kind, reason="Relatives found in their region",
        consent="Mother's written consent, 2019-01-02", by=by,
    )  # fmt: skip


def test_a_referral_opens_the_case_to_the_other_agency_only_once_accepted(
    make_case: Callable[..., ChildCase], caseworker: User, outsider: User, other_agency: Agency
) -> None:
    case = make_case()
    share = offer(case, other_agency, caseworker)
    assert case not in cases_visible_to(outsider)
    decide_share(share, accept=True, by=outsider)  # type: ignore[arg-type]
    assert case in cases_visible_to(outsider)
    assert case in cases_visible_to(caseworker)  # the sender keeps the case
    revoke_share(share, by=caseworker)  # type: ignore[arg-type]
    assert case not in cases_visible_to(outsider)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"case.referral_offered", "case.referral_accepted", "case.referral_revoked"} <= actions


def test_an_accepted_transfer_hands_the_case_over(
    make_case: Callable[..., ChildCase], caseworker: User, outsider: User, other_agency: Agency
) -> None:
    case = make_case()
    share = offer(case, other_agency, caseworker, kind="transfer")
    decide_share(share, accept=True, by=outsider)  # type: ignore[arg-type]
    case.refresh_from_db()
    assert case.agency == other_agency
    assert case in cases_visible_to(outsider) and case not in cases_visible_to(caseworker)
    with pytest.raises(CaseError, match="can no longer be revoked"):
        revoke_share(share, by=caseworker)  # type: ignore[arg-type]


def test_a_declined_offer_opens_nothing_and_cannot_be_decided_twice(
    make_case: Callable[..., ChildCase], caseworker: User, outsider: User, other_agency: Agency
) -> None:
    case = make_case()
    share = offer(case, other_agency, caseworker)
    decide_share(share, accept=False, by=outsider)  # type: ignore[arg-type]
    assert case not in cases_visible_to(outsider)
    with pytest.raises(CaseError, match="already declined"):
        decide_share(share, accept=True, by=outsider)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("reason", "consent", "field"), [("", "yes", "reason"), ("why", " ", "consent")]
)
def test_sharing_needs_a_reason_and_the_consent_it_rests_on(
    make_case: Callable[..., ChildCase], caseworker: User, other_agency: Agency,
    reason: str, consent: str, field: str,
) -> None:  # fmt: skip
    with pytest.raises(CaseError) as refused:
        offer_case(
            make_case(),
            other_agency,
            kind="referral",
            reason=reason,
            consent=consent,
            by=caseworker,
        )
    assert refused.value.field == field


def test_the_receiving_agency_decides_on_its_offers_page(
    make_case: Callable[..., ChildCase], caseworker: User, outsider: User, other_agency: Agency
) -> None:
    case = make_case()
    response = signed_in(caseworker).post(
        reverse("cases:offer", args=[case.pk]),
        {
            "to_agency": other_agency.pk,
            "kind": "referral",
            "reason": "Relatives",
            "consent": "Mother",
        },
    )
    assert response.status_code == 302
    receiver = signed_in(outsider)
    page = receiver.get(reverse("cases:offered")).content.decode()
    assert case.reference in page and "Амина" not in page  # no name before accepting
    share = case.shares.get()
    response = receiver.post(reverse("cases:decide_offer", args=[share.pk]), {"decision": "accept"})
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert "Амина Исаева" in receiver.get(response["Location"]).content.decode()


def test_only_the_receiving_agency_can_decide_an_offer(
    make_case: Callable[..., ChildCase], caseworker: User, other_agency: Agency, analyst: User
) -> None:
    case = make_case()
    share = offer(case, other_agency, caseworker)
    for user in (caseworker, analyst):
        response = signed_in(user).post(
            reverse("cases:decide_offer", args=[share.pk]),
            {"decision": "accept"},  # type: ignore[attr-defined]
        )
        assert response.status_code == 404
    share.refresh_from_db()  # type: ignore[attr-defined]
    assert share.status == "pending"  # type: ignore[attr-defined]


def test_scope_self_reaches_only_assigned_cases(
    make_case: Callable[..., ChildCase], caseworker: User
) -> None:
    StaffProfile.objects.filter(user=caseworker).update(scope=Scope.SELF)
    caseworker.refresh_from_db()
    mine, other = make_case(), make_case()
    ChildCase.objects.filter(pk=mine.pk).update(assigned_to=caseworker)
    assert list(cases_visible_to(caseworker)) == [mine]
    assert signed_in(caseworker).get(reverse("cases:detail", args=[other.pk])).status_code == 404


def test_a_supervisor_sees_who_opened_the_case_and_a_caseworker_does_not(
    make_case: Callable[..., ChildCase], caseworker: User, agency: Agency
) -> None:
    from homeward.conftest import make_user

    case = make_case()
    signed_in(caseworker).get(reverse("cases:detail", args=[case.pk]))
    supervisor = make_user("supervisor", agency, "supervisor")
    page = signed_in(supervisor).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Who opened or changed this case" in page and "case.viewed" in page
    assert '<td title="case.viewed">Case opened</td>' in page  # words, the code behind
    assert '<td title="caseworker">Caseworker</td>' in page  # the role too
    own = signed_in(caseworker).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Who opened or changed this case" not in own


def test_a_referred_agency_cannot_pass_the_case_on_nor_take_it_over(
    make_case: Callable[..., ChildCase], caseworker: User, outsider: User, other_agency: Agency
) -> None:
    """The break-in: a referral accepted, then the referred agency's caseworker transfers
    the case to a third agency, which accepts; the owner lost its own case."""
    from homeward.accounts.models import AgencyKind

    third = Agency.objects.create(
        name="Third agency", short_name="THR", kind=AgencyKind.REGIONAL_SERVICE, country="RU"
    )
    case = make_case()
    referral = offer(case, other_agency, caseworker)
    decide_share(referral, accept=True, by=outsider)  # type: ignore[arg-type]
    response = signed_in(outsider).post(
        reverse("cases:offer", args=[case.pk]),
        {"to_agency": third.pk, "kind": "transfer", "reason": "r", "consent": "c"},
    )
    assert response.status_code == 404
    for kind in ("transfer", "referral"):
        with pytest.raises(CaseError, match="Only the agency that holds the case"):
            offer(case, third, outsider, kind=kind)
    with pytest.raises(CaseError, match="Only the agency that holds the case"):
        revoke_share(referral, by=outsider)  # type: ignore[arg-type]
    revoke = reverse("cases:revoke_share", args=[case.pk, referral.pk])  # type: ignore[attr-defined]
    assert signed_in(outsider).post(revoke).status_code == 404
    case.refresh_from_db()
    assert case.agency.short_name == "CONS" and case.shares.count() == 1
    assert case in cases_visible_to(outsider)  # the referral still gives access
    page = signed_in(outsider).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Refer or transfer to another agency" not in page


def test_a_supervisor_of_every_agency_may_refer_but_not_transfer(
    make_case: Callable[..., ChildCase], other_agency: Agency, agency: Agency
) -> None:
    from homeward.accounts.models import AgencyKind, Role
    from homeward.conftest import make_user

    authority = Agency.objects.create(
        name="Authority", short_name="AUTH", kind=AgencyKind.COORDINATING_AUTHORITY, country="RU"
    )
    supervisor = make_user("national_supervisor", authority, Role.SUPERVISOR)
    StaffProfile.objects.filter(user=supervisor).update(scope=Scope.ALL)
    supervisor.refresh_from_db()
    case = make_case()
    with pytest.raises(CaseError, match="may transfer it"):
        offer(case, other_agency, supervisor, kind="transfer")
    share = offer(case, other_agency, supervisor)
    assert share.from_agency == agency  # type: ignore[attr-defined]
