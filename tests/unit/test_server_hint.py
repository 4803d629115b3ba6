"""web_routes.ServerHint: the page Streamlit sends for a page's own address tells its frontend where the server is
(issue 17, item 8), and nothing else the server sends is touched. Through the ASGI interface, as uvicorn calls it,
around a stand-in for Streamlit that answers as its static files do (index.html for any page path)."""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from starlette.types import Message, Receive, Scope, Send

from web_routes import SERVER_HINT, ServerHint

INDEX = (
    b'<!DOCTYPE html>\n<html lang="en">\n  <head>\n    <meta charset="UTF-8" />\n  </head>\n  <body></body>\n</html>\n'
)


class Streamlit:
    """Answers like Streamlit: index.html for a page (gzipped when the client accepts it, as Streamlit does for every
    page but the home page), a 304 to a revalidation, JSON and images elsewhere; in two body chunks."""

    def __init__(self) -> None:
        self.scopes: list[Scope] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.scopes.append(scope)
        headers = dict(scope["headers"])
        path = scope["path"]
        if path.startswith("/_stcore/") or path.startswith("/api/"):
            body, content_type, status = b'{"ok": true}', b"application/json", 200
        elif path.endswith(".png"):
            body, content_type, status = b"\x89PNG<head>", b"image/png", 200
        elif b"if-none-match" in headers:
            body, content_type, status = b"", b"text/html; charset=utf-8", 304
        else:
            body, content_type, status = INDEX, b"text/html; charset=utf-8", 200
        extra = []
        if status == 200 and b"gzip" in headers.get(b"accept-encoding", b"") and content_type.startswith(b"text/html"):
            body = gzip.compress(body)
            extra = [(b"content-encoding", b"gzip")]
        start_headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode()), *extra]
        await send({"type": "http.response.start", "status": status, "headers": start_headers})
        half = len(body) // 2
        await send({"type": "http.response.body", "body": body[:half], "more_body": True})
        await send({"type": "http.response.body", "body": body[half:], "more_body": False})


def get(
    path: str, *, method: str = "GET", base: str = "", headers: dict[str, str] | None = None
) -> tuple[int, dict[bytes, bytes], bytes, Scope]:
    inner = Streamlit()
    app = ServerHint(inner, base_path=lambda: base)
    sent: list[Message] = []
    raw = [(b"accept-encoding", b"gzip, deflate, br")] + [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    scope: dict[str, Any] = {"type": "http", "method": method, "path": path, "headers": raw, "extensions": {}}

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    run(app(scope, receive, send))
    start = sent[0]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], dict(start["headers"]), body, inner.scopes[0]


def test_a_page_opened_by_its_address_says_where_the_server_is() -> None:
    status, headers, body, seen = get("/judge")
    assert status == 200
    assert body.startswith(b'<!DOCTYPE html>\n<html lang="en">\n  <head>' + SERVER_HINT + b"\n    <meta charset")
    assert body.replace(SERVER_HINT, b"") == INDEX
    assert headers[b"content-length"] == str(len(body)).encode()
    assert b"content-encoding" not in headers
    # Asked of Streamlit uncompressed, so that the hint can be put in.
    assert b"accept-encoding" not in dict(seen["headers"])


def test_the_hint_sets_streamlits_own_setting_to_the_pages_parent_unless_a_host_set_it() -> None:
    assert SERVER_HINT == (
        b'<script>window.__streamlit ??= {BACKEND_BASE_URL: new URL(".", location.href).href};</script>'
    )


def test_under_a_base_path_the_page_is_the_segment_after_it() -> None:
    assert SERVER_HINT in get("/award/judge", base="/award/")[2]
    assert SERVER_HINT in get("/award/judge", base="award")[2]
    for path in ("/award", "/award/", "/judge", "/other/judge"):
        assert SERVER_HINT not in get(path, base="award")[2], path


def test_everything_else_passes_as_it_was() -> None:
    # The home page (its one base candidate is already right), deeper paths, other methods, other types, a 304.
    for path, method, headers in [
        ("/", "GET", {}),
        ("/judge", "HEAD", {}),
        ("/judge", "POST", {}),
        ("/favicon.png", "GET", {}),
        ("/api/public", "GET", {}),
        ("/_stcore/health", "GET", {}),
        ("/judge/_stcore/health", "GET", {}),
        ("/judge", "GET", {"if-none-match": '"abc"'}),
    ]:
        _, response_headers, body, _ = get(path, method=method, headers=headers)
        assert SERVER_HINT not in gzip_or_plain(body, response_headers), (path, method)
        assert response_headers[b"content-length"] == str(len(body)).encode(), path
    status, _, body, _ = get("/judge", headers={"if-none-match": '"abc"'})
    assert (status, body) == (304, b"")
    # A request left alone reaches Streamlit as it came, compression offered included.
    assert dict(get("/")[3]["headers"])[b"accept-encoding"] == b"gzip, deflate, br"


def gzip_or_plain(body: bytes, headers: dict[bytes, bytes]) -> bytes:
    return gzip.decompress(body) if headers.get(b"content-encoding") == b"gzip" else body


def run(call: Coroutine[Any, Any, None]) -> None:
    """In an event loop of its own thread: in a pytest worker that also ran browser tests, Playwright's synchronous
    API keeps an event loop running in the main thread, where asyncio.run() refuses to start."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, call).result()
