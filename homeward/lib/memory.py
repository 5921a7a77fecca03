"""Memory habits of bulk work."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def without_cyclic_gc() -> Iterator[None]:
    """Pause Python's cycle collector for bulk work that makes millions of small objects
    and no reference cycles (an import's rows, a linkage's name readings and blocking
    keys): the collector would walk them all again and again, and an import grew faster
    than its size. Counted references free everything as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
