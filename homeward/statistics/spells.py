"""Keeping the spells (`statistics.models.CaseSpell`) equal to the history they come from.

`rebuild(case_ids)` replaces the spells of those cases with spells made afresh from their
status transitions and placements. The receivers below call it inside the transaction of
every save that changes what the statistics count: a transition, a placement, a manifest
entry, the case's home region or merge, the child's sex or birth, a mission's code. Bulk
writers that bypass save() (the import) call it themselves; `homeward rebuild_statistics`
rebuilds every case, and a database migrated to this version gets its spells built once
(`build_if_missing`, after `migrate`).

How a case's spells are cut (`case_spells`, plain Python):
1. Each day on which a transition or a placement took effect, from the first transition
   on, may begin a spell.
2. On each such day the case has the status of the last transition up to that day, and
   the placement of the last placement up to it (by day, then by order of entry), as
   `status_on` and `current_placement` read them.
3. Consecutive days with the same facts are one spell; the last one has no end. An ended
   spell is cut at each 1 January it spans (`CaseSpell.year`).
4. The case's first spell also carries the child's stay abroad: from the first
   transition until the child is first placed in the home region's country or the case
   first ends (`statistics.series`).

Each day a case reached a flow's status is kept beside its spells, with the day it last
reached it before (`CaseReach`, `case_reaches`), rebuilt with them. The totals a day of
the cases' first spells (`DayTotal`) are kept by adding what each rebuild changed.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Min, Q
from django.db.models.signals import post_delete, post_migrate, post_save, pre_delete
from django.dispatch import receiver

from homeward.cases.models import ChildCase, Placement, StatusTransition
from homeward.cases.status import FINAL
from homeward.missions.models import ManifestEntry, Mission
from homeward.people.models import Person
from homeward.statistics import cells
from homeward.statistics.models import FLOWS, CaseReach, CaseSpell, DayTotal

CHUNK = 2000


@dataclass(frozen=True)
class Spell:
    starts_on: date
    ends_on: date | None
    status: str
    country: str
    facility_kind: str

    @property
    def year(self) -> int:
        return self.starts_on.year


def case_spells(
    moves: Sequence[tuple[date, str]], places: Sequence[tuple[date, str, str]]
) -> list[Spell]:
    """The spells of one case from its transitions (day, to status) and placements (day,
    country, kind), each in the order they took effect (by day, then by id); an ended
    spell is cut at each 1 January it spans."""
    if not moves:
        return []
    opened = moves[0][0]
    days = sorted({day for day, _ in moves} | {p[0] for p in places if p[0] > opened})
    spells: list[Spell] = []
    move_at = place_at = -1
    for day in days:
        while move_at + 1 < len(moves) and moves[move_at + 1][0] <= day:
            move_at += 1
        while place_at + 1 < len(places) and places[place_at + 1][0] <= day:
            place_at += 1
        _, country, kind = places[place_at] if place_at >= 0 else (day, "", "")
        facts = (moves[move_at][1], country, kind)
        if spells and _facts(spells[-1]) == facts:
            continue
        if spells:
            spells[-1] = Spell(spells[-1].starts_on, day, *_facts(spells[-1]))
        spells.append(Spell(day, None, *facts))
    return [piece for spell in spells for piece in _by_year(spell)]


def _facts(spell: Spell) -> tuple[str, str, str]:
    return (spell.status, spell.country, spell.facility_kind)


def _by_year(spell: Spell) -> list[Spell]:
    if spell.ends_on is None:
        return [spell]
    pieces, start = [], spell.starts_on
    while date(start.year + 1, 1, 1) < spell.ends_on:
        pieces.append(Spell(start, date(start.year + 1, 1, 1), *_facts(spell)))
        start = date(start.year + 1, 1, 1)
    return [*pieces, Spell(start, spell.ends_on, *_facts(spell))]


def case_reaches(moves: Sequence[tuple[date, str]]) -> list[tuple[str, date, date | None]]:
    """The days a case reached each flow's status (flow, day, the day before that it last
    did or None), a day once however many of its moves got there."""
    reaches: list[tuple[str, date, date | None]] = []
    for flow, statuses in FLOWS.items():
        previous: date | None = None
        for day in sorted({day for day, status in moves if status in statuses}):
            reaches.append((flow, day, previous))
            previous = day
    return reaches


def stay_abroad(
    moves: Sequence[tuple[date, str]], places: Sequence[tuple[date, str, str]], home: str
) -> tuple[date | None, date | None]:
    """From the first status to the first day the child was placed in the home country
    or the case ended (None: still abroad); (None, None) for a child never abroad."""
    if not moves:
        return None, None
    opened = moves[0][0]
    home_on = min((day for day, country, _ in places if home and country == home), default=None)
    ended_on = min((day for day, status in moves if status in FINAL), default=None)
    left = min((d for d in (home_on, ended_on) if d is not None), default=None)
    if left is not None and left <= opened:
        return None, None
    return opened, left


def rebuild(case_ids: Iterable[int]) -> None:
    """Replace the spells (and reaches) of these cases with ones made from their history,
    and add to the day totals what that changed."""
    ids = sorted(set(case_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        before = _kept_totals(chunk)
        cells_before = _kept_cells(chunk)
        CaseSpell.objects.filter(case_id__in=chunk).delete()
        CaseReach.objects.filter(case_id__in=chunk).delete()
        spells, reaches = _rows(chunk)
        _insert(spells, reaches)
        _add_totals(_totals(spells), before)
        cells.add(cells.difference(cells.changes(spells), cells_before))


def rebuild_all() -> int:
    """Every case's spells afresh; the number of spells."""
    CaseSpell.objects.all().delete()
    CaseReach.objects.all().delete()
    ids = list(ChildCase.every.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        _insert(*_rows(ids[start : start + CHUNK]))
    DayTotal.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(DAY_TOTALS_SQL)
    cells.fill_all()
    return CaseSpell.objects.count()


# The day totals of every case's first spell, in one statement (also `statistics.0003`'s).
DAY_TOTALS_SQL = """
    INSERT INTO statistics_daytotal (day, opened, abroad_from, abroad_until)
    SELECT t.day, SUM(t.opened), SUM(t.abroad_from), SUM(t.abroad_until) FROM (
        SELECT MIN(starts_on) AS day, 1 AS opened, 0 AS abroad_from, 0 AS abroad_until
            FROM statistics_casespell GROUP BY case_id
        UNION ALL SELECT abroad_from, 0, 1, 0
            FROM statistics_casespell WHERE abroad_from IS NOT NULL
        UNION ALL SELECT abroad_until, 0, 0, 1
            FROM statistics_casespell WHERE abroad_until IS NOT NULL
    ) t GROUP BY t.day
"""

TOTALS = ("opened", "abroad_from", "abroad_until")


def _totals(spells: Iterable[dict[str, Any]]) -> Counter[tuple[date, str]]:
    """What these spells (every spell of their cases) add to the day totals."""
    first: dict[int, date] = {}
    added: Counter[tuple[date, str]] = Counter()
    for spell in spells:
        case_id = spell["case_id"]
        first[case_id] = min(first.get(case_id, spell["starts_on"]), spell["starts_on"])
        for total in ("abroad_from", "abroad_until"):
            if spell[total] is not None:
                added[spell[total], total] += 1
    added.update((day, "opened") for day in first.values())
    return added


def _kept_totals(ids: list[int]) -> Counter[tuple[date, str]]:
    """What the spells these cases have now add to the day totals."""
    kept = CaseSpell.objects.filter(case_id__in=ids)
    spells: list[dict[str, Any]] = [
        {"case_id": case_id, "starts_on": day, "abroad_from": None, "abroad_until": None}
        for case_id, day in kept.values("case_id").annotate(day=Min("starts_on"))
        .values_list("case_id", "day").order_by()
    ]  # fmt: skip
    stays = kept.filter(Q(abroad_from__isnull=False) | Q(abroad_until__isnull=False))
    spells += (
        dict(row) for row in stays.values("case_id", "starts_on", "abroad_from", "abroad_until")
    )
    return _totals(spells)


def _kept_cells(ids: list[int]) -> Counter[tuple[date, cells.Cell]]:
    """What the spells these cases have now add to the cells."""
    kept = CaseSpell.objects.filter(case_id__in=ids).exclude(status__in=FINAL)
    return cells.changes(kept.values(*cells.SPELL_FIELDS).order_by())


def _add_totals(added: Counter[tuple[date, str]], removed: Counter[tuple[date, str]]) -> None:
    """Add the difference to the day totals, a row a day, in the order of the days (two
    writers that change the same days wait for each other rather than deadlock)."""
    change: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0])
    for (day, total), n in added.items():
        change[day][TOTALS.index(total)] += n
    for (day, total), n in removed.items():
        change[day][TOTALS.index(total)] -= n
    rows: list[tuple[Any, ...]] = [
        (day, *numbers) for day, numbers in sorted(change.items()) if any(numbers)
    ]
    for start in range(0, len(rows), TOTALS_CHUNK):
        chunk = rows[start : start + TOTALS_CHUNK]
        params: list[Any] = [value for row in chunk for value in row]
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO statistics_daytotal (day, opened, abroad_from, abroad_until) "  # nosec B608
                f"VALUES {', '.join(['(%s, %s, %s, %s)'] * len(chunk))} ON CONFLICT (day) "
                "DO UPDATE SET opened = statistics_daytotal.opened + excluded.opened, "
                "abroad_from = statistics_daytotal.abroad_from + excluded.abroad_from, "
                "abroad_until = statistics_daytotal.abroad_until + excluded.abroad_until",
                params,
            )


