"""Refusals: a change or a question refused by a rule, with a message people can read.

Every service refuses with a subclass of `Refusal`; pages, the API and the commands turn
one into a form error, a 422 problem or a non-zero exit, reading where the fault lies
from its attributes, never from its message:

    Refusal                  a rule said no (this module)
    ├── CaseError            a record's rule: cases, people, tracing, care, protection, ...
    │   ├── MissionError     a mission or its manifest (missions.services)
    │   ├── ImportRefused    an upload, a mapping or a commit (imports.services)
    │   ├── ExportRefused    an export asked for (exports.choice)
    │   └── NotStaff         a user who no longer acts as staff (accounts.roles)
    ├── ReleaseError         a statistical release (releases.services)
    ├── StatsError           a count asked for (statistics.services)
    └── ApiKeyError          an API key or a change to one (api.keys)

- `field`: the input at fault as the service takes it ("filed_on", "birth"), or None;
- `within` and `index`: when that input is one of repeated entries, the collection and
  the entry's place or key in it (`field="birth", within="sought", index=1` is the birth
  of the second person a tracing request seeks).

Errors of the Django-free engines and helpers (`lib`, `matching`, `disclosure`) stay
`ValueError`s of their own: a service that calls one turns it into a refusal naming the
field. Failures of the machine rather than of a rule (a backup, a key file) are not
refusals either.
"""

from __future__ import annotations


class Refusal(Exception):
    """A change or a question refused by a rule; see the module for `field` and `index`."""

    def __init__(
        self,
        message: str,
        field: str | None = None,
        *,
        within: str | None = None,
        index: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.within = within
        self.index = index


class CaseError(Refusal):
    """A change to a record refused by a rule (the cases, people and tracing services')."""
