"""Three checklist items are now read from the case's status history (one fact, one
place): identity verified, consent recorded and host exit clearance. Their ticks are
removed; the evidence of each is kept as the reason of the case's move to that status when
that move gave none, and otherwise as a note on the case.

Reversing puts a tick back for each case that has reached the status, dated on that move
and with its reason as the evidence.

Set-based: a registry of 100k children has a quarter of a million such ticks, and a
query or two a tick took upgrades past half an hour. The ticks are read a chunk at a time
in the order of their ids, each chunk's moves in one query; the reasons are written with
one prepared statement, the notes in bulk and the ticks deleted in one statement.
`missions/tests/test_status_items_migration.py` compares the result with the row-by-row
version's."""

from django.db import migrations

STATUS_OF = {
    "identity_verified": "verified",
    "consent_recorded": "consent_obtained",
    "exit_clearance": "cleared_to_leave",
}
ITEM_OF = {status: item for item, status in STATUS_OF.items()}

CHUNK = 5000


def keep_evidence_and_untick(apps, schema_editor):
    ReadinessCheck = apps.get_model("missions", "ReadinessCheck")
    StatusTransition = apps.get_model("cases", "StatusTransition")
    CaseNote = apps.get_model("cases", "CaseNote")
    ticked = ReadinessCheck.objects.filter(item__in=list(STATUS_OF)).order_by("id")
    after = 0
    while chunk := list(
        ticked.filter(id__gt=after).values_list(
            "id", "case_id", "item", "done_on", "evidence", "recorded_by_id"
        )[:CHUNK]
    ):
        after = chunk[-1][0]
        latest = _latest_moves(StatusTransition, {tick[1] for tick in chunk})
        reasons, notes = [], []
        for _, case_id, item, done_on, evidence, author_id in chunk:
            evidence = evidence.strip()
            move = latest.get((case_id, STATUS_OF[item]))
            if move is not None and not move[1].strip():
                if move[1] != evidence:
                    reasons.append((evidence, move[0]))
            elif evidence:
                text = f"Checklist ({item.replace('_', ' ')}, {done_on}): {evidence}"
                notes.append(
                    CaseNote(case_id=case_id, text=text, noted_on=done_on, author_id=author_id)
                )
        _set_reasons(schema_editor, StatusTransition, reasons)
        CaseNote.objects.bulk_create(notes, batch_size=500)
    ticked.delete()


def _latest_moves(StatusTransition, case_ids):
    """The latest move of each case into each of the statuses, as (id, reason), by (case,
    status)."""
    moves = (
        StatusTransition.objects.filter(case_id__in=case_ids, to_status__in=list(ITEM_OF))
        .order_by("effective_on", "id")
        .values_list("case_id", "to_status", "id", "reason")
    )
    return {(case_id, status): (pk, reason) for case_id, status, pk, reason in moves}


def _set_reasons(schema_editor, StatusTransition, reasons):
    """(reason, move id) pairs, written with one prepared statement."""
    if not reasons:
        return
    quote = schema_editor.connection.ops.quote_name
    table = quote(StatusTransition._meta.db_table)
    with schema_editor.connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {quote('reason')} = %s WHERE {quote('id')} = %s",  # nosec B608
            reasons,
        )


def tick_from_the_history(apps, schema_editor):
    ReadinessCheck = apps.get_model("missions", "ReadinessCheck")
    StatusTransition = apps.get_model("cases", "StatusTransition")
    reached = StatusTransition.objects.filter(to_status__in=list(ITEM_OF))
    case_ids = sorted(set(reached.values_list("case_id", flat=True)))
    for start in range(0, len(case_ids), CHUNK):
        chunk = case_ids[start : start + CHUNK]
        latest = reached.filter(case_id__in=chunk).order_by("effective_on", "id")
        ticks = {}  # the latest move of each case wins
        for case_id, status, day, reason, by in latest.values_list(
            "case_id", "to_status", "effective_on", "reason", "recorded_by_id"
        ):
            ticks[(case_id, ITEM_OF[status])] = (day, reason[:300], by)
        kept = ReadinessCheck.objects.filter(case_id__in=chunk, item__in=list(STATUS_OF))
        changed = []
        for tick in kept:
            if (tick.case_id, tick.item) in ticks:
                tick.done_on, tick.evidence, tick.recorded_by_id = ticks.pop(
                    (tick.case_id, tick.item)
                )
                changed.append(tick)
        ReadinessCheck.objects.bulk_update(
            changed, ["done_on", "evidence", "recorded_by_id"], batch_size=500
        )
        ReadinessCheck.objects.bulk_create(
            [
                ReadinessCheck(case_id=case_id, item=item, done_on=day, evidence=evidence,
                               recorded_by_id=by)
                for (case_id, item), (day, evidence, by) in ticks.items()
            ],
            batch_size=500,
        )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [
        ("missions", "0004_recorded_flight_and_readiness_override"),
        ("cases", "0002_reception_and_in_transit"),
    ]

    operations = [migrations.RunPython(keep_evidence_and_untick, tick_from_the_history)]