TOTALS_CHUNK = 1000  # days an upsert (four values each: under SQLite's 32,766)


def build_if_missing() -> None:
    """A database that has cases but no spells yet (just migrated to this version) gets
    them built once."""
    if not CaseSpell.objects.exists() and StatusTransition.objects.exists():
        with transaction.atomic():
            rebuild_all()


def _rows(ids: list[int]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The spells and the reaches of these cases."""
    moves: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for case_id, day, status in (
        StatusTransition.objects.filter(case_id__in=ids)
        .order_by("case_id", "effective_on", "id")
        .values_list("case_id", "effective_on", "to_status")
    ):
        moves[case_id].append((day, status))
    places: dict[int, list[tuple[date, str, str]]] = defaultdict(list)
    for case_id, day, country, kind in (
        Placement.objects.filter(case_id__in=ids)
        .order_by("case_id", "since", "id")
        .values_list("case_id", "since", "country", "facility_kind")
    ):
        places[case_id].append((day, country, kind))
    flown = dict(
        ManifestEntry.objects.filter(case_id__in=ids, removed_at=None)
        .exclude(travelled=False)
        .order_by("id")
        .values_list("case_id", "mission__code")
    )
    rows: list[dict[str, Any]] = []
    reaches: list[dict[str, Any]] = []
    # Also the cases an import is still writing: the counts leave them out until it
    # commits (statistics.services.shown).
    for case in ChildCase.every.filter(pk__in=ids, merged_into=None).values(
        "pk", "home_region", "child__sex", "child__birth_earliest", "child__birth_latest",
        "child__birth_midpoint",
    ):  # fmt: skip
        pk = case["pk"]
        copied = {
            "case_id": pk,
            "home_region": case["home_region"],
            "sex": case["child__sex"],
            "birth_earliest": case["child__birth_earliest"],
            "birth_latest": case["child__birth_latest"],
            "birth_midpoint": case["child__birth_midpoint"],
            "mission": flown.get(pk, ""),
        }
        reaches += [
            copied | {"flow": flow, "reached_on": day, "previous_on": previous}
            for flow, day, previous in case_reaches(moves[pk])
        ]
        copied |= {"abroad_from": None, "abroad_until": None}
        first = len(rows)
        for spell in case_spells(moves[pk], places[pk]):
            rows.append(copied | spell.__dict__ | {"year": spell.year})
        if len(rows) > first:
            stay = stay_abroad(moves[pk], places[pk], case["home_region"][:2])
            rows[first] |= {"abroad_from": stay[0], "abroad_until": stay[1]}
    return rows, reaches


def _insert(spells: list[dict[str, Any]], reaches: list[dict[str, Any]]) -> None:
    from homeward.imports.bulk import insert  # the import's bulk writer builds on cases

    insert(CaseSpell, spells)
    insert(CaseReach, reaches)


# --- keeping them up to date ---------------------------------------------------------------


def _deleting_case(origin: Any) -> bool:
    """True while a case itself is being deleted (its spells go with it)."""
    model = getattr(origin, "model", type(origin))
    return model is ChildCase


@receiver(pre_delete, sender=ChildCase)
def _case_deleting(sender: Any, instance: ChildCase, **kwargs: Any) -> None:
    """A case deleted takes its spells with it: its day totals and cells go first."""
    _add_totals(Counter(), _kept_totals([instance.pk]))
    cells.add(cells.difference(Counter(), _kept_cells([instance.pk])))


@receiver(post_save, sender=StatusTransition)
@receiver(post_save, sender=Placement)
@receiver(post_save, sender=ManifestEntry)
def _history_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    rebuild([instance.case_id])


@receiver(post_delete, sender=StatusTransition)
@receiver(post_delete, sender=Placement)
@receiver(post_delete, sender=ManifestEntry)
def _history_deleted(sender: Any, instance: Any, origin: Any = None, **kwargs: Any) -> None:
    if not _deleting_case(origin):
        rebuild([instance.case_id])


# What of the case and the child the spells copy.
CASE_FIELDS = {"home_region", "merged_into"}
PERSON_FIELDS = {
    "sex", "birth_precision", "birth_date", "birth_estimated_age", "birth_estimated_on",
    "birth_margin_years",
}  # fmt: skip


def _copies_changed(created: bool, update_fields: Any, fields: set[str]) -> bool:
    return not created and (update_fields is None or bool(fields & set(update_fields)))


@receiver(post_save, sender=ChildCase)
def _case_saved(
    sender: Any, instance: ChildCase, created: bool, update_fields: Any, **kwargs: Any
) -> None:
    if _copies_changed(created, update_fields, CASE_FIELDS):
        rebuild([instance.pk])


@receiver(post_save, sender=Person)
def _person_saved(
    sender: Any, instance: Person, created: bool, update_fields: Any, **kwargs: Any
) -> None:
    if _copies_changed(created, update_fields, PERSON_FIELDS):
        rebuild(ChildCase.every.filter(child=instance).values_list("pk", flat=True))


@receiver(post_save, sender=Mission)
def _mission_saved(
    sender: Any, instance: Mission, created: bool, update_fields: Any, **kwargs: Any
) -> None:
    if _copies_changed(created, update_fields, {"code"}):
        rebuild(instance.manifest.values_list("case_id", flat=True))


@receiver(post_migrate)
def _after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    if sender.name == "homeward.statistics" and using == connection.alias:
        build_if_missing()
