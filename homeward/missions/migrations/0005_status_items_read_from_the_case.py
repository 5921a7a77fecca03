"""Three checklist items are now read from the case's status history (one fact, one
place): identity verified, consent recorded and host exit clearance. Their ticks are
removed; the evidence of each is kept as the reason of the case's move to that status when
that move gave none, and otherwise as a note on the case.

Reversing puts a tick back for each case that has reached the status, dated on that move
and with its reason as the evidence."""

from django.db import migrations

STATUS_OF = {
    "identity_verified": "verified",
    "consent_recorded": "consent_obtained",
    "exit_clearance": "cleared_to_leave",
}


CHUNK = 2000


def keep_evidence_and_untick(apps, schema_editor):
    ReadinessCheck = apps.get_model("missions", "ReadinessCheck")
    StatusTransition = apps.get_model("cases", "StatusTransition")
    CaseNote = apps.get_model("cases", "CaseNote")
    ticked = ReadinessCheck.objects.filter(item__in=list(STATUS_OF)).order_by("id")
    # In chunks, each chunk's moves read in one query: a registry of 100k children has
    # hundreds of thousands of ticks, and a query a tick took upgrades past half an hour.
    while chunk := list(ticked[:CHUNK]):
        latest = _latest_moves(StatusTransition, {check.case_id for check in chunk})
        for check in chunk:
            move = latest.get((check.case_id, STATUS_OF[check.item]))
            evidence = check.evidence.strip()
            if move is not None and not move.reason.strip():
                move.reason = evidence
                move.save(update_fields=["reason"])
            elif evidence:
                CaseNote.objects.create(
                    case_id=check.case_id,
                    text=f"Checklist ({check.item.replace('_', ' ')}, {check.done_on}): {evidence}",
                    noted_on=check.done_on,
                    author_id=check.recorded_by_id,
                )
        ReadinessCheck.objects.filter(pk__in=[check.pk for check in chunk]).delete()


def _latest_moves(StatusTransition, case_ids):
    """The latest move of each case into each of the statuses, by (case, status)."""
    moves = StatusTransition.objects.filter(
        case_id__in=case_ids, to_status__in=list(STATUS_OF.values())
    ).order_by("effective_on", "id")
    return {(move.case_id, move.to_status): move for move in moves}  # the latest wins


def tick_from_the_history(apps, schema_editor):
    ReadinessCheck = apps.get_model("missions", "ReadinessCheck")
    StatusTransition = apps.get_model("cases", "StatusTransition")
    for item, status in STATUS_OF.items():
        moves = StatusTransition.objects.filter(to_status=status).order_by("effective_on", "id")
        for move in moves:  # the latest move of each case wins
            ReadinessCheck.objects.update_or_create(
                case_id=move.case_id,
                item=item,
                defaults={
                    "done_on": move.effective_on,
                    "evidence": move.reason[:300],
                    "recorded_by_id": move.recorded_by_id,
                },
            )


class Migration(migrations.Migration):
    dependencies = [
        ("missions", "0004_recorded_flight_and_readiness_override"),
        ("cases", "0002_reception_and_in_transit"),
    ]

    operations = [migrations.RunPython(keep_evidence_and_untick, tick_from_the_history)]
