"""ASGI entry: the Streamlit app (app.py) plus the public results JSON route, through st.App (Streamlit >= 1.67).

Serve it with `streamlit run asgi.py` (same options as for app.py) or any ASGI server: `uvicorn asgi:app`.
"""

import ast
import gc
import importlib
import sys
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware
from streamlit import config
from streamlit.runtime.pages_manager import PagesManager

from services.mail import worker as mail_worker
from services.platform.settings import get_settings
from web_routes import MIDDLEWARE, ROUTES, ServerHint, StaticGzip

HERE = Path(__file__).resolve().parent


def preload_page_imports() -> list[str]:
    """Import, once and in this thread, every module app.py and the pages import (pages._ui aside: it must first be
    imported by a page run, see its _route_through_app).

    Page runs happen in one thread per browser session. Sessions that start together on a fresh server import the
    same modules for the first time at once; should each thread wait for a module the other is importing, Python
    breaks the deadlock by handing one of them a half-initialised module, and that page fails. Loaded here, before
    the first session, those imports find everything in place."""
    names: set[str] = set()
    for script in [HERE / "app.py", *sorted((HERE / "pages").glob("*.py"))]:
        for node in ast.walk(ast.parse(script.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
    loaded = []
    for name in sorted(names):
        if name == "__future__" or name == "pages" or name.startswith("pages."):
            continue
        try:
            importlib.import_module(name)
        except ImportError:
            continue  # "from package import name" where name is not a module
        loaded.append(name)
    return loaded


# Streamlit runs old-style pages (pages/*.py straight, without app.py) until st.navigation first runs, because a
# pages/ folder sits beside app.py; pages._ui switches that off from its first import with a rerun (for AppTest and
# `streamlit run app.py`). A server started here never enters that mode: with several sessions arriving together on
# a fresh server, the rerun raised inside the first import made the pages waiting on that import fail ("cannot
# import name '_ui' from 'pages'": five of six judges reconnecting the moment a restarted server came up).
PagesManager.uses_pages_directory = False
preload_page_imports()
# A save's thread waits on the database a dozen times and each time waits again for the interpreter, which a page
# run drawing in another thread holds for up to the switch interval: shorter turns keep saves quick under a burst.
if (switch_ms := get_settings().switch_interval_ms) > 0:
    sys.setswitchinterval(switch_ms / 1000)
# Mail: this process's delivery thread (once per process; they take turns through the database). Not configured,
# it does not start and messages wait in the outbox.
mail_worker.ensure_started()
# MIDDLEWARE: anti-framing, no-sniff and referrer headers on every response, the app's pages and static files too.
# ServerHint: a page opened by its address connects to the server without first probing a wrong base. StaticGzip:
# Streamlit's bundles sent compressed, each compressed once per process.


def freeze_startup_heap() -> int:
    """Leave what the process holds from its start out of every later garbage collection; returns how many objects.

    A full collection walks every object the collector tracks, and nearly all of them here are the imports' (the
    pages, Streamlit, SQLAlchemy, plotly: ~240,000), which live as long as the process. Measured in a 100-judge run
    on two processes: each full collection took 130-175 ms with the interpreter held, and they came when a follow
    burst's allocations set them off, in both processes in the same second, so fifty pages waited at once. Frozen
    (gc.freeze) after the imports, a full collection in the same run took 20-64 ms. What comes later (browser
    sessions, page runs, caches) is collected as before."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def _base_path() -> str:
    return str(config.get_option("server.baseUrlPath"))


app = st.App(
    "app.py",
    routes=ROUTES,
    middleware=[
        *MIDDLEWARE,
        Middleware(ServerHint, base_path=_base_path),
        Middleware(StaticGzip, base_path=_base_path),
    ],
)
freeze_startup_heap()  # last: after every import and the app's own objects
