"""The role table on every page and API endpoint: anonymous, each role, allowed or 403."""

from __future__ import annotations

import pytest

from archive.access.actors import ROLES, Actor
from archive.access.permissions import Permission, allows
from web.access import ENDPOINTS, PUBLIC

# (method, path, permission) — every page and API route of the app; {doc} is a filed document.
PAGES = [
    ("GET", "/", Permission.SEARCH),
    ("GET", "/?q=factuur", Permission.SEARCH),
    ("GET", "/suggest?q=fa", Permission.SEARCH),
    ("POST", "/bulk", Permission.VIEW),
    ("POST", "/saved", Permission.SEARCH),
    ("POST", "/saved/1/delete", Permission.SEARCH),
    ("GET", "/saved/1", Permission.SEARCH),
    ("POST", "/search", Permission.SEARCH),
    ("GET", "/documents/{doc}", Permission.VIEW),
    ("GET", "/documents/{doc}/thumbnail", Permission.VIEW),
    ("GET", "/documents/{doc}/original", Permission.DOWNLOAD),
    ("GET", "/documents/{doc}/pdf", Permission.DOWNLOAD),
    ("GET", "/documents/{doc}/preview", Permission.VIEW),
    ("GET", "/documents/{doc}/pages/1", Permission.VIEW),
    ("POST", "/documents/{doc}/facts", Permission.EDIT_FACTS),
    ("GET", "/documents/{doc}/facts", Permission.EDIT_FACTS),
    ("POST", "/documents/{doc}/reveal-bsn", Permission.SEE_BSN),
    ("POST", "/documents/{doc}/tags", Permission.TAG),
    ("POST", "/documents/{doc}/tags/remove", Permission.TAG),
    ("POST", "/documents/{doc}/notes", Permission.WRITE_NOTES),
    ("POST", "/documents/{doc}/notes/1", Permission.WRITE_NOTES),
    ("POST", "/documents/{doc}/title", Permission.EDIT_FACTS),
    ("POST", "/documents/{doc}/custom", Permission.EDIT_FACTS),
    ("GET", "/upload", Permission.FILE),
    ("POST", "/upload", Permission.FILE),
    ("GET", "/upload/status/{doc}", Permission.FILE),
    ("GET", "/review", Permission.REVIEW),
    ("POST", "/review/{doc}", Permission.REVIEW),
    ("GET", "/review/{doc}", Permission.REVIEW),
    ("GET", "/clients", Permission.VIEW),
    ("GET", "/clients/K-1", Permission.VIEW),
    ("GET", "/clients/new", Permission.MANAGE_CLIENTS),
    ("POST", "/clients/new", Permission.MANAGE_CLIENTS),
    ("GET", "/clients/K-1/edit", Permission.MANAGE_CLIENTS),
    ("POST", "/clients/lookup", Permission.VIEW),
    ("POST", "/clients/K-1/reveal-bsn", Permission.SEE_BSN),
    ("GET", "/inbox", Permission.FILE),
    ("POST", "/inbox/retry", Permission.FILE),
    ("POST", "/inbox/remove", Permission.FILE),
    ("GET", "/records", Permission.DISPOSE_PROPOSE),
    ("POST", "/records/holds", Permission.HOLD),
    ("GET", "/records/holds", Permission.HOLD),
    ("POST", "/records/holds/1/release", Permission.HOLD),
    ("POST", "/records/dispose", Permission.DISPOSE_APPROVE),
    ("GET", "/records/dispose", Permission.DISPOSE_APPROVE),
    ("GET", "/records/certificates/1.html", Permission.DISPOSE_PROPOSE),
    ("GET", "/audit", Permission.READ_AUDIT),
    ("GET", "/audit.csv", Permission.READ_AUDIT),
    ("POST", "/audit/verify", Permission.VERIFY),
    ("POST", "/audit/export", Permission.EXPORT),
    ("GET", "/audit/jobs/unknown", Permission.READ_AUDIT),
    ("GET", "/audit/jobs/unknown/file", Permission.EXPORT),
    ("GET", "/admin/users", Permission.MANAGE_USERS),
    ("POST", "/admin/users", Permission.MANAGE_USERS),
    ("POST", "/admin/users/clerk", Permission.MANAGE_USERS),
    ("GET", "/admin/users/clerk", Permission.MANAGE_USERS),
]
API = [
    ("GET", "/api/search?q=factuur", Permission.SEARCH),
    ("GET", "/api/documents/{doc}", Permission.VIEW),
    ("GET", "/api/documents/{doc}/original", Permission.DOWNLOAD),
    ("POST", "/api/documents/{doc}/reveal-bsn", Permission.SEE_BSN),
    ("POST", "/api/documents", Permission.FILE),
    ("GET", "/api/documents/{doc}/status", Permission.FILE),
    ("GET", "/api/clients", Permission.VIEW),
    ("POST", "/api/clients", Permission.MANAGE_CLIENTS),
]


