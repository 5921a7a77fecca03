"""Supervisors' pages for duplicate registrations: review, merge, dismiss, undo."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from homeward.accounts.models import Role
from homeward.audit.services import record
from homeward.cases import merging
from homeward.cases.access import cases_visible_to, profile_of, refuse
from homeward.cases.models import CaseMerge, DuplicateCandidate
from homeward.cases.services import CaseError


def _supervisor_only(request: HttpRequest) -> None:
    profile = profile_of(request.user)
    if profile is None or profile.role != Role.SUPERVISOR:
        record("access.denied", actor=request.user)
        raise PermissionDenied(_("Only supervisors review duplicate registrations."))


def _visible_pairs(request: HttpRequest) -> QuerySet[DuplicateCandidate]:
    visible = cases_visible_to(request.user).filter(merged_into=None)
    pairs = DuplicateCandidate.objects.filter(
        dismissed_at=None, first__in=visible, second__in=visible
    )
    return pairs.select_related("first__child", "second__child")


@require_GET
def duplicates(request: HttpRequest) -> HttpResponse:
    _supervisor_only(request)
    return render(request, "cases/duplicates.html", {"pairs": _visible_pairs(request)})


def _pair(request: HttpRequest, pk: int) -> DuplicateCandidate:
    pair = _visible_pairs(request).filter(pk=pk).first()
    if pair is None:
        refuse(request.user, "cases.duplicatecandidate", pk, _("No such pair."))
    return pair


@require_POST
def merge_pair(request: HttpRequest, pk: int) -> HttpResponse:
    _supervisor_only(request)
    pair = _pair(request, pk)
    kept, merged = (
        (pair.first, pair.second)
        if request.POST.get("keep") != "second"
        else (pair.second, pair.first)
    )
    try:
        merging.merge_cases(kept, merged, reason=request.POST.get("reason", ""), by=request.user)
    except CaseError as error:
        messages.error(request, error.message)
        return redirect("cases:duplicates")
    messages.success(
        request,
        _("%(reference)s is merged into %(reference2)s; the merge can be undone.")
        % {"reference": merged.reference, "reference2": kept.reference},
    )
    return redirect("cases:detail", pk=kept.pk)


@require_POST
def dismiss_pair(request: HttpRequest, pk: int) -> HttpResponse:
    _supervisor_only(request)
    merging.dismiss_duplicate(_pair(request, pk), by=request.user)
    messages.success(request, _("Dismissed: the pair will not be proposed again."))
    return redirect("cases:duplicates")


@require_POST
def undo_merge(request: HttpRequest, pk: int) -> HttpResponse:
    _supervisor_only(request)
    visible = cases_visible_to(request.user)
    merge = CaseMerge.objects.filter(pk=pk, kept__in=visible, merged__in=visible).first()
    if merge is None:
        refuse(request.user, "cases.casemerge", pk, _("No such merge."))
    try:
        merging.undo_merge(merge, by=request.user)
    except CaseError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Undone: %(reference)s is its own case again.")
            % {"reference": merge.merged.reference},
        )
    return redirect("cases:detail", pk=merge.kept_id)
