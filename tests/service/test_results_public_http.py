"""GET /api/public/results.json, the route st.App serves beside the app (asgi.py): 404 until the results are
announced, then the awards and works with no scores. Driven as ASGI, on SQLite and PostgreSQL."""

import pytest

from services.contest import editions
from services.platform.db import dispose_engines
from services.platform.settings import get_settings
from services.results import awards
from tests.helpers.asgi import call
from tests.helpers.judging_factory import submit_missing_sheets
from web_routes import PUBLIC_RESULTS_PATH


def get(path, query=""):
    reply = call("GET", path, query=query)
    return reply.status, reply.json()


@pytest.fixture
def app_db(demo_db_url, monkeypatch, demo_session):
    monkeypatch.setenv("DATABASE_URL", demo_db_url)
    get_settings.cache_clear()
    yield demo_session, editions.current_edition(session=demo_session)
    dispose_engines()
    get_settings.cache_clear()


def test_public_results_are_404_until_announced_then_served_without_scores(app_db):
    session, edition = app_db
    session.commit()  # SQLite: release the fixture's transaction, so the route's own session can begin
    status, body = get(PUBLIC_RESULTS_PATH)
    assert status == 404 and body["error"] == "not_announced" and body["message_th"]

    submit_missing_sheets(session, edition.id)  # judge-dga's: the default quorum wants every sheet
    awards.confirm_awards(session=session, edition_id=edition.id, actor="organiser")
    session.commit()
    assert get(PUBLIC_RESULTS_PATH, f"edition={edition.id}")[0] == 404  # confirmed is not yet announced
    awards.announce(session=session, edition_id=edition.id, actor="organiser")
    session.commit()

    status, body = get(PUBLIC_RESULTS_PATH)
    assert status == 200
    assert body["year_be"] == 2564 and [len(a["works"]) for a in body["awards"]] == [1, 7]
    assert len(body["works"]) == 45 and "score" not in body["works"][0]
    assert get(PUBLIC_RESULTS_PATH, "edition=999")[0] == 404
    assert get(PUBLIC_RESULTS_PATH, "edition=abc")[0] == 400  # not an id: malformed, not missing
