"""Writing a checked import: all of it, or nothing.

New children are written in chunks, each its own short transaction, hidden from every page
while their batch is "committing" (`cases.models.VisibleCases`): then one transaction
applies the changed rows and marks the batch committed, which shows every new case at
once. So an import of a hundred thousand rows never holds SQLite's one write lock for more
than a chunk, and pages stay responsive; and nobody ever sees half an import. A killed
import leaves hidden chunks that a rerun goes on from (each chunk remembers its rows'
external ids), or that are discarded.

New children are written in bulk (a page of rows per insert): exactly the rows
`cases.services.register_child` writes for each child (person, names, case in status
"identified", its first status transition, placement, a "case.created" audit entry and
matching work), after the same checks (imports.checking runs them). One
`register_child` per row costs about a dozen queries; a hundred thousand children would
take minutes. Both paths build their rows with the same builders (`people.services`'
`person_columns` and `name_columns`, `cases.services`' `case_columns`,
`first_transition_columns` and `placement_columns`; name keys by `people.name_keys.key_rows`),
and `imports/tests/test_parity.py` compares every column the two write.

New relatives are written in bulk too, in the commit's last transaction, the same way:
`create_relatives` writes what `cases.services.add_family_member` writes (the same column
builders; `imports/tests/test_parity.py` compares them).

Everything else (changed rows, tracing requests) goes through the services one row at a
time, so status, history and audit are theirs; those are the smaller part of an import.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from django.db import connection, models, transaction
from django.utils.translation import gettext as _

from homeward.accounts.models import Agency
from homeward.audit.services import record, record_many
from homeward.cases.models import (
    PARENTS,
    ChildCase,
    FamilyMember,
    Placement,
    Relationship,
    StatusTransition,
)
from homeward.cases.services import (
    CaseError,
    ChildInput,
    RelativeInput,
    acting_user_id,
    add_note,
    case_columns,
    case_reference,
    check_relative,
    first_transition_columns,
    move_placement,
    placement_columns,
    relative_columns,
    replace_names,
    update_family_member,
    update_identity,
)
from homeward.imports import bulk
from homeward.imports.models import BatchStatus, ImportBatch, ImportedRecord, ImportKind
from homeward.imports.rows import Action, RowPlan
from homeward.lib.ages import UNKNOWN_BIRTH
from homeward.people.models import NameKey, Person, PersonName, Sex
from homeward.people.name_keys import index_names, key_rows
from homeward.people.services import NameInput, check_names, name_columns, person_columns
from homeward.protection.fields import value_binding
from homeward.protection.keys import encrypt_value
from homeward.rules.services import evaluate_cases
from homeward.statistics import spells
from homeward.tracing.matching import enqueue
from homeward.tracing.models import (
    MatchingWork,
    SoughtPerson,
    TracingRequest,
    parents_search_key,
)
from homeward.tracing.services import (
    RequestInput,
    SoughtInput,
    check_request,
    request_columns,
    request_reference,
    sought_values,
)

BATCH_SIZE = 2000
# New children written per transaction while staging, and the pause after each on SQLite,
# so that a waiting page gets the write lock: SQLite's busy handler looks again every
# 100 ms once it has waited a while, and would miss a shorter gap chunk after chunk.
STAGE_ROWS = 1000
PAUSE_SECONDS = 0.15


class RowFailed(Exception):
    """A service refused one row while committing: the whole import is rolled back."""

    def __init__(self, plan: RowPlan, error: Any) -> None:
        super().__init__(str(error))
        self.plan = plan
        self.error = error


# --- children ---------------------------------------------------------------------------


def create_children(
    plans: Sequence[RowPlan], *, agency: Agency, by: Any, batch: ImportBatch
) -> list[int]:
    """Register every child of `plans` (checked ChildInputs, no relatives) in bulk, as the
    batch's (hidden while it is being committed); the cases' ids, in the plans' order."""
    user_id = acting_user_id(by)
    count = len(plans)
    person_ids = bulk.reserve_ids(Person, count)
    case_ids = bulk.reserve_ids(ChildCase, count)
    _insert_people(
        [
            (pk, _person(plan.data), plan.data.names, plan.variants)
            for pk, plan in zip(person_ids, plans, strict=True)
        ]
    )
    bulk.insert(
        ChildCase,
        [
            {
                "id": pk, "reference": case_reference(pk), "child_id": person_id,
                "import_batch_id": batch.pk, **case_columns(plan.data, agency.pk, user_id),
            }
            for pk, person_id, plan in zip(case_ids, person_ids, plans, strict=True)
        ],
    )  # fmt: skip
    bulk.insert(
        StatusTransition,
        [
            {"case_id": pk, **first_transition_columns(plan.data, user_id)}
            for pk, plan in zip(case_ids, plans, strict=True)
        ],
    )
    bulk.insert(
        Placement,
        [
            {"case_id": pk, **placement_columns(plan.data.placement, user_id)}
            for pk, plan in zip(case_ids, plans, strict=True)
        ],
    )
    # What the statistics' receivers keep for a case registered one at a time.
    spells.rebuild(case_ids)
    record_many(
        "case.created", actor=by, targets=[("cases.childcase", str(pk), ()) for pk in case_ids]
    )
    # What tracing.matching.enqueue writes when case_identity_changed is sent for a case.
    bulk.insert(
        MatchingWork,
        [
            {"kind": MatchingWork.Kind.CASE.value, "object_id": pk, "claimed_by": ""}
            for pk in case_ids
        ],
    )
    # What rules.services does when case_circumstances_changed is sent for a case: a child
    # imported into a placement the custody rules limit is flagged at once.
    evaluate_cases(case_ids)
    return case_ids


