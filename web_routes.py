"""HTTP routes served beside the Streamlit app (through st.App, see asgi.py): the public results as JSON, once an
edition is announced; the session cookie (set and cleared over HTTP, since a websocket cannot set an HTTP-only
cookie); the judge's score sheet, saved change by change; the live pitching session as judges' pages follow
it (a long poll answered from the process's live feed in memory), and the next work they follow to; and the slide
pictures judges see. Plain
Starlette endpoints over the services; no Streamlit.

Anyone on the internet can call these, so every parameter is checked (400 malformed, 404 no such thing, 413 too
large) and nothing unexpected becomes a 500: it is logged and answered 503. SecurityHeaders puts the anti-framing,
no-sniffing and referrer headers on every response the server sends, Streamlit's own included (see asgi.py)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gzip
import json
import logging
import math
import os
import weakref
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from models import Role
from services.contest import editions
from services.judging import on_screen, sheets, slide_pictures
from services.pitching import live, live_feed
from services.platform import text_limits, web_sessions
from services.platform.db import end_read, get_engine, session_scope
from services.platform.errors import DomainError, Forbidden, NotFound, ValidationFailed
from services.platform.safe_text import clean
from services.platform.settings import get_settings
from services.results import exports

PUBLIC_RESULTS_PATH = "/api/public/results.json"
SESSION_PATH = "/auth/session"
SIGNOUT_PATH = "/auth/signout"
SHEET_PATH = "/api/judge/sheet"
LIVE_PATH = "/api/judge/live"
WORK_PATH = "/api/judge/work"
LIVE_WAIT_S = 25.0  # a long poll's longest wait: below the 30-60 s after which proxies drop a quiet request
REMINDER_WINDOW = timedelta(minutes=30)
SLIDE_PATH = "/api/slides/{sha256}/{number}"
SLIDE_CACHE = {"Cache-Control": "private, max-age=31536000, immutable"}  # a deck's hash names its pictures for good
NO_STORE = {"Cache-Control": "no-store"}
MAX_ID = 2**31 - 1  # ids are 32-bit integers in PostgreSQL: a larger one would fail in the database, not here
MAX_BODY = 64_000
SECURITY_HEADERS = (
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"content-security-policy", b"frame-ancestors 'self'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)
log = logging.getLogger(__name__)


class BadRequest(ValidationFailed):
    """A parameter that is not what the route takes (status 400)."""

    def __init__(self, what: str) -> None:
        super().__init__("bad_request", f"คำขอไม่ถูกต้อง ({what})", f"Malformed request ({what}).")


class TooLarge(ValidationFailed):
    def __init__(self) -> None:
        super().__init__("too_large", "คำขอมีขนาดใหญ่เกินกำหนด", f"The request body is over {MAX_BODY} bytes.")


def parse_id(value: object, what: str, *, minimum: int = 1) -> int:
    """An id given as a JSON integer or as ASCII digits ('²'.isdigit() is True, yet int('²') fails), within
    minimum..MAX_ID; BadRequest otherwise."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and 0 < len(value) <= 10 and value.isascii() and value.isdigit():
        number = int(value)
    else:
        raise BadRequest(what)
    if not minimum <= number <= MAX_ID:
        raise BadRequest(what)
    return number


