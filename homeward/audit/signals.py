"""Sign-ins and failed sign-ins go on the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from homeward.audit.services import record


@receiver(user_logged_in)
def _on_login(sender: Any, user: Any, **kwargs: Any) -> None:
    record("auth.login", actor=user)


@receiver(user_login_failed)
def _on_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    """One entry per failed attempt: `auth.locked_out` when django-axes (whose handler runs
    first) has locked the account by then. The username tried is kept, the password never."""
    locked = getattr(request, "axes_locked_out", False)
    action = "auth.locked_out" if locked else "auth.login_failed"
    record(action, actor=None, actor_name=str(credentials.get("username", ""))[:150])