def _person(data: ChildInput) -> dict[str, Any]:
    return person_columns(data.sex, data.birth, data.nationality.upper())


def _name(person_id: int, name: NameInput, variants: dict[str, list[str]]) -> dict[str, Any]:
    return {"person_id": person_id, **name_columns(name, variants.get(name.full_name))}


def update_child(
    plan: RowPlan, *, by: Any, batch: ImportBatch, today: date | None = None
) -> list[str]:
    """Bring a case in line with a changed row, through the case services (audit, history,
    matching); a note on the case says which import changed what. Returns what changed."""
    data: ChildInput = plan.data
    case = ChildCase.objects.select_related("child").get(pk=_object_id(plan))
    child = case.child
    changed: list[str] = []
    if _replace_source_names(case, data.names, batch.source.name_source, by):
        changed.append("names")
    now = (child.sex, child.birth, child.nationality, case.home_region)
    wanted = (data.sex, data.birth, data.nationality.upper(), data.home_region.upper())
    if now != wanted:
        update_identity(
            case, sex=data.sex, birth=data.birth, nationality=data.nationality,
            home_region=data.home_region, by=by, today=today,
        )  # fmt: skip
        changed.append("identity")
    current = case.current_placement()
    placement = data.placement
    where = (placement.country.upper(), placement.facility_kind, placement.facility_name.strip())
    if current is None or (current.country, current.facility_kind, current.facility_name) != where:
        move_placement(case, placement, by=by, today=today)
        changed.append("placement")
    if changed:
        add_note(case, _note(batch, plan, changed), by=by, today=today)
    return changed


def _replace_source_names(
    case: ChildCase, names: Sequence[NameInput], source: str, by: Any
) -> bool:
    """This source's spellings become the row's; other sources' spellings stay."""
    current = list(case.child.names.all())
    if {(n.full_name, n.source) for n in current if n.source == source} == {
        (n.full_name, n.source) for n in names
    }:
        return False
    kept = [
        NameInput(n.full_name, n.source, n.script, n.is_preferred)
        for n in current
        if n.source != source
    ]
    has_preferred = any(n.is_preferred for n in kept)
    incoming = [
        NameInput(n.full_name, n.source, n.script, n.is_preferred and not has_preferred)
        for n in names
    ]
    replace_names(case.child, [*kept, *incoming], by=by, case=case)
    return True


