"""Signing in with Django's own backend, the user read with their staff profile."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class StaffBackend(ModelBackend):
    """Django's `ModelBackend`, whose `get_user` (once a request, for the session's user)
    reads the staff profile and its agency in the same query: every page asks for both
    (the role and scope of the access rules, the agency named in the audit entry), two
    queries a request more otherwise."""

    def get_user(self, user_id: Any) -> Any:
        users = get_user_model()._default_manager.select_related("staff_profile__agency")
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
