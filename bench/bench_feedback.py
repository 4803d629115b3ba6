"""The feedback report to every entrant of a national edition (issue 16): time and memory to build the reports of
10,000 works (services/results/feedback.py), against the bare data query a report needs, timed alternately with it
in the same run; then each paper (HTML, .pptx, and PDF through the sandboxed LibreOffice), with the total for
10,000 worked out from a sample and said to be so, serial and over this machine's cores.

The edition is bench_ranking's generator (10,000 works, 25 judges in panels of 5, every sheet submitted) with
bench_lists' intake on top (organisations, titles, deck analyses), a comment on every sheet and on one score in
ten, and ten confirmed awards. It is built in a child process, so the peak memory (RSS) printed is the reports'.

Run `.venv/bin/python bench/bench_feedback.py`. BENCH_SUBMISSIONS=1000 for a quick run; BENCH_DB=SQLite for one
database; BENCH_SAMPLE (default 500) reports timed one by one; BENCH_ALL=1 also builds all 10,000 reports' data in one
call (what a release of the edition does before its e-mails); BENCH_PDF_SAMPLE (default 3) PDFs one by one, as the
app makes them; BENCH_PDF_BATCH (default 20) PDFs in one LibreOffice run, an experiment the app does not do."""

from __future__ import annotations

import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_lists import vary  # bench/ is on sys.path
from bench_ranking import SUBMISSIONS, alternate
from bench_ranking import populate as national_edition
from databases import scratch_databases

from models import AwardResult, Edition, Submission
from services.platform import office
from services.platform.db import build_engine, upgrade_schema
from services.results import feedback

ONLY = os.environ.get("BENCH_DB", "")
SAMPLE = int(os.environ.get("BENCH_SAMPLE", 500))
PDF_SAMPLE = int(os.environ.get("BENCH_PDF_SAMPLE", 3))
BATCH = int(os.environ.get("BENCH_PDF_BATCH", 20))
ALL = os.environ.get("BENCH_ALL", "0") == "1"
CORES = os.cpu_count() or 1
GOAL_ALL_S = 15 * 60  # "the reports in minutes on this machine" (issue 16): a quarter of an hour at most
COMMENTS = (
    "ควรเพิ่มตัวชี้วัดผลลัพธ์ที่วัดได้จริง",
    "การนำเสนอชัดเจน แต่ยังขาดข้อมูลงบประมาณ",
    "ควรเปิดชุดข้อมูลบน data.go.th",
    "มีการมีส่วนร่วมของประชาชนดีมาก",
    "ควรอธิบายแผนการขยายผลในระยะต่อไป",
)


def populate(url: str) -> None:
    """The national edition with comments and awards (a child process: the bulk load's memory stays there)."""
    rng = random.Random(23)
    engine = build_engine(url)
    upgrade_schema(engine)
    t0 = time.perf_counter()
    edition_id = national_edition(engine)
    vary(engine, edition_id)
    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE scoresheet SET overall_comment = :c WHERE id % 5 = :k"),
            [{"c": comment, "k": k} for k, comment in enumerate(COMMENTS)],
        )
        conn.execute(sa.text("UPDATE score SET comment = :c WHERE id % 10 = 0"), {"c": COMMENTS[0]})
        top = [
            r[0] for r in conn.execute(sa.select(Submission.id).where(Submission.edition_id == edition_id).limit(10))
        ]
        conn.execute(
            sa.insert(AwardResult),
            [
                {
                    "edition_id": edition_id,
                    "submission_id": sid,
                    "level": "excellent" if n == 0 else "outstanding",
                    "position": n + 1,
                    "score": 90.0 - n,
                    "confirmed_by": "bench",
                    "confirmed_at": datetime(2026, 9, 1, tzinfo=UTC),
                }
                for n, sid in enumerate(top)
            ],
        )
        conn.execute(
            sa.update(Edition).where(Edition.id == edition_id).values(phase="announced", awards_frozen_by="bench")
        )
        del rng
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text("VACUUM ANALYZE"))
    engine.dispose()
    print(f"  populated {SUBMISSIONS:,} works with comments and awards in {time.perf_counter() - t0:.0f} s", flush=True)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


# The bare data a report is made of, in plain SQL: the work and its organisation, its counted sheets' comments, its
# scores' comments, its deck's analysis (no means, no ranking, no anonymising, no ordering).
_BARE = (
    "SELECT s.title, s.receipt_code, o.full_name, o.province FROM submission s JOIN organisation o "
    "ON o.id = s.organisation_id WHERE s.id = :s",
    "SELECT sh.overall_comment FROM scoresheet sh WHERE sh.submission_id = :s AND sh.state = 'submitted'",
    "SELECT sc.criterion_id, sc.comment FROM score sc WHERE sc.submission_id = :s AND sc.comment <> ''",
    "SELECT a.analysis FROM attachment a WHERE a.submission_id = :s AND a.kind = 'deck'",
    "SELECT sh.submission_id, avg(sh.submitted_total) FROM scoresheet sh WHERE sh.submission_id = :s "
    "GROUP BY sh.submission_id",
)


def bare(engine: Engine, ids: list[int]) -> Callable[[], None]:
    def run() -> None:
        with engine.connect() as conn:
            for sid in ids:
                for q in _BARE:
                    conn.execute(sa.text(q), {"s": sid}).all()

    return run


