"""HTTP routes served beside the Streamlit app (through st.App, see asgi.py): the public results as JSON, once an
edition is announced; the session cookie (set and cleared over HTTP, since a websocket cannot set an HTTP-only
cookie); and a judge's comment as it is being typed. Plain Starlette endpoints over the services; no Streamlit."""

from __future__ import annotations

import json

from sqlmodel import Session, col, select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from models import Edition, Phase, Role
from services import exports, judging, web_sessions
from services.db import get_engine, session_scope
from services.errors import DomainError, Forbidden, ValidationFailed
from services.settings import get_settings

PUBLIC_RESULTS_PATH = "/api/public/results.json"
SESSION_PATH = "/auth/session"
SIGNOUT_PATH = "/auth/signout"
TYPING_PATH = "/api/judge/typing"
NO_STORE = {"Cache-Control": "no-store"}


def _announced_edition_id(session: Session, given: str | None) -> int | None:
    if given:
        return int(given) if given.isdigit() else None
    return session.exec(select(Edition.id).where(Edition.phase == Phase.announced)
                        .order_by(col(Edition.year_be).desc(), col(Edition.id).desc())).first()


def public_results(request: Request) -> JSONResponse:
    """GET /api/public/results.json[?edition=ID]: the newest announced edition's awards and works (no scores, no
    personal data); 404 with a Thai and an English message before anything is announced."""
    headers = {"Cache-Control": "public, max-age=60", "Access-Control-Allow-Origin": "*"}
    with Session(get_engine()) as session:
        edition_id = _announced_edition_id(session, request.query_params.get("edition"))
        try:
            if edition_id is None:
                raise DomainError("not_announced", "ยังไม่มีผลการตัดสินที่ประกาศแล้ว", "No results have been announced yet.")
            body = exports.public_results(session=session, edition_id=edition_id)
        except DomainError as e:
            return JSONResponse({"error": e.code, "message_th": e.message_th, "message_en": e.message_en},
                                status_code=404, headers=headers)
    return JSONResponse(body, headers=headers)


def _error(e: DomainError, status: int) -> JSONResponse:
    return JSONResponse({"error": e.code, "message_th": e.message_th, "message_en": e.message_en},
                        status_code=status, headers=NO_STORE)


async def _json_body(request: Request) -> dict[str, object]:
    """A small JSON object, or {} — only JSON is accepted, so a cross-site form cannot post here without CORS."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        return {}
    raw = await request.body()
    if len(raw) > 64_000:
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
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


async def start_session(request: Request) -> Response:
    """POST /auth/session {"code": ...}: trade the one-time code the sign-in page holds for the session cookie."""
    code = str((await _json_body(request)).get("code", ""))[:100]
    try:
        cookie = await run_in_threadpool(_complete_handoff, code)
    except DomainError as e:
        return _error(e, 400)
    settings = get_settings()
    response = Response(status_code=204, headers=NO_STORE)
    response.set_cookie(web_sessions.COOKIE_NAME, cookie, max_age=int(settings.session_max_hours * 3600), path="/",
                        httponly=True, samesite="lax", secure=settings.cookie_secure)
    return response


async def end_session(request: Request) -> Response:
    """POST /auth/signout: end the cookie's session, if any, and clear the cookie."""
    cookie = request.cookies.get(web_sessions.COOKIE_NAME)
    if cookie:
        await run_in_threadpool(_end_cookie_session, cookie)
    response = Response(status_code=204, headers=NO_STORE)
    response.delete_cookie(web_sessions.COOKIE_NAME, path="/", httponly=True, samesite="lax",
                           secure=get_settings().cookie_secure)
    return response


def _save_typing(cookie: str | None, body: dict[str, object]) -> None:
    with session_scope(get_engine()) as session:
        found = web_sessions.resume(session=session, cookie_value=cookie)
        if found.account is None or found.account.role != Role.judge:
            raise Forbidden("not_signed_in", "กรุณาลงชื่อเข้าใช้ในฐานะกรรมการ", "Sign in as a judge.")
        try:
            submission_id, criterion_id = int(str(body["submission"])), int(str(body.get("criterion", 0)))
            text = body["text"]
        except (KeyError, ValueError):
            raise ValidationFailed("bad_request", "คำขอไม่ถูกต้อง", "Malformed request.") from None
        if not isinstance(text, str):
            raise ValidationFailed("bad_request", "คำขอไม่ถูกต้อง", "Malformed request.")
        judging.save_typed_comment(session=session, judge_id=found.account.id, submission_id=submission_id,
                                   criterion_id=criterion_id, text=text)


async def typing(request: Request) -> Response:
    """POST /api/judge/typing {"submission": id, "criterion": id or 0 (overall), "text": ...}: the judge's page
    sends a comment keystroke by keystroke (debounced), so moving on before the box commits loses nothing."""
    body = await _json_body(request)
    try:
        await run_in_threadpool(_save_typing, request.cookies.get(web_sessions.COOKIE_NAME), body)
    except Forbidden as e:
        return _error(e, 403)
    except DomainError as e:
        return _error(e, 400 if e.code in ("bad_request", "bad_criterion", "sheet_locked", "judging_closed")
                      else 403)
    return Response(status_code=204, headers=NO_STORE)


ROUTES = [
    Route(PUBLIC_RESULTS_PATH, public_results, methods=["GET"]),
    Route(SESSION_PATH, start_session, methods=["POST"]),
    Route(SIGNOUT_PATH, end_session, methods=["POST"]),
    Route(TYPING_PATH, typing, methods=["POST"]),
]