def _note(batch: ImportBatch, plan: RowPlan, changed: list[str]) -> str:
    return (
        f"Updated by the import of “{batch.original_name}” from {batch.source.name} "
        f"(row {plan.number}, id {plan.external_id}): {', '.join(changed)}."
    )


# --- relatives and tracing requests ------------------------------------------------------


def create_relatives(plans: Sequence[RowPlan], *, by: Any) -> list[int]:
    """Link every new relative of `plans` to its child's case in bulk: exactly the rows
    `cases.services.add_family_member` writes for each (a person, their names and name keys,
    the family link with its restricted fields encrypted for its row, a
    "case.family_changed" audit entry and matching work for the case), after the same
    checks. One service call a row cost about 7 ms of CPU and a dozen queries, all inside
    the commit's one transaction, which holds SQLite's write lock throughout; the family
    links' ids, in the plans' order."""
    relatives: list[RelativeInput] = []
    for plan in plans:
        relative = plan.data[1]
        try:
            check_relative(relative, None)
            names = check_names(relative.names)
        except CaseError as error:
            raise RowFailed(plan, error) from error
        relatives.append(replace(relative, names=names))
    _refuse_second_parents(plans)
    count = len(plans)
    person_ids = bulk.reserve_ids(Person, count)
    member_ids = bulk.reserve_ids(FamilyMember, count)
    _insert_people(
        [
            (pk, person_columns(relative.sex, relative.birth, ""), relative.names, plan.variants)
            for pk, plan, relative in zip(person_ids, plans, relatives, strict=True)
        ]
    )
    case_ids = [plan.data[0] for plan in plans]
    bulk.insert(
        FamilyMember,
        [
            {"id": pk, "case_id": case_id, "person_id": person_id,
             **_sealed(pk, relative_columns(relative))}
            for pk, case_id, person_id, relative in zip(
                member_ids, case_ids, person_ids, relatives, strict=True
            )
        ],
    )  # fmt: skip
    record_many(
        "case.family_changed",
        actor=by,
        targets=[
            ("cases.childcase", str(case_id), [f"family.{relative.relationship}"])
            for case_id, relative in zip(case_ids, relatives, strict=True)
        ],
    )
    # What tracing.matching.enqueue writes when case_identity_changed is sent for a case.
    bulk.insert(
        MatchingWork,
        [
            {"kind": MatchingWork.Kind.CASE.value, "object_id": pk, "claimed_by": ""}
            for pk in case_ids
        ],
    )
    return member_ids


def _refuse_second_parents(plans: Sequence[RowPlan]) -> None:
    """A child has one mother and one father: what `add_family_member` refuses row by row,
    asked of the database once (the check before the commit may be stale by now)."""
    parents = {(plan.data[0], plan.data[1].relationship) for plan in plans}
    wanted = {case_id for case_id, relationship in parents if relationship in PARENTS}
    had = set(
        FamilyMember.objects.filter(case_id__in=wanted, relationship__in=PARENTS).values_list(
            "case_id", "relationship"
        )
    )
    for plan in plans:
        case_id, relative = plan.data
        if relative.relationship not in PARENTS:
            continue
        if (case_id, relative.relationship) in had:
            error = CaseError(
                _("The case already has a %(relationship)s; edit that entry instead.")
                % {"relationship": Relationship(relative.relationship).label.lower()},
                field="relationship",
            )
            raise RowFailed(plan, error)
        had.add((case_id, relative.relationship))


def _sealed(pk: int, columns: dict[str, Any]) -> dict[str, Any]:
    """The family link's restricted fields encrypted for its row, as `SealedRowModel.save`
    writes them right after the insert."""
    for name in ("conviction", "sentence"):
        if columns[name]:
            field = FamilyMember._meta.get_field(name)
            assert isinstance(field, models.Field)
            columns[name] = encrypt_value(columns[name], value_binding(field, pk))
    return columns


