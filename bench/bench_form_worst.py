"""The worst-case cost of checking one signed form (issue 13): CPU seconds and peak memory of the limited child
process that checks it, for the hostile files we know of, against the goal (≤ 2 s CPU, bounded memory).
Run `.venv/bin/python bench/bench_form_worst.py`."""

from __future__ import annotations

import io
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.factories_files

from services.intake import form_check
from services.intake.documents import DEFAULT_MAX_PIXELS, FORM_CONTENT_BUDGET, DocumentError
from tests.factories_files import make_pdf, make_shared_stream_pdf

CPU_GOAL_S = 2.0
MEMORY_GOAL_MB = 512


def _budget_page_pdf() -> bytes:
    """One page whose content is just under the decoded budget: the most text parsing the check will do."""
    per_op = len(b"(a) Tj ")
    return make_shared_stream_pdf(pages=1, operations=FORM_CONTENT_BUDGET // per_op - 4)


def _largest_png() -> bytes:
    """A PNG just under the pixel cap, the most decoding the check will do for an image."""
    side = int(DEFAULT_MAX_PIXELS**0.5) - 1
    buffer = io.BytesIO()
    Image.new("RGB", (side, side), (240, 240, 240)).save(buffer, "PNG")
    return buffer.getvalue()


CASES: list[tuple[str, Callable[[], bytes]]] = [
    ("ordinary one-page PDF", lambda: make_pdf("Signed form")),
    ("shared stream, 50 pages (the 69 s file)", lambda: make_shared_stream_pdf(pages=50, operations=600_000)),
    ("one page at the content budget", _budget_page_pdf),
    ("PNG at the pixel cap", _largest_png),
]


def measure(data: bytes) -> tuple[float, float, float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    try:
        info = form_check.check_signed_form_isolated(data, "form")
        verdict = f"accepted ({info.page_count} page(s), {len(info.text):,} chars of text)"
    except DocumentError as exc:
        verdict = f"refused: {exc.code}"
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, after.ru_maxrss / 1024, wall, verdict


if __name__ == "__main__":
    worst_cpu = worst_mb = 0.0
    print(
        f"limits of the child: RLIMIT_CPU {form_check.CPU_SECONDS} s, RLIMIT_AS "
        f"{form_check.ADDRESS_SPACE_BYTES / 1024**3:.1f} GB, wall {form_check.WALL_SECONDS:.0f} s, "
        f"{form_check.CONCURRENT_CHECKS} check(s) at once"
    )
    for name, make in CASES:
        data = make()
        cpu, peak_mb, wall, verdict = measure(data)
        worst_cpu, worst_mb = max(worst_cpu, cpu), max(worst_mb, peak_mb)
        print(
            f"{name:42s} {len(data) / 1024:9.1f} KB  cpu {cpu:5.2f} s  wall {wall:5.2f} s  "
            f"peak rss (largest child so far) {peak_mb:6.0f} MB  {verdict}"
        )
    print(
        f"worst CPU {worst_cpu:.2f} s (goal ≤ {CPU_GOAL_S} s, ratio {worst_cpu / CPU_GOAL_S:.2f}); "
        f"peak memory {worst_mb:.0f} MB (goal ≤ {MEMORY_GOAL_MB} MB, ratio {worst_mb / MEMORY_GOAL_MB:.2f})"
    )
    sys.exit(0 if worst_cpu <= CPU_GOAL_S and worst_mb <= MEMORY_GOAL_MB else 1)
