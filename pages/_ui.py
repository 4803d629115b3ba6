"""Streamlit-side helpers shared by the pages: engine, session, language, role guard, errors. Not a page."""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import streamlit as st
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlmodel import Session
from streamlit.runtime.pages_manager import PagesManager

from models import Role
from services.contest import demo, papers
from services.contest.editions import EditionView, current_edition
from services.judging import printable_sheet
from services.pitching import live, live_feed
from services.platform import auth, phrases, ratelimit, web_sessions
from services.platform.clock import contest_now, is_simulated
from services.platform.db import (
    get_engine,
    is_storage_full,
    session_scope,
    upgrade_schema,
)
from services.platform.errors import DomainError
from services.platform.safe_text import md
from services.platform.settings import get_settings
from services.results import awards, ranking, ranking_table, scoring, stats
from services.thai.dates import format_date, format_thai_datetime

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
WEB_SESSION = "session_id"  # the server-side session row behind the cookie
HANDOFF = "session_handoff"  # one-time code the browser trades for the cookie (see services/platform/web_sessions.py)
COOKIE_CHECKED = "session_cookie_checked"
LAST_TOUCH = "session_last_touch"
ENDED = "session_ended"  # why a session just ended, told once
CLEAR_COOKIE = "session_clear_cookie"
TOUCH_EVERY_S = 10.0


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
def db(*, read_only: bool = False, snapshot: bool = True) -> Iterator[Session]:
    with session_scope(engine(), read_only=read_only, snapshot=snapshot) as session:
        yield session


def init_session() -> None:
    st.session_state.setdefault(LANG, "th")
    st.session_state.setdefault(ACCOUNT, None)
    with guard():
        _keep_session()


def _keep_session() -> None:
    """Sign in from the session cookie on a fresh page load; on later runs record activity and notice a session
    that ended elsewhere (signed out in another tab, account suspended) or through inactivity."""
    if account() is None:
        if st.session_state.get(COOKIE_CHECKED):
            return
        st.session_state[COOKIE_CHECKED] = True
        cookie = st.context.cookies.get(web_sessions.COOKIE_NAME)
        if not isinstance(cookie, str) or not cookie:  # (AppTest has no real request behind it)
            return
        with db() as session:
            found = web_sessions.resume(session=session, cookie_value=cookie)
        if found.account is not None:
            st.session_state[ACCOUNT] = found.account
            st.session_state[WEB_SESSION] = found.web_session_id
            st.session_state[LAST_TOUCH] = time.monotonic()
        else:
            st.session_state[CLEAR_COOKIE] = True
            if found.ended not in (None, web_sessions.Ended.signout):
                st.session_state[ENDED] = found.ended
        return
    sid = st.session_state.get(WEB_SESSION)
    if sid is None or time.monotonic() - st.session_state.get(LAST_TOUCH, 0.0) < TOUCH_EVERY_S:
        return
    st.session_state[LAST_TOUCH] = time.monotonic()
    with db(read_only=True) as session:  # most runs only read; the write lock is taken when there is a write
        due = web_sessions.touch_due(session=session, web_session_id=sid)
        if HANDOFF in st.session_state and web_sessions.handoff_done(session=session, web_session_id=sid):
            st.session_state.pop(HANDOFF, None)  # the cookie is set: stop sending the script
    if not due:
        return
    with db() as session:
        ended = web_sessions.touch(session=session, web_session_id=sid)
    if ended is not None:
        sign_out(ended)


def sign_in(acc: auth.Account) -> None:
    """The user proved who they are: open a server-side session; the browser gets its cookie over HTTP."""
    with db() as session:
        sid, code = web_sessions.begin(session=session, user_id=acc.id)
    st.session_state[ACCOUNT] = acc
    st.session_state[WEB_SESSION] = sid
    st.session_state[HANDOFF] = code
    st.session_state[COOKIE_CHECKED] = True
    st.session_state[LAST_TOUCH] = time.monotonic()


def sign_out(why: web_sessions.Ended = web_sessions.Ended.signout) -> None:
    sid = st.session_state.pop(WEB_SESSION, None)
    if sid is not None and why == web_sessions.Ended.signout:
        with db() as session:
            web_sessions.end(session=session, web_session_id=sid)
    st.session_state[ACCOUNT] = None
    st.session_state.pop(HANDOFF, None)
    st.session_state[CLEAR_COOKIE] = True
    if why != web_sessions.Ended.signout:
        st.session_state[ENDED] = why


