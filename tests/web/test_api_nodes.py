"""A search on one of several nodes says when its index has not yet seen every change: the API and the page."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from tests.conftest import on_engine
from tests.documents import text_pdf
from tests.web.conftest import csrf_token

pytestmark = pytest.mark.postgresql


@pytest.fixture
def config(config, tmp_path: Path, request: pytest.FixtureRequest):
    """This node: the shared database on PostgreSQL, its own index, which follows the feed only hourly."""
    on_server = on_engine(config, "postgresql", request)
    return dataclasses.replace(
        on_server,
        node=dataclasses.replace(on_server.node, index_dir=str(tmp_path / "node-2-index"), follow_seconds=3600.0),
    )


def test_a_search_on_a_node_behind_the_feed_says_so(config, archive, app, tmp_path: Path) -> None:
    from archive.access.actors import SYSTEM

    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {archive.users.new_token('staff', SYSTEM)}"
    first = client.get("/api/search?q=zonnepanelen").get_json()
    assert first["index"]["behind"] is False, first
    _filed_through_another_node(config, tmp_path)
    body = client.get("/api/search?q=zonnepanelen").get_json()
    assert body["total"] == 0 and body["index"]["behind"] is True and body["index"]["changes_behind"] >= 1


def _filed_through_another_node(config, tmp_path: Path) -> None:
    from archive.service import Archive

    other = dataclasses.replace(config, node=dataclasses.replace(config.node, index_dir=str(tmp_path / "node-1")))
    with Archive.open(other) as first_node:
        pdf = text_pdf(tmp_path / "brief.pdf", ["Factuur zonnepanelen Vlieland\nBetreft: onderhoud"])
        assert first_node.ingest(pdf).status == "filed"


def test_the_search_page_says_its_node_is_behind_in_dutch_and_english(config, archive, login, tmp_path) -> None:
    client = login("staff")
    page = client.get("/?q=zonnepanelen").get_data(as_text=True)
    assert 'id="index-behind"' not in page  # nothing new yet: no notice
    _filed_through_another_node(config, tmp_path)
    page = client.get("/?q=zonnepanelen").get_data(as_text=True)
    assert "Geen documenten gevonden." in page
    assert "Deze server heeft de laatste" in page and "nog niet verwerkt" in page and 'id="index-behind"' in page
    client.post("/language", data={"lang": "en", "csrf_token": csrf_token(client, "/")})
    page = client.get("/?q=zonnepanelen").get_data(as_text=True)
    assert "This server has not yet taken in the latest" in page and "Search again in a few seconds" in page
