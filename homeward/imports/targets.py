"""What an import can fill in, per kind of record, and how columns are mapped to it.

A source's mapping names, for each target field, the column header that holds it; a
default fills a field the source's files never have (nationality "RU", say). A file whose
headers are the target names (or end with them, as KoBoToolbox's "group/field" do) needs
no mapping at all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from homeward.imports.models import ImportKind


@dataclass(frozen=True)
class Target:
    name: str
    label: str
    required: bool = False
    script: str = ""  # for a name: the script its letters must be in


def _names(prefix: str, label: str) -> tuple[Target, ...]:
    return (
        Target(f"{prefix}name_latin", f"{label} in Latin letters", script="Latn"),
        Target(f"{prefix}name_cyrillic", f"{label} in Cyrillic letters", script="Cyrl"),
        Target(f"{prefix}name_arabic", f"{label} in Arabic letters", script="Arab"),
    )


BIRTH = (
    Target("birth", "Date of birth (2012-05-03, 2012-05, 2012)"),
    Target("estimated_age", "Estimated age in years (when the date is unknown)"),
    Target("estimated_on", "Age estimated on (default: identified on)"),
)

TARGETS: dict[str, tuple[Target, ...]] = {
    ImportKind.CHILDREN: (
        Target("external_id", "Record id in the source", required=True),
        Target("case_reference", "Homeward case reference (links an existing case)"),
        *_names("", "Name"),
        Target("sex", "Sex (f, m, u)"),
        *BIRTH,
        Target("nationality", "Nationality (ISO code, e.g. RU)", required=True),
        Target("home_region", "Home region (ISO 3166-2 code, e.g. RU-DA)"),
        Target("host_country", "Country where the child is (ISO code, e.g. IQ)", required=True),
        Target("facility_kind", "Kind of placement (e.g. camp, state_orphanage)"),
        Target("facility_name", "Name of the facility"),
        Target("placed_since", "In this placement since (default: identified on)"),
        Target("identified_on", "Identified on", required=True),
    ),
    ImportKind.RELATIVES: (
        Target("external_id", "Record id in the source", required=True),
        Target("child_external_id", "The child's record id in this source"),
        Target("case_reference", "or the child's Homeward case reference"),
        Target("relationship", "Relationship to the child (mother, aunt, ...)", required=True),
        *_names("", "Name"),
        Target("sex", "Sex (f, m, u)"),
        *BIRTH,
        Target("status", "Status (alive, detained, deceased, missing, unknown)"),
        Target("place", "Where they live or were last"),
        Target("contact", "Contact"),
        Target("willing_to_take_custody", "Willing to take custody (willing, unwilling)"),
    ),
    ImportKind.REQUESTS: (
        Target("external_id", "Record id in the source", required=True),
        *_names("enquirer_", "Enquirer's name"),
        Target("enquirer_relationship", "Enquirer's relationship", required=True),
        Target("enquirer_contact", "Enquirer's contact"),
        Target("enquirer_place", "Enquirer's place"),
        Target("filed_on", "Filed on", required=True),
        Target("sought_kind", "Sought person is a (child, mother, other)"),
        *_names("sought_", "Sought person's name"),
        Target("sought_sex", "Sought person's sex"),
        Target("sought_birth", "Sought person's date of birth"),
        Target("sought_estimated_age", "Sought person's estimated age"),
        Target("sought_estimated_on", "Sought person's age estimated on (default: filed on)"),
        Target("mother_name", "Sought person's mother's name"),
        Target("father_name", "Sought person's father's name"),
        Target("last_known_place", "Last known place"),
        Target("who_left", "Who left"),
        Target("left_on", "Left on (as precise as known)"),
        Target("left_for", "Left for"),
        Target("story", "Story"),
    ),
}


def targets_for(kind: str) -> tuple[Target, ...]:
    return TARGETS[kind]


def target_named(kind: str, name: str) -> Target:
    return next(t for t in TARGETS[kind] if t.name == name)


@cache
def name_targets(kind: str, prefix: str = "") -> tuple[Target, ...]:
    return tuple(t for t in TARGETS[kind] if t.script and t.name.startswith(prefix))


def _plain(header: str) -> str:
    """KoBoToolbox writes "group_child/dob"; the field is the last part."""
    return header.strip().rsplit("/", 1)[-1].strip().lower().replace(" ", "_")


def guess_mapping(kind: str, headers: Sequence[str]) -> dict[str, str]:
    """Columns whose header is a target's name (or its label), matched without case."""
    by_plain = {_plain(h): h for h in headers if h.strip()}
    guessed: dict[str, str] = {}
    for target in TARGETS[kind]:
        for candidate in (target.name, _plain(target.label)):
            if candidate in by_plain:
                guessed[target.name] = by_plain[candidate]
                break
    return guessed


def effective_mapping(
    kind: str, headers: Sequence[str], saved: Mapping[str, str]
) -> dict[str, str]:
    """The source's saved mapping (its columns that this file has), or, before anything was
    saved, the guessed one."""
    if not saved:
        return guess_mapping(kind, headers)
    present = set(headers)
    return {target: header for target, header in saved.items() if header in present}
