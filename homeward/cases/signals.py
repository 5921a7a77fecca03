"""Signals the case services send, for other apps (tracing) to react without the case app
knowing them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with `case` after anything the matching engine reads changed: names, sex, birth,
# family. Sent inside the change's transaction.
case_identity_changed = Signal()

# Sent with `case` and `today` (None: the real today) after what the custody rules read
# changed: the case was registered, or its birth date or placement changed. Sent inside
# the change's transaction.
case_circumstances_changed = Signal()

# Sent with `case` when it reached a final status (closed, or another ending), inside the
# move's transaction.
case_ended = Signal()
