"""The organisers' lists at national scale (issue 17, item 6): the screening queue's and the judging desk's filters,
search, Thai-order sorting, pages and bulk actions, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, col, select

from models import AuditEvent, ConflictOfInterest, JudgeAssignment, Submission, SubmissionStatus, User
from services.contest import editions
from services.intake import queue, screening
from services.judging import conflicts, desk
from services.platform.errors import Forbidden, ValidationFailed
from services.thai.collation import thai_sorted


def _edition(session: Session) -> int:
    return editions.current_edition(session=session).id


def _subs(session: Session, edition_id: int) -> list[Submission]:
    return list(
        session.exec(select(Submission).where(Submission.edition_id == edition_id).order_by(col(Submission.id))).all()
    )


def _set(session: Session, sub: Submission, **values: object) -> None:
    for k, v in values.items():
        setattr(sub, k, v)
    session.add(sub)
    session.commit()


def test_the_light_index_agrees_with_the_full_rows_on_eligibility_and_completeness(demo_session: Session) -> None:
    edition_id = _edition(demo_session)
    a, b, c = _subs(demo_session, edition_id)[:3]
    _set(demo_session, a, golive_date=date(2021, 6, 1))  # after the cut-off: ineligible
    _set(demo_session, b, coordinator_phone="", declarations={})  # two things missing
    _set(demo_session, c, status=SubmissionStatus.draft)
    index = queue.list_index(session=demo_session, edition_id=edition_id, include_drafts=True)
    full = {
        r.row.id: r for r in screening.screening_queue(session=demo_session, edition_id=edition_id, include_drafts=True)
    }
    assert [line.id for line in index.lines] == sorted(full)
    for line in index.lines:
        assert line.verdict == full[line.id].eligibility.verdict
        assert line.missing == len(full[line.id].missing)
    by_id = {line.id: line for line in index.lines}
    assert (by_id[a.id].verdict, by_id[b.id].missing) == ("ineligible", 2)
    assert c.id not in {x.id for x in queue.list_index(session=demo_session, edition_id=edition_id).lines}


def test_filters_narrow_by_status_eligibility_completeness_province_and_category(demo_session: Session) -> None:
    edition_id = _edition(demo_session)
    a, b, c = _subs(demo_session, edition_id)[:3]
    _set(demo_session, a, golive_date=date(2021, 6, 1))
    _set(demo_session, b, coordinator_email="")
    _set(demo_session, c, status=SubmissionStatus.submitted)
    index = queue.list_index(session=demo_session, edition_id=edition_id)
    assert [x.id for x in index.matching(queue.Filters(verdicts=("ineligible",)))] == [a.id]
    assert [x.id for x in index.matching(queue.Filters(complete=False))] == [b.id]
    assert len(index.matching(queue.Filters(complete=True))) == 44
    assert [x.id for x in index.matching(queue.Filters(statuses=("submitted",)))] == [c.id]
    chiang_rai = index.matching(queue.Filters(provinces=("เชียงราย",)))
    assert len(chiang_rai) == 6 and {x.province for x in chiang_rai} == {"เชียงราย"}
    gis_in_chiang_rai = index.matching(queue.Filters(provinces=("เชียงราย",), categories=("GIS",)))
    assert {x.category for x in gis_in_chiang_rai} <= {"GIS"} and set(gis_in_chiang_rai) <= set(chiang_rai)
    assert len(index.matching(queue.Filters(categories=("GIS", "Smart City")))) == 13
    assert index.provinces()[:2] == thai_sorted({x.province for x in index.lines})[:2]


def test_search_finds_a_receipt_code_an_organisation_or_a_title_as_thai_is_typed(demo_session: Session) -> None:
    edition_id = _edition(demo_session)
    first = _subs(demo_session, edition_id)[0]
    _set(demo_session, first, title="ระบบแจ้งเหตุน้ำท่วมออนไลน์")
    index = queue.list_index(session=demo_session, edition_id=edition_id)
    assert [x.id for x in index.matching(queue.Filters(query=first.receipt_code.lower()))] == [first.id]
    assert [x.id for x in index.matching(queue.Filters(query="ท่าคันโท"))] == [first.id]  # the short name
    assert [x.id for x in index.matching(queue.Filters(query="เทศบาลตำบลท่าคันโท"))] == [first.id]  # the full name
    # SARA AM typed as NIKHAHIT + SARA AA after the tone mark, a zero-width space, and words in any order.
    assert [x.id for x in index.matching(queue.Filters(query="น\u0e49\u0e4d\u0e32ท่วม\u200b"))] == [first.id]
    assert [x.id for x in index.matching(queue.Filters(query="ออนไลน์ แจ้งเหตุ"))] == [first.id]
    assert index.matching(queue.Filters(query="ไม่มีผลงานชื่อนี้")) == []


def test_names_sort_in_thai_dictionary_order_and_dates_and_receipts_as_such(demo_session: Session) -> None:
    index = queue.list_index(session=demo_session, edition_id=_edition(demo_session))
    by_org = queue.sort_lines(index.lines, queue.Sort.organisation)
    assert [x.short_name for x in by_org] == thai_sorted([x.short_name for x in index.lines])
    assert [x.short_name for x in queue.sort_lines(index.lines, queue.Sort.organisation, descending=True)] == [
        x.short_name for x in reversed(by_org)
    ] or len({x.short_name for x in by_org}) < len(by_org)
    by_province = [x.province for x in queue.sort_lines(index.lines, queue.Sort.province)]
    assert by_province == thai_sorted(by_province)
    by_title = [x.title for x in queue.sort_lines(index.lines, queue.Sort.project)]
    assert by_title == thai_sorted(by_title)
    newest = queue.sort_lines(index.lines, queue.Sort.submitted, descending=True)
    assert [x.submitted_at for x in newest] == sorted((x.submitted_at for x in index.lines), reverse=True)
    assert [x.id for x in queue.sort_lines(index.lines, queue.Sort.receipt, descending=True)] == sorted(
        (x.id for x in index.lines), reverse=True
    )


def test_a_page_builds_full_rows_for_its_own_works_only(demo_session: Session) -> None:
    edition_id = _edition(demo_session)
    first = queue.queue_page(session=demo_session, edition_id=edition_id, filters=queue.Filters(), size=25)
    assert (first.paged.found, first.paged.pages, len(first.rows), first.paged.first) == (45, 2, 25, 1)
    assert all(r.row.attachments for r in first.rows)  # the page's rows carry their files
    second = queue.queue_page(session=demo_session, edition_id=edition_id, filters=queue.Filters(), size=25, page=2)
    assert (len(second.rows), second.paged.first) == (20, 26)
    assert {r.row.id for r in first.rows}.isdisjoint(r.row.id for r in second.rows)
    past = queue.queue_page(session=demo_session, edition_id=edition_id, filters=queue.Filters(), size=25, page=9)
    assert past.paged.page == 2  # the last page, not an empty one
    sorted_page = queue.queue_page(
        session=demo_session, edition_id=edition_id, filters=queue.Filters(), sort=queue.Sort.organisation
    )
    assert [r.row.short_name for r in sorted_page.rows] == thai_sorted([r.row.short_name for r in sorted_page.rows])
    assert list(sorted_page.matching_ids) == [r.row.id for r in sorted_page.rows]
    nothing = queue.queue_page(session=demo_session, edition_id=edition_id, filters=queue.Filters(query="ไม่มี"))
    assert (nothing.rows, nothing.paged.found, nothing.paged.first) == ((), 0, 0)


def test_bulk_accept_accepts_what_the_single_decision_would_and_says_why_for_the_rest(demo_session: Session) -> None:
    edition_id = _edition(demo_session)
    ok1, ok2, draft, withdrawn, late, already = _subs(demo_session, edition_id)[:6]
    for s in (ok1, ok2, late):
        _set(demo_session, s, status=SubmissionStatus.submitted)
    _set(demo_session, draft, status=SubmissionStatus.draft)
    _set(demo_session, withdrawn, status=SubmissionStatus.withdrawn)
    _set(demo_session, late, golive_date=date(2021, 6, 1))
    ids = [ok1.id, ok2.id, draft.id, withdrawn.id, late.id, already.id, 999_999]
    result = queue.accept_many(session=demo_session, edition_id=edition_id, submission_ids=ids, actor="organiser")
    assert result.done == (ok1.id, ok2.id) and result.unchanged == (already.id,)
    why = {r.submission_id: r for r in result.refused}
    assert {k: r.code for k, r in why.items()} == {
        draft.id: "not_sent",
        withdrawn.id: "withdrawn",
        late.id: "ineligible",
        999_999: "no_submission",
    }
    assert why[late.id].message_th.startswith("ไม่มีคุณสมบัติตามประกาศ: เริ่มใช้งานจริงเมื่อ 1 มิถุนายน 2564")
    assert why[draft.id].receipt_code == draft.receipt_code
    demo_session.expire_all()
    status = {s.id: s.status for s in _subs(demo_session, edition_id)}
    assert (status[ok1.id], status[ok2.id], status[late.id], status[draft.id]) == (
        "accepted",
        "accepted",
        "submitted",
        "draft",
    )
    events = demo_session.exec(select(AuditEvent).where(AuditEvent.action == "submission.status")).all()
    assert sorted(int(e.entity_id) for e in events) == sorted([ok1.id, ok2.id])
    assert all(e.after == {"status": "accepted", "reason": "", "bulk": True} for e in events)
    # The single decision refuses the same works for the same reasons.
    for sub, code in ((draft, "not_sent"), (late, "ineligible"), (withdrawn, "withdrawn")):
        with pytest.raises(ValidationFailed) as refused:
            screening.set_status(
                session=demo_session, submission_id=sub.id, status=SubmissionStatus.accepted, reason="", actor="o"
            )
        assert refused.value.code == code


def _judge(session: Session, username: str) -> User:
    return session.exec(select(User).where(User.username == username)).one()


def test_the_desk_lists_judgeable_works_with_their_panels_and_filters_them(demo_session: Session) -> None:
    edition_id = _edition(demo_session)
    subs = _subs(demo_session, edition_id)
    _set(demo_session, subs[0], status=SubmissionStatus.rejected)
    lonely = subs[1]
    for a in demo_session.exec(select(JudgeAssignment).where(JudgeAssignment.submission_id == lonely.id)).all():
        demo_session.delete(a)
    demo_session.commit()
    page = desk.desk_page(session=demo_session, edition_id=edition_id, filters=queue.Filters())
    assert page.paged.found == 44 and subs[0].id not in page.matching_ids
    assert page.without_judges == 1
    none = desk.desk_page(session=demo_session, edition_id=edition_id, filters=queue.Filters(), panel=desk.Panel.none)
    assert [r.line.id for r in none.rows] == [lonely.id] and none.rows[0].judges == ()
    full = desk.desk_page(
        session=demo_session, edition_id=edition_id, filters=queue.Filters(query=subs[2].receipt_code)
    )
    (row,) = full.rows
    assert len(row.judges) == 10 and row.submitted == 9 and row.agencies == 10  # judge-dga has not scored
    open_ = desk.desk_page(session=demo_session, edition_id=edition_id, filters=queue.Filters(), panel=desk.Panel.open)
    assert open_.paged.found == 43  # every panel still waits for judge-dga; the lonely work has no panel


def test_bulk_assignment_refuses_conflicts_and_works_not_judged_and_audits_each_pair(demo_session: Session) -> None:
    edition_id = _edition(demo_session)
    subs = _subs(demo_session, edition_id)
    a, b, rejected = subs[0], subs[1], subs[2]
    for s in (a, b):
        for row in demo_session.exec(select(JudgeAssignment).where(JudgeAssignment.submission_id == s.id)).all():
            demo_session.delete(row)
    demo_session.commit()
    _set(demo_session, rejected, status=SubmissionStatus.rejected)
    opm, dla = _judge(demo_session, "judge-opm"), _judge(demo_session, "judge-dla")
    conflicts.declare(
        session=demo_session, judge_id=dla.id, submission_id=b.id, reason="own_province", actor="organiser"
    )
    result = desk.assign_many(
        session=demo_session,
        edition_id=edition_id,
        judge_ids=[opm.id, dla.id],
        submission_ids=[a.id, b.id, rejected.id],
        assigned=True,
        actor="organiser",
    )
    assert result.done == (a.id, b.id) and result.pairs == 3
    why = {(r.submission_id, r.judge): r for r in result.refused}
    assert why[(b.id, "judge-dla")].code == "conflict_of_interest"
    assert why[(rejected.id, "")].code == "not_judgeable"
    assert "ไม่ผ่าน" in why[(rejected.id, "")].message_th
    pairs = set(demo_session.exec(select(JudgeAssignment.judge_id, JudgeAssignment.submission_id)).all())
    assert {(opm.id, a.id), (dla.id, a.id), (opm.id, b.id)} <= pairs and (dla.id, b.id) not in pairs
    events = demo_session.exec(select(AuditEvent).where(AuditEvent.action == "assignment.set")).all()
    assert sorted(e.entity_id for e in events) == sorted([f"{opm.id}:{a.id}", f"{dla.id}:{a.id}", f"{opm.id}:{b.id}"])
    # Again: nothing changes, nothing is audited.
    again = desk.assign_many(
        session=demo_session, edition_id=edition_id, judge_ids=[opm.id], submission_ids=[a.id], assigned=True, actor="o"
    )
    assert (again.done, again.unchanged, again.pairs) == ((), (a.id,), 0)
    off = desk.assign_many(
        session=demo_session,
        edition_id=edition_id,
        judge_ids=[opm.id],
        submission_ids=[a.id, b.id],
        assigned=False,
        actor="organiser",
    )
    assert off.pairs == 2
    assert not demo_session.exec(
        select(JudgeAssignment).where(
            JudgeAssignment.judge_id == opm.id, col(JudgeAssignment.submission_id).in_([a.id, b.id])
        )
    ).all()
    assert demo_session.exec(select(ConflictOfInterest).where(ConflictOfInterest.submission_id == b.id)).one()


def test_bulk_assignment_to_someone_who_is_not_an_active_judge_is_refused_whole(demo_session: Session) -> None:
    edition_id = _edition(demo_session)
    organiser = _judge(demo_session, "organiser")
    sub = _subs(demo_session, edition_id)[0]
    with pytest.raises(Forbidden):
        desk.assign_many(
            session=demo_session,
            edition_id=edition_id,
            judge_ids=[organiser.id],
            submission_ids=[sub.id],
            assigned=True,
            actor="organiser",
        )
    assert not demo_session.exec(select(AuditEvent).where(AuditEvent.action == "assignment.set")).all()


def test_the_index_sorts_a_filtered_list_as_sort_lines_does_with_its_ranks_made_once(demo_session: Session) -> None:
    index = queue.list_index(session=demo_session, edition_id=_edition(demo_session))
    some = index.matching(queue.Filters(categories=("E-Service", "GIS")))
    for sort in queue.Sort:
        for descending in (False, True):
            assert index.sorted(some, sort, descending=descending) == queue.sort_lines(
                some, sort, descending=descending
            )
