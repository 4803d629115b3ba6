"""The feedback report to entrants on the 2564 demo (SQLite and PostgreSQL): nothing of it reaches an applicant
before release; release only once announced, by organisers, audited; comments anonymised and as the organisers
edited them (the judge's words kept in the audit); points against the field and the winners; the rank band; the
deck topics missed; the PDF in Thai, reopened."""

from __future__ import annotations

import io
from collections.abc import Iterator
from statistics import fmean

import pytest
from factories_files import make_deck
from pypdf import PdfReader
from sqlmodel import Session, select

from models import (
    Attachment,
    AttachmentKind,
    AuditEvent,
    ConflictOfInterest,
    ConflictReason,
    FeedbackRelease,
    OutboxMessage,
    Submission,
    User,
)
from services.contest import editions, papers
from services.intake import deck_check, files
from services.intake.records import Access
from services.platform import office
from services.platform.errors import Forbidden, ValidationFailed
from services.results import awards, feedback, ranking
from tests.conftest import skip_or_fail
from tests.helpers.feedback_factory import COORDINATOR_EMAIL, ON_FIRST, OVERALL, announce, commented_work

_DROPPED = dict.fromkeys([*range(0x20), 0x0E31, 0x0E32, 0x0E33, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F)])


def skeleton(text: str) -> str:
    """PDF text as comparable: no spaces, line breaks or Thai marks (see tests/service/test_papers.py)."""
    return "".join(text.split()).translate(_DROPPED)


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    papers.clear_cache()
    yield
    papers.clear_cache()


@pytest.fixture
def eid(demo_session: Session) -> int:
    edition = editions.current_edition(session=demo_session)
    assert edition is not None
    return edition.id


def with_deck(session: Session, submission_id: int) -> None:
    """The work's deck replaced by one covering only the objectives and the roadmap, checked as intake checks it."""
    data = make_deck(
        [
            ("ชื่อโครงการ", "รางวัลท้องถิ่นดิจิทัล"),
            ("วัตถุประสงค์ของโครงการ", "ลดเวลาการทำงาน"),
            ("Roadmap การพัฒนา", "ระยะ 3–6 เดือน และ 6–12 เดือน"),
        ]
    )
    analysis = files.deck_analysis(deck_check.check_deck(data, "deck.pptx"))
    digest = files.store_file(session=session, data=data)
    deck = session.exec(
        select(Attachment).where(Attachment.submission_id == submission_id, Attachment.kind == AttachmentKind.deck)
    ).first()
    deck = deck or Attachment(
        submission_id=submission_id,
        kind=AttachmentKind.deck,
        original_name="deck.pptx",
        media_type=papers.PPTX,
        size=0,
        sha256=digest,
    )
    deck.size, deck.sha256, deck.analysis = len(data), digest, analysis
    session.add(deck)
    session.commit()


def test_rank_bands_follow_the_share_of_ranked_works() -> None:
    assert feedback.rank_band(1, 45)[1] == "top 10 %"
    assert feedback.rank_band(4, 45)[1] == "top 10 %"  # 4/45 = 8.9 %
    assert feedback.rank_band(5, 45)[1] == "11–25 %"  # 11.1 %
    assert feedback.rank_band(23, 45)[1] == "51–100 %"  # 51.1 %
    assert feedback.rank_band(45, 45) == ("กลุ่มร้อยละ 51–100", "51–100 %")
    assert feedback.rank_band(1, 1)[1] == "51–100 %"  # the only work is all of the field, not its top tenth
    with pytest.raises(ValueError):
        feedback.rank_band(46, 45)


def test_nothing_reaches_the_applicant_before_release_and_release_waits_for_the_announcement(
    demo_session: Session, eid: int
) -> None:
    work = commented_work(demo_session, eid)
    assert feedback.released_report(session=demo_session, access=work.access) is None
    with pytest.raises(Forbidden):
        feedback.released_report(session=demo_session, access=Access(work.access.receipt_code, "wrong"))
    with pytest.raises(ValidationFailed) as e:
        feedback.release(session=demo_session, edition_id=eid, actor="organiser")
    assert e.value.code == "not_announced"
    announce(demo_session, eid)
    # Announced, but not released yet: still nothing.
    assert feedback.released_report(session=demo_session, access=work.access) is None
    for actor in ("executive", "judge-opm", "nobody"):
        with pytest.raises(Forbidden):
            feedback.release(session=demo_session, edition_id=eid, actor=actor)
    assert demo_session.exec(select(FeedbackRelease)).all() == []


