from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from homeward.audit.services import record
from homeward.cases.access import cases_visible_to, opens_case_records
from homeward.demo.scenario import demo_sign_ins
from homeward.lib.places import region_choices
from homeward.web import worklists
from homeward.web.dashboard import dashboard
from homeward.web.widgets import DATE_PATTERN, parse_day


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Case staff start at what needs them today; analysts at the figures."""
    if not opens_case_records(request.user):
        return redirect("statistics:page")
    today = timezone.localdate()
    on = parse_day(request.GET["on"]) if request.GET.get("on") else today
    if on is None:
        messages.error(
            request,
            _("The date must be written %(pattern)s; showing today.") % {"pattern": DATE_PATTERN},
        )
        on = today
    on = min(on, today)
    # The dashboard names children (alerts, visits due, matches): a read like any other.
    record("dashboard.viewed", actor=request.user, fields=["on"] if on != today else [])
    context = dashboard(request.user, on, today) | {"date_pattern": DATE_PATTERN}
    return render(request, "web/dashboard.html", context)


class SignInView(LoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # On a demo database, a first-time visitor is shown whom to sign in as.
        # Only in demo mode: an agency called OCCR in a real database lists nobody.
        shown = demo_sign_ins() if settings.HOMEWARD_DEMO_MODE else []
        return super().get_context_data(**kwargs) | {"demo_sign_ins": shown}


def _worklist(request: HttpRequest, form: worklists.WorklistForm) -> tuple[dict[str, Any], date]:
    """The filters of a full list, and its day (today, or a past day as on the dashboard)."""
    if not opens_case_records(request.user):
        record("access.denied", actor=request.user)
        raise PermissionDenied(_("Your role sees aggregate figures only, not case records."))
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    on = min(filters.get("on") or today, today)
    # A full list names children, as the case list does: who looked, by which filters.
    action = "case.searched" if filters.get("q") else "case.listed"
    record(action, actor=request.user, fields=[name for name, v in filters.items() if v])
    return filters, on


def _page(request: HttpRequest, template: str, form: Any, rows: Any, on: date) -> HttpResponse:
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": Paginator(rows, 50).get_page(request.GET.get("page")),
        "query": query.urlencode(),
        "on": on,
        "regions": region_choices("RU"),
    }
    return render(request, template, context)


@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    """Every open custody-rule alert of the cases the user may see (the dashboard's panel)."""
    form = worklists.AlertFilterForm(request.GET or None)
    filters, on = _worklist(request, form)
    rows = worklists.alerts(cases_visible_to(request.user), filters, on)
    return _page(request, "web/alerts.html", form, rows, on)


@require_GET
def overdue_list(request: HttpRequest) -> HttpResponse:
    """Every overdue follow-up visit of the cases the user may see (the dashboard's panel)."""
    form = worklists.WorklistForm(request.GET or None)
    filters, on = _worklist(request, form)
    rows = worklists.overdue(cases_visible_to(request.user), filters, on)
    return _page(request, "web/overdue.html", form, rows, on)