def update_relative(
    plan: RowPlan, *, by: Any, batch: ImportBatch, today: date | None = None
) -> list[str]:
    _case_id, relative = plan.data
    member = FamilyMember.objects.select_related("case", "person").get(pk=_object_id(plan))
    if _same_relative(member, relative):
        return []
    update_family_member(member, relative, by=by, today=today)
    add_note(member.case, _note(batch, plan, ["family"]), by=by, today=today)
    return ["family"]


def _same_relative(member: FamilyMember, relative: RelativeInput) -> bool:
    person = member.person
    names = {n.full_name for n in person.names.all()}
    return (
        names == {n.full_name for n in relative.names}
        and (member.relationship, member.status, member.place, member.contact)
        == (relative.relationship, relative.status, relative.place.strip(), relative.contact)
        and member.willing_to_take_custody == relative.willing_to_take_custody
        and (person.sex, person.birth) == (relative.sex, relative.birth)
    )


def create_requests(plans: Sequence[RowPlan], *, agency: Agency, by: Any) -> list[int]:
    """File every new tracing request of `plans` in bulk: exactly the rows
    `tracing.services.file_request` writes for each (the enquirer and each person sought,
    their names and name keys, the request with its reference, the people sought, matching
    work for each and a "tracing.created" audit entry), after the same checks. One service
    call a row cost about 6 ms of CPU inside the commit's one transaction; the requests'
    ids, in the plans' order."""
    enquirers: list[list[NameInput]] = []
    sought_names: list[list[NameInput]] = []
    for plan in plans:
        try:
            enquirers.append(check_request(plan.data, None))
            sought_names.extend(check_names(s.names, required=False) for s in plan.data.sought)
        except CaseError as error:
            raise RowFailed(plan, error) from error
    sought = [s for plan in plans for s in plan.data.sought]
    # One reservation: on SQLite a second one would hand out the same ids before the insert.
    person_ids = bulk.reserve_ids(Person, len(plans) + len(sought))
    enquirer_ids, sought_person_ids = person_ids[: len(plans)], person_ids[len(plans) :]
    enquirer = person_columns(Sex.UNKNOWN, UNKNOWN_BIRTH, "")
    _insert_people(
        [(pk, enquirer, names, {}) for pk, names in zip(enquirer_ids, enquirers, strict=True)]
        + [
            (pk, person_columns(one.sex, one.birth, ""), names, {})
            for pk, one, names in zip(sought_person_ids, sought, sought_names, strict=True)
        ]
    )
    request_ids = bulk.reserve_ids(TracingRequest, len(plans))
    user_id = acting_user_id(by)
    bulk.insert(
        TracingRequest,
        [
            {"id": pk, "reference": request_reference(pk), "agency_id": agency.pk,
             "enquirer_id": enquirer, "filed_by_id": user_id, **request_columns(plan.data)}
            for pk, enquirer, plan in zip(request_ids, enquirer_ids, plans, strict=True)
        ],
    )  # fmt: skip
    sought_ids = bulk.reserve_ids(SoughtPerson, len(sought))
    of_request = [pk for pk, plan in zip(request_ids, plans, strict=True) for _ in plan.data.sought]
    bulk.insert(
        SoughtPerson,
        [
            {"id": pk, "request_id": request, "person_id": person, **_sought_columns(one)}
            for pk, request, person, one in zip(
                sought_ids, of_request, sought_person_ids, sought, strict=True
            )
        ],
    )
    # What tracing.matching.enqueue writes for the people a new request seeks.
    bulk.insert(
        MatchingWork,
        [
            {"kind": MatchingWork.Kind.SOUGHT.value, "object_id": pk, "claimed_by": ""}
            for pk in sought_ids
        ],
    )
    record_many(
        "tracing.created",
        actor=by,
        targets=[("tracing.tracingrequest", str(pk), ()) for pk in request_ids],
    )
    return request_ids