class SecurityHeaders:
    """ASGI middleware: every HTTP response may not be framed by another site (clickjacking), is read as the
    content type it declares, and sends no full address to other sites."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *(h for h in SECURITY_HEADERS if h[0] not in present),
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


MIDDLEWARE = [Middleware(SecurityHeaders)]

# Streamlit's own setting for a page that embeds its frontend (read once, when the frontend starts): where the server
# is. A page at one path segment below the app's base (/judge) has the base as its parent ("." from its address),
# behind a proxy that adds a prefix too. A host page that set it first keeps its own.
SERVER_HINT = b'<script>window.__streamlit ??= {BACKEND_BASE_URL: new URL(".", location.href).href};</script>'


class ServerHint:
    """ASGI middleware: the page that Streamlit sends for a page's own address (/judge, /admin) says where the server
    is, so that the frontend connects at once. Without it the frontend first asks /judge/_stcore/health (in case the
    whole app were served under /judge), gets a 404, waits 100 ms and asks the base: about 0.13 s on every load of
    every page but the home page (issue 17, item 8; bench/bench_cold_loads.py). Only a 200 text/html answer to a GET
    of a one-segment path is changed: that is Streamlit's index.html, whatever the page (asked for uncompressed); its
    304 revalidation has no body and passes as it is. base_path: the configured server.baseUrlPath, read per request."""

    def __init__(self, app: ASGIApp, base_path: Callable[[], str] = lambda: "") -> None:
        self.app = app
        self.base_path = base_path

    def _is_page(self, path: str) -> bool:
        base = self.base_path().strip("/")
        prefix = f"/{base}/" if base else "/"
        rest = path[len(prefix) :] if path.startswith(prefix) else ""
        return rest != "" and "/" not in rest

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not self._is_page(scope["path"]):
            await self.app(scope, receive, send)
            return
        # Asked for plain bytes (Streamlit gzips these pages but not the home page: 8 KB).

        async def with_hint(start: Message, page: bytes) -> None:
            html = page.replace(b"<head>", b"<head>" + SERVER_HINT, 1)
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
            await send({**start, "headers": [*headers, (b"content-length", str(len(html)).encode())]})
            await send({"type": "http.response.body", "body": html})

        def is_page(start: Message) -> bool:
            return bool(start["status"] == 200 and _content_type(start).startswith(b"text/html"))

        await _rewriting(self.app, _plain(scope), receive, send, is_page, with_hint)


def _content_type(start: Message) -> bytes:
    return bytes(dict(start.get("headers", [])).get(b"content-type", b""))


def _plain(scope: Scope) -> Scope:
    """The request asking for plain bytes, whole: no compression, and no zero-copy file answer (it carries no bytes
    to change)."""
    return {
        **scope,
        "headers": [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"accept-encoding"],
        "extensions": {k: v for k, v in scope.get("extensions", {}).items() if "pathsend" not in k},
    }


async def _rewriting(
    app: ASGIApp,
    scope: Scope,
    receive: Receive,
    send: Send,
    holds: Callable[[Message], bool],
    answer: Callable[[Message, bytes], Awaitable[None]],
) -> None:
    """Runs app; an answer whose start holds() is kept back with its whole body and answer(start, body) sends what
    replaces them. Every other answer passes as it is."""
    held: Message | None = None
    body: list[bytes] = []

    async def relay(message: Message) -> None:
        nonlocal held
        if message["type"] == "http.response.start" and holds(message):
            held = message
            return
        if held is None or message["type"] != "http.response.body":
            await send(message)
            return
        body.append(message.get("body", b""))
        if not message.get("more_body", False):
            await answer(held, b"".join(body))

    await app(scope, receive, relay)


# Streamlit's frontend bundles (content-hashed names, cached by browsers for a year) are text that gzip shrinks to a
# third; Streamlit sends them uncompressed, leaving that to a proxy, since it would compress them again on every
# request. Here each is compressed once per process and kept: a first visit over a real network fetches about
# 1 MB instead of 3 MB of JavaScript and CSS (bench/bench_cold_loads.py --network).
GZIP_TYPES = (b"application/javascript", b"text/javascript", b"text/css", b"image/svg+xml", b"application/json")
GZIP_MIN_BYTES = 1024


def _accepts_gzip(accept_encoding: bytes) -> bool:
    """Whether an Accept-Encoding header takes gzip ("gzip;q=0" refuses it)."""
    for part in accept_encoding.lower().split(b","):
        name, *params = (p.strip() for p in part.split(b";"))
        if name == b"gzip":
            return not any(_is_zero_weight(p.replace(b" ", b"")) for p in params)
    return False


def _is_zero_weight(param: bytes) -> bool:
    try:
        return param.startswith(b"q=") and float(param[2:]) == 0
    except ValueError:
        return False


class StaticGzip:
    """ASGI middleware: a GET of /static/... (under the base path) that accepts gzip is answered from a per-process
    store of compressed bundles, filled from Streamlit's own 200 answer the first time a path is asked (so its path
    checks and headers, immutable caching included, hold). Conditional requests and everything else pass."""

    def __init__(self, app: ASGIApp, base_path: Callable[[], str] = lambda: "") -> None:
        self.app = app
        self.base_path = base_path
        self.store: dict[str, tuple[list[tuple[bytes, bytes]], bytes]] = {}

    def _wanted(self, scope: Scope) -> bool:
        if scope["type"] != "http" or scope["method"] != "GET":
            return False
        base = self.base_path().strip("/")
        if not scope["path"].startswith(f"/{base}/static/" if base else "/static/"):
            return False
        headers = dict(scope.get("headers", []))
        return _accepts_gzip(headers.get(b"accept-encoding", b"")) and not (
            b"if-none-match" in headers or b"if-modified-since" in headers
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._wanted(scope):
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if (kept := self.store.get(path)) is not None:
            await self._send(send, *kept)
            return

        async def compressed(start: Message, raw: bytes) -> None:
            if len(raw) < GZIP_MIN_BYTES:
                await send(start)
                await send({"type": "http.response.body", "body": raw})
                return
            packed = await run_in_threadpool(gzip.compress, raw, 6, mtime=0)
            skip = (b"content-length", b"content-encoding", b"vary")
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() not in skip]
            headers += [(b"content-encoding", b"gzip"), (b"vary", b"Accept-Encoding")]
            self.store[path] = (headers, packed)
            await self._send(send, headers, packed)

        def compressible(start: Message) -> bool:
            return bool(start["status"] == 200 and _content_type(start).split(b";")[0].strip() in GZIP_TYPES)

        await _rewriting(self.app, _plain(scope), receive, send, compressible, compressed)

    @staticmethod
    async def _send(send: Send, headers: list[tuple[bytes, bytes]], packed: bytes) -> None:
        length = (b"content-length", str(len(packed)).encode())
        await send({"type": "http.response.start", "status": 200, "headers": [*headers, length]})
        await send({"type": "http.response.body", "body": packed})


def _error(e: DomainError, status: int, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        {"error": e.code, "message_th": e.message_th, "message_en": e.message_en},
        status_code=status,
        headers=NO_STORE if headers is None else headers,
    )


def _status(e: DomainError) -> int:
    if isinstance(e, TooLarge):
        return 413
    if isinstance(e, NotFound):
        return 404
    if isinstance(e, Forbidden):
        return 403
    return 400


def never_500(endpoint: Callable[[Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
    """A DomainError becomes its status (400/403/404/413); anything else (the database gone, a bug) is logged and
    answered 503 with a message, never a 500 with a traceback."""

    @functools.wraps(endpoint)
    async def guarded(request: Request) -> Response:
        try:
            return await endpoint(request)
        except DomainError as e:
            return _error(e, _status(e))
        except Exception:
            log.exception("%s %s failed", request.method, request.url.path)
            return _error(
                DomainError(
                    "unavailable",
                    "ระบบขัดข้องชั่วคราว กรุณาลองใหม่อีกครั้งในอีกสักครู่",
                    "The service is briefly unavailable; please try again shortly.",
                ),
                503,
                {**NO_STORE, "Retry-After": "5"},
            )

    return guarded


def _announced_edition_id(session: Session, given: str | None) -> int | None:
    if given is not None:
        return parse_id(given, "edition")
    return editions.latest_announced_id(session=session)


def _public_results(edition: str | None) -> dict[str, object]:
    with Session(get_engine()) as session:
        edition_id = _announced_edition_id(session, edition)
        if edition_id is None:
            raise NotFound("not_announced", "ยังไม่มีผลการตัดสินที่ประกาศแล้ว", "No results have been announced yet.")
        try:
            return exports.public_results(session=session, edition_id=edition_id)
        except DomainError as e:  # no such edition, or not announced: the same answer, so ids cannot be probed
            raise NotFound(e.code, e.message_th, e.message_en) from None


@never_500
async def public_results(request: Request) -> Response:
    """GET /api/public/results.json[?edition=ID]: the newest announced edition's awards and works (no scores, no
    personal data); 404 with a Thai and an English message before anything is announced, 400 for an id that is not
    one."""
    headers = {"Cache-Control": "public, max-age=60", "Access-Control-Allow-Origin": "*"}
    try:
        body = await run_in_threadpool(_public_results, request.query_params.get("edition"))
    except DomainError as e:
        return _error(e, _status(e), headers)
    return JSONResponse(body, headers=headers)


async def _json_body(request: Request) -> dict[str, object]:
    """A small JSON object, or {} — only JSON is accepted, so a cross-site form cannot post here without CORS. A
    body over MAX_BODY is refused (TooLarge) without being read to its end."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        return {}
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > MAX_BODY:
        raise TooLarge()
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_BODY:
            raise TooLarge()
    try:
        body = json.loads(raw)
    except ValueError:  # includes bytes that are not UTF-8
        return {}
    return body if isinstance(body, dict) else {}


