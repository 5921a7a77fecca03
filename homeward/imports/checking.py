"""The dry run: every row of a file checked, every problem reported by row, column and
reason, and a plan of what committing would do. Nothing is written here.

For each row:
1. The external id must be there, and only once in the file.
2. A row whose external id was imported before with the same content is unchanged and
   checked no further (re-importing a file changes nothing).
3. Otherwise each value is read (dates, codes, choices), names are checked against the
   script their column promises, and the same checks the case and tracing services make
   (cases.services.check_*) are run.
4. Rows that would create a record are compared with the records the user can see and
   the rows before them: a likely duplicate is a problem, not a second record.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache, partial
from typing import Any, NamedTuple

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from homeward.cases.access import cases_visible_to
from homeward.cases.models import ChildCase, FacilityKind, FamilyMember, MemberStatus, Willingness
from homeward.cases.services import (
    CaseError,
    ChildInput,
    PlacementInput,
    RelativeInput,
    check_not_future,
    check_placement,
    check_places,
)
from homeward.imports.models import ImportedRecord, ImportKind, ImportSource
from homeward.imports.rows import Action, Columns, Problem, RowCheck, RowPlan, row_hash
from homeward.imports.targets import name_targets
from homeward.imports.values import (
    read_birth,
    read_choice,
    read_code,
    read_date,
    read_region,
    read_sex,
)
from homeward.lib.ages import BirthDate
from homeward.lib.forking import can_fork, forked_pool
from homeward.lib.scripts import search_variants, split_keys
from homeward.people.models import PersonName
from homeward.people.services import NameInput, check_birth, check_names
from homeward.tracing.access import requests_visible_to
from homeward.tracing.models import SoughtKind
from homeward.tracing.relationships import canonical
from homeward.tracing.services import RELATIONSHIPS, RequestInput, SoughtInput, _check_sought

# A service's field name -> the target field it comes from, per kind.
ALIASES: dict[str, dict[str, str]] = {
    ImportKind.CHILDREN: {
        "birth_date": "birth", "birth": "birth", "birth_estimated_age": "estimated_age",
        "birth_estimated_on": "estimated_on", "birth_margin_years": "estimated_age",
        "nationality": "nationality", "home_region": "home_region", "country": "host_country",
        "facility_kind": "facility_kind", "since": "placed_since",
        "identified_on": "identified_on", "sex": "sex",
    },
    ImportKind.RELATIVES: {
        "birth_date": "birth", "birth": "birth", "birth_estimated_age": "estimated_age",
        "birth_estimated_on": "estimated_on", "birth_margin_years": "estimated_age",
        "relationship": "relationship", "status": "status",
    },
    ImportKind.REQUESTS: {
        "filed_on": "filed_on", "enquirer_relationship": "enquirer_relationship",
    },
}  # fmt: skip
# A field of one of repeated entries (a refusal's `within`) -> the target it comes from.
WITHIN_ALIASES: dict[str, dict[str, str]] = {
    "sought": {
        "kind": "sought_kind", "names": "sought_name_latin", "mother_names": "mother_name",
        "father_names": "father_name", "birth": "sought_birth",
    },
}  # fmt: skip


def alias_of(kind: str, error: CaseError) -> str | None:
    """The target a service's refusal names, when it names one."""
    aliases = WITHIN_ALIASES.get(error.within, {}) if error.within else ALIASES[kind]
    return aliases.get(error.field or "")


MAX_PROBLEMS_KEPT = 5000