def _cookie_script() -> None:
    """Hand the session code to the app's HTTP route (which sets the HTTP-only cookie), or clear the cookie. The
    script carries only a one-time code or nothing; it never sees the session token."""
    code = st.session_state.get(HANDOFF)
    if code is not None:
        request = (
            f"fetch('/auth/session', {{method: 'POST', credentials: 'same-origin', headers: "
            f"{{'Content-Type': 'application/json'}}, body: JSON.stringify({{code: {json.dumps(code)}}})}})"
        )
    elif st.session_state.pop(CLEAR_COOKIE, False):
        request = (
            "fetch('/auth/signout', {method: 'POST', credentials: 'same-origin', "
            "headers: {'Content-Type': 'application/json'}, body: '{}'})"
        )
    else:
        return
    st.html(f"<script>{request}.catch(() => {{}});</script>", unsafe_allow_javascript=True)


def component_data(data: Mapping[str, Any]) -> bytes:
    """A component's data as compact UTF-8 JSON (the component's script parses it). Streamlit forwards bytes as
    they are; a dict it scans key by key for dataframes and dumps to JSON twice (once sorted, for the element's
    identity), with every Thai letter escaped: on a judge's follow, half the data's size and a tenth of its CPU."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def client_id(fallback_key: str) -> str:
    """Whom a rate limit counts: the client's address (through a trusted proxy's X-Forwarded-For, see
    ratelimit.client_address), else this browser session (a loopback connection with no trusted proxy, AppTest)."""
    ip = st.context.ip_address
    headers = st.context.headers
    forwarded = headers.get("X-Forwarded-For") if hasattr(headers, "get") else None
    address = ratelimit.client_address(
        peer=ip if isinstance(ip, str) else None,
        forwarded_for=forwarded if isinstance(forwarded, str) else None,
        trusted=get_settings().trusted_proxies,
    )
    return address or "browser:" + st.session_state.setdefault(fallback_key, uuid.uuid4().hex)


def lang() -> str:
    return str(st.session_state.get(LANG, "th"))


def t(th: str, en: str) -> str:
    """The Thai text, or the English one when the user switched language."""
    return en if lang() == "en" else th


def label(table: Mapping[str, phrases.Label], code: str) -> str:
    """A code's label from an aggregate's phrases module, in the user's language."""
    return phrases.label(table, code, lang())


def account() -> auth.Account | None:
    return st.session_state.get(ACCOUNT)


def require_role(*roles: Role) -> auth.Account:
    """Stop the page unless the signed-in user has one of roles (st.navigation already hides it from others)."""
    acc = account()
    if acc is None or acc.role not in roles:
        st.error(
            t(
                "ท่านไม่มีสิทธิ์เข้าหน้านี้ กรุณาลงชื่อเข้าใช้ด้วยบัญชีที่มีสิทธิ์",
                "You may not open this page. Sign in with an account that may.",
            )
        )
        st.stop()
    return acc


def show_error(error: DomainError) -> None:
    problems: list[DomainError] = getattr(error, "problems", [])
    # A message may quote what an applicant typed (a title, a name): shown literally, never as Markdown.
    if not problems:
        st.error(md(error.message(lang()), multiline=True))
        return
    st.error(
        "\n".join(
            [t("ยังส่งไม่ได้ กรุณาแก้ไขรายการต่อไปนี้:", "Not sent yet. Please fix:")]
            + [f"- {md(p.message(lang()))}" for p in problems]
        )
    )


# A burst of runs (every judge's page switching work at the moment the organiser presents the next one) is drawn a
# few at a time, in turn: thirty runs sharing the interpreter at once all finish late and leave the slider saves
# (HTTP routes, not page runs) a thirtieth of it; in turn the first judges see the work at once and a save waits for
# at most a few runs. A run that waits longer than RUN_TURN_WAIT_S goes ahead anyway (a stuck run blocks no one).
# LDAWARD_PAGE_RUN_TURNS sets how many (0: one per core; negative: no turns).
RUN_TURN_WAIT_S = 10.0


@st.cache_resource(show_spinner=False)
def _run_turns() -> threading.BoundedSemaphore | None:
    turns = get_settings().page_run_turns
    return None if turns < 0 else threading.BoundedSemaphore(turns or os.cpu_count() or 2)


