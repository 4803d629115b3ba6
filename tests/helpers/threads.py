"""Run workers at the same instant on threads of their own: the concurrency tests' one starting gun."""

from __future__ import annotations

import threading
from collections.abc import Callable


def run_together(workers: list[Callable[[], object]], *, timeout: float = 120) -> list[object]:
    """Start every worker at the same instant on its own thread; return each one's result or exception."""
    barrier = threading.Barrier(len(workers))
    out: list[object] = [None] * len(workers)

    def go(i: int, fn: Callable[[], object]) -> None:
        barrier.wait()
        try:
            out[i] = fn()
        except Exception as e:  # collected and asserted on by the test
            out[i] = e

    threads = [threading.Thread(target=go, args=(i, fn)) for i, fn in enumerate(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    return out
