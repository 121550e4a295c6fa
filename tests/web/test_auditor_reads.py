"""Every read of an auditor leaves an entry: thumbnails, clients, records, analysis (page and CSV), API."""

from __future__ import annotations

from archive.access.actors import SYSTEM


def _actions(archive, actor: str) -> list[str]:
    rows = archive.core.db.read().execute("SELECT action FROM audit_log WHERE actor = ? ORDER BY seq", (actor,))
    return [row[0] for row in rows]


def test_each_read_of_an_auditor_is_audited(login, archive, filed) -> None:
    client = login("auditor")
    before = _actions(archive, "auditor")
    reads = {
        f"/documents/{filed[0]}/thumbnail": "thumbnail",
        "/clients": "client_list",
        "/records": "records_view",
        "/analysis": "analysis",
        "/analysis.csv": "analysis",
    }
    for path, action in reads.items():
        response = client.get(path)
        assert response.status_code in (200, 302), (path, response.status_code)
        after = _actions(archive, "auditor")
        assert after[len(before) :] == [action], (path, after[len(before) :])
        before = after
    token = archive.users.new_token("auditor", SYSTEM)
    response = client.application.test_client().get("/api/clients", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert _actions(archive, "auditor")[len(before) :] == ["client_list"]


def test_the_trail_names_every_action_and_detail_in_dutch(login, archive) -> None:
    """A clients look-up's count, the checkpoint and the trail's keys read as words, not as codes."""
    from web.labels import ACTIONS

    assert {"checkpoint", "audit_keys"} <= set(ACTIONS)
    login("clerk").get("/clients?q=jan")
    page = login("auditor").get("/audit").get_data(as_text=True)
    assert "found:" not in page and "gevonden: 0" in page
