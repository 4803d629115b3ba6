"""The submit page offers the call's papers (form, template, guide) at the start and, pre-filled, at the documents
step; my-submission offers the receipt. The buttons are found by key and the bytes they serve are reopened."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader
from sqlmodel import Session
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from services.contest import editions, papers
from services.platform import office
from services.platform.settings import get_settings
from tests.conftest import PAGE_ON_SQLITE, skip_or_fail
from tests.pages.test_submit_flow import fill_first_three_steps, ok, press

pytestmark = PAGE_ON_SQLITE

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60  # the first render of a paper runs LibreOffice
DB = Callable[[], Session]
_DROPPED = dict.fromkeys([*range(0x20), 0x0E31, 0x0E32, 0x0E33, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F)])


def skeleton(text: str) -> str:
    """PDF text as comparable: no spaces, line breaks or Thai marks (see tests/service/test_papers.py)."""
    return "".join(text.split()).translate(_DROPPED)


@pytest.fixture
def during_intake(app_env: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    if office.libreoffice() is None:
        skip_or_fail("LibreOffice (sandboxed) is not available: the papers are offered as HTML instead")
    monkeypatch.setenv("LDAWARD_CLOCK", "2021-07-20T10:00:00+07:00")
    get_settings.cache_clear()
    papers.clear_cache()
    yield app_env
    get_settings.cache_clear()


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The bytes behind each download URL, recorded as Streamlit stores them (its own storage still does the work)."""
    files: dict[str, bytes] = {}
    store = MemoryMediaFileStorage.load_and_get_id

    def recording(
        self: MemoryMediaFileStorage, path_or_data: object, mimetype: str, kind: object, filename: str | None = None
    ) -> str:
        file_id = store(self, path_or_data, mimetype, kind, filename)  # type: ignore[arg-type]
        if isinstance(path_or_data, bytes):
            files[file_id] = path_or_data
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", recording)
    return files


def download(at: AppTest, key: str, served: dict[str, bytes]) -> tuple[str, bytes]:
    buttons = [b for b in at.get("download_button") if b.proto.id.endswith(f"-{key}")]
    assert len(buttons) == 1, [b.proto.id for b in at.get("download_button")]
    url = buttons[0].proto.url
    return buttons[0].proto.label, served[url.rsplit("/", 1)[-1].split(".")[0]]


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    return skeleton("".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def test_the_start_page_offers_the_form_template_and_guide_made_from_the_edition(
    during_intake: str, db: DB, served: dict[str, bytes]
) -> None:
    at = ok(AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run())
    # No PDF is made while the page draws (on request only; the HTML when clicked): the template is quick to make.
    assert not [data for data in served.values() if data.startswith(b"%PDF")]
    ok(at.button(key="submit_paper_form_make").click().run())
    label, form = download(at, "submit_paper_form_pdf", served)
    assert label == "ใบส่งโครงการ สำหรับลงนามและประทับตรา (PDF)"
    assert skeleton("ใบส่งโครงการนวัตกรรมดิจิทัลเข้าประกวด") in pdf_text(form)
    label, template = download(at, "submit_paper_template", served)
    with db() as session:
        edition = editions.current_edition(session=session)
        assert edition is not None
    titles = [s.shapes.title.text_frame.text for s in Presentation(io.BytesIO(template)).slides]
    assert titles[1:] == [c.title_th for c in edition.criteria]
    ok(at.button(key="submit_paper_guide_make").click().run())
    label, guide = download(at, "submit_paper_guide_pdf", served)
    assert label == "คำแนะนำในการให้ข้อมูล (PDF)" and skeleton("เกณฑ์การพิจารณา (รวม 100 คะแนน)") in pdf_text(guide)


def test_the_documents_step_offers_the_form_pre_filled_and_my_submission_the_receipt(
    during_intake: str, served: dict[str, bytes]
) -> None:
    at = ok(AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run())
    fill_first_three_steps(at, "ระบบจองคิวรับบริการออนไลน์")
    access = at.session_state["submit_access"]
    ok(at.button(key="submit_paper_form_make").click().run())
    _, form = download(at, "submit_paper_form_pdf", served)
    text = pdf_text(form)
    assert skeleton("นายสมปอง ทดสอบ") in text and skeleton("ระบบจองคิวรับบริการออนไลน์") in text
    assert skeleton(access.receipt_code) in text

    mine = ok(AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run())
    ok(mine.switch_page("pages/my_submission.py").run())
    mine.text_input(key="mine_code").input(access.receipt_code)
    mine.text_input(key="mine_token").input(access.edit_token)
    press(mine, "mine_form")
    html = [b for b in mine.get("download_button") if b.proto.id.endswith("-mine_paper_receipt_html")]
    assert [b.proto.label for b in html] == ["ใบรับผลงาน (HTML สำหรับพิมพ์)"]  # made when clicked (to_html's tests)
    ok(mine.button(key="mine_paper_receipt_make").click().run())
    _, pdf = download(mine, "mine_paper_receipt_pdf", served)
    assert skeleton(access.receipt_code) in pdf_text(pdf) and skeleton("ใบรับผลงานเข้าประกวด") in pdf_text(pdf)
    ok(mine.button(key="mine_paper_form_make").click().run())
    label, filled = download(mine, "mine_paper_form_pdf", served)
    assert (
        label == "ใบส่งโครงการ สำหรับลงนามและประทับตรา (PDF)" and filled == form
    )  # the same pre-filled form as at the documents step
