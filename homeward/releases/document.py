"""What an approved release says about itself, so that a file forwarded on its own still
explains itself: its title, what is counted and on what day, whose figures they are, who
approved them and when, the disclosure rule in words, what a blank means, and names
instead of codes. `releases.files` writes the same document as CSV, XLSX and JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.cases.models import FacilityKind
from homeward.cases.status import CaseStatus
from homeward.disclosure import TOTAL
from homeward.lib.agebands import band_name
from homeward.lib.places import UnknownPlaceError, country_name, region_name
from homeward.people.models import Sex
from homeward.releases.models import Release
from homeward.releases.services import BLANK
from homeward.statistics.services import DIMENSION_NAMES, UNCERTAIN


@dataclass(frozen=True)
class Line:
    """One row of the published table: each dimension's code and name, and what is shown."""

    codes: tuple[str, ...]
    names: tuple[str, ...]
    shown: int | str  # a count, or BLANK


@dataclass(frozen=True)
class ReleaseDocument:
    title: str
    counted: str  # what is counted, in words
    period: str  # "As of 2019-01-05", "Repatriated on 2018-12-30", ...
    as_of: str  # the day the figures hold for (the end of a period), ISO
    source: str
    approval: str  # who approved it and when, in words
    approved_by: str
    approved_at: str  # ISO, UTC
    rule: str
    legend: str
    ages: str
    seal: str
    dimensions: tuple[str, ...]  # codes, as in the statistics query
    headers: tuple[str, ...]  # the dimensions' names, then the count's
    lines: tuple[Line, ...]

    def notes(self) -> list[tuple[str, str]]:
        """The notes printed under the table, as (heading, text)."""
        return [
            (_("Disclosure control"), self.rule),
            (_("Legend"), self.legend),
            (_("Ages"), self.ages),
            (_("Seal"), self.seal),
        ]

    def heading(self) -> list[tuple[str, str]]:
        """The lines printed above the table, after the title, as (heading, text)."""
        return [
            (_("What is counted"), self.counted),
            (_("Date"), self.period),
            (_("Source"), self.source),
            (_("Approved"), self.approval),
        ]


def document_of(release: Release) -> ReleaseDocument:
    """The release as published: only an approved release has a document."""
    if not release.is_approved or release.decided_at is None:
        raise ValueError("Only an approved release is published.")
    dims = tuple(release.table["dimensions"])
    approved_at = timezone.localtime(release.decided_at, UTC)
    approver = _person(release.decided_by)
    return ReleaseDocument(
        title=release.title,
        counted=release.description,
        period=period_of(release.parameters),
        as_of=_as_of(release.parameters),
        source=_agency(release.prepared_by) or "Homeward",
        approval=_("Approved for publication by %(who)s on %(when)s UTC.")
        % {"who": approver, "when": f"{approved_at:%Y-%m-%d %H:%M}"},
        approved_by=approver,
        approved_at=approved_at.isoformat(timespec="seconds"),
        rule=release.rules_note,
        legend=legend(release.rules["threshold"]),
        ages=release.age_note,
        seal=_("SHA-256 of the table as checked: %(hash)s") % {"hash": release.content_hash},
        dimensions=dims,
        headers=(*(str(DIMENSION_NAMES.get(d, d)) for d in dims), _("Children")),
        lines=tuple(_line(dims, cell) for cell in release.table["cells"]),
    )


def legend(threshold: int) -> str:
    return _(
        "%(blank)s: not published. Either fewer than %(threshold)s children, or hidden so "
        "that such a cell cannot be worked out from the others. Totals count every child, "
        "those in cells not published included."
    ) % {"blank": BLANK, "threshold": threshold}


def period_of(parameters: dict[str, Any]) -> str:
    """The day or period a release counts, in words."""
    if parameters.get("repatriated_on"):
        return _("Repatriated on %(day)s") % {"day": parameters["repatriated_on"]}
    if parameters.get("flow"):
        return _("%(flow)s from %(start)s to %(end)s") % {
            "flow": str(parameters["flow"]).capitalize(),
            "start": parameters["flow_from"],
            "end": parameters["flow_to"],
        }
    return _("As of %(day)s") % {"day": parameters["as_of"]}


def _as_of(parameters: dict[str, Any]) -> str:
    return str(parameters.get("repatriated_on") or parameters.get("flow_to") or parameters["as_of"])


def category_name(dimension: str, value: str) -> str:
    """A category as a reader names it: "Dagestan, Respublika", "Iraq", "Female"."""
    if value == TOTAL:
        return _("Total")
    if value == "unknown":
        return _("Unknown")
    if dimension == "age-band" and value == UNCERTAIN:
        return _("Uncertain (the age range straddles a band)")
    try:
        return _named(dimension, value)
    except (UnknownPlaceError, ValueError):
        return value


def _named(dimension: str, value: str) -> str:
    if dimension == "region":
        return region_name(value)
    if dimension == "host":
        return country_name(value)
    if dimension == "status":
        return str(CaseStatus(value).label)
    if dimension == "sex":
        return str(Sex(value).label)
    if dimension == "placement":
        return str(FacilityKind(value).label)
    if dimension == "age-band":
        return _("%(band)s years") % {"band": band_name(value)}
    return value


def _line(dims: tuple[str, ...], cell: dict[str, Any]) -> Line:
    codes = tuple(cell["key"])
    names = tuple(category_name(d, v) for d, v in zip(dims, codes, strict=True))
    return Line(codes, names, BLANK if cell["shown"] is None else cell["shown"])


def _person(user: Any) -> str:
    if user is None:
        return ""
    name = user.get_full_name() or user.get_username()
    agency = _agency(user)
    return f"{name} ({agency})" if agency else name


def _agency(user: Any) -> str:
    profile = getattr(user, "staff_profile", None)
    return profile.agency.name if profile is not None else ""
