"""Time and memory of the upload checks against their goals: run `.venv/bin/python bench/bench_documents.py`."""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from PIL import Image
from pptx import Presentation
from pptx.util import Inches

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.factories_files

from services.intake.deck_check import check_deck
from services.intake.documents import DocumentError
from services.intake.signed_form import check_signed_form
from tests.factories_files import make_lying_zip, make_zip_bomb

MB = 1024 * 1024
RUNS = 5
DECK_GOAL_S = 1.0
FORM_GOAL_S = 1.0
BOMB_GOAL_S = 0.5
MEMORY_GOAL = 50 * MB

TITLES = (
    "วัตถุประสงค์ของโครงการ",
    "นโยบายและวิสัยทัศน์ของผู้บริหาร",
    "ปัญหา (Pain point)",
    "กลไกการทำงาน (Solution)",
    "ความริเริ่มสร้างสรรค์",
    "เป้าหมายและผลสัมฤทธิ์",
    "Roadmap",
    "การมีส่วนร่วมและผลตอบรับ",
    "ชุดข้อมูลบน data.go.th",
    "ช่องทางการสื่อสารและประชาสัมพันธ์",
    "เครื่องมือดิจิทัล",
    "ข้อจำกัดและอุปสรรค",
)
BODY = "ระบบบริการประชาชนออนไลน์ของเทศบาล ลดระยะเวลาให้บริการจาก 45 นาทีเหลือ 10 นาทีต่อรายการ"


def noise_png(side: int) -> bytes:
    # Random pixels do not compress, so the deck's size on disk is what the zip layer must read.
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, format="PNG", compress_level=1)
    return out.getvalue()


def build_deck(slides: int = 60, target_bytes: int = 10 * MB) -> bytes:
    side = int(((target_bytes / slides) / 3) ** 0.5)
    prs = Presentation()
    for n in range(slides):
        slide = prs.slides.add_slide(prs.slide_layouts[1])
        assert slide.shapes.title is not None
        slide.shapes.title.text = f"{TITLES[n % len(TITLES)]} ({n + 1})"
        slide.placeholders[1].text = "\n".join([BODY] * 4)
        slide.shapes.add_picture(io.BytesIO(noise_png(side)), Inches(5), Inches(3), Inches(4), Inches(4))
        slide.notes_slide.notes_text_frame.text = f"บันทึกผู้บรรยาย สไลด์ {n + 1}"
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def build_scan() -> bytes:
    """An A4 page scanned at 300 dpi, as a JPEG."""
    out = io.BytesIO()
    Image.effect_noise((2480, 3508), 24).convert("RGB").save(out, format="JPEG", quality=80)
    return out.getvalue()


def median_seconds(run: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def refused(data: bytes) -> tuple[str, float, int]:
    """Check a hostile deck: (error code, seconds, peak traced bytes)."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        check_deck(data, "bomb.pptx")
        code = "accepted!"
    except DocumentError as error:
        code = error.code
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return code, elapsed, peak


def ratio(value: float, goal: float) -> str:
    return f"{value / goal:.2f}× of goal"


def main() -> None:
    deck = build_deck()
    info = check_deck(deck, "deck.pptx")
    seconds = median_seconds(lambda: check_deck(deck, "deck.pptx"))
    print(
        f"deck {info.slide_count} slides {len(deck) / MB:.1f} MB: median {seconds:.2f} s "
        f"(goal ≤ {DECK_GOAL_S:g} s, {ratio(seconds, DECK_GOAL_S)})"
    )
    tracemalloc.start()
    check_deck(deck, "deck.pptx")
    deck_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"deck {len(deck) / MB:.1f} MB: peak traced memory {deck_peak / MB:.1f} MB (no goal; for reference)")

    bomb = make_zip_bomb()
    code, elapsed, peak = refused(bomb)
    print(
        f"zip bomb {len(bomb) / 1024:.0f} KB declaring 200 MB: {code} in {elapsed * 1000:.1f} ms "
        f"(goal ≤ {BOMB_GOAL_S:g} s, {ratio(elapsed, BOMB_GOAL_S)}), "
        f"peak {peak / MB:.2f} MB (goal < {MEMORY_GOAL // MB} MB, {ratio(peak, MEMORY_GOAL)})"
    )
    lying = make_lying_zip(real_megabytes=200)
    code, elapsed, peak = refused(lying)
    print(
        f"lying header {len(lying) / 1024:.0f} KB inflating past 1 KB declared: {code} in {elapsed * 1000:.1f} ms, "
        f"peak {peak / MB:.2f} MB (goal < {MEMORY_GOAL // MB} MB, {ratio(peak, MEMORY_GOAL)})"
    )

    scan = build_scan()
    form = check_signed_form(scan, "form.jpg")
    seconds = median_seconds(lambda: check_signed_form(scan, "form.jpg"))
    print(
        f"signed form JPEG {form.width}×{form.height} {len(scan) / MB:.1f} MB: median {seconds:.2f} s "
        f"(goal ≤ {FORM_GOAL_S:g} s, {ratio(seconds, FORM_GOAL_S)})"
    )


if __name__ == "__main__":
    main()
