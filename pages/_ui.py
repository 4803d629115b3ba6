"""Streamlit-side helpers shared by the pages: engine, session, language, role guard, errors. Not a page."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlmodel import Session
from streamlit.runtime.pages_manager import PagesManager

from models import Role
from services import auth, awards, demo, results, scoring, stats
from services.clock import contest_now, is_simulated
from services.db import get_engine, session_scope, upgrade_schema
from services.editions import EditionView, current_edition
from services.errors import DomainError
from services.settings import get_settings
from services.thai import format_date, format_thai_datetime

log = logging.getLogger("ldaward")


def _route_through_app() -> None:
    """A folder named pages/ beside app.py makes Streamlit run old-style pages until st.navigation first runs, so
    a first request straight to /signin on a fresh server would skip app.py (its menu and role rules). Switch that
    mode off and rerun: the rerun goes through app.py. Every page imports this module, so it happens first."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()

# Session-state keys (page-specific keys carry their page's prefix: judge_, submit_, admin_, board_).
ACCOUNT = "account"
LANG = "lang"


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    engine = get_engine(url)
    upgrade_schema(engine)
    with session_scope(engine) as session:
        auth.ensure_admin_from_settings(session=session)
        if get_settings().demo and current_edition(session=session) is None:
            demo.load_demo(session=session)
    return engine


def engine() -> Engine:
    return _engine(get_settings().database_url)


@contextmanager
def db(*, read_only: bool = False) -> Iterator[Session]:
    with session_scope(engine(), read_only=read_only) as session:
        yield session


def init_session() -> None:
    st.session_state.setdefault(LANG, "th")
    st.session_state.setdefault(ACCOUNT, None)


def lang() -> str:
    return str(st.session_state.get(LANG, "th"))


def t(th: str, en: str) -> str:
    """The Thai text, or the English one when the user switched language."""
    return en if lang() == "en" else th


def account() -> auth.Account | None:
    return st.session_state.get(ACCOUNT)


def require_role(*roles: Role) -> auth.Account:
    """Stop the page unless the signed-in user has one of roles (st.navigation already hides it from others)."""
    acc = account()
    if acc is None or acc.role not in roles:
        st.error(t("ท่านไม่มีสิทธิ์เข้าหน้านี้ กรุณาลงชื่อเข้าใช้ด้วยบัญชีที่มีสิทธิ์",
                   "You may not open this page. Sign in with an account that may."))
        st.stop()
    return acc


def show_error(error: DomainError) -> None:
    problems: list[DomainError] = getattr(error, "problems", [])
    if not problems:
        st.error(error.message(lang()))
        return
    st.error("\n".join([t("ยังส่งไม่ได้ กรุณาแก้ไขรายการต่อไปนี้:", "Not sent yet. Please fix:")]
                       + [f"- {p.message(lang())}" for p in problems]))


@contextmanager
def guard() -> Iterator[None]:
    """Turn every failure into a message a person can act on; never a traceback on the page."""
    try:
        yield
    except DomainError as e:
        show_error(e)
    except OperationalError:
        log.exception("database unavailable")
        st.error(t("ฐานข้อมูลไม่ตอบสนองชั่วคราว ข้อมูลที่บันทึกแล้วไม่สูญหาย กรุณาลองใหม่อีกครั้งในอีกสักครู่",
                   "The database is not answering right now. Nothing saved is lost; please try again shortly."))
    except SQLAlchemyError:
        log.exception("database error")
        st.error(t("บันทึกไม่สำเร็จเพราะข้อมูลขัดแย้งกับรายการอื่น กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง",
                   "Could not save because of a conflict with other data. Reload the page and try again."))


def edition_or_stop(session: Session) -> EditionView:
    edition = current_edition(session=session)
    if edition is None:
        st.info(t("ยังไม่มีรุ่นการประกวด ผู้จัดงานสร้างได้ที่หน้า 'ผู้ดูแลระบบ' หรือรัน `ldaward demo`",
                  "No contest edition yet. Organisers can create one on the admin page, or run `ldaward demo`."))
        st.stop()
    return edition


@st.cache_data(ttl=5, show_spinner=False)
def cached_leaderboard(edition_id: int, method: str) -> results.Leaderboard:
    with db(read_only=True) as session:
        return results.leaderboard(session=session, edition_id=edition_id, method=scoring.Method(method))


@st.cache_data(ttl=5, show_spinner=False)
def cached_stats(edition_id: int) -> stats.HeadlineStats:
    with db(read_only=True) as session:
        return stats.headline_stats(session=session, edition_id=edition_id)


@st.cache_data(ttl=60, show_spinner=False)
def cached_agreement(edition_id: int) -> results.Agreement:
    with db(read_only=True) as session:
        return results.agreement(session=session, edition_id=edition_id)


@st.cache_data(ttl=60, show_spinner=False)
def cached_proposal(edition_id: int, method: str) -> awards.AwardProposal:
    with db(read_only=True) as session:
        return awards.propose(session=session, edition_id=edition_id, method=scoring.Method(method))


@st.cache_data(ttl=5, show_spinner=False)
def cached_timeline(edition_id: int) -> tuple[stats.DayProgress, ...]:
    with db(read_only=True) as session:
        return stats.judging_timeline(session=session, edition_id=edition_id)


def results_changed() -> None:
    """Called after a score is saved, so the next dashboard refresh reads fresh figures."""
    cached_leaderboard.clear()
    cached_stats.clear()
    cached_agreement.clear()
    cached_proposal.clear()
    cached_timeline.clear()


def demo_notice(session: Session, edition: EditionView) -> None:
    if demo.demo_edition_id(session=session) == edition.id:
        st.info(t("ข้อมูลสาธิตจากรางวัลท้องถิ่นดิจิทัล 2564: รายชื่อผลงานมาจากประกาศผลจริง "
                  "แต่ประเภทผลงานและคะแนนเป็นข้อมูลสมมติเพื่อการสาธิตเท่านั้น",
                  "Demo data from the 2564 award: the works are the published list, but categories and scores "
                  "are illustrative only."), icon="ℹ️")


def widget_key(prefix: str, *parts: Any) -> str:
    return "_".join([prefix, *map(str, parts)])


def sidebar() -> None:
    with st.sidebar:
        st.radio("ภาษา / Language", options=["th", "en"], key=LANG, horizontal=True,
                 format_func=lambda v: "ไทย" if v == "th" else "English")
        acc = account()
        if acc is not None:
            st.caption(t(f"ลงชื่อเข้าใช้: {acc.display_name} ({ROLE_NAMES[acc.role][0]})",
                         f"Signed in: {acc.display_name} ({ROLE_NAMES[acc.role][1]})"))
            if st.button(t("ออกจากระบบ", "Sign out"), key="sidebar_signout"):
                st.session_state[ACCOUNT] = None
                if getattr(st.user, "is_logged_in", False):
                    st.logout()
                st.rerun()
        if is_simulated():
            now = contest_now()
            st.caption(t(f"โหมดสาธิต: เวลาของการประกวดจำลองเป็น {format_thai_datetime(now)}",
                         f"Demo mode: the contest clock is set to {format_date(now, 'en')}"))


ROLE_NAMES = {
    Role.organiser: ("ผู้จัดงาน", "organiser"),
    Role.judge: ("กรรมการ", "judge"),
    Role.executive: ("ผู้บริหาร", "executive"),
}


_route_through_app()

