"""A search sealed into a reference opens on every web node that shares the secret key, and only for its user."""

from __future__ import annotations

import base64

from tests.web.conftest import log_in
from web.query_refs import QueryRefs

SECRET = b"0123456789abcdef" * 4
BSN_QUERY = "bsn:123456782 huur"


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_reference_opens_anywhere_the_key_is_and_nowhere_else():
    ref = QueryRefs(SECRET).keep("sara", BSN_QUERY)
    assert QueryRefs(SECRET).query("sara", ref) == BSN_QUERY  # another node, or after a restart
    assert QueryRefs(b"another server's key").query("sara", ref) is None
    assert QueryRefs(SECRET).query("anna", ref) is None  # a copied link is no use to a colleague
    assert QueryRefs(SECRET).query("sara", ref, kind="audit") is None  # nor on another kind of page
    assert ref.isascii() and "=" not in ref and "/" not in ref and "+" not in ref


def test_a_reference_hides_its_query_and_refuses_a_changed_one():
    ref = QueryRefs(SECRET).keep("sara", BSN_QUERY)
    raw = base64.urlsafe_b64decode(ref + "=" * (-len(ref) % 4))
    assert b"123456782" not in raw and b"sara" not in raw
    changed = ref[:40] + ("A" if ref[40] != "A" else "B") + ref[41:]
    for broken in (changed, ref[:-3], "", "ÿ" * 20, "not-a-reference"):
        assert QueryRefs(SECRET).query("sara", broken) is None


def test_a_reference_lasts_a_working_day():
    clock = Clock()
    refs = QueryRefs(SECRET, clock)
    ref = refs.keep("sara", BSN_QUERY)
    clock.now += 9.9 * 3600
    assert refs.query("sara", ref) == BSN_QUERY
    clock.now += 0.2 * 3600
    assert refs.query("sara", ref) is None


def test_a_bsn_search_made_on_one_web_node_opens_on_the_other(no_csrf, login, filed, archive, config, users):
    from web import create_app

    archive.update_facts(filed[0], {"bsn": "123456782"}, archive_system())
    here = login("staff")
    kept = here.post("/search", data={"q": "huur OR 123456782"}).headers["Location"]
    assert "123456782" not in kept and "ref=" in kept
    assert f"/documents/{filed[0]}?" in here.get(kept).get_data(as_text=True)
    other_node = create_app(config, archive=archive)  # the same home, so the same secret key
    other_node.config.update(TESTING=True, WTF_CSRF_ENABLED=False)
    there = other_node.test_client()
    log_in(there, "staff", users["staff"])
    page = there.get(kept).get_data(as_text=True)
    assert f"/documents/{filed[0]}?" in page and "*****6782" in page and "123456782" not in page


def test_words_typed_beside_a_masked_bsn_narrow_the_kept_search(no_csrf, app, login):
    from web.query_refs import query_refs

    def kept_query(location: str) -> str | None:
        with app.app_context():
            return query_refs().query("staff", location.split("ref=")[1].split("&")[0])

    staff = login("staff")
    ref = staff.post("/search", data={"q": "123456782"}).headers["Location"].split("ref=")[1]
    # The box shows "*****6782"; a word typed after it, or before, keeps the number searched.
    for typed, meant in (("*****6782 huur", "123456782 huur"), ("huur *****6782", "huur 123456782")):
        narrowed = staff.post("/search", data={"q": typed, "ref": ref}).headers["Location"]
        assert "6782" not in narrowed and kept_query(narrowed) == meant
    # A colleague given the link is told why it does not open, not that it expired.
    opened = login("clerk").get(narrowed, follow_redirects=True).get_data(as_text=True)
    assert "opent alleen voor wie hem maakte" in opened and "123456782" not in opened
    # Without the reference the asterisks stay what was typed.
    assert "ref=" not in staff.post("/search", data={"q": "*****6782 huur"}).headers["Location"]


def test_an_edited_masked_bsn_asks_for_the_whole_number_in_dutch(no_csrf, login):
    staff = login("staff")
    ref = staff.post("/search", data={"q": "123456782"}).headers["Location"].split("ref=")[1]
    # A star deleted from "*****6782": it no longer matches the kept number, so it cannot be put back.
    page = staff.get(staff.post("/search", data={"q": "****6782 huur", "ref": ref}).headers["Location"]).get_data(
        as_text=True
    )
    assert "typ het hele nummer opnieuw in plaats van de sterretjes" in page
    assert "123456782" not in page


def archive_system():
    from archive.access.actors import SYSTEM

    return SYSTEM
