"""The benchmark's one failure: a run that cannot produce a trustworthy number.

Kept apart from ``hub.errors``: that tree is the hub's public contract (its codes reach clients),
and a benchmark harness failing is no part of it.
"""

from __future__ import annotations


class BenchFailed(RuntimeError):
    """A server, a department or the load generator did not behave; the message says how."""
