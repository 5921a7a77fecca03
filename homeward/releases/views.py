from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from homeward.audit.services import record
from homeward.cases.access import profile_of
from homeward.disclosure import TOTAL
from homeward.releases import files, services
from homeward.releases.access import can_approve_releases, can_prepare_releases
from homeward.releases.document import DIMENSION_NAMES, document_of, legend
from homeward.releases.forms import DecisionForm, PrepareReleaseForm
from homeward.releases.models import PreparationStatus, Release, ReleasePreparation
from homeward.statistics.services import label


@require_GET
def release_list(request: HttpRequest) -> HttpResponse:
    """Every signed-in role reads releases: they hold aggregate figures only."""
    profile = profile_of(request.user)
    releases = Release.objects.select_related("prepared_by", "decided_by")
    prepares = can_prepare_releases(profile)
    preparations = services.preparations_of(request.user) if prepares else []
    sees_values = prepares or can_approve_releases(profile)
    return render(
        request,
        "releases/list.html",
        {
            "releases": releases,
            "prepares": prepares,
            "sees_values": sees_values,
            "preparations": preparations,
            "busy": any(p.busy for p in preparations),
        },
    )


def prepare_release(request: HttpRequest) -> HttpResponse:
    if not can_prepare_releases(profile_of(request.user)):
        record("access.denied", actor=request.user)
        raise PermissionDenied(_("Only analysts prepare public releases."))
    if request.method != "POST":
        form = PrepareReleaseForm(initial=_initial(request))
        return render(request, "releases/prepare.html", {"form": form})
    form = PrepareReleaseForm(request.POST)
    if form.is_valid():
        try:
            preparation = services.request_release(
                form.cleaned_data["title"], form.query(), form.rules(), by=request.user
            )
        except services.ReleaseError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return _prepared(request, form, preparation)
    return render(request, "releases/prepare.html", {"form": form})


def _prepared(
    request: HttpRequest, form: PrepareReleaseForm, preparation: ReleasePreparation
) -> HttpResponse:
    if preparation.release is not None:
        messages.success(request, _("Release prepared: check it, then ask a supervisor."))
        return redirect("releases:detail", pk=preparation.release.pk)
    if preparation.status == PreparationStatus.FAILED:
        form.add_error(None, preparation.error)
        return render(request, "releases/prepare.html", {"form": form})
    messages.info(
        request,
        _("A table of %(cells)d cells: it is being checked in the background.")
        % {"cells": preparation.cells},
    )
    return redirect("releases:list")


def _initial(request: HttpRequest) -> dict[str, Any]:
    """The statistics page's query, carried over by its link."""
    initial: dict[str, Any] = {"threshold": 5}
    for name, value in request.GET.lists():
        initial[name] = value if name == "by" else value[-1]
    return initial


@require_GET
def release_detail(request: HttpRequest, pk: int) -> HttpResponse:
    release = get_object_or_404(Release.objects.select_related("prepared_by", "decided_by"), pk=pk)
    profile = profile_of(request.user)
    sees_values = can_prepare_releases(profile) or can_approve_releases(profile)
    record("releases.viewed", actor=request.user, target=release)
    return render(
        request,
        "releases/detail.html",
        {
            "release": release,
            "layout": _layout(release, sees_values),
            "sees_values": sees_values,
            "legend": legend(release.rules["threshold"]),
            "suppressed": release.primary_cells + release.secondary_cells,
            "approves": can_approve_releases(profile) and not release.decided_at,
            "decision_form": DecisionForm(),
        },
    )


@require_POST
def approve_release(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, services.approve_release, _("Release approved for publication."))


@require_POST
def reject_release(request: HttpRequest, pk: int) -> HttpResponse:
    def reject(release: Release, *, by: Any, note: str) -> Release:
        return services.reject_release(release, by=by, reason=note)

    return _decide(request, pk, reject, _("Release rejected."))


