"""The start page, the header search on every page, suggestions and the keyboard help, in Dutch."""

from __future__ import annotations

import re

from archive.access.actors import SYSTEM


def test_the_start_page_shows_recent_documents_and_the_queues(no_csrf, login, filed, archive):
    clerk = login("clerk")
    page = clerk.get("/").get_data(as_text=True)
    assert "Goedendag, clerk" in page and "Onlangs gearchiveerd" in page
    assert f"/documents/{filed[0]}" in page and f"/documents/{filed[1]}" in page
    assert "te beoordelen" in page and "Het postvak wordt niet bewaakt" in page
    assert "Opgeslagen zoekopdrachten" in page
    staff = login("staff")
    staff.get(f"/documents/{filed[1]}")
    page = staff.get("/").get_data(as_text=True)
    assert (
        "Door u onlangs geopend" in page
        and "te beoordelen" not in page
        and "inbox" not in page.lower().split('<main id="main"')[1].split("sneltoetsen")[0]
    )


def test_every_page_has_the_header_search(no_csrf, login, filed):
    clerk = login("clerk")
    assert 'id="header-q"' not in clerk.get("/").get_data(as_text=True)  # its own box is the search box there
    for path in (f"/documents/{filed[0]}", "/review", "/clients", "/inbox", "/help/keys"):
        assert 'id="header-q"' in clerk.get(path).get_data(as_text=True), path


def test_suggestions_name_clients_references_and_types(no_csrf, login, filed, archive):
    archive.clients.add({"client_id": "K-7", "name": "Bakkerij de Vries"}, SYSTEM)
    archive.update_facts(filed[0], {"client_id": "K-7"}, SYSTEM)
    staff = login("staff")
    found = staff.get("/suggest?q=vries", headers={"Accept": "application/json"}).get_json()
    assert found[0]["kind"] == "client" and found[0]["label"] == "Bakkerij de Vries"
    assert found[0]["url"] == "/?q=client:K-7&sort=date"
    assert [s["kind"] for s in staff.get("/suggest?q=F2024").get_json()] == ["reference"]
    assert any(s["query"] == "type:invoice" for s in staff.get("/suggest?q=fact").get_json())
    assert staff.get("/suggest?q=v").get_json() == []
    assert login("admin").get("/help/keys").status_code == 200


def test_the_watcher_is_drawn_alive_stale_or_stopped_alike_on_the_inbox_and_start_pages(archive, login) -> None:
    """Three states, three looks (colour box and mark), the same word on both pages."""
    import fcntl
    import os
    import time

    from archive.inbox.service import heartbeat_path, watch_lock_path

    home = archive.config.home
    clerk = login("clerk")

    def looks() -> tuple[str, str]:
        inbox, start = clerk.get("/inbox").get_data(as_text=True), clerk.get("/").get_data(as_text=True)
        box = re.search(r'<p class="watcher ([^"]+)"', inbox).group(1)
        item = re.search(r'<li class="watcher ([^"]+)"', start).group(1)
        return box, item

    assert looks() == ("watcher-stopped alarm", "watcher-stopped")
    heartbeat_path(home).touch()
    with open(watch_lock_path(home), "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running watcher holds it
        assert looks() == ("watcher-alive ok-box", "watcher-alive")
        old = time.time() - 600
        os.utime(heartbeat_path(home), (old, old))
        assert looks() == ("watcher-stale warning-box", "watcher-stale")


def test_the_inbox_page_tells_a_clerk_whom_to_tell_not_a_command_to_run(archive, login) -> None:
    """A clerk cannot start `archive watch` (only the inbox's users see the page); they are told whom to tell."""
    import os
    import time

    from archive.inbox.service import heartbeat_path

    clerk = login("clerk")
    page = clerk.get("/inbox").get_data(as_text=True)
    assert "archive watch" not in page and "Waarschuw een beheerder." in page
    heartbeat_path(archive.config.home).touch()
    old = time.time() - 600
    os.utime(heartbeat_path(archive.config.home), (old, old))
    page = clerk.get("/inbox").get_data(as_text=True)
    assert "archive watch" not in page and "Waarschuw een beheerder." in page


def test_the_dutch_pages_call_the_inbox_postvak_as_its_title_does(archive, login) -> None:
    """The page is titled "Postvak"; its sentences and the start page's must not say "inbox" beside it."""
    clerk = login("clerk")
    for path in ("/inbox", "/"):
        page = clerk.get(path).get_data(as_text=True)
        text = re.sub(r"<[^>]+>", " ", page.split('<main id="main"')[1])  # what is read, not the links
        assert "postvak" in text.lower(), path
        assert not re.search(r"\binbox\b", text, re.IGNORECASE), (path, re.findall(r".{40}\binbox\b.{40}", text, re.I))
