from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from homeward.care import services
from homeward.care.forms import HandOverForm, VisitForm
from homeward.care.models import FollowUpVisit
from homeward.cases.access import get_case_for, refuse
from homeward.cases.forms import show_case_error
from homeward.cases.models import ChildCase
from homeward.cases.services import CaseError
from homeward.lib.i18n import format_day
from homeward.lib.places import region_choices
from homeward.web.refusals import refuse_at


def _page(request: HttpRequest, case: object, title: str, form: object) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    context = {"case": case, "title": title, "form": form, "regions": region_choices("RU")}
    return render(request, "cases/edit.html", context, status=status)


def _not_now(request: HttpRequest, case: ChildCase, refusal: str) -> HttpResponse:
    """A form the case's state does not allow is not offered: back to the case, with why,
    next to what comes next."""
    refuse_at(request, "next", refusal)
    return redirect(reverse("cases:detail", kwargs={"pk": case.pk}) + "#next")


@require_http_methods(["GET", "POST"])
def hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk, write=True)
    refusal = services.hand_over_refusal(case)
    if refusal:
        return _not_now(request, case, refusal)
    form = HandOverForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.hand_over(case, form.as_input(), by=request.user)
        except CaseError as error:
            show_case_error(form, error, fallback="receiving_relative")
        else:
            messages.success(request, _("Hand-over recorded; follow-up visits are planned."))
            return redirect("cases:detail", pk=case.pk)
    return _page(request, case, "Hand-over", form)


@require_http_methods(["GET", "POST"])
def record_visit(request: HttpRequest, pk: int, visit_pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk, write=True)
    visit = FollowUpVisit.objects.filter(case=case, pk=visit_pk).select_related("hand_over").first()
    if visit is None:
        refuse(request.user, "care.followupvisit", visit_pk, _("No such visit."))
    refusal = services.visit_refusal(visit)
    if refusal:
        return _not_now(request, case, refusal)
    form = VisitForm(request.POST or None, initial={"visited_on": visit.due_on})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_visit(visit, form.as_input(), by=request.user)
        except CaseError as error:
            show_case_error(form, error, fallback="schooling")
        else:
            messages.success(request, _("Visit recorded."))
            return redirect("cases:detail", pk=case.pk)
    title = ngettext(
        "Follow-up visit due %(day)s (%(months)s month)",
        "Follow-up visit due %(day)s (%(months)s months)",
        visit.months_after,
    ) % {"day": format_day(visit.due_on), "months": visit.months_after}
    return _page(request, case, title, form)
