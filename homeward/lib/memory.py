"""Memory habits of bulk work."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")


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


def each_without_cyclic_gc(items: Iterator[T]) -> Iterator[T]:
    """The items of a lazy bulk computation, the collector paused while each is made and
    given back while the caller holds it: a caller that stops early, or keeps the iterator
    alive, never leaves the collector off for the rest of the process."""
    while True:
        with without_cyclic_gc():
            try:
                item = next(items)
            except StopIteration:
                return
        yield item
