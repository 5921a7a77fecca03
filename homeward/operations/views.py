"""The health endpoint for monitoring, and the page shown when a request fails because
storage is full or read-only (instead of a bare 500)."""

from __future__ import annotations

import logging
import sys

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.defaults import server_error as plain_server_error

from homeward.audit.services import record
from homeward.operations.access import sees_operations
from homeward.operations.health import health
from homeward.operations.queries import worker_state
from homeward.operations.storage import storage_problem_here

log = logging.getLogger("homeward.storage")


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    report = health()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's handler500, called while the error is being handled: a storage trouble gets
    a page naming it (503, try again later); anything else Django's plain 500."""
    problem = storage_problem_here(sys.exc_info()[1])
    if problem is None:
        return plain_server_error(request)
    log.error("Storage %s: %s", problem.trouble, problem.detail)
    # Rendered without the request: its context would read the session and the user.
    page = render_to_string("operations/storage_problem.html", {"problem": problem})
    return HttpResponse(page, status=503, headers={"Retry-After": "120"})


@require_GET
def worker_state_page(request: HttpRequest) -> HttpResponse:
    """The background workers' state, for system administrators (nothing personal)."""
    if not sees_operations(request.user):
        record("access.denied", actor=request.user)
        raise PermissionDenied(_("Only system administrators see the background work."))
    return render(request, "operations/worker_state.html", {"state": worker_state()})