def _decide(request: HttpRequest, pk: int, decide: Any, done: str) -> HttpResponse:
    if not can_approve_releases(profile_of(request.user)):
        record("access.denied", actor=request.user, target_ref=("releases.release", str(pk)))
        raise PermissionDenied(_("Only supervisors approve or reject public releases."))
    release = get_object_or_404(Release, pk=pk)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        decide(release, by=request.user, note=note)
    except services.ReleaseError as error:
        messages.error(request, f"{error.field}: {error.message}" if error.field else error.message)
    else:
        messages.success(request, done)
    return redirect("releases:detail", pk=release.pk)


@require_GET
def download_release(request: HttpRequest, pk: int) -> HttpResponse:
    """The published table with its title, date, approval, rule and legend, blanks as "x":
    only once a supervisor has approved it."""
    release = get_object_or_404(
        Release.objects.select_related(
            "prepared_by__staff_profile__agency", "decided_by__staff_profile__agency"
        ),
        pk=pk,
    )
    if not release.is_approved:
        raise Http404(_("This release is not approved for publication."))
    fmt = request.GET.get("format", "csv")
    if fmt not in files.CONTENT_TYPES:
        raise Http404(_("No such format."))
    record("releases.downloaded", actor=request.user, target=release, fields=[fmt])
    response = HttpResponse(files.write(document_of(release), fmt), files.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="release-{release.pk}.{fmt}"'
    return response


def _layout(release: Release, sees_values: bool) -> dict[str, Any]:
    """A grid for two dimensions, a list otherwise; each cell with its outcome."""
    dims = release.table["dimensions"]
    threshold = release.rules["threshold"]
    cells = {tuple(c["key"]): _cell(c, sees_values, threshold) for c in release.table["cells"]}
    axes = [[*categories, TOTAL] for categories in release.table["categories"]]
    if len(dims) == 2:
        return {
            "grid": True,
            "corner": f"{DIMENSION_NAMES[dims[0]]} \\ {DIMENSION_NAMES[dims[1]]}",
            "columns": [_label(dims[1], c) for c in axes[1]],
            "rows": [
                {"label": _label(dims[0], r), "cells": [cells[(r, c)] for c in axes[1]]}
                for r in axes[0]
            ],
        }
    return {
        "grid": False,
        "dimensions": [DIMENSION_NAMES[d] for d in dims],
        "rows": [
            {"labels": [_label(d, v) for d, v in zip(dims, key, strict=True)], "cell": cell}
            for key, cell in cells.items()
        ],
    }


def _cell(cell: dict[str, Any], sees_values: bool, threshold: int) -> dict[str, Any]:
    """A cell as its viewer may see it. Only who prepares or approves the release sees why
    a cell is blank and what a reader could work out: telling others which blanks are the
    small ones ("primary") would tell them those hold 1 to 4 children, which is what the
    suppression hides; a reader's range rests on the true value too."""
    reason = cell["reason"]
    shown = services.BLANK if cell["shown"] is None else cell["shown"]
    if not sees_values:
        blank = cell["shown"] is None
        return {
            "reason": "suppressed" if blank else "published",
            "shown": shown,
            "value": None,
            "why": legend(threshold) if blank else "",
            "range": "",
        }
    return {
        "reason": reason,
        "shown": shown,
        "value": cell["value"],
        "why": {
            "primary": _("Fewer children than the threshold."),
            "secondary": _("Hidden so that a small cell cannot be worked out from the totals."),
        }.get(reason, ""),
        "range": _range(*cell["range"]) if cell["range"] else "",
    }


def _range(low: float, high: float) -> str:
    """Whole children: releases stored before the engine rounded its bounds hold -0.0."""
    return _("%(low)d to %(high)d") % {"low": round(low), "high": round(high)}


def _label(dimension: str, value: str) -> str:
    return _("Total") if value == TOTAL else label(dimension, value)
