"""Imports: submit a field team's file for a dry run or a commit, and read its report,
through `imports.services` and `imports.access.get_batch_for` as the import pages."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from homeward.api import serializers as s
from homeward.api.idempotency import idempotent
from homeward.api.idempotency import parameter as idempotency_parameter
from homeward.api.views.base import ApiView, created, valid
from homeward.audit.services import record
from homeward.imports import services
from homeward.imports.access import get_batch_for
from homeward.imports.models import ImportBatch
from homeward.imports.services import ImportRefused

PROBLEMS_SHOWN = 500
NOT_IMPORTER = gettext_lazy("Only case staff who change cases may import records.")


def _batch(batch: ImportBatch) -> dict[str, Any]:
    report = dict(batch.report)
    problems = list(report.pop("problems", []))[:PROBLEMS_SHOWN]
    return {
        "id": batch.pk,
        "url": reverse("api:import", kwargs={"pk": batch.pk}),
        "source": batch.source.name,
        "kind": batch.kind,
        "original_name": batch.original_name,
        "status": batch.status,
        "uploaded_at": batch.uploaded_at,
        "checked_at": batch.checked_at,
        "committed_at": batch.committed_at,
        "created": batch.created_count,
        "updated": batch.updated_count,
        "unchanged": batch.unchanged_count,
        "report": report,
        "problems": [
            {"row": p.get("row", 0), "column": p.get("column", ""), "message": p.get("message", "")}
            for p in problems
        ],
    }


def may_import(user: Any) -> bool:
    try:
        services.check_may_import(user)
    except ImportRefused:
        return False
    return True


class ImportListView(ApiView):
    parser_classes = [MultiPartParser]
    roles = {
        "POST": (may_import, gettext_lazy("Only case staff who change cases may import records."))
    }

    @extend_schema(
        request={"multipart/form-data": s.ImportIn},
        responses={201: s.ImportOut},
        parameters=[idempotency_parameter(True)],
        operation_id="imports_submit",
    )
    @idempotent(required=True)
    def post(self, request: Request) -> Response:
        """Send a CSV or XLSX file: checked row by row (a dry run), or with `commit` written
        all at once, or not at all when any row has a problem (see `problems`). The source's
        saved column mapping applies. A large file is checked or written in the background:
        its `status` is then `queued` or `to_commit`; read the import's `url` until it is
        `checked` or `committed`."""
        user = request.user
        data = valid(s.ImportIn, request.data)
        upload = data["file"]
        source = services.source_named(user, data["source"])
        batch = services.upload(source, data["kind"], upload, upload.name or "upload", by=user)
        if data["commit"]:
            services.request_commit(batch, by=user)
        else:
            services.request_dry_run(batch, by=user)
        batch.refresh_from_db()
        return created(_batch(batch))


class ImportView(ApiView):
    @extend_schema(responses=s.ImportOut, operation_id="imports_read")
    def get(self, request: Request, pk: int) -> Response:
        """The file's last report: rows, what each would do or did, and every problem by row
        and column."""
        batch = get_batch_for(request.user, pk)
        record("import.viewed", actor=request.user, target=batch)
        return Response(_batch(batch))


class ImportCommitView(ApiView):
    @extend_schema(
        request=None,
        responses=s.ImportOut,
        operation_id="imports_commit",
        parameters=[idempotency_parameter(False)],
    )
    @idempotent(required=False)
    def post(self, request: Request, pk: int) -> Response:
        """Write a checked file: all rows, or none when a row has a problem (`problems`). A
        large file is written in the background (`status` is `to_commit`, then
        `committing`): read the import's `url` until it is `committed`."""
        batch = get_batch_for(request.user, pk)
        services.request_commit(batch, by=request.user)
        batch.refresh_from_db()
        return Response(_batch(batch))