@contextmanager
def in_turn() -> Iterator[None]:
    """Draw the enclosed part of a page when one of a few turns is free (see _run_turns)."""
    turns = _run_turns()
    got = turns is not None and turns.acquire(timeout=RUN_TURN_WAIT_S)
    try:
        yield
    finally:
        if got and turns is not None:
            turns.release()


@contextmanager
def guard() -> Iterator[None]:
    """Turn every failure into a message a person can act on; never a traceback on the page."""
    try:
        yield
    except DomainError as e:
        show_error(e)
    except OperationalError as e:
        if is_storage_full(e):
            log.exception("storage full or not writable")
            st.error(
                t(
                    "พื้นที่จัดเก็บของระบบเต็มหรือบันทึกไม่ได้ในขณะนี้ รายการล่าสุดนี้ยังไม่ได้บันทึก "
                    "ข้อมูลที่บันทึกไว้ก่อนหน้าไม่สูญหาย กรุณาแจ้งผู้จัดงานแล้วลองอีกครั้งภายหลัง",
                    "The system's storage is full or cannot be written right now. This last change was not "
                    "saved; everything saved before is kept. Please tell the organisers and try again later.",
                )
            )
            return
        log.exception("database unavailable")
        st.error(
            t(
                "ฐานข้อมูลไม่ตอบสนองชั่วคราว ข้อมูลที่บันทึกแล้วไม่สูญหาย กรุณาลองใหม่อีกครั้งในอีกสักครู่",
                "The database is not answering right now. Nothing saved is lost; please try again shortly.",
            )
        )
    except SQLAlchemyError:
        log.exception("database error")
        st.error(
            t(
                "บันทึกไม่สำเร็จเพราะข้อมูลขัดแย้งกับรายการอื่น กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง",
                "Could not save because of a conflict with other data. Reload the page and try again.",
            )
        )


def edition_or_stop(session: Session) -> EditionView:
    edition = current_edition(session=session)
    if edition is None:
        # Said to organisers and visitors alike: no shell commands here (those are in the README).
        st.info(
            t(
                "ยังไม่มีรุ่นการประกวด ผู้จัดงานสร้างได้ที่หน้า 'ผู้ดูแลระบบ'",
                "No contest edition yet. Organisers can create one on the admin page.",
            )
        )
        st.stop()
    return edition


# The ranking's read models are large (a national edition: 10,000 rows) and never changed once built, so they are
# kept as objects shared by every session (st.cache_resource) rather than pickled on every write and read
# (st.cache_data). Callers read them and never change them. They live RANKING_TTL_S seconds (other processes' saves)
# and are cleared at once when this process changes the ranking (results_changed).
RANKING_TTL_S = 5


@st.cache_resource(ttl=RANKING_TTL_S, max_entries=16, show_spinner=False)
def cached_leaderboard(edition_id: int, method: str, round_no: int | None = None) -> ranking.Leaderboard:
    """round_no: a judging round (None: the current one)."""
    detail = cached_criterion_means(edition_id, round_no)
    works = cached_work_details(edition_id)
    with db(read_only=True) as session:
        return ranking.leaderboard(
            session=session,
            edition_id=edition_id,
            method=scoring.Method(method),
            detail=detail,
            works=works,
            round_no=round_no,
        )


@st.cache_resource(ttl=60, max_entries=4, show_spinner=False)
def cached_work_details(edition_id: int) -> dict[int, ranking.WorkDetails]:
    """The works' titles, organisations and regions: they change when a work is edited, not when a sheet is
    submitted, so they outlive the ranking's few seconds and are not cleared with it (a work ranked for the first
    time since is read by the ranking itself)."""
    with db(read_only=True) as session:
        return ranking.work_details(session=session, edition_id=edition_id)


@st.cache_resource(ttl=RANKING_TTL_S, max_entries=16, show_spinner=False)
def cached_ranking_table(
    edition_id: int, method: str, lang: str, round_no: int | None = None
) -> ranking_table.RankingTable:
    """The ranking's table columns, built once per method and language for every session that shows them."""
    return ranking_table.ranking_table(cached_leaderboard(edition_id, method, round_no), lang=lang)


@st.cache_resource(ttl=RANKING_TTL_S, max_entries=4, show_spinner=False)
def cached_criterion_means(edition_id: int, round_no: int | None = None) -> dict[int, dict[int, float]]:
    """Every work's mean per criterion: the same whatever the method, so switching methods does not recompute it."""
    with db(read_only=True) as session:
        return ranking.criterion_means(session=session, edition_id=edition_id, round_no=round_no)


