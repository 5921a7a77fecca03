"""Approving and rejecting a release at the same moment (issue 14, item 6): one wins, the
other finds the release decided. The row is locked and its state checked again inside the
transaction that saves the decision."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.db import connection

from homeward.accounts.models import Agency, Role
from homeward.cases.models import ChildCase
from homeward.conftest import make_user
from homeward.releases.models import Release, ReleaseStatus
from homeward.releases.services import ReleaseError, approve_release, reject_release
from homeward.releases.tests.helpers import a_release


@pytest.fixture
def deciders(agency: Agency) -> tuple[User, User]:
    return make_user("first", agency, Role.SUPERVISOR), make_user("second", agency, Role.SUPERVISOR)


@pytest.mark.django_db
def test_a_decision_made_on_a_copy_read_before_another_is_refused(
    make_case: Callable[..., ChildCase], analyst: User, deciders: tuple[User, User]
) -> None:
    make_case()
    release = a_release(analyst)
    read_before = Release.objects.get(pk=release.pk)  # the other supervisor's page, loaded
    approve_release(release, by=deciders[0])
    with pytest.raises(ReleaseError, match="already approved"):
        reject_release(read_before, by=deciders[1], reason="Too detailed")
    release.refresh_from_db()
    assert (release.status, release.decided_by) == (ReleaseStatus.APPROVED, deciders[0])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks wait on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_an_approval_and_a_rejection_at_once_leave_one_decision(
    make_case: Callable[..., ChildCase], analyst: User, deciders: tuple[User, User]
) -> None:
    make_case()
    release = a_release(analyst)
    start, outcomes = threading.Barrier(2), []

    def decide(action: Callable[[], object]) -> None:
        start.wait()
        try:
            action()
            outcomes.append("decided")
        except ReleaseError:
            outcomes.append("refused")
        finally:
            connection.close()

    copies = [Release.objects.get(pk=release.pk) for _ in range(2)]
    threads = [
        threading.Thread(target=decide, args=(lambda: approve_release(copies[0], by=deciders[0]),)),
        threading.Thread(
            target=decide,
            args=(lambda: reject_release(copies[1], by=deciders[1], reason="No"),),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["decided", "refused"]
