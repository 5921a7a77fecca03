"""The import pages: upload, mapping, dry-run report, commit. Rules live in services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homeward.accounts.models import Agency
from homeward.audit.services import record
from homeward.cases.forms import show_case_error
from homeward.imports import committing, services
from homeward.imports.access import get_batch_for
from homeward.imports.forms import UploadForm, mapping_form, mapping_from
from homeward.imports.models import BatchStatus, ImportBatch
from homeward.imports.reading import UnreadableFileError
from homeward.imports.services import ImportRefused
from homeward.imports.targets import effective_mapping

PROBLEMS_SHOWN = 500
SAMPLE_ROWS = 3


def _agency_or_refuse(request: HttpRequest) -> Agency:
    try:
        return services.check_may_import(request.user)
    except ImportRefused as error:
        record("access.denied", actor=request.user)
        raise PermissionDenied(error.message) from None


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    agency = _agency_or_refuse(request)
    form = UploadForm(request.POST or None, request.FILES or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            source = data["source"] or services.source_named(request.user, data["new_source"])
            upload = data["file"]
            batch = services.upload(
                source, data["kind"], upload, upload.name or "upload", by=request.user
            )
        except ImportRefused as error:
            show_case_error(form, error)
        else:
            return redirect("imports:mapping", pk=batch.pk)
    batches = ImportBatch.objects.filter(source__agency=agency).select_related("source")[:20]
    return render(request, "imports/start.html", {"form": form, "batches": batches})


@require_http_methods(["GET", "POST"])
def mapping(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_batch_for(request.user, pk)
    # A batch being committed keeps the mapping its written rows were read with.
    if batch.status in (BatchStatus.COMMITTED, BatchStatus.COMMITTING, BatchStatus.TO_COMMIT):
        return redirect("imports:report", pk=batch.pk)
    try:
        table = services.table_of(batch)
        sample = [cells for _, cells in zip(range(SAMPLE_ROWS), table.rows, strict=False)]
    except UnreadableFileError as error:
        messages.error(request, str(error))
        return redirect("imports:start")
    source, kind = batch.source, batch.kind
    current = effective_mapping(kind, table.headers, source.mapping.get(kind, {}))
    form = mapping_form(
        kind, table.headers, current, source.defaults.get(kind, {}), source.name_source,
        request.POST or None,
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        columns, defaults = mapping_from(form, kind)
        try:
            services.save_mapping(
                source, kind, columns, defaults, by=request.user,
                name_source=form.cleaned_data["name_source"],
            )  # fmt: skip
            services.request_dry_run(batch, by=request.user)
        except ImportRefused as error:
            show_case_error(form, error)
        else:
            return redirect("imports:report", pk=batch.pk)
    rows = [
        (form[f"column_{name}"], form[f"default_{name}"])
        for name in (n.removeprefix("column_") for n in form.fields if n.startswith("column_"))
    ]
    context = {"batch": batch, "form": form, "rows": rows, "headers": table.headers,
               "sample": sample}  # fmt: skip
    return render(request, "imports/mapping.html", context)


@require_GET
def report(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_batch_for(request.user, pk)
    problems = batch.problems
    importing = services.is_being_committed(batch)
    context = {
        "batch": batch,
        "report": batch.report,
        "problems": problems[:PROBLEMS_SHOWN],
        "more": max(0, int(batch.report.get("problem_count", 0)) - PROBLEMS_SHOWN),
        # A commit that was interrupted (the server stopped) is taken up by the next one.
        "can_commit": batch.status in (BatchStatus.CHECKED, BatchStatus.COMMITTING)
        and not problems
        and not importing,
        "busy": batch.status in (BatchStatus.QUEUED, BatchStatus.CHECKING),
        "importing": importing,
        "written": committing.staged(batch) if importing else 0,
    }
    return render(request, "imports/report.html", context)


@require_POST
def commit(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_batch_for(request.user, pk)
    try:
        now = services.request_commit(batch, by=request.user)
    except ImportRefused as error:
        messages.error(request, error.message)
        return redirect("imports:report", pk=batch.pk)
    batch.refresh_from_db()
    if not now:
        messages.info(request, _("The file is large: it is imported in the background."))
    elif batch.problems:
        messages.error(
            request,
            _("Nothing was imported: %(len)s problems (listed below).")
            % {"len": batch.report.get("problem_count", len(batch.problems))},
        )
    else:
        messages.success(
            request,
            _(
                "Imported: %(created_count)s created, %(updated_count)s updated, "
                "%(unchanged_count)s unchanged."
            )
            % {
                "created_count": batch.created_count,
                "updated_count": batch.updated_count,
                "unchanged_count": batch.unchanged_count,
            },
        )
    return redirect("imports:report", pk=batch.pk)