@dataclass
class Check:
    """The dry run's result."""

    kind: str
    rows: int = 0
    plans: list[RowPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    columns: Columns | None = None

    def count(self, action: str) -> int:
        return sum(1 for plan in self.plans if plan.action == action)

    def report(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "create": self.count(Action.CREATE),
            "update": self.count(Action.UPDATE),
            "unchanged": self.count(Action.UNCHANGED),
            "problem_count": len(self.problems),
            "problems": [p.as_dict() for p in self.problems[:MAX_PROBLEMS_KEPT]],
        }


@dataclass
class Batch:
    """What the checks need to know besides the rows."""

    source: ImportSource
    kind: str
    user: Any
    columns: Columns
    today: date


def check_rows(batch: Batch, rows: Iterable[tuple[int, Sequence[str]]]) -> Check:
    check = Check(batch.kind, columns=batch.columns)
    imported = ImportedRecord.objects.filter(source=batch.source, kind=batch.kind)
    known = dict(imported.values_list("external_id", "row_hash"))
    ids = dict(imported.values_list("external_id", "object_id"))
    seen: dict[str, int] = {}
    parsed: list[tuple[RowCheck, RowPlan]] = []
    for read in read_rows(batch, known, list(rows)):
        check.rows += 1
        if read.external_id in seen:
            check.problems += read.id_problems
            check.problems.append(
                Problem(
                    read.number, batch.columns.label("external_id"),
                    _("Duplicate of row %(seen)s: the id “%(external_id)s” appears twice.")
                    % {"seen": seen[read.external_id], "external_id": read.external_id},
                )
            )  # fmt: skip
            continue
        seen[read.external_id] = read.number
        if read.problems is None:
            check.plans.append(
                RowPlan(read.number, read.external_id, read.digest, Action.UNCHANGED)
            )
            continue
        row = RowCheck(read.number, read.values, batch.columns, partial(alias_of, batch.kind))
        row.problems = read.problems
        action = Action.UPDATE if read.external_id in ids else Action.CREATE
        plan = RowPlan(
            read.number, read.external_id, read.digest, action, read.data,
            ids.get(read.external_id), read.variants,
        )  # fmt: skip
        parsed.append((row, plan))
    CONTEXT_CHECKS[batch.kind](batch, parsed)
    for row, plan in parsed:
        if row.ok:
            check.plans.append(plan)
        check.problems += row.problems
    check.problems.sort(key=lambda p: p.row)
    return check


# --- reading rows on every core ---------------------------------------------------------

# From this many rows on, rows are read by worker processes, one per CPU (forking costs
# more than it saves on a short file); each takes CHUNK_ROWS rows at a time.
PARALLEL_FROM = 5000
CHUNK_ROWS = 1000


class ReadRow(NamedTuple):
    """One row read on its own: everything that needs neither the database nor the other
    rows. `problems` is None when the row was imported before with the same content (it
    is not read further)."""

    number: int
    values: dict[str, str]
    external_id: str
    digest: str
    id_problems: list[Problem]
    problems: list[Problem] | None
    data: Any
    variants: dict[str, list[str]]


def read_row(batch: Batch, known: Mapping[str, str], number: int, cells: Sequence[str]) -> ReadRow:
    """Steps 1 to 3 of the module docstring for one row, except what needs other rows."""
    values = batch.columns.values(cells)
    row = RowCheck(number, values, batch.columns, partial(alias_of, batch.kind))
    external_id = row.required("external_id", "the record's id in the source")
    id_problems = list(row.problems)
    digest = row_hash(batch.kind, values)
    if external_id and known.get(external_id) == digest:
        return ReadRow(number, values, external_id, digest, id_problems, None, None, {})
    data = READERS[batch.kind](row, batch)
    variants = _variants(_names_of(data)) if data is not None else {}
    return ReadRow(number, values, external_id, digest, id_problems, row.problems, data, variants)


def _names_of(data: Any) -> Sequence[NameInput]:
    """The names a row's duplicates are looked for by."""
    return data.enquirer_names if isinstance(data, RequestInput) else data.names


# What forked workers read: set before the fork, inherited instead of sent.
_reading: tuple[Batch, Mapping[str, str], Sequence[tuple[int, Sequence[str]]]]


def read_rows(
    batch: Batch, known: Mapping[str, str], rows: Sequence[tuple[int, Sequence[str]]]
) -> Iterator[ReadRow]:
    """Every row read, in order; on a long file, shared with forked worker processes.
    Reading is most of a check (transliterating and script-checking every name, dates,
    codes) and each row's reading stands alone; what compares rows stays here. This
    process reads the first share itself while the workers read the rest: on a machine
    busy with other work, a pool of workers and an idle parent was slower than one
    process."""
    global _reading
    workers = os.cpu_count() or 1
    if workers < 2 or len(rows) < PARALLEL_FROM or not can_fork():
        yield from (read_row(batch, known, number, cells) for number, cells in rows)
        return
    _warm_up()
    _reading = (batch, known, rows)
    own = len(rows) // workers
    spans = [
        (start, min(start + CHUNK_ROWS, len(rows))) for start in range(own, len(rows), CHUNK_ROWS)
    ]
    with forked_pool(workers - 1) as pool:
        theirs = pool.imap(_read_span, spans)  # under way from here
        yield from (read_row(batch, known, number, cells) for number, cells in rows[:own])
        for chunk in theirs:
            yield from chunk


def _read_span(span: tuple[int, int]) -> list[ReadRow]:
    batch, known, rows = _reading
    return [read_row(batch, known, number, cells) for number, cells in rows[span[0] : span[1]]]


def _warm_up() -> None:
    """Load the country and region lists and the transliterators once, before the fork,
    instead of once in every worker."""
    _place_error("RU", "RU-DA")
    search_variants("Амина")


# --- reading one row ------------------------------------------------------------------


def _checked_name(text: str, source: str, script: str) -> NameInput | CaseError:
    try:
        return check_names([NameInput(text, source, script)])[0]
    except CaseError as error:
        return error


def _names(row: RowCheck, kind: str, source: str, prefix: str = "") -> list[NameInput]:
    """Each name column's name, checked as people.services.check_names checks names, against
    the script the column promises."""
    given = [
        (target.name, NameInput(text, source, target.script))
        for target in name_targets(kind, prefix)
        if (text := row.get(target.name))
    ]
    if not given:
        return []
    try:
        return check_names([name for _, name in given])
    except CaseError:
        pass
    # Which column is at fault: each name on its own, then the names together.
    for target, name in given:
        checked = _checked_name(name.full_name, source, name.script)
        if isinstance(checked, CaseError):
            row.problem(target, checked.message)
    if row.ok:
        row.attempt(given[0][0], lambda: check_names([name for _, name in given]))
    return []


def _first_name_column(row: RowCheck, kind: str, prefix: str = "") -> str:
    targets = name_targets(kind, prefix)
    mapped = [t.name for t in targets if t.name in row.columns.headers]
    return mapped[0] if mapped else targets[0].name


@lru_cache(maxsize=10_000)
def _place_error(nationality: str, region: str) -> CaseError | None:
    try:
        check_places(nationality, region)
    except CaseError as error:
        return error
    return None


@lru_cache(maxsize=10_000)
def _placement_error(placement: PlacementInput, today: date) -> CaseError | None:
    try:
        check_placement(placement, today)
    except CaseError as error:
        return error
    return None


def _raise(error: CaseError | None) -> None:
    if error is not None:
        raise error


def read_child(row: RowCheck, batch: Batch) -> ChildInput | None:
    kind = ImportKind.CHILDREN
    names = _names(row, kind, batch.source.name_source)
    if not names and not any(p.column in row.columns.headers.values() for p in row.problems):
        row.problem(_first_name_column(row, kind), "Missing required field: a name.")
    sex = row.attempt("sex", lambda: read_sex(row.get("sex"), "sex"))
    identified_on = None
    if row.required("identified_on", "identified on"):
        identified_on = row.attempt(
            "identified_on", lambda: read_date(row.get("identified_on"), "identified_on")
        )
    birth = row.attempt(
        "birth",
        lambda: read_birth(
            row.get("birth"), row.get("estimated_age"), row.get("estimated_on"), identified_on
        ),
    )
    nationality = read_code(row.required("nationality", "nationality"))
    region = read_region(row.get("home_region"), nationality)
    host = read_code(row.required("host_country", "country where the child is"))
    facility = row.attempt(
        "facility_kind",
        lambda: read_choice(row.get("facility_kind"), "facility_kind", FacilityKind, "unknown"),
    )
    since = row.attempt("placed_since", lambda: read_date(row.get("placed_since"), "placed_since"))
    if birth is not None:
        row.attempt("birth", lambda: check_birth(birth, batch.today))
    if nationality:
        row.attempt("nationality", lambda: _raise(_place_error(nationality, region)))
    if identified_on is not None:
        row.attempt(
            "identified_on", lambda: check_not_future(identified_on, "identified_on", batch.today)
        )
    placement = None
    if host and facility and identified_on is not None:
        placement = PlacementInput(host, facility, since or identified_on, row.get("facility_name"))
        row.attempt("host_country", lambda: _raise(_placement_error(placement, batch.today)))
    if not row.ok or sex is None or birth is None or placement is None or identified_on is None:
        return None
    return ChildInput(
        names=names, sex=sex, birth=birth, nationality=nationality, home_region=region,
        placement=placement, identified_on=identified_on,
    )  # fmt: skip


def read_relative(row: RowCheck, batch: Batch) -> RelativeInput | None:
    kind = ImportKind.RELATIVES
    if not row.get("child_external_id") and not row.get("case_reference"):
        row.problem(
            "child_external_id",
            "Missing required field: the child's id in this source or their case reference.",
        )
    names = _names(row, kind, batch.source.name_source)
    if not names and not any(p.column in row.columns.headers.values() for p in row.problems):
        row.problem(_first_name_column(row, kind), "Missing required field: a name.")
    relationship = None
    if text := row.required("relationship", "relationship"):
        relationship = row.attempt("relationship", lambda: _relationship(text))
    sex = row.attempt("sex", lambda: read_sex(row.get("sex"), "sex"))
    birth = row.attempt(
        "birth",
        lambda: read_birth(
            row.get("birth"), row.get("estimated_age"), row.get("estimated_on"), batch.today
        ),
    )
    status = row.attempt(
        "status", lambda: read_choice(row.get("status"), "status", MemberStatus, "unknown")
    )
    willing = row.attempt(
        "willing_to_take_custody",
        lambda: read_choice(
            row.get("willing_to_take_custody"), "willing_to_take_custody", Willingness, "unknown"
        ),
    )
    if birth is not None:
        row.attempt("birth", lambda: check_birth(birth, batch.today))
    if not row.ok or None in (relationship, sex, birth, status, willing):
        return None
    return RelativeInput(
        relationship=str(relationship), names=names, sex=str(sex), birth=birth,  # type: ignore[arg-type]
        status=str(status), place=row.get("place"), contact=row.get("contact"),
        willing_to_take_custody=str(willing),
    )  # fmt: skip


def _relationship(text: str) -> str:
    from homeward.cases.models import Relationship

    word = canonical(text)
    if word in RELATIONSHIPS:
        return str(RELATIONSHIPS[word])
    return read_choice(text, "relationship", Relationship)


def read_request(row: RowCheck, batch: Batch) -> RequestInput | None:
    kind = ImportKind.REQUESTS
    source = batch.source.name_source
    enquirer = _names(row, kind, source, "enquirer_")
    if not enquirer and not any(p.column in row.columns.headers.values() for p in row.problems):
        row.problem(_first_name_column(row, kind, "enquirer_"), "Missing required field: a name.")
    relationship = row.required("enquirer_relationship", "the enquirer's relationship")
    filed_on = None
    if row.required("filed_on", "filed on"):
        filed_on = row.attempt("filed_on", lambda: read_date(row.get("filed_on"), "filed_on"))
    if filed_on is not None:
        row.attempt("filed_on", lambda: check_not_future(filed_on, "filed_on", batch.today))
    sought_kind = row.attempt(
        "sought_kind",
        lambda: read_choice(row.get("sought_kind"), "sought_kind", SoughtKind, "child"),
    )
    sought_names = _names(row, kind, source, "sought_")
    sex = row.attempt("sought_sex", lambda: read_sex(row.get("sought_sex"), "sought_sex"))
    birth: BirthDate | None = row.attempt(
        "sought_birth",
        lambda: read_birth(
            row.get("sought_birth"), row.get("sought_estimated_age"),
            row.get("sought_estimated_on"), filed_on, prefix="sought_",
        ),
    )  # fmt: skip
    if not row.ok or filed_on is None or sought_kind is None or sex is None or birth is None:
        return None
    sought = SoughtInput(
        kind=sought_kind, names=[NameInput(n.full_name, n.source, n.script) for n in sought_names],
        sex=sex, birth=birth, mother_names=_one(row.get("mother_name")),
        father_names=_one(row.get("father_name")), last_known_place=row.get("last_known_place"),
    )  # fmt: skip
    row.attempt("sought_kind", lambda: _check_sought(0, sought, batch.today))
    if not row.ok:
        return None
    return RequestInput(
        enquirer_names=enquirer, enquirer_relationship=relationship, filed_on=filed_on,
        sought=[sought], enquirer_contact=row.get("enquirer_contact"),
        enquirer_place=row.get("enquirer_place"), who_left=row.get("who_left"),
        left_on=row.get("left_on"), left_for=row.get("left_for"), story=row.get("story"),
    )  # fmt: skip


def _one(text: str) -> tuple[str, ...]:
    return (text,) if text else ()


READERS: dict[str, Any] = {
    ImportKind.CHILDREN: read_child,
    ImportKind.RELATIVES: read_relative,
    ImportKind.REQUESTS: read_request,
}


# --- checks against the database and the rows before ----------------------------------


def _variants(names: Iterable[NameInput]) -> dict[str, list[str]]:
    return {n.full_name: _cached_variants(n.full_name) for n in names}


@lru_cache(maxsize=200_000)
def _cached_variants(text: str) -> list[str]:
    return search_variants(text)


@dataclass(frozen=True)
class Known:
    """A child already known: by a case, or by an earlier row of the file."""

    label: str
    case_id: int | None
    earliest: date | None
    latest: date | None
    sex: str


class Namesakes:
    """Known children by each spelling of their names and each year they may have been
    born in. A row is compared only with namesakes whose birth years meet its own, not
    with every namesake: a common name is shared by thousands of children in 100k rows.
    A child whose birth is unknown is never anyone's duplicate, so is not kept."""

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, int], list[tuple[int, Known]]] = defaultdict(list)
        self._added = 0

    def add(self, variants: Iterable[str], known: Known) -> None:
        if known.earliest is None or known.latest is None:
            return
        for variant in variants:
            self._added += 1  # the order they were added in, which the first match follows
            for year in range(known.earliest.year, known.latest.year + 1):
                self._by_key[(variant, year)].append((self._added, known))

    def first_match(self, variants: Iterable[str], birth: BirthDate, sex: str) -> Known | None:
        """The first child added under the first of `variants` that has one whose birth
        range meets `birth` and whose sex is `sex` (or unknown on either side)."""
        if not birth.is_known:
            return None
        earliest, latest = birth.earliest, birth.latest
        for variant in variants:
            best: tuple[int, Known] | None = None
            for year in range(earliest.year, latest.year + 1):
                for added, known in self._by_key.get((variant, year), ()):
                    if best is not None and added >= best[0]:
                        break
                    if (
                        known.earliest <= latest  # type: ignore[operator]
                        and earliest <= known.latest  # type: ignore[operator]
                        and (sex == known.sex or "u" in (sex, known.sex))
                    ):
                        best = (added, known)
                        break
            if best is not None:
                return best[1]
        return None


