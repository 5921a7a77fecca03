"""Export pages: ask for an extract, watch its progress, download it (requester only)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from homeward.audit.services import record
from homeward.cases.access import opens_case_records, refuse
from homeward.cases.forms import show_case_error
from homeward.exports import services
from homeward.exports.forms import ExportForm
from homeward.exports.models import Export, ExportStatus
from homeward.exports.services import ExportRefused

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    if not opens_case_records(request.user):
        record("access.denied", actor=request.user)
        raise PermissionDenied("Your role sees aggregate figures only, not case records.")
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            export = services.request_export(
                request.user, data["kind"], data["format"],
                include_sensitive=data["include_sensitive"],
            )  # fmt: skip
        except ExportRefused as error:
            show_case_error(form, error)
        else:
            if export.status == ExportStatus.DONE:
                messages.success(request, f"The export of {export.rows_total} records is ready.")
            else:
                messages.info(request, f"{export.rows_total} records: written in the background.")
            return redirect("exports:start")
    exports = list(services.exports_of(request.user))
    busy = any(e.status in (ExportStatus.QUEUED, ExportStatus.RUNNING) for e in exports)
    return render(request, "exports/start.html", {"form": form, "exports": exports, "busy": busy})


@require_GET
def download(request: HttpRequest, pk: int) -> FileResponse:
    export = Export.objects.filter(pk=pk, requested_by=request.user.pk).first()
    if export is None or not opens_case_records(request.user):
        refuse(request.user, "exports.export", pk, "No such export.")
    if export.status != ExportStatus.DONE:
        raise Http404("The export is not ready yet.")
    record("export.downloaded", actor=request.user, target=export)
    return FileResponse(
        export.file.open("rb"), as_attachment=True, filename=export.filename,
        content_type=CONTENT_TYPES[export.format],
    )  # fmt: skip
