from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from homeward.cases.access import can_change_cases


def home(request: HttpRequest) -> HttpResponse:
    """Caseworkers start at their cases; analysts at the figures."""
    return redirect("cases:list" if can_change_cases(request.user) else "statistics:page")
