from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from homeward.cases.access import opens_case_records
from homeward.demo.scenario import demo_sign_ins
from homeward.web.dashboard import dashboard


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Case staff start at what needs them today; analysts at the figures."""
    if not opens_case_records(request.user):
        return redirect("statistics:page")
    today = timezone.localdate()
    try:
        on = date.fromisoformat(request.GET["on"]) if request.GET.get("on") else today
    except ValueError:
        messages.error(request, "The date must be written YYYY-MM-DD; showing today.")
        on = today
    on = min(on, today)
    return render(request, "web/dashboard.html", dashboard(request.user, on, today))


class SignInView(LoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # On a demo database, a first-time visitor is shown whom to sign in as.
        return super().get_context_data(**kwargs) | {"demo_sign_ins": demo_sign_ins()}
