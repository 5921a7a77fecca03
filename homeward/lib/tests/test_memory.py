"""The cycle collector is paused for bulk work and always given back."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from homeward.lib.memory import each_without_cyclic_gc, without_cyclic_gc


def test_the_collector_is_paused_inside_and_enabled_again_after() -> None:
    assert gc.isenabled()
    with without_cyclic_gc():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_it_is_enabled_again_after_an_error() -> None:
    with pytest.raises(ValueError), without_cyclic_gc():
        raise ValueError("bad row")
    assert gc.isenabled()


def test_a_collector_already_paused_stays_paused() -> None:
    gc.disable()
    try:
        with without_cyclic_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_each_item_is_made_with_the_collector_paused_and_held_with_it_enabled() -> None:
    def made() -> Iterator[bool]:
        for _ in range(3):
            yield gc.isenabled()

    seen = []
    for enabled_while_made in each_without_cyclic_gc(made()):
        seen.append(enabled_while_made)
        assert gc.isenabled()  # the caller holds the item with the collector on
    assert seen == [False, False, False]


def test_an_iteration_stopped_early_leaves_the_collector_enabled() -> None:
    items = each_without_cyclic_gc(iter(range(10)))
    assert next(items) == 0
    assert gc.isenabled()
    items.close()
    assert gc.isenabled()


def test_what_exists_when_an_item_is_given_back_is_frozen_until_the_iteration_ends() -> None:
    # The collector's first pass after each pause would walk every object the pause made.
    kept: list[list[dict[str, int]]] = []

    def made() -> Iterator[int]:
        for number in range(2):
            kept.append([{"row": row} for row in range(5000)])
            yield number

    for _ in each_without_cyclic_gc(made()):
        assert gc.get_freeze_count() >= 5000
    assert gc.get_freeze_count() == 0
    assert len(kept) == 2


def test_an_iteration_stopped_early_unfreezes_what_it_froze() -> None:
    items = each_without_cyclic_gc(iter([[{"row": row} for row in range(100)]]))
    next(items)
    assert gc.get_freeze_count() > 0
    items.close()
    assert gc.get_freeze_count() == 0