def _complete_handoff(code: str) -> str:
    with session_scope(get_engine()) as session:
        return web_sessions.complete_handoff(session=session, code=code)


def _end_cookie_session(cookie: str) -> None:
    with session_scope(get_engine()) as session:
        found = web_sessions.resume(session=session, cookie_value=cookie)
        if found.web_session_id is not None:
            web_sessions.end(session=session, web_session_id=found.web_session_id)


@never_500
async def start_session(request: Request) -> Response:
    """POST /auth/session {"code": ...}: trade the one-time code the sign-in page holds for the session cookie."""
    code = (await _json_body(request)).get("code", "")
    if not isinstance(code, str) or len(code) > 100:
        raise BadRequest("code")
    try:
        cookie = await run_in_threadpool(_complete_handoff, code)
    except DomainError as e:
        return _error(e, 400)
    settings = get_settings()
    response = Response(status_code=204, headers=NO_STORE)
    response.set_cookie(
        web_sessions.COOKIE_NAME,
        cookie,
        max_age=int(settings.session_max_hours * 3600),
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
    )
    return response


@never_500
async def end_session(request: Request) -> Response:
    """POST /auth/signout: end the cookie's session, if any, and clear the cookie."""
    cookie = request.cookies.get(web_sessions.COOKIE_NAME)
    if cookie:
        await run_in_threadpool(_end_cookie_session, cookie)
    response = Response(status_code=204, headers=NO_STORE)
    response.delete_cookie(
        web_sessions.COOKIE_NAME, path="/", httponly=True, samesite="lax", secure=get_settings().cookie_secure
    )
    return response


