"""The cycle collector is paused for bulk work and always given back."""

from __future__ import annotations

import gc

import pytest

from homeward.lib.memory import without_cyclic_gc


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
