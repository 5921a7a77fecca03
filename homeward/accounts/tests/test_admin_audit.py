"""Role, scope and agency changes made in the admin go on the audit chain (issue 14, item
6), with who made them and the names of the fields changed."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from homeward.accounts.models import Agency, Role, Scope, StaffProfile
from homeward.audit.models import AuditEntry
from homeward.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(db: None) -> User:
    return User.objects.create_superuser("root", password="a long test passphrase")


def test_changing_a_role_scope_and_agency_in_the_admin_is_audited(
    admin_user: User, caseworker: User, other_agency: Agency
) -> None:
    profile = caseworker.staff_profile
    response = signed_in(admin_user).post(
        reverse("admin:accounts_staffprofile_change", args=[profile.pk]),
        {"user": caseworker.pk, "agency": other_agency.pk, "role": Role.SUPERVISOR,
         "scope": Scope.ALL},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(action="admin.changed")
    assert (entry.actor_id, entry.object_type, entry.object_id) == (
        admin_user.pk, "accounts.staffprofile", str(profile.pk),
    )  # fmt: skip
    assert entry.changed_fields == ["agency", "role", "scope"]


def test_making_a_superuser_and_deleting_a_profile_in_the_admin_are_audited(
    admin_user: User, caseworker: User
) -> None:
    client = signed_in(admin_user)
    response = client.post(
        reverse("admin:auth_user_change", args=[caseworker.pk]),
        {"username": "caseworker", "is_active": "on", "is_staff": "on", "is_superuser": "on",
         "date_joined_0": "2019-01-01", "date_joined_1": "00:00:00"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    changed = AuditEntry.objects.get(action="admin.changed", object_type="auth.user")
    assert {"is_staff", "is_superuser"} <= set(changed.changed_fields)
    profile = StaffProfile.objects.get(user=caseworker)
    response = client.post(
        reverse("admin:accounts_staffprofile_changelist"),
        {"action": "delete_selected", "_selected_action": [profile.pk], "post": "yes"},
    )
    assert response.status_code == 302 and not StaffProfile.objects.exists()
    deleted = AuditEntry.objects.get(action="admin.deleted")
    assert (deleted.object_type, deleted.object_id) == ("accounts.staffprofile", str(profile.pk))
