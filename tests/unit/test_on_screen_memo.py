"""The judge page's shared copies (services/judging/on_screen.Memo): when a hundred pages follow the organiser to a
work at once, its evidence is built once and the others wait for that copy; copies expire and are bounded."""

from __future__ import annotations

import threading
import time

import pytest

from services.judging.on_screen import Memo


def test_pages_asking_at_once_share_one_build() -> None:
    memo: Memo[object] = Memo(ttl=60, size=8)
    builds: list[int] = []
    start = threading.Barrier(8)
    got: list[object] = []

    def build() -> object:
        builds.append(1)
        time.sleep(0.2)  # long enough for every other thread to arrive while it builds
        return object()

    def ask() -> None:
        start.wait()
        got.append(memo.get("work-7", build))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(builds) == 1
    assert len(got) == 8 and all(g is got[0] for g in got)


def test_a_copy_expires_the_oldest_goes_beyond_size_and_a_failed_build_is_tried_again() -> None:
    memo: Memo[str] = Memo(ttl=0.05, size=2)
    assert memo.get("a", lambda: "a1") == "a1"
    assert memo.get("a", lambda: "a2") == "a1"
    time.sleep(0.06)
    assert memo.get("a", lambda: "a3") == "a3"  # expired: built again

    lasting: Memo[str] = Memo(ttl=60, size=2)
    for key in ("a", "b", "c"):
        lasting.get(key, lambda k=key: k + "1")
    assert lasting.get("a", lambda: "a2") == "a2"  # the least recently used went
    assert lasting.get("c", lambda: "c2") == "c1"

    def broken() -> str:
        raise RuntimeError("database away")

    with pytest.raises(RuntimeError):
        lasting.get("d", broken)
    assert lasting.get("d", lambda: "d1") == "d1"