def _sought_columns(sought: SoughtInput) -> dict[str, Any]:
    values = sought_values(sought)
    key = parents_search_key(values["mother_names"], values["father_names"])
    return {**values, "parents_search_key": key}


def _insert_people(
    people: Sequence[tuple[int, dict[str, Any], Sequence[NameInput], dict[str, list[str]]]],
) -> None:
    """New persons (id, `person_columns`, checked names, the names' search variants when
    already worked out) with their names and the names' keys: what
    `people.services.create_person` writes for each, and `people.name_keys.index_names`."""
    bulk.insert(Person, [{"id": pk, **columns} for pk, columns, _, _ in people])
    bulk.insert(
        PersonName,
        [_name(pk, name, variants) for pk, _, names, variants in people for name in names],
    )
    bulk.insert(
        NameKey,
        [
            row
            for pk, _, names, _ in people
            for row in key_rows(pk, [name.full_name for name in names])
        ],
    )


REQUEST_FIELDS = (
    "enquirer_relationship", "enquirer_contact", "enquirer_place", "who_left", "left_on",
    "left_for", "story", "filed_on",
)  # fmt: skip


def update_request(plan: RowPlan, *, by: Any, batch: ImportBatch) -> list[str]:
    """A changed request row: its fields, the enquirer's names and the sought person, with
    an audit entry naming what changed and the sought person queued for matching again."""
    data: RequestInput = plan.data
    request = TracingRequest.objects.select_related("enquirer").get(pk=_object_id(plan))
    changed = [f for f in REQUEST_FIELDS if _stripped(getattr(data, f)) != getattr(request, f)]
    for name in changed:
        setattr(request, name, _stripped(getattr(data, name)))
    request.save()
    if _set_names(request.enquirer, data.enquirer_names):
        changed.append("enquirer_names")
    sought = request.sought.select_related("person").first()
    if sought is not None and _update_sought(sought, data.sought[0]):
        changed.append("sought")
        enqueue(MatchingWork.Kind.SOUGHT, [sought.pk])
    if changed:
        record("tracing.changed", actor=by, target=request, fields=changed)
    return changed


def _stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _set_names(person: Person, names: Sequence[NameInput]) -> bool:
    if {n.full_name for n in person.names.all()} == {n.full_name for n in names}:
        return False
    person.names.all().delete()
    for name in names:  # save() makes the search key
        PersonName.objects.create(
            person=person, full_name=name.full_name, script=name.script, source=name.source,
            is_preferred=name.is_preferred,
        )  # fmt: skip
    index_names([person.pk])  # no name left is a change of keys too
    return True


def _update_sought(sought: SoughtPerson, data: Any) -> bool:
    person = sought.person
    values = sought_values(data)
    changed = any(getattr(sought, k) != v for k, v in values.items())
    changed |= (person.sex, person.birth) != (data.sex, data.birth)
    changed |= _set_names(person, data.names)
    if changed:
        for key, value in values.items():
            setattr(sought, key, value)
        sought.save()
        person.sex = data.sex
        person.set_birth(data.birth)
        person.save()
    return changed


# --- the whole batch --------------------------------------------------------------------


def stage_children(
    plans: Sequence[RowPlan], *, batch: ImportBatch, by: Any, agency: Agency,
    heartbeat: Any = lambda: None,
) -> int:  # fmt: skip
    """Write the new children of a children's import in chunks, each its own transaction,
    hidden until `publish`; each chunk remembers its rows (a rerun goes on after them).
    Returns how many were written."""
    if batch.kind != ImportKind.CHILDREN:
        return 0  # relatives and requests go through the services, in the last transaction
    creating = [p for p in plans if p.action == Action.CREATE]
    for start in range(0, len(creating), STAGE_ROWS):
        chunk = creating[start : start + STAGE_ROWS]
        with transaction.atomic():
            ids = create_children(chunk, agency=agency, by=by, batch=batch)
            _remember(chunk, ids, [], batch)
            heartbeat()
        if connection.vendor == "sqlite":
            time.sleep(PAUSE_SECONDS)
    return len(creating)


