"""Duplicate registrations: one child registered twice (by two agencies, say), found by the
matching engine and merged by a supervisor, with everything kept and the merge undoable."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts.models import Role
from homeward.accounts.roles import role_of
from homeward.audit.services import record
from homeward.cases.models import (
    PARENTS,
    Attachment,
    CaseMerge,
    CaseNote,
    ChildCase,
    DuplicateCandidate,
    FamilyMember,
)
from homeward.cases.services import CaseError
from homeward.cases.signals import case_identity_changed
from homeward.people.models import PersonName
from homeward.people.name_keys import index_names


def _require_supervisor(user: Any) -> None:
    if role_of(user) != Role.SUPERVISOR:
        raise CaseError(_("Only a supervisor merges cases."))


@transaction.atomic
def merge_cases(kept: ChildCase, merged: ChildCase, *, reason: str, by: Any) -> CaseMerge:
    """Fold `merged` into `kept`.

    1. The merged child's spellings are copied to the kept child (the same spelling from the
       same source only once).
    2. Family members, notes and files move to the kept case; a parent the kept case already
       has stays where it was.
    3. The merged case keeps its status history and placements and points at the kept case.
    """
    _require_supervisor(by)
    if kept.pk == merged.pk or merged.merged_into_id or kept.merged_into_id:
        raise CaseError(
            _("These two cases cannot be merged: one is already merged, or they are one.")
        )
    if not reason.strip():
        raise CaseError(_("Say why these are the same child."), field="reason")
    moved = {
        "names": _copy_names(merged, kept),
        "family": _move_family(merged, kept),
        "notes": _move(CaseNote, merged, kept),
        "attachments": _move(Attachment, merged, kept),
    }
    merged.merged_into = kept
    merged.save(update_fields=["merged_into", "updated_at"])
    DuplicateCandidate.objects.filter(first__in=[kept, merged], second__in=[kept, merged]).delete()
    merge = CaseMerge.objects.create(
        kept=kept, merged=merged, reason=reason.strip(), moved=moved, merged_by=by
    )
    # One entry for the one change; the CaseMerge row names both cases.
    record(
        "case.merged", actor=by, target=merge, fields=["names", "family", "notes", "attachments"]
    )
    _identity_changed(kept, merged)
    return merge


def _identity_changed(*cases: ChildCase) -> None:
    """Both cases are matched again: the kept child has gained names and family, and the
    requests that proposed the merged one (or, after an undo, may again) are weighed anew."""
    for case in cases:
        case_identity_changed.send(sender=ChildCase, case=case)


def _copy_names(source: ChildCase, target: ChildCase) -> list[int]:
    have = set(target.child.names.values_list("full_name", "source"))
    copies = [
        PersonName(
            person=target.child,
            full_name=n.full_name,
            script=n.script,
            source=n.source,
            is_preferred=False,
            search_key=n.search_key,
        )
        for n in source.child.names.all()
        if (n.full_name, n.source) not in have
    ]
    copied = [n.pk for n in PersonName.objects.bulk_create(copies)]
    index_names([target.child_id])
    return copied


def _move_family(source: ChildCase, target: ChildCase) -> list[int]:
    taken_people = set(target.family.values_list("person_id", flat=True))
    taken_parents = set(
        target.family.filter(relationship__in=PARENTS).values_list("relationship", flat=True)
    )
    movable = [
        m.pk for m in source.family.all()
        if m.person_id not in taken_people and m.relationship not in taken_parents
    ]  # fmt: skip
    FamilyMember.objects.filter(pk__in=movable).update(case=target)
    return movable


def _move(model: Any, source: ChildCase, target: ChildCase) -> list[int]:
    ids = list(model.objects.filter(case=source).values_list("pk", flat=True))
    model.objects.filter(pk__in=ids).update(case=target)
    return ids


@transaction.atomic
def undo_merge(merge: CaseMerge, *, by: Any) -> None:
    """Put everything back where it was before the merge."""
    _require_supervisor(by)
    if merge.undone_at:
        raise CaseError(_("This merge has been undone already."))
    moved, merged = merge.moved, merge.merged
    PersonName.objects.filter(pk__in=moved["names"]).delete()
    index_names([merge.kept.child_id])
    for model, key in ((FamilyMember, "family"), (CaseNote, "notes"), (Attachment, "attachments")):
        model.objects.filter(pk__in=moved[key]).update(case=merged)
    merged.merged_into = None
    merged.save(update_fields=["merged_into", "updated_at"])
    merge.undone_at, merge.undone_by = timezone.now(), by
    merge.save(update_fields=["undone_at", "undone_by"])
    record(
        "case.merge_undone",
        actor=by,
        target=merge.kept,
        fields=["names", "family", "notes", "attachments"],
    )
    record("case.merge_undone", actor=by, target=merged, fields=["merged_into"])
    _identity_changed(merge.kept, merged)


@transaction.atomic
def dismiss_duplicate(candidate: DuplicateCandidate, *, by: Any) -> None:
    """Not the same child: kept as dismissed, so it is not proposed again."""
    _require_supervisor(by)
    candidate.dismissed_at, candidate.dismissed_by = timezone.now(), by
    candidate.save(update_fields=["dismissed_at", "dismissed_by"])
    record("case.duplicate_dismissed", actor=by, target=candidate.first, fields=["duplicates"])