# --- the judge's score sheet (pages/score_sheet saves through this) ----------------------------------------------


def _same_site(request: Request) -> bool:
    """Whether a request comes from this site's own pages: no cross-site fetch metadata, and an Origin, when the
    browser sends one, that is this server's own scheme://host. The cookie is SameSite=Lax and the route takes JSON
    only; this refuses the rest (a page elsewhere posting with a simple request, an old browser)."""
    if request.headers.get("sec-fetch-site", "").lower() == "cross-site":
        return False
    origin = request.headers.get("origin")
    return origin is None or origin == f"{request.url.scheme}://{request.headers.get('host', '')}"


def _number(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise BadRequest(what)
    return float(value)


def _comment(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise BadRequest(what)
    text = clean(value)
    if (problem := text_limits.too_long("judge_comment", text)) is not None:
        raise problem
    return text


def _sheet_changes(body: dict[str, object]) -> tuple[int, int, dict[int, float], dict[int, str], str | None]:
    submission_id = parse_id(body.get("submission"), "submission")
    version = parse_id(body.get("version"), "version", minimum=0)
    points, comments = body.get("points", {}), body.get("comments", {})
    if not isinstance(points, dict) or not isinstance(comments, dict):
        raise BadRequest("points/comments")
    overall = body.get("overall")
    return (
        submission_id,
        version,
        {parse_id(k, "criterion"): _number(v, "points") for k, v in points.items()},
        {parse_id(k, "criterion"): _comment(v, "comment") for k, v in comments.items()},
        None if overall is None else _comment(overall, "overall"),
    )


def _save_sheet_changes(cookie: str | None, body: dict[str, object]) -> dict[str, object]:
    with session_scope(get_engine()) as session:
        found = web_sessions.resume(session=session, cookie_value=cookie)
        end_read(session)  # the save below takes its own turn to write
        if found.account is None or found.account.role != Role.judge:
            raise Forbidden("not_signed_in", "กรุณาลงชื่อเข้าใช้ในฐานะกรรมการ", "Sign in as a judge.")
        submission_id, version, points, comments, overall = _sheet_changes(body)
        sheet, wrote = sheets.save_changes(
            session=session,
            judge_id=found.account.id,
            submission_id=submission_id,
            points=points,
            comments=comments,
            overall_comment=overall,
            actor=found.account.username,
        )
    return {
        "version": sheet.version,
        "state": sheet.state,
        "updated_at": sheet.updated_at.isoformat() if sheet.updated_at else None,
        "total": sheet.total,
        "scored": sum(c.points is not None for c in sheet.criteria),
        "foreign": sheet.version != version + (1 if wrote else 0),
        "sheet": on_screen.sheet_json(sheet),
    }


@never_500
async def save_sheet(request: Request) -> Response:
    """POST /api/judge/sheet {"submission": id, "version": n, "points": {criterion: x}, "comments": {criterion:
    text}, "overall": text}: the judge's score-sheet component saves each change here (judging.save_changes: only
    the fields sent). Answers the stored sheet, its new version, and `foreign` when another tab or device wrote in
    between. 403 cross-site or without a judge's session; 400/404/413 as the other routes."""
    if not _same_site(request):
        raise Forbidden("cross_site", "ไม่รับคำขอจากเว็บไซต์อื่น", "Requests from other sites are refused.")
    body = await _json_body(request)
    answer = await run_in_threadpool(_save_sheet_changes, request.cookies.get(web_sessions.COOKIE_NAME), body)
    return JSONResponse(answer, headers=NO_STORE)


def _judge_id(cookie: str | None) -> int:
    with session_scope(get_engine()) as session:
        found = web_sessions.resume(session=session, cookie_value=cookie)
    if found.account is None or found.account.role != Role.judge:
        raise Forbidden("not_signed_in", "กรุณาลงชื่อเข้าใช้ในฐานะกรรมการ", "Sign in as a judge.")
    return found.account.id


def _reminders(judge_id: int) -> list[dict[str, object]]:
    with session_scope(get_engine(), read_only=True) as session:
        rows = live.reminders_for(
            session=session, judge_id=judge_id, since=datetime.now(UTC) - REMINDER_WINDOW, actions=("live.remind",)
        )
    return [{"submission": r.submission_id, "at": r.at.isoformat()} for r in rows]


def live_answer(view: live.LiveView | None) -> dict[str, object] | None:
    """What a judge's page shows of the running session: the work on stage, its stage and the seconds left (the
    page counts down from there itself)."""
    if view is None or view.slot is None or view.slot.work is None:
        return None
    return {
        "submission": view.submission_id,
        "work": view.slot.work.short_name,
        "stage": view.stage.value,
        "seconds_left": view.seconds_left,
    }


@never_500
async def live_wait(request: Request) -> Response:
    """GET /api/judge/live?edition=ID[&v=N&r=N]: the edition's live session for a judge's page, answered as soon as
    it differs from the snapshot (v, r) the page last had, or after LIVE_WAIT_S unchanged. The page asks again at
    once with the (v, r) it got back, so each page holds one request open and none polls. reminders: this judge's
    reminders from the live desk of the last 30 minutes, read only when someone has been reminded since r.
    403 without a judge's session; 400 for a malformed number."""
    judge_id = await run_in_threadpool(_judge_id, request.cookies.get(web_sessions.COOKIE_NAME))
    edition_id = parse_id(request.query_params.get("edition"), "edition")
    hub = live_feed.feed(get_engine())
    if not hub.loaded:  # the first read of a fresh process: wait for it in a thread, not on the event loop
        await run_in_threadpool(hub.snapshot)
    given = (request.query_params.get("v"), request.query_params.get("r"))
    if given[0] is None or given[1] is None:
        now = hub.snapshot()
    else:
        seen = live_feed.Snapshot(parse_id(given[0], "v", minimum=0), parse_id(given[1], "r", minimum=0))
        now = await hub.wait(seen, LIVE_WAIT_S)
    body: dict[str, object] = {"v": now.version, "r": now.reminders, "live": live_answer(hub.current(edition_id))}
    if given[1] is None or now.reminders != int(given[1]):
        body["reminders"] = await run_in_threadpool(_reminders, judge_id)
    return JSONResponse(body, headers=NO_STORE)


def _work_on_screen(cookie: str | None, edition_id: int, submission_id: int, lang: str, has_next: bool) -> object:
    engine = get_engine()
    with session_scope(engine, read_only=True, snapshot=False) as session:
        found = web_sessions.resume(session=session, cookie_value=cookie)
        if found.account is None or found.account.role != Role.judge:
            raise Forbidden("not_signed_in", "กรุณาลงชื่อเข้าใช้ในฐานะกรรมการ", "Sign in as a judge.")
        return on_screen.screen(
            session=session,
            engine=engine,
            judge_id=found.account.id,
            edition_id=edition_id,
            submission_id=submission_id,
            lang=lang,
            has_next=has_next,
            slide_url=slide_url,
        )


# The work route's calls in progress per process (per event loop): when the organiser moves on, every following
# page asks at once, and fifty threads sharing the interpreter would each finish late and leave a slider save a
# fiftieth of it. In turn, as the page runs are (LDAWARD_PAGE_RUN_TURNS; 0: one per core), the first judges have
# the work at once and a save waits for at most a few calls. They wait here, not in the thread pool the saves need.
_work_turns: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = weakref.WeakKeyDictionary()


def _turns() -> asyncio.Semaphore | contextlib.nullcontext[None]:
    turns = get_settings().page_run_turns
    if turns < 0:
        return contextlib.nullcontext()
    loop = asyncio.get_running_loop()
    if (gate := _work_turns.get(loop)) is None:
        gate = _work_turns[loop] = asyncio.Semaphore(turns or os.cpu_count() or 2)
    return gate


@never_500
async def work_on_screen(request: Request) -> Response:
    """GET /api/judge/work?edition=ID&submission=ID&lang=th|en&next=0|1: the work and the score sheet a judge's page
    draws for submission (on_screen.screen), fetched by the page's live banner when the organiser presents it, so
    the following page draws it at once and catches up with a page run later. next: whether the page has another
    work to score after it (the sheet's "save and go to the next"). 403 cross-site or without a judge's session;
    403/404 for a work the judge may not open, as the page says; 400 for a malformed parameter."""
    if not _same_site(request):
        raise Forbidden("cross_site", "ไม่รับคำขอจากเว็บไซต์อื่น", "Requests from other sites are refused.")
    query = request.query_params
    edition_id = parse_id(query.get("edition"), "edition")
    submission_id = parse_id(query.get("submission"), "submission")
    lang, has_next = query.get("lang", "th"), query.get("next", "0")
    if lang not in ("th", "en") or has_next not in ("0", "1"):
        raise BadRequest("lang/next")
    async with _turns():
        answer = await run_in_threadpool(
            _work_on_screen,
            request.cookies.get(web_sessions.COOKIE_NAME),
            edition_id,
            submission_id,
            lang,
            has_next == "1",
        )
        return JSONResponse(answer, headers=NO_STORE)


def slide_url(sha256: str, number: int) -> str:
    return SLIDE_PATH.format(sha256=sha256, number=number)


def _slide_file(cookie: str | None, sha256: str, number: int) -> str:
    with session_scope(get_engine()) as session:
        found = web_sessions.resume(session=session, cookie_value=cookie)
        if found.account is None:
            raise Forbidden("not_signed_in", "กรุณาลงชื่อเข้าใช้", "Sign in first.")
        allowed = slide_pictures.may_see(
            session=session, user_id=found.account.id, role=found.account.role, sha256=sha256
        )
    path = slide_pictures.picture(sha256, number) if allowed else None
    if path is None:  # not rendered, no such slide, or not this viewer's: one answer, so decks cannot be probed
        raise NotFound("no_slide", "ไม่พบภาพสไลด์นี้", "No such slide picture.")
    return str(path)


@never_500
async def slide(request: Request) -> Response:
    """GET /api/slides/{sha256}/{number}: one rendered slide of a deck (PNG, as stored), for a signed-in organiser
    or a judge the deck's work is assigned to (without a conflict). The browser keeps it (the deck's hash names it),
    so a judge page's reruns send none of them again and the server hands Streamlit no picture bytes at all.
    403 without a session; 404 for anything else it may not have; 400 for a malformed hash or number."""
    sha256 = request.path_params["sha256"]
    if not (len(sha256) == 64 and all(c in "0123456789abcdef" for c in sha256)):
        raise BadRequest("sha256")
    number = parse_id(request.path_params["number"], "number")
    path = await run_in_threadpool(_slide_file, request.cookies.get(web_sessions.COOKIE_NAME), sha256, number)
    return FileResponse(path, media_type="image/png", headers=SLIDE_CACHE)


ROUTES = [
    Route(PUBLIC_RESULTS_PATH, public_results, methods=["GET"]),
    Route(SESSION_PATH, start_session, methods=["POST"]),
    Route(SIGNOUT_PATH, end_session, methods=["POST"]),
    Route(SHEET_PATH, save_sheet, methods=["POST"]),
    Route(LIVE_PATH, live_wait, methods=["GET"]),
    Route(WORK_PATH, work_on_screen, methods=["GET"]),
    Route(SLIDE_PATH, slide, methods=["GET"]),
]
