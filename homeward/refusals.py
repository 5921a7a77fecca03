"""Refusals: a change or a question refused by a rule, with a message people can read."""

from __future__ import annotations


class CaseError(Exception):
    """A change refused by a rule; `field` names the input at fault, when there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
