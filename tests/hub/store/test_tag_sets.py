"""Remembered tag-set ids: all or nothing per append, and bounded."""

from __future__ import annotations

from hub.store.tag_sets import TagSetIds


def test_an_append_naming_one_unknown_set_is_told_nothing() -> None:
    ids = TagSetIds()
    ids.learn({"a": 1, "b": 2})

    assert ids.known({"a", "b"}) == {"a": 1, "b": 2}
    assert ids.known({"a", "c"}) is None


def test_past_the_bound_only_the_newest_are_kept() -> None:
    ids = TagSetIds(kept=3)
    ids.learn({"a": 1, "b": 2})
    ids.learn({"c": 3, "d": 4})

    assert ids.known({"a"}) is None
    assert ids.known({"c", "d"}) == {"c": 3, "d": 4}
