"""Export pages: ask for an extract, watch its progress, download it (requester only)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from homeward.audit.services import record
from homeward.cases.access import opens_case_records, refuse
from homeward.cases.forms import CaseFilterForm, show_case_error
from homeward.exports import services
from homeward.exports.columns import PRESETS
from homeward.exports.forms import ExportForm
from homeward.exports.models import Export, ExportKind, ExportStatus
from homeward.exports.services import ExportChoice, ExportRefused

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """Ask for an export of what the case list shows (its filters come along in the query
    string), with a choice of fields or a preset; watch its progress; download it."""
    if not opens_case_records(request.user):
        record("access.denied", actor=request.user)
        raise PermissionDenied(_("Your role sees aggregate figures only, not case records."))
    data = request.POST if request.method == "POST" else request.GET
    given = str(data.get("kind", ""))
    kind = given if given in ExportKind.values else str(ExportKind.CHILDREN)
    filters = filter_params(data) if kind != ExportKind.REQUESTS else {}
    filter_form = CaseFilterForm(filters or None)
    if request.method == "POST":
        form = ExportForm(request.POST, user=request.user, kind=kind)
        if form.is_valid():
            done = _request(request, form, filter_form, filters)
            if done is not None:
                return done
    else:
        form = ExportForm(initial=_initial(request, kind), user=request.user, kind=kind)
    return render(request, "exports/start.html", _context(request, form, filter_form, kind))


def filter_params(data: QueryDict) -> dict[str, str]:
    """The case list's filters that are set, as its query string gives them."""
    given = {name: str(data.get(name, "")).strip() for name in CaseFilterForm.base_fields}
    return {name: value for name, value in given.items() if value}


def _request(
    request: HttpRequest, form: ExportForm, filter_form: CaseFilterForm, filters: dict[str, str]
) -> HttpResponse | None:
    data = form.cleaned_data
    choice = ExportChoice(
        filters=filters, columns=data["columns"], preset=data["preset"],
        include_sensitive=data["include_sensitive"],
    )  # fmt: skip
    try:
        export = services.request_export(request.user, data["kind"], data["format"], choice=choice)
    except ExportRefused as error:
        target = filter_form if error.field in filter_form.fields else form
        show_case_error(target, error)
        return None
    if export.status == ExportStatus.DONE:
        messages.success(
            request, _("The export of %(n)d records is ready.") % {"n": export.rows_total}
        )
    else:
        messages.info(
            request,
            _("%(n)d records: written in the background.") % {"n": export.rows_total},
        )
    return redirect(f"{reverse('exports:start')}?kind={export.kind}")


def _initial(request: HttpRequest, kind: str) -> dict[str, Any]:
    """A preset's fields ticked, when the page is opened from its link; otherwise none
    (every field the role may have)."""
    preset = PRESETS[kind].get(request.GET.get("preset", ""))
    columns = list(preset.headers) if preset else []
    name = request.GET.get("preset", "") if preset else ""
    return {"kind": kind, "preset": name, "columns": columns, "format": "csv"}


def _context(
    request: HttpRequest, form: ExportForm, filter_form: CaseFilterForm, kind: str
) -> dict[str, Any]:
    exports = list(services.exports_of(request.user))
    filters = filter_params(request.POST if request.method == "POST" else request.GET)
    query = urlencode(filters)
    return {
        "form": form,
        "filter_form": filter_form,
        "kind": kind,
        "kinds": ExportKind.choices,
        "presets": PRESETS[kind].items(),
        "chosen_preset": form["preset"].value() or "",
        "filters_query": query,
        "list_url": f"{reverse('cases:list')}?{query}" if query else reverse("cases:list"),
        "filtered": kind != ExportKind.REQUESTS,
        "exports": exports,
        "busy": any(e.status in (ExportStatus.QUEUED, ExportStatus.RUNNING) for e in exports),
    }


@require_GET
def download(request: HttpRequest, pk: int) -> FileResponse:
    export = Export.objects.filter(pk=pk, requested_by=request.user.pk).first()
    if export is None or not opens_case_records(request.user):
        refuse(request.user, "exports.export", pk, _("No such export."))
    if export.status != ExportStatus.DONE:
        raise Http404(_("The export is not ready yet."))
    record("export.downloaded", actor=request.user, target=export)
    return FileResponse(
        export.file.open("rb"), as_attachment=True, filename=export.filename,
        content_type=CONTENT_TYPES[export.format],
    )  # fmt: skip
