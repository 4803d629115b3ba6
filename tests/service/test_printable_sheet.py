"""Printable score sheets: a judge's own sheet (never another judge's), a blank sheet per work for organisers,
the HTML escaped, the PDF with its Thai text. On SQLite and PostgreSQL."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlmodel import Session, select

from models import Role, User
from services.contest import editions
from services.judging import printable_sheet, sheets, worklist
from services.platform import office
from services.platform.errors import Forbidden
from tests.conftest import skip_or_fail


def user(session: Session, username: str) -> User:
    found = session.exec(select(User).where(User.username == username)).one()
    assert found.id is not None
    return found


def scored_work(session: Session) -> tuple[User, int]:
    """judge-dga (no sheets in the demo) scores the first work it is assigned, with a hostile comment."""
    judge = user(session, "judge-dga")
    edition = editions.current_edition(session=session)
    assert edition is not None and judge.id is not None
    sheet = sheets.get_sheet(
        session=session,
        judge_id=judge.id,
        submission_id=worklist.list_assignments(session=session, judge_id=judge.id, edition_id=edition.id)[
            0
        ].submission.id,
    )
    points = {c.criterion_id: min(float(c.max_points), 1.5 + i) for i, c in enumerate(sheet.criteria)}
    sheets.save_sheet(
        session=session,
        judge_id=judge.id,
        submission_id=sheet.submission.id,
        points=points,
        comments={sheet.criteria[0].criterion_id: "<script>alert(1)</script> ชัดเจนดีมาก"},
        overall_comment="ผลงานโดดเด่น",
        actor=judge.username,
    )
    return judge, sheet.submission.id


# Marks above and below a Thai consonant (tone marks, upper and lower vowels). A shaped PDF draws some of them as
# positioned variant glyphs, which pypdf reads back as a neighbouring mark (ผู้ as ผููู) and SARA AM as two code
# points; the text is compared without them. (The rendered page shows them right: LibreOffice shapes with HarfBuzz.)
THAI_MARKS = dict.fromkeys([0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F)])


def skeleton(text: str) -> str:
    """Text as comparable after a PDF round trip: no spaces or line breaks (it wraps lines), no Thai marks."""
    return "".join(text.replace("\u0e33\u0e32", "\u0e33").replace("\u0e33", "\u0e32").split()).translate(THAI_MARKS)


def test_a_judge_prints_their_own_sheet_with_criteria_points_and_comments(demo_session: Session) -> None:
    judge, sub_id = scored_work(demo_session)
    assert judge.id is not None
    sheet = printable_sheet.judge_sheet(
        session=demo_session, viewer_id=judge.id, judge_id=judge.id, submission_id=sub_id
    )
    view = sheets.get_sheet(session=demo_session, judge_id=judge.id, submission_id=sub_id)
    assert [c.title_th for c in sheet.criteria] == [c.title_th for c in view.criteria]  # in the sheet's order
    assert [c.number for c in sheet.criteria] == list(range(1, len(view.criteria) + 1))
    assert [c.points for c in sheet.criteria] == [c.points for c in view.criteria]
    assert sheet.total == view.total and sheet.max_total == 100
    assert (sheet.judge_name, sheet.judge_agency, sheet.state) == (judge.display_name, judge.agency, "draft")
    assert sheet.title == view.submission.title and sheet.overall_comment == "ผลงานโดดเด่น"

    page = printable_sheet.to_html(sheet)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; ชัดเจนดีมาก" in page
    assert f"คะแนนรวม {view.total:g} / 100" in page and "ลงชื่อ" in page


def test_a_judge_cannot_print_another_judges_sheet_nor_a_blank_one(demo_session: Session) -> None:
    judge, sub_id = scored_work(demo_session)
    other = user(demo_session, "judge-opm")
    executive = user(demo_session, "executive")
    assert judge.id is not None and other.id is not None and executive.id is not None
    with pytest.raises(Forbidden) as refused:
        printable_sheet.judge_sheet(session=demo_session, viewer_id=other.id, judge_id=judge.id, submission_id=sub_id)
    assert refused.value.code == "not_your_sheet"
    with pytest.raises(Forbidden):
        printable_sheet.blank_sheet(session=demo_session, viewer_id=judge.id, submission_id=sub_id)
    with pytest.raises(Forbidden):
        printable_sheet.judge_sheet(
            session=demo_session, viewer_id=executive.id, judge_id=judge.id, submission_id=sub_id
        )


def test_an_organiser_prints_any_judges_sheet_and_a_blank_one_per_work(demo_session: Session) -> None:
    judge, sub_id = scored_work(demo_session)
    organiser = user(demo_session, "organiser")
    assert organiser.id is not None and organiser.role == Role.organiser and judge.id is not None
    theirs = printable_sheet.judge_sheet(
        session=demo_session, viewer_id=organiser.id, judge_id=judge.id, submission_id=sub_id
    )
    assert theirs.judge_name == judge.display_name and theirs.total is not None
    blank = printable_sheet.blank_sheet(session=demo_session, viewer_id=organiser.id, submission_id=sub_id)
    assert blank.blank and blank.judge_name == "" and blank.total is None
    assert all(c.points is None and c.comment == "" for c in blank.criteria)
    assert [c.max_points for c in blank.criteria] == [c.max_points for c in theirs.criteria]
    assert "คะแนนรวม ........ / 100" in printable_sheet.to_html(blank)


def test_the_pdf_holds_the_thai_criteria_points_and_comments(demo_session: Session) -> None:
    if office.libreoffice() is None:  # optional for the app; .ci/system-deps installs it, so CI must run this
        skip_or_fail("LibreOffice is not installed (apt-get install libreoffice-impress-nogui): no PDF sheets")
    judge, sub_id = scored_work(demo_session)
    assert judge.id is not None
    sheet = printable_sheet.judge_sheet(
        session=demo_session, viewer_id=judge.id, judge_id=judge.id, submission_id=sub_id
    )
    reader = PdfReader(io.BytesIO(printable_sheet.to_pdf(sheet)))
    text = "".join(page.extract_text() for page in reader.pages)
    squeezed = skeleton(text)

    def there(s: str) -> bool:
        return skeleton(s) in squeezed

    assert there("แบบให้คะแนนผลงาน") and there(judge.display_name)
    first = sheet.criteria[0]
    assert there(f"1. {first.title_th}") and there(f"คะแนน {first.points:g} / {first.max_points}")
    assert all(there(f"{c.number}. {c.title_th}") for c in sheet.criteria)
    assert there("ชัดเจนดีมาก") and there(f"คะแนนรวม {sheet.total:g} / 100") and there("ผลงานโดดเด่น")
