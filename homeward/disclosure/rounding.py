"""Rounding published counts to a base, each cell on its own."""

from __future__ import annotations


def round_to_base(value: int, base: int) -> int:
    """The nearest multiple of `base`; a value halfway between rounds up (base 10: 5 -> 10).
    Totals are rounded like any other cell, not re-added from rounded parts."""
    return (value + base // 2) // base * base
