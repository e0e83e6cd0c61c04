"""The start-up heap is frozen out of collections, and a schema swap lets its garbage go."""

from __future__ import annotations

import asyncio
import gc
import weakref
from collections.abc import Iterator

import pytest

from hub import heap


class Node:
    """Cyclic, as a composed schema is: only the collector frees it, never a refcount."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture(autouse=True)
def thawed() -> Iterator[None]:
    yield
    gc.unfreeze()


def _frozen_cycle() -> weakref.ref[Node]:
    node = Node()
    heap.freeze()
    return weakref.ref(node)


def test_what_lived_at_start_up_is_skipped_by_collections() -> None:
    gone = _frozen_cycle()

    gc.collect()

    assert gone() is not None
    assert gc.get_freeze_count() > 0


async def test_a_swap_lets_the_collector_free_the_old_schema_and_freezes_again_later(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(heap, "REFREEZE_AFTER_SECONDS", 0.05)
    gone = _frozen_cycle()

    heap.thaw_for_swap()
    gc.collect()

    assert gone() is None
    assert gc.get_freeze_count() == 0
    await asyncio.sleep(0.2)
    assert gc.get_freeze_count() > 0
