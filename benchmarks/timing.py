"""Shared timing helper of the benchmark scripts."""

import time


def timed(fn, repeat=1):
    """Best wall time of ``repeat`` calls of ``fn()`` (s) and the last result."""
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out
