"""One HTTP request through the ASGI interface of the app's own routes (web_routes.ROUTES), as uvicorn would make
it — no server, no HTTP client library."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any

from sqlmodel import Session
from starlette.applications import Starlette

from services.platform import web_sessions
from web_routes import MIDDLEWARE, ROUTES


def run_apart(request: Coroutine[Any, Any, None]) -> None:
    """Run the request to its end on an event loop of its own: in a thread of its own when this thread already
    runs one (a browser test's Playwright, earlier in the same worker, leaves its loop running)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(request)
        return
    with ThreadPoolExecutor(max_workers=1) as apart:
        apart.submit(asyncio.run, request).result()


@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def set_cookies(self) -> SimpleCookie:
        jar: SimpleCookie = SimpleCookie()
        for name, value in self.headers:
            if name == "set-cookie":
                jar.load(value)
        return jar

    def set_cookie_headers(self) -> list[str]:
        return [value for name, value in self.headers if name == "set-cookie"]


def call(
    method: str,
    path: str,
    *,
    query: str = "",
    body: Any = None,
    cookies: dict[str, str] | None = None,
    content_type: str = "application/json",
    headers: dict[str, str] | None = None,
) -> Reply:
    app = Starlette(routes=ROUTES, middleware=MIDDLEWARE)
    raw = b"" if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    raw_headers = [(b"content-type", content_type.encode())] if body is not None else []
    raw_headers += [(b"host", b"test")] + [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    if cookies:
        raw_headers.append((b"cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()).encode()))
    sent: list[dict[str, Any]] = []

    delivered = False

    async def receive() -> dict[str, Any]:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": raw, "more_body": False}
        await asyncio.Event().wait()  # then connected until the response ends (file responses listen for a hang-up)
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "headers": raw_headers,
        "scheme": "http",
        "server": ("test", 80),
        "client": ("127.0.0.1", 1),
        "root_path": "",
        "http_version": "1.1",
        "asgi": {"version": "3.0"},
    }
    run_apart(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return Reply(
        status=start["status"],
        headers=[(k.decode().lower(), v.decode("latin-1")) for k, v in start.get("headers", [])],
        body=b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body"),
    )


def session_cookies(session: Session, user_id: int) -> dict[str, str]:
    """The cookies of a browser signed in as user_id (the sign-in's handoff completed), committed."""
    _, code = web_sessions.begin(session=session, user_id=user_id)
    cookie = web_sessions.complete_handoff(session=session, code=code)
    session.commit()
    return {web_sessions.COOKIE_NAME: cookie}
