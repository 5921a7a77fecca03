"""The one way in to an import batch: case-writing staff of the agency whose source it is."""

from __future__ import annotations

from typing import Any

from homeward.cases.access import can_change_cases, profile_of, refuse
from homeward.imports.models import ImportBatch


def get_batch_for(user: Any, pk: int) -> ImportBatch:
    profile = profile_of(user)
    batch = None
    if profile is not None and can_change_cases(user):
        batch = (
            ImportBatch.objects.select_related("source", "uploaded_by", "committed_by")
            .filter(pk=pk, source__agency_id=profile.agency_id)
            .first()
        )
    if batch is None:
        refuse(user, "imports.importbatch", pk, "No such import.")
    return batch
