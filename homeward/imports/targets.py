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
from homeward.lib.i18n import gettext, gettext_noop


@dataclass(frozen=True)
class Target:
    name: str
    label: str  # in English, as headers are guessed from it; shown translated
    required: bool = False
    script: str = ""  # for a name: the script its letters must be in

    @property
    def shown(self) -> str:
        """The label in the reader's language."""
        return gettext(self.label)


def _names(prefix: str, latin: str, cyrillic: str, arabic: str) -> tuple[Target, ...]:
    return (
        Target(f"{prefix}name_latin", latin, script="Latn"),
        Target(f"{prefix}name_cyrillic", cyrillic, script="Cyrl"),
        Target(f"{prefix}name_arabic", arabic, script="Arab"),
    )


NAMES = (
    gettext_noop("Name in Latin letters"),
    gettext_noop("Name in Cyrillic letters"),
    gettext_noop("Name in Arabic letters"),
)


BIRTH = (
    Target("birth", gettext_noop("Date of birth (2012-05-03, 2012-05, 2012)")),
    Target("estimated_age", gettext_noop("Estimated age in years (when the date is unknown)")),
    Target("estimated_on", gettext_noop("Age estimated on (default: identified on)")),
)

TARGETS: dict[str, tuple[Target, ...]] = {
    ImportKind.CHILDREN: (
        Target("external_id", gettext_noop("Record id in the source"), required=True),
        Target("case_reference", gettext_noop("Homeward case reference (links an existing case)")),
        *_names("", *NAMES),
        Target("sex", gettext_noop("Sex (f, m, u)")),
        *BIRTH,
        Target("nationality", gettext_noop("Nationality (ISO code, e.g. RU)"), required=True),
        Target("home_region", gettext_noop("Home region (ISO 3166-2 code, e.g. RU-DA)")),
        Target(
            "host_country",
            gettext_noop("Country where the child is (ISO code, e.g. IQ)"),
            required=True,
        ),
        Target("facility_kind", gettext_noop("Kind of placement (e.g. camp, state_orphanage)")),
        Target("facility_name", gettext_noop("Name of the facility")),
        Target("placed_since", gettext_noop("In this placement since (default: identified on)")),
        Target("identified_on", gettext_noop("Identified on"), required=True),
    ),
    ImportKind.RELATIVES: (
        Target("external_id", gettext_noop("Record id in the source"), required=True),
        Target("child_external_id", gettext_noop("The child's record id in this source")),
        Target("case_reference", gettext_noop("or the child's Homeward case reference")),
        Target(
            "relationship",
            gettext_noop("Relationship to the child (mother, aunt, ...)"),
            required=True,
        ),
        *_names("", *NAMES),
        Target("sex", gettext_noop("Sex (f, m, u)")),
        *BIRTH,
        Target("status", gettext_noop("Status (alive, detained, deceased, missing, unknown)")),
        Target("place", gettext_noop("Where they live or were last")),
        Target("contact", gettext_noop("Contact")),
        Target(
            "willing_to_take_custody", gettext_noop("Willing to take custody (willing, unwilling)")
        ),
    ),
    ImportKind.REQUESTS: (
        Target("external_id", gettext_noop("Record id in the source"), required=True),
        *_names(
            "enquirer_",
            gettext_noop("Enquirer's name in Latin letters"),
            gettext_noop("Enquirer's name in Cyrillic letters"),
            gettext_noop("Enquirer's name in Arabic letters"),
        ),
        Target("enquirer_relationship", gettext_noop("Enquirer's relationship"), required=True),
        Target("enquirer_contact", gettext_noop("Enquirer's contact")),
        Target("enquirer_place", gettext_noop("Enquirer's place")),
        Target("filed_on", gettext_noop("Filed on"), required=True),
        Target("sought_kind", gettext_noop("Sought person is a (child, mother, other)")),
        *_names(
            "sought_",
            gettext_noop("Sought person's name in Latin letters"),
            gettext_noop("Sought person's name in Cyrillic letters"),
            gettext_noop("Sought person's name in Arabic letters"),
        ),
        Target("sought_sex", gettext_noop("Sought person's sex")),
        Target("sought_birth", gettext_noop("Sought person's date of birth")),
        Target("sought_estimated_age", gettext_noop("Sought person's estimated age")),
        Target(
            "sought_estimated_on",
            gettext_noop("Sought person's age estimated on (default: filed on)"),
        ),
        Target("mother_name", gettext_noop("Sought person's mother's name")),
        Target("father_name", gettext_noop("Sought person's father's name")),
        Target("last_known_place", gettext_noop("Last known place")),
        Target("who_left", gettext_noop("Who left")),
        Target("left_on", gettext_noop("Left on (as precise as known)")),
        Target("left_for", gettext_noop("Left for")),
        Target("story", gettext_noop("Story")),
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
