"""web_routes.StaticGzip: Streamlit's frontend bundles sent gzipped, each compressed once per process (issue 17,
item 8), through the ASGI interface around a stand-in for Streamlit's static files."""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from starlette.types import Message, Receive, Scope, Send

from web_routes import StaticGzip

BUNDLE = b"function render(){return 'hello'}\n" * 400  # 14 KB of JavaScript
CACHE = (b"cache-control", b"public, immutable, max-age=31536000")


class Streamlit:
    """Answers as Streamlit's static files do: uncompressed, in chunks, with its own headers; 304 to a revalidation."""

    def __init__(self) -> None:
        self.asked: list[Scope] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.asked.append(scope)
        headers = dict(scope["headers"])
        name = scope["path"].rsplit("/", 1)[-1]
        if b"if-none-match" in headers:
            status, content_type, body = 304, b"text/javascript; charset=utf-8", b""
        elif name == "index.js":
            status, content_type, body = 200, b"text/javascript; charset=utf-8", BUNDLE
        elif name == "tiny.css":
            status, content_type, body = 200, b"text/css; charset=utf-8", b"a{color:red}"
        elif name == "font.woff2":
            status, content_type, body = 200, b"font/woff2", BUNDLE
        else:
            status, content_type, body = 404, b"text/plain", b"Not Found"
        start = [(b"content-type", content_type), (b"content-length", str(len(body)).encode()), CACHE]
        await send({"type": "http.response.start", "status": status, "headers": start})
        for i in range(0, max(len(body), 1), 4096):
            await send({"type": "http.response.body", "body": body[i : i + 4096], "more_body": i + 4096 < len(body)})


def get(
    app: StaticGzip, path: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> tuple[int, dict[bytes, bytes], bytes]:
    given = {"accept-encoding": "gzip, deflate, br"} if headers is None else headers
    raw = [(k.encode(), v.encode()) for k, v in given.items()]
    scope: dict[str, Any] = {"type": "http", "method": method, "path": path, "headers": raw, "extensions": {}}
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    run(app(scope, receive, send))
    return sent[0]["status"], dict(sent[0]["headers"]), b"".join(m.get("body", b"") for m in sent[1:])


def test_a_bundle_is_sent_gzipped_with_streamlits_headers_and_compressed_once() -> None:
    streamlit = Streamlit()
    app = StaticGzip(streamlit)

    first = get(app, "/static/js/index.js")
    again = get(app, "/static/js/index.js")

    for status, headers, body in (first, again):
        assert status == 200
        assert headers[b"content-encoding"] == b"gzip"
        assert headers[b"vary"] == b"Accept-Encoding"
        assert headers[b"cache-control"] == CACHE[1]
        assert headers[b"content-length"] == str(len(body)).encode()
        assert gzip.decompress(body) == BUNDLE
        assert len(body) < len(BUNDLE) / 10
    assert first == again
    # Streamlit was asked once, and for the plain bytes.
    assert len(streamlit.asked) == 1
    assert b"accept-encoding" not in dict(streamlit.asked[0]["headers"])


def test_under_a_base_path() -> None:
    app = StaticGzip(Streamlit(), base_path=lambda: "/award/")
    assert get(app, "/award/static/js/index.js")[1][b"content-encoding"] == b"gzip"
    assert b"content-encoding" not in get(app, "/static/js/index.js")[1]


def test_everything_else_is_streamlits_answer_as_it_was() -> None:
    streamlit = Streamlit()
    app = StaticGzip(streamlit)
    plain = {b"content-type": b"text/javascript; charset=utf-8", b"content-length": str(len(BUNDLE)).encode()}
    # No gzip accepted: left to Streamlit, which sends it plain.
    for accept in (
        {"accept-encoding": "br"},
        {},
        {"accept-encoding": "br, gzip;q=0"},
        {"accept-encoding": "gzip; q=0.0"},
    ):
        assert get(app, "/static/js/index.js", accept) == (200, {**plain, CACHE[0]: CACHE[1]}, BUNDLE), accept
    assert get(app, "/static/js/index.js", {"accept-encoding": "GZIP;q=0.5"})[1][b"content-encoding"] == b"gzip"
    app.store.clear()
    assert get(app, "/static/js/index.js", method="HEAD")[1].get(b"content-encoding") is None
    # A revalidation is Streamlit's 304; a font (already compressed), a file too small to gain, a 404: as they were.
    assert get(app, "/static/js/index.js", {"accept-encoding": "gzip", "if-none-match": '"x"'})[0] == 304
    status, headers, body = get(app, "/static/media/font.woff2")
    assert (status, body, b"content-encoding" in headers) == (200, BUNDLE, False)
    status, headers, body = get(app, "/static/css/tiny.css")
    assert (status, body, b"content-encoding" in headers) == (200, b"a{color:red}", False)
    assert headers[b"content-length"] == b"12"
    status, headers, body = get(app, "/static/js/missing.js")
    assert (status, body, b"content-encoding" in headers) == (404, b"Not Found", False)
    # Pages and the app's routes are not this middleware's.
    assert b"content-encoding" not in get(app, "/judge")[1]
    assert len(app.store) == 0


def run(call: Coroutine[Any, Any, None]) -> None:
    """In an event loop of its own thread: in a pytest worker that also ran browser tests, Playwright's synchronous
    API keeps an event loop running in the main thread, where asyncio.run() refuses to start."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, call).result()
