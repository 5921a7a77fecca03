"""Age bands for lists and statistics, written as a short spec: "below-10,10,11-17,18+"."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from homeward.lib.ages import MAX_AGE
from homeward.lib.i18n import gettext as _


@dataclass(frozen=True)
class AgeBand:
    label: str
    youngest: int
    oldest: int | None  # None: no upper limit

    def contains(self, age: int) -> bool:
        return age >= self.youngest and (self.oldest is None or age <= self.oldest)


class AgeBandError(ValueError):
    pass


# The bands the coordinating authority's published figures use ("115 children aged below 10
# and 8 aged 11 to 17"); 10 stands alone because the reports leave it out.
REPORT_BANDS = "below-10,10,11-17,18+"
PRESETS = {
    "report": REPORT_BANDS,
    "standard": "0-2,3-9,10,11-17,18+",
}


def parse_bands(spec: str) -> list[AgeBand]:
    """Parse a preset name or a comma list of `A-B`, `A`, `A+` and `below-A` bands."""
    spec = PRESETS.get(spec.strip(), spec)
    bands = [_parse_band(part.strip()) for part in spec.split(",") if part.strip()]
    if not bands:
        raise AgeBandError(_("No age bands given."))
    _check_no_overlap(bands)
    return bands


BAND_PATTERN = re.compile(r"below-([0-9]+)|([0-9]+)\+|([0-9]+)-([0-9]+)|([0-9]+)", re.ASCII)


def _parse_band(part: str) -> AgeBand:
    match = BAND_PATTERN.fullmatch(part)
    if match is None:
        raise AgeBandError(
            _("Age band %(band)r is not understood; write e.g. 3-9, 10, 18+ or below-10.")
            % {"band": part}
        )
    # An age past the oldest anyone may be born is no band; as a count of years it would
    # also reach before year 1 when the bands are turned into birth dates.
    if any(len(number) > 4 or int(number) > MAX_AGE + 1 for number in match.groups() if number):
        raise AgeBandError(
            _("Age band %(band)r goes past %(max)s years, the oldest age.")
            % {"band": part, "max": MAX_AGE}
        )
    below, open_from, low, high, single = match.groups()
    if below is not None:
        if int(below) == 0:
            raise AgeBandError(_("Age band 'below-0' holds no age."))
        return AgeBand(f"below {int(below)}", 0, int(below) - 1)
    if open_from is not None:
        return AgeBand(part, int(open_from), None)
    if low is not None:
        if int(low) > int(high):
            raise AgeBandError(_("Age band %(band)r ends before it starts.") % {"band": part})
        return AgeBand(part, int(low), int(high))
    return AgeBand(part, int(single), int(single))


def _check_no_overlap(bands: list[AgeBand]) -> None:
    ordered = sorted(bands, key=lambda band: band.youngest)
    for lower, upper in itertools.pairwise(ordered):
        if lower.oldest is None or lower.oldest >= upper.youngest:
            raise AgeBandError(
                _("Age bands %(lower)r and %(upper)r overlap.")
                % {"lower": lower.label, "upper": upper.label}
            )


def band_name(label: str) -> str:
    """A band's label as the reader says it: "below 10" is "до 10" in Russian;
    "3-9", "10" and "18+" are numbers in every language."""
    if label.startswith("below "):
        return _("below %(age)s") % {"age": label.removeprefix("below ")}
    return label


def band_for(age: int | None, bands: list[AgeBand]) -> str | None:
    if age is None:
        return None
    for band in bands:
        if band.contains(age):
            return band.label
    return None