def test_every_endpoint_is_mapped_to_a_permission(app):
    """A route missing from the map would be refused; this keeps the map complete."""
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    unmapped = {e for e in endpoints if e not in ENDPOINTS and e not in PUBLIC and not e.startswith("analysis.")}
    assert unmapped == set()


def test_the_matrix_covers_every_route(app):
    covered = {path.split("?")[0].replace("{doc}", "<int:document_id>") for _, path, _ in PAGES + API}
    covered.add("/search")  # the search box's POST; the page itself is "/"
    rules = {
        rule.rule
        for rule in app.url_map.iter_rules()
        # /account: any logged-in user, tested in test_auth; /help: any logged-in user, in test_start_page
        if not rule.rule.startswith(("/static", "/login", "/logout", "/language", "/analysis", "/account", "/help"))
    }
    normalise = {
        "/clients/K-1": "/clients/<client_id>",
        "/clients/K-1/edit": "/clients/<client_id>/edit",
        "/records/holds/1/release": "/records/holds/<int:hold_id>/release",
        "/admin/users/clerk": "/admin/users/<name>",
        "/clients/K-1/reveal-bsn": "/clients/<client_id>/reveal-bsn",
        "/records/certificates/1.html": "/records/certificates/<int:number>.<kind>",
        "/audit/jobs/unknown": "/audit/jobs/<job_id>",
        "/audit/jobs/unknown/file": "/audit/jobs/<job_id>/file",
        "/review/<int:document_id>": "/review/<int:document_id>",
        "/documents/<int:document_id>/notes/1": "/documents/<int:document_id>/notes/<int:note_id>",
        "/saved/1/delete": "/saved/<int:search_id>/delete",
        "/documents/<int:document_id>/pages/1": "/documents/<int:document_id>/pages/<int:page>",
        "/saved/1": "/saved/<int:search_id>",
    }
    covered = {normalise.get(path, path) for path in covered}
    assert rules - covered == set()


def test_anonymous_pages_go_to_login(app, filed):
    client = app.test_client()
    for method, path, _ in PAGES:
        response = client.open(path.format(doc=filed[0]), method=method)
        if method == "POST":  # CSRF is checked first: a forged post never gets further
            assert response.status_code == 400, path
        else:
            assert response.status_code == 302, path
            assert response.headers["Location"].endswith("/login"), path


def test_anonymous_posts_without_csrf_check_still_go_to_login(no_csrf, filed):
    client = no_csrf.test_client()
    for method, path, _ in PAGES:
        if method == "POST":
            response = client.post(path.format(doc=filed[0]))
            assert response.status_code == 302 and response.headers["Location"].endswith("/login"), path


def test_anonymous_api_gets_401(app, filed):
    client = app.test_client()
    for method, path, _ in API:
        response = client.open(path.format(doc=filed[0]), method=method)
        assert response.status_code == 401, path
        assert response.is_json and "Bearer" in response.get_json()["error"]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_its_pages(no_csrf, login, filed, role):
    client = login(role)
    actor = Actor(role, role)
    wrong = []
    for method, path, permission in PAGES:
        response = client.open(path.format(doc=filed[0]), method=method)
        allowed = allows(actor, permission)
        refused = response.status_code == 403
        if allowed == refused or response.status_code >= 500 or response.status_code == 401:
            wrong.append((method, path, response.status_code))
    assert wrong == []


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_its_api(archive, app, filed, role):
    from archive.access.actors import SYSTEM

    token = archive.users.new_token(role.replace("_", "-"), SYSTEM)
    client = app.test_client()
    actor = Actor(role, role)
    wrong = []
    for method, path, permission in API:
        response = client.open(path.format(doc=filed[0]), method=method, headers={"Authorization": f"Bearer {token}"})
        allowed = allows(actor, permission)
        if allowed == (response.status_code == 403) or response.status_code in (401, 500):
            wrong.append((method, path, response.status_code))
    assert wrong == []


def test_a_wrong_token_is_refused(app, filed):
    response = app.test_client().get("/api/search?q=factuur", headers={"Authorization": "Bearer foa_nonsense"})
    assert response.status_code == 401


def test_a_session_does_not_open_the_api(login, filed):
    """The API is token-only: a logged-in browser session is not enough (no CSRF there)."""
    assert login("clerk").get("/api/search?q=factuur").status_code == 401


def test_a_disabled_user_is_logged_out(archive, login, filed):
    from archive.access.actors import SYSTEM

    client = login("staff")
    assert client.get("/").status_code == 200
    archive.users.set_active("staff", False, SYSTEM)
    assert client.get("/").status_code == 302