def pdf_batch(decks: list[bytes]) -> float:
    """Seconds to convert these .pptx to PDF in one run of the sandboxed LibreOffice (startup paid once)."""
    program = office.libreoffice()
    assert program is not None
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        names = []
        for i, deck in enumerate(decks):
            (folder / f"report-{i}.pptx").write_bytes(deck)
            names.append(f"/work/report-{i}.pptx")
        t0 = time.perf_counter()
        done = office.run_sandboxed(
            folder,
            [
                program,
                "-env:UserInstallation=file:///work/office-profile",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                "/work",
                *names,
            ],
            timeout=600,
        )
        took = time.perf_counter() - t0
        made = len(list(folder.glob("report-*.pdf")))
        if done.returncode != 0 or made != len(decks):
            raise RuntimeError(f"{made} of {len(decks)} PDFs made: {done.stderr.strip()[:300]}")
    return took


def timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def measure(url: str, with_pdf: bool) -> None:
    engine = build_engine(url)
    with Session(engine) as s:
        edition_id = s.exec(sa.select(Edition.id)).scalars().one()  # type: ignore[call-overload]
        ids = list(
            s.exec(
                sa.select(Submission.id).where(  # type: ignore[call-overload]
                    Submission.edition_id == edition_id, Submission.status.in_(("submitted", "accepted"))
                )
            ).scalars()
        )
    rng = random.Random(5)
    sample = sorted(rng.sample(ids, min(SAMPLE, len(ids))))
    rss0 = peak_rss_mb()
    print(f"  {len(ids):,} judged works; {len(sample):,} reports in the sample; peak RSS before: {rss0:.0f} MB")

    def reports(batch: list[int]) -> list[feedback.FeedbackReport]:
        with Session(engine) as s:
            return feedback.reports(session=s, edition_id=edition_id, submission_ids=batch)

    figures_s = statistics.median(timed(lambda: reports([])) for _ in range(3))  # the edition's figures alone
    wall, _ = alternate({"bare": bare(engine, sample), "reports": lambda: reports(sample)}, rounds=3)
    per_report = (wall["reports"] - figures_s) / len(sample)
    per_bare = wall["bare"] / len(sample)
    print(
        f"  the edition's figures (ranking, means, awards), once per run: {figures_s:.2f} s",
        f"\n  report data, per report: {per_report * 1e3:.1f} ms; the bare SQL of its data {per_bare * 1e3:.1f} ms "
        f"({per_report / per_bare:.1f}x)",
        flush=True,
    )
    built = reports(sample)
    tracemalloc.start()
    reports(sample[:1])
    one_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    html_s = timed(lambda: [feedback.to_html(r) for r in built]) / len(built)
    pptx_n = min(50, len(built))
    pptx_s = timed(lambda: [feedback.to_pptx(r) for r in built[:pptx_n]]) / pptx_n
    rss1 = peak_rss_mb()
    print(
        f"  paper, per report: HTML {html_s * 1e3:.1f} ms; .pptx {pptx_s * 1e3:.0f} ms (of {pptx_n}); one report's "
        f"data allocates at most {one_peak / 1e6:.1f} MB (figures included); peak RSS now {rss1:.0f} MB",
        flush=True,
    )
    n = len(ids)
    data_all = figures_s + per_report * n
    lines = [
        ("data only", data_all),
        ("data + HTML", data_all + html_s * n),
        ("data + .pptx", data_all + pptx_s * n),
    ]
    if ALL:
        t0 = time.perf_counter()
        everything = reports(ids)
        took = time.perf_counter() - t0
        print(
            f"  measured, not extrapolated: all {len(everything):,} reports' data in one call {took:.1f} s; "
            f"peak RSS {peak_rss_mb():.0f} MB",
            flush=True,
        )
        del everything
    if with_pdf:
        if office.libreoffice() is None:
            print(f"  PDF: LibreOffice cannot run here ({office.sandbox_problem() or 'soffice missing'})")
        else:
            pdf_n = min(PDF_SAMPLE, len(built))
            pdf_s = timed(lambda: [feedback.to_pdf(r) for r in built[:pdf_n]]) / pdf_n
            print(f"  PDF (sandboxed LibreOffice, one process per report), per report: {pdf_s:.2f} s (of {pdf_n})")
            lines.append(("data + PDF", data_all + pdf_s * n))
            batch_n = min(BATCH, len(built))
            batch_s = pdf_batch([feedback.to_pptx(r) for r in built[:batch_n]]) / batch_n
            print(
                f"  PDF, {batch_n} reports in one sandboxed LibreOffice run (an experiment: the app converts one by "
                f"one today), per report: {batch_s:.2f} s",
                flush=True,
            )
            lines.append((f"PDF, runs of {batch_n}", data_all + pptx_s * n + batch_s * n))
    print(f"  for all {n:,} reports, worked out from the sample (not measured), serial and over {CORES} cores:")
    for name, serial in lines:
        parallel = figures_s + (serial - figures_s) / CORES
        verdict = "ok" if parallel <= GOAL_ALL_S else "OVER GOAL"
        print(
            f"    {name:<14} {serial / 60:7.1f} min serial · {parallel / 60:7.1f} min on {CORES} cores "
            f"(goal ≤ {GOAL_ALL_S / 60:.0f} min) {verdict}",
            flush=True,
        )
    engine.dispose()


def main() -> None:
    first = True
    for label, url in scratch_databases():
        if ONLY and label != ONLY:
            continue
        # Other work on this machine slows every figure alike; the load says how much there was.
        print(f"[{label}] load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
        subprocess.run([sys.executable, __file__, "populate", url], check=True)
        subprocess.run([sys.executable, __file__, "measure", url, "pdf" if first else "-"], check=True)
        first = False


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "populate":
        populate(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "measure":
        measure(sys.argv[2], sys.argv[3] == "pdf")
    else:
        main()
