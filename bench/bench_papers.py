"""Time to render the submission form PDF (and the guide, the template and a receipt): cold, that is through the
sandboxed LibreOffice, and from the cache. Run `.venv/bin/python bench/bench_papers.py`."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import Session

from services.contest import demo, editions, papers
from services.intake import flow, records
from services.intake.receipt import receipt, to_pdf
from services.platform import office
from services.platform.db import build_engine, upgrade_schema

RUNS = 3
CACHED_RUNS = 200
COLD_GOAL_S = 5.0  # an applicant waits this long at most, once per edition version
CACHED_GOAL_S = 0.001
NOW = datetime(2021, 7, 20, 3, 0, tzinfo=UTC)


def timed(make: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        make()
        times.append(time.perf_counter() - start)
    return times


def line(name: str, times: list[float], goal: float) -> None:
    median = statistics.median(times)
    unit, scale = ("ms", 1e3) if median >= 1e-3 else ("µs", 1e6)
    verdict = "ok" if median <= goal else "OVER GOAL"
    print(
        f"{name:<44} median {median * scale:8.1f} {unit}  max {max(times) * scale:8.1f} {unit}  "
        f"(goal {goal * 1e3:g} ms) {verdict}"
    )


def cold(make: Callable[[], object]) -> list[float]:
    def once() -> None:
        papers.clear_cache()
        make()

    return timed(once, RUNS)


def main() -> int:
    if office.libreoffice() is None:
        print(f"LibreOffice cannot run here ({office.sandbox_problem() or 'soffice missing'}): no PDF figures")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        engine = build_engine(f"sqlite:///{tmp}/bench.db")
        upgrade_schema(engine)
        with Session(engine, expire_on_commit=False) as session:
            edition_id = demo.load_demo(session=session).edition_id
            edition = editions.get_edition(session=session, edition_id=edition_id)
            access = flow.start(
                session=session,
                edition_id=edition_id,
                now=NOW,
                organisation=records.OrganisationStep("ทต.", "ท่าคันโท", "กาฬสินธุ์", "ท่าคันโท", "ยางอู้ม"),
            ).access
            flow.save_contacts(
                session=session,
                access=access,
                now=NOW,
                contacts=records.ContactsStep(
                    "นายสมชาย ใจดี", "นายกเทศมนตรี", "นางสาวสมหญิง รักงาน", "043-123-456", "a@example.go.th", True
                ),
            )
            flow.save_project(
                session=session,
                access=access,
                now=NOW,
                project=records.ProjectStep(
                    "ระบบแจ้งเหตุและติดตามคำร้องผ่าน LINE",
                    "E-Service",
                    date(2020, 10, 1),
                    True,
                    developed_by="in_house",
                    digital_declared=True,
                ),
            )
            filled = papers.form_fields(flow.load(session=session, access=access, now=NOW))
            slip = receipt(session=session, access=access, now=NOW)
        engine.dispose()

    print(
        f"{RUNS} cold runs (LibreOffice in its sandbox), {CACHED_RUNS} cached runs; 2564 demo edition, "
        f"{len(edition.criteria)} criteria"
    )
    line("form PDF, blank, cold", cold(lambda: papers.form_pdf(edition)), COLD_GOAL_S)
    line("form PDF, pre-filled, cold", cold(lambda: papers.form_pdf(edition, filled)), COLD_GOAL_S)
    papers.form_pdf(edition)
    line("form PDF, cached", timed(lambda: papers.form_pdf(edition), CACHED_RUNS), CACHED_GOAL_S)
    line("guide PDF, cold", cold(lambda: papers.guide_pdf(edition)), COLD_GOAL_S)
    line("receipt PDF, cold", cold(lambda: to_pdf(slip)), COLD_GOAL_S)
    line("template .pptx (python-pptx only)", timed(lambda: papers.template_pptx(edition), RUNS), 0.5)
    line("form .pptx before LibreOffice", timed(lambda: papers.form_pptx(edition, filled), RUNS), 0.5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