def test_a_released_report_compares_points_with_the_field_and_the_winners_and_gives_the_band(
    demo_session: Session, eid: int
) -> None:
    work = commented_work(demo_session, eid)
    with_deck(demo_session, work.submission_id)
    announce(demo_session, eid)
    before = set(demo_session.exec(select(OutboxMessage.id)).all())
    assert (
        feedback.release(session=demo_session, edition_id=eid, actor="organiser", submission_ids=[work.submission_id])
        == 1
    )
    # Its entrant is told by e-mail (the link opens my-submission; the report itself is not in the message).
    sub = demo_session.get(Submission, work.submission_id)
    mails = [m for m in demo_session.exec(select(OutboxMessage)).all() if m.id not in before]
    assert sub is not None and [(m.kind, m.recipient) for m in mails] == [("feedback", COORDINATOR_EMAIL)]
    assert sub.receipt_code in mails[0].subject and ON_FIRST not in mails[0].body_text
    report = feedback.released_report(session=demo_session, access=work.access)
    assert report is not None and report.submission_id == work.submission_id
    board = ranking.leaderboard(session=demo_session, edition_id=eid)
    row = next(r for r in board.rows if r.submission_id == work.submission_id)
    means = ranking.criterion_means(session=demo_session, edition_id=eid)
    winners = [a.submission_id for a in awards.confirmed_awards(session=demo_session, edition_id=eid)]
    first = report.criteria[0]
    cid = editions.get_edition(session=demo_session, edition_id=eid).scored_criteria[0].id
    assert first.points == round(means[work.submission_id][cid], 2)
    assert first.mean_all == round(fmean(m[cid] for m in means.values()), 2)
    assert first.mean_winners == round(fmean(means[s][cid] for s in winners), 2)
    assert len(report.criteria) == 11 and report.max_total == 100
    assert report.score == row.score and report.works == len(board.rows) == 45
    assert (report.band_th, report.band_en) == feedback.rank_band(row.rank, 45)
    assert report.rank is None  # the exact rank only when the organiser chooses
    assert report.award_th  # the demo's best work wins
    # Anonymised: the comments, without their author.
    assert {c.text for c in report.comments} == {ON_FIRST, OVERALL}
    assert next(c for c in report.comments if c.text == ON_FIRST).criterion_th == first.title_th
    assert work.judge_name not in repr(report) and "judge-dga" not in repr(report)
    # The deck: what it covered and the guide topics it missed.
    assert any(line.startswith("Roadmap") and "สไลด์" in line for line in report.coverage)
    assert "ชุดข้อมูล" in " ".join(report.missed_topics) and len(report.missed_topics) >= 8
    # Another work of the edition stays unreleased.
    other = next(r.submission_id for r in board.rows if r.submission_id != work.submission_id)
    assert feedback.release_state(session=demo_session, edition_id=eid).released_ids == {work.submission_id}
    assert other not in feedback.release_state(session=demo_session, edition_id=eid).released_ids


def test_releasing_the_edition_releases_every_work_once_and_is_audited(demo_session: Session, eid: int) -> None:
    work = commented_work(demo_session, eid, place=20)
    announce(demo_session, eid)
    assert feedback.release(session=demo_session, edition_id=eid, actor="organiser", show_rank=True) == 45
    assert feedback.release(session=demo_session, edition_id=eid, actor="organiser") == 0
    state = feedback.release_state(session=demo_session, edition_id=eid)
    assert (state.announced, state.works, state.released) == (True, 45, 45)
    events = demo_session.exec(select(AuditEvent).where(AuditEvent.action == "feedback.release")).all()
    assert len(events) == 1  # the second release changed nothing
    assert len(events[0].after["works"]) == 45 and events[0].after["show_rank"] is True
    report = feedback.released_report(session=demo_session, access=work.access)
    row = next(
        r
        for r in ranking.leaderboard(session=demo_session, edition_id=eid).rows
        if r.submission_id == work.submission_id
    )
    assert report is not None and report.rank == row.rank and row.rank > 1


