from __future__ import annotations

from typing import Any

from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from homeward.cases.access import opens_case_records
from homeward.demo.scenario import demo_sign_ins


def home(request: HttpRequest) -> HttpResponse:
    """Caseworkers start at their cases; analysts at the figures."""
    return redirect("cases:list" if opens_case_records(request.user) else "statistics:page")


class SignInView(LoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # On a demo database, a first-time visitor is shown whom to sign in as.
        return super().get_context_data(**kwargs) | {"demo_sign_ins": demo_sign_ins()}