def staged(batch: ImportBatch) -> int:
    """How many cases the batch has written (hidden until its status says committed)."""
    return ChildCase.every.filter(import_batch=batch).count()


def discard_staged(batch: ImportBatch, *, by: Any) -> int:
    """Delete what a batch staged but never committed (a later check failed, or the import
    was given up). The audit trail keeps its "case.created" entries and says so."""
    assert batch.status != BatchStatus.COMMITTED, "a committed import is never discarded"
    with transaction.atomic():
        cases = list(ChildCase.every.filter(import_batch=batch).values_list("pk", "child_id"))
        if not cases:
            return 0
        case_ids = [pk for pk, _ in cases]
        ImportedRecord.objects.filter(first_batch=batch, object_id__in=case_ids).delete()
        MatchingWork.objects.filter(kind=MatchingWork.Kind.CASE, object_id__in=case_ids).delete()
        ChildCase.every.filter(pk__in=case_ids).delete()
        Person.objects.filter(pk__in=[child for _, child in cases]).delete()
        record("import.discarded", actor=by, target=batch, fields=[batch.kind])
    return len(cases)


def apply_plans(
    plans: Sequence[RowPlan], *, batch: ImportBatch, by: Any, agency: Agency
) -> tuple[int, int]:
    """Create and update what the plans say (inside the caller's transaction); remember
    each row's external id and hash. New children were staged before (stage_children).
    Returns (created, updated)."""
    staged = batch.kind == ImportKind.CHILDREN
    creating = [] if staged else [p for p in plans if p.action == Action.CREATE]
    updating = [p for p in plans if p.action == Action.UPDATE]
    ids = _create(creating, batch=batch, by=by, agency=agency)
    updated = 0
    for plan in updating:
        try:
            updated += bool(update_for(plan, batch=batch, by=by))
        except CaseError as error:
            raise RowFailed(plan, error) from error
    _remember(creating, ids, updating, batch)
    return len(creating), updated


def _create(plans: Sequence[RowPlan], *, batch: ImportBatch, by: Any, agency: Agency) -> list[int]:
    if batch.kind == ImportKind.CHILDREN:
        return create_children(plans, agency=agency, by=by, batch=batch) if plans else []
    if batch.kind == ImportKind.RELATIVES:
        return create_relatives(plans, by=by) if plans else []
    return create_requests(plans, agency=agency, by=by) if plans else []


def update_for(plan: RowPlan, *, batch: ImportBatch, by: Any) -> list[str]:
    if batch.kind == ImportKind.CHILDREN:
        return update_child(plan, by=by, batch=batch)
    if batch.kind == ImportKind.RELATIVES:
        return update_relative(plan, by=by, batch=batch)
    return update_request(plan, by=by, batch=batch)


def _remember(
    created: Sequence[RowPlan], ids: Sequence[int], updated: Sequence[RowPlan], batch: ImportBatch
) -> None:
    source, kind = batch.source, batch.kind
    bulk.insert(
        ImportedRecord,
        [
            {
                "source_id": source.pk, "kind": kind, "external_id": plan.external_id,
                "object_id": object_id, "row_hash": plan.row_hash, "first_batch_id": batch.pk,
                "last_batch_id": batch.pk,
            }
            for plan, object_id in zip(created, ids, strict=True)
        ],
    )  # fmt: skip
    for plan in updated:
        ImportedRecord.objects.update_or_create(
            source=source, kind=kind, external_id=plan.external_id,
            defaults={"object_id": plan.object_id, "row_hash": plan.row_hash, "last_batch": batch},
            create_defaults={
                "object_id": plan.object_id, "row_hash": plan.row_hash,
                "first_batch": batch, "last_batch": batch,
            },
        )  # fmt: skip


def _object_id(plan: RowPlan) -> int:
    assert plan.object_id is not None, "an update names its record"
    return plan.object_id
