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
    alive, never leaves the collector off for the rest of the process.

    What exists when an item is given back is frozen (`gc.freeze`) until the iteration
    ends: the collector skips it. Else its first collection after each pause walks every
    object the pause made (a linkage's readings, index and caches, millions at 1M
    records) and its older generations walk them again; at 10,000 records that cost
    a second of the main process's CPU, and FEBRL4 a tenth of its time. Counted
    references still free what is dropped; frozen cycles are collected after the end."""
    try:
        while True:
            with without_cyclic_gc():
                try:
                    item = next(items)
                except StopIteration:
                    return
                gc.freeze()
            yield item
    finally:
        gc.unfreeze()