def _case_index(cases: QuerySet[ChildCase]) -> Namesakes:
    index = Namesakes()
    names = PersonName.objects.filter(person__child_case__in=cases).values_list(
        "search_key", "person__child_case__id", "person__child_case__reference",
        "person__birth_earliest", "person__birth_latest", "person__sex",
    )  # fmt: skip
    for key, case_id, reference, earliest, latest, sex in names.iterator(chunk_size=5000):
        index.add(split_keys(key), Known(reference, case_id, earliest, latest, sex))
    return index


def check_children(batch: Batch, parsed: list[tuple[RowCheck, RowPlan]]) -> None:
    visible = cases_visible_to(batch.user).filter(merged_into=None)
    _link_references(batch, parsed, visible)
    creating = [(row, plan) for row, plan in parsed if row.ok and plan.action == Action.CREATE]
    index = _case_index(visible) if creating else Namesakes()
    for row, plan in creating:
        data: ChildInput = plan.data
        variants = [v for spellings in plan.variants.values() for v in spellings]
        found = index.first_match(variants, data.birth, data.sex)
        if found is not None:
            row.problem(
                _first_name_column(row, ImportKind.CHILDREN),
                _(
                    "Duplicate of an existing record: %(label)s has the same name, sex "
                    "and date of birth. Give its case reference to update it, or "
                    "remove the row."
                )
                % {"label": found.label},
            )
            continue
        index.add(variants, Known(f"row {row.number}", None, *_range(data.birth), data.sex))


