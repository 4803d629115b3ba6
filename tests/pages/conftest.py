"""Fixtures for the AppTest page tests: run the app as a server does, fresh Streamlit caches, direct DB sessions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import streamlit as st
from sqlmodel import Session
from streamlit.runtime.pages_manager import PagesManager

from services.judging import on_screen
from services.platform.db import build_engine


@pytest.fixture(autouse=True)
def navigation_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run app.py's st.navigation on every AppTest run, as a running server does.

    Streamlit treats a folder named pages/ beside the entry script as a legacy (v1) multipage app until the
    process's first st.navigation call. AppTest resets that flag before every run, so without this each run
    after switch_page() would execute the page file alone, skipping app.py and its role-based page list.
    (On a real server the first request of a fresh process meets the same legacy routing; pages/_ui.py switches
    it off and reruns through app.py. Under AppTest the flag is reset before every run, hence this fixture.)
    """
    original = PagesManager.__init__

    def init(self: PagesManager, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


@pytest.fixture(autouse=True)
def fresh_caches() -> Iterator[None]:
    """The read-model caches (and the judge page's shared evidence) key on the edition or work id only, so figures cached from another test's database must go."""
    st.cache_data.clear()
    st.cache_resource.clear()
    on_screen.forget()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()
    on_screen.forget()


@pytest.fixture
def db(app_env: str) -> Iterator[Callable[[], Session]]:
    """Sessions on the database the app under test uses, to arrange and check outside the pages."""
    engine = build_engine(app_env)
    yield lambda: Session(engine, expire_on_commit=False)
    engine.dispose()
