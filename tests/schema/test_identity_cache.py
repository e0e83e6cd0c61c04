"""Values are kept by the identity of their objects: the same objects find them, equal copies
do not, a kept None is told from nothing kept, and the bound holds."""

from __future__ import annotations

from schema.identity_cache import IdentityCache


def test_the_same_objects_find_their_value_and_equal_copies_do_not() -> None:
    cache: IdentityCache[str | None] = IdentityCache(kept=4)
    nodes = (["a"], ["b"])
    cache.keep(nodes, None)

    assert cache.find(nodes) == (None,)
    assert cache.find((["a"], ["b"])) is None


def test_a_full_cache_starts_afresh() -> None:
    cache: IdentityCache[int] = IdentityCache(kept=2)
    kept = [(object(),) for _ in range(3)]
    for value, objects in enumerate(kept):
        cache.keep(objects, value)

    assert cache.find(kept[0]) is None
    assert cache.find(kept[2]) == (2,)