def _range(birth: BirthDate) -> tuple[date | None, date | None]:
    return (birth.earliest, birth.latest) if birth.is_known else (None, None)


def _link_references(
    batch: Batch, parsed: list[tuple[RowCheck, RowPlan]], visible: QuerySet[ChildCase]
) -> None:
    """A row naming a case reference updates that case (and links its id to it)."""
    wanted = {row.get("case_reference").upper() for row, _ in parsed if row.get("case_reference")}
    if not wanted:
        return
    cases = dict(visible.filter(reference__in=wanted).values_list("reference", "id"))
    linked = dict(
        ImportedRecord.objects.filter(
            source=batch.source, kind=batch.kind, object_id__in=cases.values()
        ).values_list("object_id", "external_id")
    )
    for row, plan in parsed:
        reference = row.get("case_reference").upper()
        if not reference:
            continue
        case_id = cases.get(reference)
        if case_id is None:
            row.problem(
                "case_reference",
                _("There is no case %(reference)s that you may change.") % {"reference": reference},
            )
        elif linked.get(case_id, plan.external_id) != plan.external_id:
            row.problem(
                "case_reference",
                _("%(reference)s was imported from this source under the id “%(linked)s”.")
                % {"reference": reference, "linked": linked[case_id]},
            )
        elif plan.object_id not in (None, case_id):
            row.problem("case_reference", "This id was imported before as another case.")
        else:
            plan.action, plan.object_id = Action.UPDATE, case_id


