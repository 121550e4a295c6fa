"""The smaller doors: redirects stay on this site, ids beyond the database are no page, long queries refused."""

from __future__ import annotations

import pytest

from tests.web.conftest import csrf_token
from web.redirects import local_path


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/x",
        "///evil.example",
        "/\\evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r\n/evil.example",
        "/%0d%0aSet-Cookie:x=1\r\nLocation: http://evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "evil.example",
        " /search",
        "/\x00/evil.example",
        "",
        None,
    ],
)
def test_only_a_path_of_this_site_is_a_redirect_target(target) -> None:
    assert local_path(target) is None


@pytest.mark.parametrize("target", ["/", "/search?q=factuur", "/documents/7#facts", "/%2F%2Fevil.example"])
def test_paths_of_this_site_are_kept(target) -> None:
    assert local_path(target) == target


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\r\n/evil.example", "//evil.example"])
def test_language_switch_never_leaves_the_site(app, target) -> None:
    client = app.test_client()
    response = client.post("/language", data={"lang": "en", "next": target, "csrf_token": csrf_token(client)})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/") and "evil" not in response.headers["Location"]


def test_an_id_beyond_the_database_is_no_page(login) -> None:
    client = login("clerk")
    for path in ("/documents/9223372036854775808", "/documents/99999999999999999999999/original"):
        assert client.get(path).status_code == 404, path
    assert client.get("/documents/9223372036854775807").status_code == 404


def test_a_query_of_40_kb_is_refused_with_a_sentence_and_not_stored(login, archive) -> None:
    client = login("clerk")
    response = client.get("/", query_string={"q": "factuur " * 5000})
    page = response.get_data(as_text=True)
    assert "Een zoekopdracht mag hoogstens 1000 tekens lang zijn" in page
    stored = archive.core.db.read().execute("SELECT max(length(details)) FROM audit_log").fetchone()[0]
    assert stored < 2000