def test_an_organiser_hides_or_rephrases_a_comment_and_the_original_stays_in_the_audit(
    demo_session: Session, eid: int
) -> None:
    work = commented_work(demo_session, eid)
    review = feedback.review_comments(session=demo_session, edition_id=eid, submission_id=work.submission_id)
    assert {c.original for c in review} == {ON_FIRST, OVERALL}
    overall = next(c for c in review if c.original == OVERALL)
    on_first = next(c for c in review if c.original == ON_FIRST)
    with pytest.raises(Forbidden):
        feedback.edit_comment(session=demo_session, edition_id=eid, key=overall.key, actor="judge-opm", hidden=True)
    edited = feedback.edit_comment(
        session=demo_session, edition_id=eid, key=overall.key, actor="organiser", text="ควรเพิ่มตัวชี้วัดความพึงพอใจ\x00"
    )
    assert edited.shown == "ควรเพิ่มตัวชี้วัดความพึงพอใจ" and edited.original == OVERALL
    feedback.edit_comment(session=demo_session, edition_id=eid, key=on_first.key, actor="organiser", hidden=True)
    with pytest.raises(ValidationFailed):
        feedback.edit_comment(
            session=demo_session,
            edition_id=eid,
            key=on_first.key,
            actor="organiser",
            text="ก" * (feedback.COMMENT_CHARS + 1),
        )
    announce(demo_session, eid)
    feedback.release(session=demo_session, edition_id=eid, actor="organiser")
    report = feedback.released_report(session=demo_session, access=work.access)
    assert report is not None
    assert [c.text for c in report.comments] == ["ควรเพิ่มตัวชี้วัดความพึงพอใจ"]
    events = demo_session.exec(
        select(AuditEvent).where(AuditEvent.action == "feedback.comment_edit").order_by(AuditEvent.id)
    ).all()
    assert [e.before["original"] for e in events] == [OVERALL, ON_FIRST]
    assert events[0].after["text"] == "ควรเพิ่มตัวชี้วัดความพึงพอใจ" and events[1].after["hidden"] is True


def test_the_report_as_html_escapes_the_comments(demo_session: Session, eid: int) -> None:
    work = commented_work(demo_session, eid)
    report = feedback.preview(session=demo_session, edition_id=eid, submission_id=work.submission_id)
    page = feedback.to_html(report)
    assert "&lt;b&gt;ตัวหนา&lt;/b&gt;" in page and "<b>ตัวหนา" not in page
    assert work.judge_name not in page and (not work.judge_agency or work.judge_agency not in page)


def test_the_pdf_is_in_thai_with_the_points_the_band_and_the_comments(demo_session: Session, eid: int) -> None:
    if office.libreoffice() is None:
        skip_or_fail("LibreOffice (sandboxed) is not available here: no PDF feedback report")
    work = commented_work(demo_session, eid)
    announce(demo_session, eid)
    feedback.release(session=demo_session, edition_id=eid, actor="organiser")
    report = feedback.released_report(session=demo_session, access=work.access)
    assert report is not None
    paper = feedback.printable(report)
    assert paper.file_stem == f"feedback-{report.receipt_code}"
    reader = PdfReader(io.BytesIO(paper.pdf()))
    text = skeleton("".join(page.extract_text() for page in reader.pages))
    for words in (
        feedback.TITLE_TH,
        report.title,
        report.band_th,
        "ความเห็นของคณะกรรมการ",
        ON_FIRST,
        "ความครอบคลุมหัวข้อในไฟล์นำเสนอ",
        report.criteria[0].title_th[:30],
        f"{report.criteria[0].mean_all:.2f}",
    ):
        assert skeleton(words) in text, words
    assert skeleton(work.judge_name) not in text


def test_a_judge_with_a_conflict_on_the_work_has_no_comment_in_its_report(demo_session: Session, eid: int) -> None:
    work = commented_work(demo_session, eid)
    judge = demo_session.exec(select(User).where(User.username == "judge-dga")).one()
    # Declared after the sheet went in: their points leave the work's figures, and so do their words.
    demo_session.add(
        ConflictOfInterest(
            judge_id=judge.id,
            submission_id=work.submission_id,
            reason=ConflictReason.own_province,
            declared_by="organiser",
        )
    )
    demo_session.commit()
    assert feedback.review_comments(session=demo_session, edition_id=eid, submission_id=work.submission_id) == ()
    report = feedback.preview(session=demo_session, edition_id=eid, submission_id=work.submission_id)
    assert report.comments == ()