def check_relatives(batch: Batch, parsed: list[tuple[RowCheck, RowPlan]]) -> None:
    visible = cases_visible_to(batch.user).filter(merged_into=None)
    by_external = dict(
        ImportedRecord.objects.filter(source=batch.source, kind=ImportKind.CHILDREN).values_list(
            "external_id", "object_id"
        )
    )
    references = {row.get("case_reference").upper() for row, _ in parsed}
    by_reference = dict(visible.filter(reference__in=references).values_list("reference", "id"))
    wanted = {by_external.get(row.get("child_external_id")) for row, _ in parsed}
    reachable = set(visible.filter(pk__in=[w for w in wanted if w]).values_list("id", flat=True))
    reachable |= set(by_reference.values())
    for row, plan in parsed:
        case_id = _case_of(row, by_external, by_reference, reachable)
        plan.data = (case_id, plan.data) if case_id is not None else None
    family = _families({plan.data[0] for _, plan in parsed if plan.data})
    for row, plan in parsed:
        if plan.data is None or not row.ok:
            continue
        case_id, relative = plan.data
        _check_in_family(row, plan, family[case_id], relative)


def _case_of(
    row: RowCheck, by_external: Mapping[str, int], by_reference: Mapping[str, int],
    reachable: set[int],
) -> int | None:  # fmt: skip
    if reference := row.get("case_reference").upper():
        if reference not in by_reference:
            row.problem(
                "case_reference",
                _("There is no case %(reference)s that you may change.") % {"reference": reference},
            )
            return None
        return by_reference[reference]
    external = row.get("child_external_id")
    if not external:
        return None
    case_id = by_external.get(external)
    if case_id is None or case_id not in reachable:
        row.problem(
            "child_external_id",
            _(
                "No child with the id “%(external)s” was imported from this source "
                "(import the children first)."
            )
            % {"external": external},
        )
        return None
    return case_id


