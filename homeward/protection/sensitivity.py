"""How sensitive each field of a child's record is, and which roles may read the restricted
ones. One table, so that a page, an export or a search asks the same question.

- case team: anyone who may open the case;
- sensitive: the same, but never in figures or extracts for partners;
- restricted: only the roles of its kind; encrypted at rest (protection.fields).
"""

from __future__ import annotations

import enum
from typing import Any

from homeward.accounts.models import Role
from homeward.accounts.roles import has_role


class Restricted(enum.StrEnum):
    LEGAL = "legal"  # a parent's conviction and sentence
    HEALTH = "health"  # examination findings
    DNA = "dna"  # DNA test results
    PHOTO = "photo"  # photographs of the child


READERS: dict[Restricted, frozenset[str]] = {
    Restricted.LEGAL: frozenset({Role.CASEWORKER, Role.SUPERVISOR}),
    Restricted.HEALTH: frozenset({Role.MEDICAL_OFFICER, Role.SUPERVISOR}),
    Restricted.DNA: frozenset({Role.SUPERVISOR}),
    Restricted.PHOTO: frozenset({Role.CASEWORKER, Role.SUPERVISOR, Role.MISSION_COORDINATOR}),
}

CASE_TEAM = "case team"
SENSITIVE = "sensitive"

# Every field of the records that describe a child, classified. A test fails when a model
# gains a field that is not in this table.
FIELDS: dict[str, dict[str, str | Restricted]] = {
    "people.person": {
        "id": CASE_TEAM, "sex": CASE_TEAM, "birth_precision": CASE_TEAM, "birth_date": CASE_TEAM,
        "birth_estimated_age": CASE_TEAM, "birth_estimated_on": CASE_TEAM,
        "birth_margin_years": CASE_TEAM, "birth_earliest": CASE_TEAM, "birth_latest": CASE_TEAM,
        "birth_midpoint": CASE_TEAM, "nationality": CASE_TEAM, "created_at": CASE_TEAM,
        "updated_at": CASE_TEAM,
    },
    "people.personname": {
        "id": CASE_TEAM, "person": CASE_TEAM, "full_name": CASE_TEAM, "script": CASE_TEAM,
        "source": CASE_TEAM, "is_preferred": CASE_TEAM, "search_key": CASE_TEAM,
    },
    "people.namekey": {"id": CASE_TEAM, "person": CASE_TEAM, "key": CASE_TEAM},
    "cases.childcase": {
        "id": CASE_TEAM, "reference": CASE_TEAM, "child": CASE_TEAM, "home_region": CASE_TEAM,
        "agency": CASE_TEAM, "assigned_to": CASE_TEAM, "status": CASE_TEAM,
        "status_since": CASE_TEAM, "registered_at": CASE_TEAM, "registered_by": CASE_TEAM,
        "updated_at": CASE_TEAM, "merged_into": CASE_TEAM, "import_batch": CASE_TEAM,
    },
    "cases.familymember": {
        "id": CASE_TEAM, "case": CASE_TEAM, "person": CASE_TEAM, "relationship": CASE_TEAM,
        "status": SENSITIVE, "detention_facility": SENSITIVE, "conviction": Restricted.LEGAL,
        "sentence": Restricted.LEGAL, "place": SENSITIVE, "contact": SENSITIVE,
        "willing_to_take_custody": CASE_TEAM, "home_assessment": CASE_TEAM,
        "home_assessed_on": CASE_TEAM,
    },
    "cases.placement": {
        "id": CASE_TEAM, "case": CASE_TEAM, "country": CASE_TEAM, "facility_kind": CASE_TEAM,
        "facility_name": SENSITIVE, "since": CASE_TEAM, "recorded_at": CASE_TEAM,
        "recorded_by": CASE_TEAM,
    },
    "cases.casenote": {
        "id": CASE_TEAM, "case": CASE_TEAM, "text": SENSITIVE, "noted_on": CASE_TEAM,
        "written_at": CASE_TEAM, "author": CASE_TEAM,
    },
    "cases.attachment": {
        "id": CASE_TEAM, "case": CASE_TEAM, "kind": CASE_TEAM, "file": SENSITIVE,
        "original_name": SENSITIVE, "content_type": CASE_TEAM, "size": CASE_TEAM,
        "description": SENSITIVE, "uploaded_at": CASE_TEAM, "uploaded_by": CASE_TEAM,
    },
    "cases.statustransition": {
        "id": CASE_TEAM, "case": CASE_TEAM, "from_status": CASE_TEAM, "to_status": CASE_TEAM,
        "effective_on": CASE_TEAM, "recorded_at": CASE_TEAM, "recorded_by": CASE_TEAM,
        "reason": SENSITIVE,
    },
    "health.arrivalexamination": {
        "id": CASE_TEAM, "case": CASE_TEAM, "mission": CASE_TEAM, "hospital": CASE_TEAM,
        "examined_on": CASE_TEAM, "findings": Restricted.HEALTH,
        "follow_up_needed": CASE_TEAM, "follow_up": Restricted.HEALTH,
        "recorded_at": CASE_TEAM, "recorded_by": CASE_TEAM,
    },
    "care.handover": {
        "id": CASE_TEAM, "case": CASE_TEAM, "handed_over_on": CASE_TEAM,
        "receiver_kind": CASE_TEAM, "receiving_relative": CASE_TEAM, "institution": CASE_TEAM,
        "region": CASE_TEAM, "town": SENSITIVE, "recorded_at": CASE_TEAM,
        "recorded_by": CASE_TEAM,
    },
    "care.followupvisit": {
        "id": CASE_TEAM, "case": CASE_TEAM, "hand_over": CASE_TEAM, "months_after": CASE_TEAM,
        "due_on": CASE_TEAM, "visited_on": CASE_TEAM, "visited_by": CASE_TEAM,
        "schooling": SENSITIVE, "health": SENSITIVE, "psychosocial_support": SENSITIVE,
        "concerns": SENSITIVE, "case_ended": CASE_TEAM,
    },
    "missions.manifestentry": {
        "id": CASE_TEAM, "mission": CASE_TEAM, "case": CASE_TEAM, "seat": CASE_TEAM,
        "escort": CASE_TEAM, "receiving_region": CASE_TEAM, "added_at": CASE_TEAM,
        "added_by": CASE_TEAM, "added_reason": SENSITIVE, "removed_at": CASE_TEAM,
        "removed_by": CASE_TEAM, "removed_reason": SENSITIVE, "travelled": CASE_TEAM,
        "not_travelled_reason": SENSITIVE, "override_items": CASE_TEAM,
        "override_reason": SENSITIVE, "override_by": CASE_TEAM, "override_at": CASE_TEAM,
    },
    "missions.readinesscheck": {
        "id": CASE_TEAM, "case": CASE_TEAM, "item": CASE_TEAM, "done_on": CASE_TEAM,
        "evidence": SENSITIVE, "recorded_at": CASE_TEAM, "recorded_by": CASE_TEAM,
    },
    "rules.rulealert": {
        "id": CASE_TEAM, "case": CASE_TEAM, "rule": CASE_TEAM, "kind": CASE_TEAM,
        "limit_earliest": CASE_TEAM, "limit_latest": CASE_TEAM, "message": CASE_TEAM,
        "raised_on": CASE_TEAM, "evaluated_on": CASE_TEAM, "resolved_on": CASE_TEAM,
        "resolved_by": CASE_TEAM, "resolution": SENSITIVE,
    },
}  # fmt: skip


def may_read(user: Any, category: Restricted) -> bool:
    return has_role(user, READERS[category])