@st.cache_resource(ttl=RANKING_TTL_S, max_entries=4, show_spinner=False)
def cached_stats(edition_id: int) -> stats.HeadlineStats:
    with db(read_only=True) as session:
        return stats.headline_stats(session=session, edition_id=edition_id)


@st.cache_data(ttl=60, show_spinner=False)
def cached_agreement(edition_id: int, round_no: int | None = None) -> ranking.Agreement:
    with db(read_only=True) as session:
        return ranking.agreement(session=session, edition_id=edition_id, round_no=round_no)


@st.cache_data(ttl=60, show_spinner=False)
def cached_proposal(edition_id: int, method: str) -> awards.AwardProposal:
    with db(read_only=True) as session:
        return awards.propose(session=session, edition_id=edition_id, method=scoring.Method(method))


@st.cache_data(ttl=5, show_spinner=False)
def cached_timeline(edition_id: int) -> tuple[stats.DayProgress, ...]:
    with db(read_only=True) as session:
        return stats.judging_timeline(session=session, edition_id=edition_id)


def live_now(edition_id: int) -> live.LiveView | None:
    """The live pitching session as every judge's page follows it (each second): answered from this process's
    live feed in memory, which one thread keeps fresh, so a page's question costs no query."""
    return live_feed.current(engine(), edition_id)


def results_changed() -> None:
    """Called after a change to what the ranking counts (a sheet submitted or reopened; eligibility, a status,
    assignments, conflicts, awards), so the next dashboard refresh reads fresh figures. Not after a draft save: a
    draft counts nowhere, and clearing a national ranking each few seconds of a judge's typing would rebuild it for
    nothing."""
    cached_leaderboard.clear()
    cached_ranking_table.clear()
    cached_criterion_means.clear()
    cached_stats.clear()
    cached_agreement.clear()
    cached_proposal.clear()
    cached_timeline.clear()


def demo_notice(session: Session, edition: EditionView) -> None:
    if demo.demo_edition_id(session=session) == edition.id:
        st.info(
            t(
                "ข้อมูลสาธิตจากรางวัลท้องถิ่นดิจิทัล 2564: รายชื่อผลงานมาจากประกาศผลจริง "
                "แต่ประเภทผลงานและคะแนนเป็นข้อมูลสมมติเพื่อการสาธิตเท่านั้น",
                "Demo data from the 2564 award: the works are the published list, but categories and scores "
                "are illustrative only.",
            ),
            icon="ℹ️",
        )


def widget_key(prefix: str, *parts: Any) -> str:
    return "_".join([prefix, *map(str, parts)])


# Streamlit writes "No results" in English when a typed search matches no option of a select box, and offers no
# parameter for it. In Thai mode its text is replaced: the empty list's one entry is the only option React Aria
# renders as a bare `display: contents` wrapper (real options carry their own box).
NO_RESULTS_CSS = """<style>
[role="listbox"] > [role="option"][style*="display: contents"] > span {font-size: 0; visibility: hidden;}
[role="listbox"] > [role="option"][style*="display: contents"] > span::after {content: "%s"; font-size: 1rem;
  visibility: visible;}
</style>"""


# Every page: long Thai labels on buttons wrap instead of ending in "…" (Streamlit cuts them on one line); on phones
# (Streamlit stacks columns under 640 px) the titles are smaller, and the submit page's step bar is one row that
# scrolls sideways instead of seven full-width buttons that push the form below the fold (issue 17, item 7).
SCREEN_CSS = """<style>
.stButton .stMarkdownEllipsis, .stDownloadButton .stMarkdownEllipsis, .stButton .stMarkdownEllipsis p,
.stDownloadButton .stMarkdownEllipsis p {white-space: normal; text-overflow: clip; overflow: visible;}
h1, h2, h3 {overflow-wrap: anywhere;}
/* Sections are h2 under the page's h1 (headings in order for screen readers), drawn at the size they had as h3. */
[data-testid="stMain"] h2 {font-size: 1.75rem;}
/* Captions: Streamlit's faded grey reads at 3.8:1 on white (axe-core: WCAG AA asks 4.5:1 for small text); the
   text's own colour, a little lighter, in either theme. */
[data-testid="stCaptionContainer"] {color: inherit; opacity: .8;}
@media (max-width: 640px) {
  h1 {font-size: 1.9rem;}
  [data-testid="stMain"] h2 {font-size: 1.5rem;}
  .st-key-submit_steps [data-testid="stHorizontalBlock"] {flex-wrap: nowrap; overflow-x: auto; gap: .25rem;
    padding-bottom: .25rem;}
  .st-key-submit_steps [data-testid="stColumn"] {flex: 0 0 auto !important; width: auto !important;
    min-width: 0 !important;}
  .st-key-submit_steps button {min-height: 2.25rem; padding: .2rem .65rem;}
  .st-key-submit_steps .stMarkdownEllipsis, .st-key-submit_steps .stMarkdownEllipsis p {white-space: nowrap;}
}
</style>"""


