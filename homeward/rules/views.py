from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from homeward.cases.access import get_case_for, refuse
from homeward.cases.services import CaseError
from homeward.rules import services
from homeward.rules.models import RuleAlert


class ResolveForm(forms.Form):
    action = forms.CharField(label=gettext_lazy("Action"), max_length=1000)


@require_POST
def resolve_alert(request: HttpRequest, pk: int, alert_pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk, write=True)
    alert = RuleAlert.objects.filter(case=case, pk=alert_pk).first()
    if alert is None:
        refuse(request.user, "rules.rulealert", alert_pk, _("No such alert."))
    form = ResolveForm(request.POST)
    try:
        action = form.cleaned_data["action"] if form.is_valid() else ""
        services.resolve_alert(alert, action=action, by=request.user)
    except CaseError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Alert resolved."))
    return redirect("cases:detail", pk=case.pk)
