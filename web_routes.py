"""HTTP routes served beside the Streamlit app (through st.App, see asgi.py): the public results as JSON, once an
edition is announced. Plain Starlette endpoints over the services; no Streamlit import."""

from __future__ import annotations

from sqlmodel import Session, col, select
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from models import Edition, Phase
from services import exports
from services.db import get_engine
from services.errors import DomainError

PUBLIC_RESULTS_PATH = "/api/public/results.json"


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


ROUTES = [Route(PUBLIC_RESULTS_PATH, public_results, methods=["GET"])]