def sidebar() -> None:
    st.html(SCREEN_CSS)
    if lang() == "th":
        st.html(NO_RESULTS_CSS % "ไม่พบรายการที่ตรงกับคำค้น")
    if (ended := st.session_state.pop(ENDED, None)) is not None:
        st.warning(t(*web_sessions.ENDED_MESSAGES[ended]), icon=":material/lock_clock:")
    with st.sidebar:
        # The document's language, for screen readers and line breaking (Streamlit's page says lang="en" always).
        st.html(f"<script>document.documentElement.lang = {json.dumps(lang())};</script>", unsafe_allow_javascript=True)
        st.radio(
            "ภาษา / Language",
            options=["th", "en"],
            key=LANG,
            horizontal=True,
            format_func=lambda v: "ไทย" if v == "th" else "English",
        )
        acc = account()
        if acc is not None:
            st.caption(
                t(
                    f"ลงชื่อเข้าใช้: {acc.display_name} ({label(phrases.ROLE, acc.role)})",
                    f"Signed in: {acc.display_name} ({label(phrases.ROLE, acc.role)})",
                )
            )
            if st.button(t("ออกจากระบบ", "Sign out"), key="sidebar_signout"):
                with guard():
                    sign_out()
                if getattr(st.user, "is_logged_in", False):
                    st.logout()
                st.rerun()
        _cookie_script()
        if is_simulated():
            now = contest_now()
            st.caption(
                t(
                    f"โหมดสาธิต: เวลาของการประกวดจำลองเป็น {format_thai_datetime(now)}",
                    f"Demo mode: the contest clock is set to {format_date(now, 'en')}",
                )
            )


def printable_downloads(key: str, paper: papers.Printable) -> None:
    """A paper to print: HTML at any time (made when clicked), PDF made on request, because LibreOffice takes
    seconds and can fail, and a download made on click could only fail with the browser's bare error. The PDF is kept
    for this session while what it is made from (paper.signature) stays the same."""
    name = t(paper.label_th, paper.label_en)
    c1, c2 = st.columns(2)
    c1.download_button(
        t(f"{name} (HTML สำหรับพิมพ์)", f"{name} (HTML to print)"),
        data=lambda: paper.html().encode(),
        file_name=f"{paper.file_stem}.html",
        mime="text/html",
        key=f"{key}_html",
        icon=":material/print:",
        on_click="ignore",
    )
    made = st.session_state.get(key)
    if made is not None and made[0] == paper.signature:
        c2.download_button(
            f"{name} (PDF)",
            data=made[1],
            file_name=f"{paper.file_stem}.pdf",
            mime="application/pdf",
            key=f"{key}_pdf",
            icon=":material/download:",
            on_click="ignore",
        )
    elif c2.button(
        t(f"สร้าง PDF: {name}", f"Make the PDF: {name}"), key=f"{key}_make", icon=":material/picture_as_pdf:"
    ):
        with guard(), st.spinner(t("กำลังสร้าง PDF…", "Making the PDF…")):
            st.session_state[key] = (paper.signature, paper.pdf())
            st.rerun()


def sheet_downloads(
    key: str, build: Callable[[], printable_sheet.PrintableSheet], signature: object, file_stem: str
) -> None:
    """A score sheet to print (see printable_downloads)."""
    printable_downloads(
        key,
        papers.Printable(
            "sheet",
            "ใบให้คะแนน",
            "Score sheet",
            file_stem,
            signature,
            lambda: printable_sheet.to_html(build()),
            lambda: printable_sheet.to_pdf(build()),
        ),
    )


_route_through_app()
