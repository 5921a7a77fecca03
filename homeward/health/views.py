from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from homeward.accounts.roles import role_of
from homeward.audit.services import record
from homeward.cases.access import get_case_for
from homeward.cases.forms import show_case_error
from homeward.cases.services import CaseError
from homeward.health import services
from homeward.health.forms import ExaminationForm
from homeward.web.refusals import refuse_at


@require_http_methods(["GET", "POST"])
def record_examination(request: HttpRequest, pk: int) -> HttpResponse:
    # Medical officers read cases without changing them; the examination is theirs alone.
    case = get_case_for(request.user, pk)
    if role_of(request.user) not in services.EXAMINERS:
        record("access.denied", actor=request.user, target=case)
        raise PermissionDenied(_("Only a medical officer records an examination."))
    refusal = services.examination_refusal(case, request.user)
    if refusal:
        # Not offered in this state: said next to what comes next, before any form is filled.
        refuse_at(request, "next", refusal)
        return redirect(reverse("cases:detail", kwargs={"pk": case.pk}) + "#next")
    form = ExaminationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_examination(case, form.as_input(), by=request.user)
        except CaseError as error:
            show_case_error(form, error, fallback="hospital")
        else:
            messages.success(request, _("Examination recorded."))
            return redirect("cases:detail", pk=case.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "cases/edit.html",
        {"case": case, "title": _("Arrival examination"), "form": form},
        status=status,
    )
