"""Keeping the garbage collector off what lives as long as the process.

The composed schema, the policy, the parsed-document cache and the connection pools are tens of
thousands of objects that are never garbage, yet every full collection walks them all: on
``citizens`` with 1,000 ids that was about a tenth of the time (bench/, S2). Frozen
(``gc.freeze``), they are skipped. A schema swap makes the old schema cyclic garbage once the
requests still holding it end, so a swap thaws the heap, and it is frozen again after the
longest a request can take.
"""

from __future__ import annotations

import asyncio
import gc

REFREEZE_AFTER_SECONDS = 65.0
"""Past the longest request: a connector's timeout is at most 60 s."""

_refreeze: asyncio.TimerHandle | None = None


def freeze() -> None:
    """Collect once, then freeze whatever is left: at start-up, that is the process's own."""
    gc.collect()
    gc.freeze()


def thaw_for_swap() -> None:
    """Let the collector see the heap again (the schema swapped out among it), and freeze it
    once no request can still be using that schema."""
    global _refreeze
    gc.unfreeze()
    if _refreeze is not None:
        _refreeze.cancel()
    _refreeze = asyncio.get_running_loop().call_later(REFREEZE_AFTER_SECONDS, freeze)
