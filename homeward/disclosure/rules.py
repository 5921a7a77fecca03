"""What counts as a sensitive cell and how well it must be hidden: one value object."""

from __future__ import annotations

from dataclasses import dataclass

from homeward.lib.i18n import gettext as _


class DisclosureError(ValueError):
    """Rules or a table the engine cannot work with; the message names the field."""


@dataclass(frozen=True)
class DisclosureRules:
    """The rules of a release, with the defaults the coordinating authority publishes under.

    - `threshold` (5): a cell counting 1 to `threshold - 1` children is sensitive (primary
      suppression). Totals are cells like any other: a region with 3 children is sensitive
      in its row total too.
    - `zeros_are_sensitive` (False): an empty cell is published. "No child aged 18+ in
      Syria" singles no child out; set it for tables where an empty cell would tell
      something about the children in the neighbouring cells.
    - Protection: for each sensitive cell, a reader who works through every published cell
      and total (by linear programming, as the engine's own audit does) must not be able
      to rule out that the cell is 0, nor that it is `threshold` or more. So "2" hides
      among 0 to at least 5: the reader cannot tell whether any child is in the cell, nor
      whether it is a group large enough to publish.
    - `rounding_base` (None): with 5, every published cell, totals included, is rounded
      to the nearest multiple of 5 on its own (halves up), so rounded cells need not add
      up to their rounded totals; the release says so.
    """

    threshold: int = 5
    zeros_are_sensitive: bool = False
    rounding_base: int | None = None
    time_limit_seconds: float = 60.0

    def __post_init__(self) -> None:
        if not isinstance(self.threshold, int) or self.threshold < 1:
            raise DisclosureError("threshold: give a whole number of at least 1.")
        if self.rounding_base is not None and (
            not isinstance(self.rounding_base, int) or self.rounding_base < 2
        ):
            raise DisclosureError("rounding_base: give a whole number of at least 2, or none.")

    def is_sensitive(self, value: int) -> bool:
        if value == 0:
            return self.zeros_are_sensitive
        return value < self.threshold

    def protection(self, value: int) -> tuple[int, int]:
        """How far below and above its value a sensitive cell must be able to lie."""
        return value, max(self.threshold - value, 1)

    def describe(self) -> str:
        """The rules in a sentence or three, in the active language."""
        text = _(
            "Cells counting 1 to %(below)s children are suppressed, and so are further cells "
            "chosen so that no suppressed cell can be worked out from the totals: each could "
            "be 0 or %(threshold)s or more as far as a reader can tell."
        ) % {"below": self.threshold - 1, "threshold": self.threshold}
        text += " " + (
            _("Empty cells are suppressed too.")
            if self.zeros_are_sensitive
            else _("Empty cells are shown as 0.")
        )
        if self.rounding_base:
            text += " " + _(
                "Shown figures are rounded to the nearest %(base)s, each on its own, so they "
                "may not add up to the totals shown."
            ) % {"base": self.rounding_base}
        return text


DEFAULT_RULES = DisclosureRules()
