"""The public results page's data on the 2564 demo (SQLite and PostgreSQL): refused before the announcement, then
the awards as announced with the organisers' approved descriptions (audited), the statistics and the open-data
files, none of which carries a score, a judge or a contact."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook
from sqlmodel import Session, select

from models import AuditEvent, Submission
from services.contest import editions
from services.platform.errors import Forbidden, NotFound, ValidationFailed
from services.results import announcement, public_page
from tests.helpers.feedback_factory import announce

PRIVATE = ("receipt_code", "coordinator", "score", "judge", "phone", "email", "submitter")


@pytest.fixture
def eid(demo_session: Session) -> int:
    edition = editions.current_edition(session=demo_session)
    assert edition is not None
    return edition.id


def test_before_the_announcement_nothing_is_public(demo_session: Session, eid: int) -> None:
    assert public_page.announced_years(session=demo_session) == []
    for year in (None, 2564):
        with pytest.raises(Forbidden) as e:
            public_page.edition_for_year(session=demo_session, year_be=year)
        assert e.value.code == "not_announced"
    with pytest.raises(Forbidden):
        public_page.public_results(session=demo_session, edition_id=eid)
    with pytest.raises(Forbidden):
        public_page.open_data(session=demo_session, edition_id=eid)


def test_once_announced_the_awards_statistics_and_descriptions_are_public(demo_session: Session, eid: int) -> None:
    announce(demo_session, eid)
    assert public_page.announced_years(session=demo_session) == [2564]
    assert public_page.edition_for_year(session=demo_session, year_be=2564) == eid
    with pytest.raises(Forbidden):
        public_page.edition_for_year(session=demo_session, year_be=2565)
    listed = announcement.build(session=demo_session, edition_id=eid)
    winner = listed.levels[0].works[0].submission_id
    with pytest.raises(Forbidden):
        public_page.approve_description(
            session=demo_session, edition_id=eid, submission_id=winner, text="x", actor="executive"
        )
    loser = next(
        w.submission_id
        for w in listed.works
        if all(w.submission_id not in {x.submission_id for x in lv.works} for lv in listed.levels)
    )
    with pytest.raises(NotFound):
        public_page.approve_description(
            session=demo_session, edition_id=eid, submission_id=loser, text="x", actor="organiser"
        )
    with pytest.raises(ValidationFailed):
        public_page.approve_description(
            session=demo_session,
            edition_id=eid,
            submission_id=winner,
            text="ก" * (public_page.DESCRIPTION_CHARS + 1),
            actor="organiser",
        )
    text = public_page.approve_description(
        session=demo_session,
        edition_id=eid,
        submission_id=winner,
        text="ระบบรับเรื่องร้องเรียนผ่าน LINE\u202e ลดเวลารอคอย",
        actor="organiser",
    )
    assert text == "ระบบรับเรื่องร้องเรียนผ่าน LINE ลดเวลารอคอย"  # the bidi override is gone
    event = demo_session.exec(select(AuditEvent).where(AuditEvent.action == "results.description")).one()
    assert (event.before, event.after) == ({"text": ""}, {"text": text})

    page = public_page.public_results(session=demo_session, edition_id=eid)
    assert [lv.code for lv in page.levels] == ["excellent", "outstanding"]
    assert [[w.submission_id for w in lv.winners] for lv in page.levels] == [
        [w.submission_id for w in lv.works] for lv in listed.levels
    ]
    first = page.levels[0].winners[0]
    assert first.description == text and first.title.startswith("โครงการ")
    assert all(w.description == "" for w in page.levels[1].winners)
    assert (page.works, page.organisations) == (45, 44)
    assert sum(c.count for c in page.by_category) == 45
    assert page.provinces == len(page.by_province) and page.demo_note_th
    shown = repr(page)
    sub = demo_session.get(Submission, winner)
    assert sub is not None and sub.receipt_code not in shown and "coordinator" not in shown
    # Withdrawn: the line goes, and that too is audited.
    public_page.approve_description(
        session=demo_session, edition_id=eid, submission_id=winner, text=" ", actor="organiser"
    )
    assert public_page.descriptions(session=demo_session, edition_id=eid) == {}


def test_the_open_data_files_list_the_works_with_their_awards_and_nothing_private(
    demo_session: Session, eid: int
) -> None:
    announce(demo_session, eid)
    files = public_page.open_data(session=demo_session, edition_id=eid)
    lines = files.csv.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(public_page.OPEN_COLUMNS) and len(lines) == 46
    assert sum(1 for line in lines[1:] if line.startswith("รางวัล")) == 8
    body = json.loads(files.json)
    assert len(body["works"]) == 45 and [len(lv["works"]) for lv in body["awards"]] == [1, 7]
    sheet = load_workbook(io.BytesIO(files.xlsx)).active
    assert sheet is not None and sheet.max_row == 46
    header = [c.value for c in sheet[1]]
    assert header == list(public_page.OPEN_COLUMNS)
    for blob in (lines[0], json.dumps(sorted({k for w in body["works"] for k in w})), " ".join(map(str, header))):
        assert not any(word in blob for word in PRIVATE), blob
