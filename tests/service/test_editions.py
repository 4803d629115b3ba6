"""Editions and criteria are data: organisers change them, and a new year starts from the last one's rules."""

from datetime import date

import pytest

from models import Phase
from services.contest import editions
from services.platform import audit
from services.platform.errors import ValidationFailed


@pytest.mark.parametrize(
    ("closes", "cutoff"),
    [
        (date(2021, 7, 31), date(2021, 2, 1)),  # the 2564 call: in real use before 1 February 2564
        (date(2026, 8, 31), date(2026, 3, 1)),
        (date(2026, 3, 30), date(2025, 9, 30)),
        (date(2026, 2, 28), date(2025, 9, 1)),
    ],
)
def test_golive_cutoff_is_six_months_before_intake_closes(closes, cutoff):
    assert editions.default_golive_cutoff(closes) == cutoff


def test_next_edition_copies_criteria_and_award_plan(demo_session):
    source = editions.current_edition(session=demo_session)
    new = editions.create_next_edition(
        session=demo_session,
        source_id=source.id,
        name="รางวัลท้องถิ่นดิจิทัล 2569",
        year_be=2569,
        intake_opens_on=date(2026, 6, 1),
        intake_closes_on=date(2026, 7, 31),
        actor="organiser",
    )
    assert new.phase == Phase.draft
    assert [c.code for c in new.criteria] == [c.code for c in source.criteria]
    assert new.max_total == 100
    assert new.award_plan == source.award_plan
    assert new.golive_cutoff == date(2026, 2, 1)
    assert new.intake_closes_at.isoformat() == "2026-07-31T16:59:59+00:00"  # 23:59:59 in Bangkok
    # A draft does not take over from the edition being judged.
    assert editions.current_edition(session=demo_session).id == source.id


def test_criteria_can_be_added_and_changed_until_scores_exist(demo_session):
    new_ed = editions.create_next_edition(
        session=demo_session,
        source_id=editions.current_edition(session=demo_session).id,
        name="x",
        year_be=2569,
        intake_opens_on=date(2026, 6, 1),
        intake_closes_on=date(2026, 7, 31),
        actor="organiser",
    )
    added = editions.save_criterion(
        session=demo_session,
        edition_id=new_ed.id,
        code="ai_use",
        title_th="การใช้ปัญญาประดิษฐ์",
        title_en="Use of AI",
        max_points=5,
        actor="organiser",
    )
    assert added.position == len(new_ed.criteria) + 1
    changed = editions.save_criterion(
        session=demo_session,
        edition_id=new_ed.id,
        code="ai_use",
        title_th="การใช้ AI อย่างรับผิดชอบ",
        title_en="Responsible AI",
        max_points=10,
        actor="organiser",
    )
    assert (changed.id, changed.max_points) == (added.id, 10)
    editions.delete_criterion(session=demo_session, criterion_id=added.id, actor="organiser")
    assert "ai_use" not in [c.code for c in editions.get_edition(session=demo_session, edition_id=new_ed.id).criteria]


def test_a_criterion_with_scores_keeps_its_maximum_and_cannot_be_deleted(demo_session):
    edition = editions.current_edition(session=demo_session)
    used = edition.scored_criteria[0]
    with pytest.raises(ValidationFailed) as e:
        editions.save_criterion(
            session=demo_session,
            edition_id=edition.id,
            code=used.code,
            title_th=used.title_th,
            title_en=used.title_en,
            max_points=20,
            actor="organiser",
        )
    assert e.value.code == "criterion_in_use"
    with pytest.raises(ValidationFailed):
        editions.delete_criterion(session=demo_session, criterion_id=used.id, actor="organiser")
    # The wording may still be corrected.
    fixed = editions.save_criterion(
        session=demo_session,
        edition_id=edition.id,
        code=used.code,
        title_th=used.title_th + " (แก้คำผิด)",
        title_en=used.title_en,
        max_points=used.max_points,
        guidance_th=used.guidance_th,
        actor="organiser",
    )
    assert fixed.title_th.endswith("(แก้คำผิด)")


def test_phase_changes_are_validated_and_audited(demo_session):
    edition = editions.current_edition(session=demo_session)
    updated = editions.update_edition(session=demo_session, edition_id=edition.id, phase="results", actor="organiser")
    assert updated.phase == Phase.results
    with pytest.raises(ValidationFailed) as e:
        editions.update_edition(session=demo_session, edition_id=edition.id, phase="nonsense", actor="organiser")
    assert e.value.code == "bad_phase"
    events = audit.recent(session=demo_session, entity="edition")
    assert events[0].action == "edition.update"
    assert (events[0].before, events[0].after) == ({"phase": "judging"}, {"phase": "results"})
