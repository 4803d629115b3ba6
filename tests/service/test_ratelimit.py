"""Rate limits: sliding windows per hashed subject, shared through the database (SQLite and PostgreSQL)."""

import pickle
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from models.web import RateHit
from services.platform import ratelimit
from services.platform.errors import DomainError
from services.platform.settings import get_settings

T0 = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
THREE_PER_10_MIN = ratelimit.Limit("test_bucket", 3, timedelta(minutes=10))


def hits(session, times, subject="s1", limit=THREE_PER_10_MIN):
    for t in times:
        ratelimit.hit(session=session, limit=limit, subject=subject, now=t)
    session.commit()


def test_allows_up_to_the_limit_then_refuses_with_the_wait_in_thai(session):
    hits(session, [T0, T0 + timedelta(minutes=1), T0 + timedelta(minutes=2)])
    with pytest.raises(ratelimit.RateLimited) as refused:
        ratelimit.hit(session=session, limit=THREE_PER_10_MIN, subject="s1", now=T0 + timedelta(minutes=3))
    # The oldest hit (T0) leaves the window at T0+10 min: seven minutes from now.
    assert refused.value.retry_after == timedelta(minutes=7)
    assert "กรุณารอประมาณ 7 นาที" in refused.value.message("th")
    assert "ข้อมูลที่บันทึกไว้แล้วไม่สูญหาย" in refused.value.message("th")
    assert "about 7 minutes" in refused.value.message("en")
    assert isinstance(refused.value, DomainError)


def test_a_refused_hit_is_not_recorded(session):
    hits(session, [T0, T0, T0])
    for _ in range(5):
        with pytest.raises(ratelimit.RateLimited):
            ratelimit.hit(session=session, limit=THREE_PER_10_MIN, subject="s1", now=T0 + timedelta(minutes=1))
    assert len(session.exec(select(RateHit)).all()) == 3


def test_the_window_slides_one_expired_hit_frees_one_place(session):
    hits(session, [T0, T0 + timedelta(minutes=4), T0 + timedelta(minutes=8)])
    just_before = T0 + timedelta(minutes=10) - timedelta(seconds=1)
    with pytest.raises(ratelimit.RateLimited) as refused:
        ratelimit.hit(session=session, limit=THREE_PER_10_MIN, subject="s1", now=just_before)
    assert refused.value.retry_after == timedelta(seconds=1)
    assert "ประมาณ 1 นาที" in refused.value.message("th")  # never "0 minutes"
    hits(session, [T0 + timedelta(minutes=10)])  # T0 has left the window
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.hit(session=session, limit=THREE_PER_10_MIN, subject="s1", now=T0 + timedelta(minutes=11))
    hits(session, [T0 + timedelta(minutes=14)])  # and now T0+4 min has too


def test_different_subjects_and_buckets_are_independent(session):
    hits(session, [T0] * 3, subject="s1")
    hits(session, [T0] * 3, subject="s2")
    other = ratelimit.Limit("other_bucket", 3, timedelta(minutes=10))
    hits(session, [T0] * 3, subject="s1", limit=other)
    for subject, limit in (("s1", THREE_PER_10_MIN), ("s2", THREE_PER_10_MIN), ("s1", other)):
        with pytest.raises(ratelimit.RateLimited):
            ratelimit.hit(session=session, limit=limit, subject=subject, now=T0)
    hits(session, [T0], subject="s3")


def test_check_refuses_at_the_limit_without_recording(session):
    ratelimit.check(session=session, limit=THREE_PER_10_MIN, subject="s1", now=T0)
    assert session.exec(select(RateHit)).all() == []
    hits(session, [T0] * 3)
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.check(session=session, limit=THREE_PER_10_MIN, subject="s1", now=T0 + timedelta(minutes=9))
    ratelimit.check(session=session, limit=THREE_PER_10_MIN, subject="s1", now=T0 + timedelta(minutes=10))


def test_hits_prune_their_buckets_expired_rows(session):
    other = ratelimit.Limit("other_bucket", 3, timedelta(minutes=10))
    hits(session, [T0], subject="s1")
    hits(session, [T0], subject="s2")
    hits(session, [T0], subject="s1", limit=other)
    hits(session, [T0 + timedelta(hours=1)], subject="s3")
    left = session.exec(select(RateHit.bucket, RateHit.subject)).all()
    assert sorted(left) == [("other_bucket", "s1"), ("test_bucket", "s3")]


def test_prune_removes_everything_older_than_the_cutoff(session):
    hits(session, [T0, T0 + timedelta(minutes=5)], subject="s1")
    hits(session, [T0], subject="s2", limit=ratelimit.Limit("other_bucket", 3, timedelta(minutes=10)))
    assert ratelimit.prune(session=session, before=T0 + timedelta(minutes=1)) == 2
    session.commit()
    assert [h.at for h in session.exec(select(RateHit)).all()] == [T0 + timedelta(minutes=5)]


def test_subjects_are_salted_digests_never_the_address(session):
    a = ratelimit.subject_of(session=session, bucket="b1", client="203.0.113.7")
    session.commit()
    assert len(a) == 64 and "203.0.113.7" not in a
    assert a == ratelimit.subject_of(session=session, bucket="b1", client="203.0.113.7")
    assert a != ratelimit.subject_of(session=session, bucket="b2", client="203.0.113.7")
    assert a != ratelimit.subject_of(session=session, bucket="b1", client="203.0.113.8")
    import hashlib

    assert a != hashlib.sha256(b"203.0.113.7").hexdigest()


def test_limits_come_from_settings(monkeypatch):
    monkeypatch.setenv("LDAWARD_RATE_NEW_DRAFTS", "2")
    monkeypatch.setenv("LDAWARD_RATE_EDIT_CODE_MINUTES", "5")
    get_settings.cache_clear()
    try:
        assert ratelimit.new_draft_limit() == ratelimit.Limit(ratelimit.NEW_DRAFT, 2, timedelta(hours=1))
        assert ratelimit.edit_code_limit() == ratelimit.Limit(ratelimit.EDIT_CODE_FAILURE, 10, timedelta(minutes=5))
    finally:
        get_settings.cache_clear()


def test_the_error_survives_pickling_with_its_messages():
    error = pickle.loads(pickle.dumps(ratelimit.rate_limited(timedelta(minutes=12))))
    assert "12 นาที" in error.message("th")