@dataclass
class Family:
    parents: dict[str, int | str] = field(default_factory=dict)  # relationship -> member
    names: dict[str, int | str] = field(default_factory=dict)  # name variant -> member


def _families(case_ids: set[Any]) -> dict[int, Family]:
    families: dict[int, Family] = defaultdict(Family)
    members = FamilyMember.objects.filter(case_id__in=case_ids)
    for case_id, member_id, relationship in members.values_list("case_id", "id", "relationship"):
        if relationship in ("mother", "father"):
            families[case_id].parents[relationship] = member_id
    names = PersonName.objects.filter(person__family_links__case_id__in=case_ids).values_list(
        "person__family_links__case_id", "person__family_links__id", "search_key"
    )
    for case_id, member_id, key in names:
        for variant in split_keys(key):
            families[case_id].names[variant] = member_id
    return families


def _check_in_family(row: RowCheck, plan: RowPlan, family: Family, relative: RelativeInput) -> None:
    me: int | str = plan.object_id if plan.object_id is not None else f"row {row.number}"
    if relative.relationship in ("mother", "father"):
        holder = family.parents.get(relative.relationship, me)
        if holder != me:
            where = holder if isinstance(holder, str) else "the case"
            row.problem(
                "relationship",
                _("Duplicate: %(where)s already has the child's %(relationship)s.")
                % {"where": where, "relationship": relative.relationship},
            )
            return
        family.parents[relative.relationship] = me
    for variants in plan.variants.values():
        for variant in variants:
            holder = family.names.get(variant, me)
            if holder != me:
                where = holder if isinstance(holder, str) else "the child's family"
                row.problem(
                    _first_name_column(row, ImportKind.RELATIVES),
                    _("Duplicate of an existing record: %(where)s already has this person.")
                    % {"where": where},
                )
                return
    for variants in plan.variants.values():
        for variant in variants:
            family.names[variant] = me


def check_requests(batch: Batch, parsed: list[tuple[RowCheck, RowPlan]]) -> None:
    """A request from an enquirer of the same name, filed the same day, is a duplicate."""
    creating = [(row, plan) for row, plan in parsed if row.ok and plan.action == Action.CREATE]
    if not creating:
        return
    known: dict[tuple[str, date], str] = {}
    names = PersonName.objects.filter(
        person__enquiries__in=requests_visible_to(batch.user)
    ).values_list("search_key", "person__enquiries__filed_on", "person__enquiries__reference")
    for key, filed_on, reference in names.iterator(chunk_size=5000):
        for variant in split_keys(key):
            known[(variant, filed_on)] = reference
    for row, plan in creating:
        data: RequestInput = plan.data
        variants = [v for spellings in plan.variants.values() for v in spellings]
        earlier = next(
            (known[(v, data.filed_on)] for v in variants if (v, data.filed_on) in known), None
        )
        if earlier:
            row.problem(
                _first_name_column(row, ImportKind.REQUESTS, "enquirer_"),
                _(
                    "Duplicate of an existing record: %(earlier)s was filed by the "
                    "same enquirer on the same day."
                )
                % {"earlier": earlier},
            )
            continue
        for variant in variants:
            known[(variant, data.filed_on)] = f"row {row.number}"


CONTEXT_CHECKS: dict[str, Any] = {
    ImportKind.CHILDREN: check_children,
    ImportKind.RELATIVES: check_relatives,
    ImportKind.REQUESTS: check_requests,
}
