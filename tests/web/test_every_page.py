"""Every page as every role, in headless Chromium, in Dutch: axe-core, 390 px wide, and no clear BSN.

One server and one browser for the module. Each role logs in once and opens each page
it may open once; while it works, every page, API answer, export, log line, URL and
cookie it meets is kept. The tests then read what was kept: axe-core (from npm,
injected by Playwright) finds no serious or critical violation, no page scrolls
sideways at 390 px, and no BSN — written any of the ways people write one — stands
in clear anywhere: no role sees a full BSN without the audited reveal.
"""

from __future__ import annotations

import base64
import csv
import functools
import io
import json
import re
import subprocess
import time
import urllib.request
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from urllib.parse import unquote_plus

import pyotp
import pytest

from archive.access.actors import SYSTEM, Actor
from archive.access.permissions import Permission, allows
from archive.documents.filing import FilingHints
from archive.errors import Message
from archive.inbox.notes import write_note
from archive.wording import office_wording
from storage import documents_repo
from tests.browser import ENV, PASSWORD, archive_command, needs_chromium, serving
from tests.documents import REPO, text_pdf

# One worker builds the office and walks it, when the suite runs with --dist loadgroup.
pytestmark = [*needs_chromium, pytest.mark.xdist_group("every-page")]

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = REPO / "test-artifacts" / "pages"
WIDTHS = {"desktop": 1366, "phone": 390}
ADMIN_PASSWORD = ENV["ARCHIVE_ADMIN_PASSWORD"]

# The client's BSN, and a second one that stands only in file names and a review document.
CLIENT_BSN, OTHER_BSN = "123456782", "111222333"
WRITTEN = ("123456782", "1234.56.782", "123 456 782", "12345 6782", "12-34-56-782", "123-456-782")
BSNS = (CLIENT_BSN, OTHER_BSN)
# Who logs in as which role (DESIGN.md's five roles).
PEOPLE = {"anna": "clerk", "sara": "staff", "rik": "records_manager", "olga": "auditor", "admin": "admin"}
# Every page a person opens by address, with what it takes to open it; {doc}: the document with the BSNs.
PAGES = [
    ("/", Permission.SEARCH),
    ("/?q=verklaring", Permission.SEARCH),
    ("/documents/{doc}", Permission.VIEW),
    ("/documents/{gone}", Permission.VIEW),
    ("/clients", Permission.VIEW),
    ("/clients/K-1", Permission.VIEW),
    ("/clients/K-1/edit", Permission.MANAGE_CLIENTS),
    ("/clients/new", Permission.MANAGE_CLIENTS),
    ("/upload", Permission.FILE),
    ("/review", Permission.REVIEW),
    ("/inbox", Permission.FILE),
    ("/records", Permission.DISPOSE_PROPOSE),
    ("/records/certificates/1.html", Permission.DISPOSE_PROPOSE),
    ("/audit", Permission.READ_AUDIT),
    ("/analysis", Permission.STATS),
    ("/admin/users", Permission.MANAGE_USERS),
    ("/account/password", None),
    ("/help/keys", Permission.SEARCH),
    ("/documents/999999", Permission.VIEW),  # the error page
]
# The pages whose screenshots the issue asks for, and as whom: (role, path or step name).
SHOT_PAGES = {
    ("clerk", "/upload"): "upload",
    ("clerk", "/review"): "review",
    ("records_manager", "/records"): "disposal-proposal",
    ("records_manager", "confirm"): "disposal-confirm",
    ("staff", "/documents/{doc}"): "document",
    ("auditor", "/audit"): "audit",
    ("clerk", "/?q=verklaring"): "search-bulk",
    ("admin", "/admin/users"): "users",
}
_AXE_RUN = """async () => {
  const found = await axe.run(document, {resultTypes: ["violations"], iframes: false});
  return found.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => v.impact + " " + v.id + " (" + v.help + "): "
      + v.nodes.slice(0, 4).map(n => n.target.join(" ")).join(" | "));
}"""
_SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
# On a phone a legend drawn on its box's border wraps with the border through its text; it sits inside.
_STRUCK_LEGENDS = """() => [...document.querySelectorAll("fieldset > legend")].filter(legend => {
  const box = legend.parentElement.getBoundingClientRect(), own = legend.getBoundingClientRect();
  const border = parseFloat(getComputedStyle(legend.parentElement).borderTopWidth);
  return own.width > 1 && border > 0 && own.top < box.top + border;
}).map(legend => legend.textContent.trim())"""


@dataclass
class Seen:
    """What the walk met, by where it was met: texts to grep, axe's findings, sideways scroll."""

    texts: list[tuple[str, str]] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    sideways: list[str] = field(default_factory=list)
    struck: list[str] = field(default_factory=list)
    pages: int = 0
    disposal: dict = field(default_factory=dict)

    def keep(self, where: str, text: str) -> None:
        self.texts.append((where, text))


def _run(home: Path, *args: str, env: dict | None = None) -> str:
    done = subprocess.run(
        [*archive_command(home), *args], check=True, env=env or ENV, capture_output=True, cwd=REPO, text=True
    )
    return done.stdout


def _secret(uri: str) -> str:
    return pyotp.parse_uri(uri).secret


def _build_home(folder: Path) -> tuple[Path, dict]:
    """A home with the five roles, a client with a BSN, its documents, a due and a destroyed document."""
    from archive.config import load_config
    from archive.service import Archive

    home = folder / "home"
    made = _run(home, "init")  # as an office starts: the admin's second factor printed once
    secrets = {"admin": re.search(r"secret=([A-Z2-7]+)", made).group(1)}
    (folder / "clients.csv").write_text(
        "client_id,name,kind,bsn,street,house_number,postcode,city\n"
        "K-1,Jan Jansen,person,123456782,Oudegracht,1,3511 AB,Utrecht\n"
        "K-2,Bakkerij de Vries,company,,Lange Nieuwstraat,4,3512 PH,Utrecht\n"
        "K-3,D. Mulder,person,,Kerkstraat,12,1234 AB,Amersfoort\n"
    )
    written = ", ".join(WRITTEN[1:])
    other = f"{OTHER_BSN[:4]}.{OTHER_BSN[4:6]}.{OTHER_BSN[6:]}"
    statement = text_pdf(
        folder / f"paspoort {other}.pdf",
        [f"Verklaring\nDatum: 3 april 2024\nBurgerservicenummer: {CLIENT_BSN}\nOok geschreven als {written}."],
    )
    old = [
        text_pdf(folder / f"factuur-{n}.pdf", [f"Factuur V-2010-00{n}\nFactuurdatum: 14 maart 2010\nTotaal: EUR 41,50"])
        for n in (1, 2, 3)
    ]
    unsure = text_pdf(
        folder / f"scan {OTHER_BSN}.pdf", [f"Hallo,\nmijn nummer is {OTHER_BSN[:3]} {OTHER_BSN[3:6]} {OTHER_BSN[6:]}."]
    )
    ids: dict[str, int] = {}
    with Archive.open(load_config(home=home)) as archive:
        for name, role in PEOPLE.items():
            if name != "admin":
                _, uri = archive.users.add(name, role, PASSWORD, SYSTEM)
                secrets[name] = uri and _secret(uri)
        archive.clients.import_csv(folder / "clients.csv", SYSTEM)
        for key, path, client in (
            ("doc", statement, "K-1"),
            ("due", old[0], "K-2"),
            ("gone", old[1], "K-2"),
            ("unsure", old[2], "K-2"),
        ):
            ids[key] = archive.ingest(path, SYSTEM, FilingHints(client_id=client)).id
        # Left in the review queue with its type in doubt: due, but its rule never confirmed.
        with archive.db.atomic() as conn:
            documents_repo.update_document(
                conn, ids["unsure"], needs_review=1, review_reasons=json.dumps(["unsure_type"])
            )
        ids["review"] = archive.ingest(unsure, SYSTEM).id
        archive.notes.add(ids["doc"], f"Klant belde, BSN {WRITTEN[2]} nagevraagd.", archive.actor_named("anna"))
        # The records manager destroys one of the two due invoices: a tombstone and a certificate to show.
        archive.records.dispose(archive.actor_named("rik"), approve=True, ids=[ids["gone"]])
        tokens = {name: archive.users.new_token(name, SYSTEM) for name in PEOPLE}
    _set_aside(home, f"scan {CLIENT_BSN[:3]} {CLIENT_BSN[3:6]} {CLIENT_BSN[6:]}.pdf")
    return home, {"ids": ids, "secrets": secrets, "tokens": tokens}


def _set_aside(home: Path, name: str) -> None:
    """A file the inbox could not file, named after a BSN, with its note."""
    failed = home / "inbox" / "failed"
    failed.mkdir(parents=True, exist_ok=True)
    (failed / name).write_bytes(b"%PDF-1.4")
    reason = Message(
        "pdf.damaged", "This PDF is damaged or incomplete and cannot be read; please scan or save it again."
    )
    write_note(failed / name, PurePosixPath(name), reason, datetime.now(timezone.utc), office_wording("nl"))


def _log_in(context, base: str, name: str, secret: str | None, check=None):
    """Log in through the form (and the second-factor step); the admin's walk reads those pages too."""
    page = context.new_page()
    page.goto(base + "/login")
    if check and name == "admin":
        check(page, "anonymous", "/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", ADMIN_PASSWORD if name == "admin" else PASSWORD)
    page.click("button[type=submit]")
    if secret:
        page.wait_for_url("**/login/code")
        if check and name == "admin":
            check(page, "admin", "/login/code")
        page.fill("input[name=code]", pyotp.TOTP(secret).now())
        page.click("button[type=submit]")
    page.wait_for_selector("h1")
    assert "/login" not in page.url, f"{name} was not let in"
    return page


def _cookie_text(value: str) -> str:
    """A cookie's value with a Flask session cookie's payload decoded (it is only signed, not secret)."""
    body = value.lstrip(".").split(".")[0]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        return value + " " + (zlib.decompress(raw).decode() if value.startswith(".") else raw.decode())
    except (ValueError, zlib.error, UnicodeDecodeError):
        return value


def _api(base: str, token: str, path: str) -> str:
    request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.read().decode()


def _bag_texts(data: bytes) -> list[tuple[str, str]]:
    """The text files of an evidence bag (the originals are the documents' own bytes, kept as they came)."""
    with zipfile.ZipFile(io.BytesIO(data)) as bag:
        return [
            (name, bag.read(name).decode())
            for name in bag.namelist()
            if name.endswith((".json", ".txt", ".xml", ".md", ".csv"))
        ]


def _export_bag(page, base: str) -> bytes:
    token = page.locator("meta[name=csrf-token]").get_attribute("content")
    job = page.request.post(base + "/audit/export", form={"client": "K-1"}, headers={"X-CSRFToken": token}).json()
    for _ in range(300):
        job = page.request.get(base + job["url"]).json()
        if job["finished"]:
            break
        time.sleep(0.2)
    assert job.get("file"), job
    return page.request.get(base + job["file"]).body()


def _searches(page, base: str, seen: Seen, role: str) -> None:
    """Search for the BSN through every box a person types in: the header's, the results page's, the clients'.

    Each box is sent the way its form says (method and address read from the page), as
    the browser would send it; the address it lands on and the page it shows are kept.
    """
    for path, form in (
        ("/clients", "form.header-search"),
        ("/?q=verklaring", "form.searchbox"),
        ("/clients", "main form.searchbox"),
    ):
        page.goto(base + path)
        method, action = page.locator(form).evaluate("f => [f.method, f.action]")
        token = page.locator("meta[name=csrf-token]").get_attribute("content")
        written = WRITTEN[len(seen.texts) % len(WRITTEN)]
        if method == "get":
            seen.keep(f"{role} {form} on {path} sends by GET", f"{action}?q={written}")
            continue
        answer = page.request.post(action, form={"q": written, "csrf_token": token})
        seen.keep(f"{role} {form} on {path} lands on {answer.url}", answer.url)
        seen.keep(f"{role} {form} on {path} shows", answer.text())


def _dispose(page, base: str, ids: dict, seen: Seen, check) -> None:
    """The records manager's two steps: the proposal as it is ticked, the confirmation, then destroy."""
    page.goto(base + "/records")
    seen.disposal["ticked"] = page.locator("#proposal input[type=checkbox]:checked").evaluate_all(
        "boxes => boxes.map(b => Number(b.value))"
    )
    seen.disposal["flagged"] = page.locator("#proposal tr.flagged input").evaluate_all(
        "boxes => boxes.map(b => Number(b.value))"
    )
    with page.expect_navigation():
        page.click("#proposal button[type=submit]")
    seen.disposal["question"] = page.locator("h1").inner_text()
    seen.disposal["confirm_rows"] = page.locator("main table tbody tr").count()
    check()
    with page.expect_navigation():
        page.click("main form button.danger")
    seen.disposal["said"] = page.locator(".notice").first.inner_text()
    seen.disposal["left"] = page.locator("#proposal tbody tr td:nth-child(2)").all_inner_texts()


def _walk(base: str, home: Path, facts: dict, browser, seen: Seen) -> None:
    ids = facts["ids"]

    def check(page, role: str, path: str) -> None:
        """Read one page as it stands: its text, axe's verdict, and whether it fits 390 px."""
        seen.pages += 1
        seen.keep(f"{role} {path}", page.content())
        # The cookies as they stand after each page (every redirect is a request of its own, kept too).
        seen.texts += [(f"{role} {path} cookie", _cookie_text(c["value"])) for c in page.context.cookies()]
        if AXE.exists():
            page.add_script_tag(path=str(AXE))
            seen.violations += [f"{role} {path}: {v}" for v in page.evaluate(_AXE_RUN)]
        page.set_viewport_size({"width": 390, "height": 900})
        over = page.evaluate(_SIDEWAYS)
        if over > 0:
            seen.sideways.append(f"{role} {path}: {over} px too wide")
        seen.struck += [f"{role} {path}: {legend}" for legend in page.evaluate(_STRUCK_LEGENDS)]
        name = SHOT_PAGES.get((role, path))
        if name:
            SHOTS.mkdir(parents=True, exist_ok=True)
            for label, width in WIDTHS.items():
                page.set_viewport_size({"width": width, "height": 900})
                page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
        page.set_viewport_size({"width": 1366, "height": 900})

    for name, role in PEOPLE.items():
        # bypass_csp: the app allows only its own scripts; axe-core is added by the test.
        context = browser.new_context(viewport={"width": 1366, "height": 900}, bypass_csp=True, locale="nl-NL")
        context.on("request", lambda request, role=role: seen.keep(f"{role} request", unquote_plus(request.url)))
        page = _log_in(context, base, name, facts["secrets"][name], check)
        actor = Actor(name, role)
        for path, permission in PAGES:
            if permission is not None and not allows(actor, permission):
                continue
            page.goto(base + path.format(**ids))
            page.wait_for_load_state()
            check(page, role, path)
        if allows(actor, Permission.DISPOSE_APPROVE):
            _dispose(page, base, ids, seen, functools.partial(check, page, role, "confirm"))
        if allows(actor, Permission.READ_AUDIT):
            seen.keep(f"{role} /audit.csv", page.request.get(base + "/audit.csv").text())
        if allows(actor, Permission.EXPORT):
            seen.texts += [(f"{role} bag {member}", text) for member, text in _bag_texts(_export_bag(page, base))]
        if allows(actor, Permission.STATS):
            seen.keep(f"{role} /analysis.csv", page.request.get(base + "/analysis.csv").text())
        for path in ("/api/documents/{doc}", "/api/documents/{review}", "/api/search?q=verklaring", "/api/clients"):
            seen.keep(f"{role} {path}", _api(base, facts["tokens"][name], path.format(**ids)))
        _searches(page, base, seen, role)
        seen.texts += [(f"{role} cookie", _cookie_text(cookie["value"])) for cookie in context.cookies()]
        context.close()


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """`archive serve` over the office's home; yields (base address, home, ids/secrets/tokens, server log)."""
    folder = tmp_path_factory.mktemp("office")
    home, facts = _build_home(folder)
    server_log = folder / "server.log"
    with serving(home, log=server_log) as base:
        yield base, home, facts, server_log


@pytest.fixture(scope="module")
def walked(office, browser) -> Seen:
    """Every role's walk through its pages, done once for the module's tests."""
    base, home, facts, server_log = office
    seen = Seen()
    _walk(base, home, facts, browser, seen)
    for log in (server_log, *sorted((home / "logs").glob("*.log*"))):
        seen.texts += [(f"log {log.name}", line) for line in log.read_text(errors="replace").splitlines()]
    return seen


def _clear_bsns(text: str) -> set[str]:
    """The test BSNs that stand in a text in clear, however written (spaces, dots, dashes, URL-encoded)."""
    digits = re.sub(r"[\s.\-_+]|&nbsp;|&#160;", "", unquote_plus(text))
    return {bsn for bsn in BSNS if bsn in digits}


def test_no_page_answer_export_log_url_or_cookie_carries_a_clear_bsn(walked):
    assert walked.pages >= 40  # every role opened its pages
    assert any("*****6782" in text for _, text in walked.texts)  # the BSN was there, masked
    found = [f"{where}: {sorted(bsns)}" for where, text in walked.texts if (bsns := _clear_bsns(text))]
    assert not found, "\n".join(found[:40])


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed: run `npm ci` (make install does)")
def test_axe_finds_no_serious_or_critical_violation_on_any_page_as_any_role(walked):
    assert not walked.violations, "\n".join(walked.violations)


def test_no_page_scrolls_sideways_at_390_px_as_any_role(walked):
    assert not walked.sideways, "\n".join(walked.sideways)


def test_every_legend_sits_inside_its_box_at_390_px(walked):
    assert not walked.struck, "\n".join(walked.struck)


def _tab_to(page, element_id: str, presses: int = 40) -> int:
    """Press Tab until the element has the focus; return how many presses it took."""
    for count in range(1, presses + 1):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return count
    pytest.fail(f"#{element_id} was not reached with Tab in {presses} presses")


def test_a_clerk_uploads_with_the_keyboard_alone_and_a_contradicted_client_goes_to_review(office, browser, tmp_path):
    """Tab to the drop zone, Enter for the file chooser, type the client, Enter to send: no mouse.

    The client typed is the bakery still in mind from the last file; the invoice is the
    bicycle shop's for D. Mulder (the issue's case): it goes to review, saying why.
    """
    from playwright.sync_api import expect

    base, _, facts, _ = office
    invoice = text_pdf(
        tmp_path / "fiets.pdf",
        [
            "Rijwielhandel De Snelle Spaak\nStationsplein 3, 3811 AA Amersfoort\n\nD. Mulder\nKerkstraat 12\n"
            "1234 AB Amersfoort\n\nFactuur 2024-118\nFactuurdatum: 4 maart 2024\nReparatie fiets\n"
            "Totaal te betalen: EUR 86,50"
        ],
    )
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="nl-NL")
    page = _log_in(context, base, "anna", None)
    page.goto(base + "/upload")
    _tab_to(page, "files")  # the file chooser, drawn as a button in the drop zone
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Enter")
    chooser.value.set_files(str(invoice))
    expect(page.locator("#pending li")).to_have_count(1)
    _tab_to(page, "u-client_id")
    page.keyboard.type("K-2")
    expect(page.locator("#pending li .facts-line")).to_contain_text("K-2")
    _tab_to(page, "upload-button")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"upload-chosen-{label}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.keyboard.press("Enter")
    filed = page.locator(".outcome.filed")
    expect(filed).to_contain_text("gearchiveerd", timeout=120_000)
    expect(filed.locator(".facts-line")).to_contain_text("K-3 · D. Mulder")
    expect(filed.locator(".reasons-line")).to_contain_text(
        "de bij het uploaden opgegeven cliënt is niet die het document noemt"
    )
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"upload-filed-{label}.png"), full_page=True)
    context.close()


def test_a_copied_cookie_is_refused_after_logout_in_the_browser(office, browser):
    base, _, facts, _ = office
    context = browser.new_context()
    page = _log_in(context, base, "sara", None)
    copied = context.cookies()
    thief = browser.new_context()
    thief.add_cookies(copied)
    stolen = thief.new_page()
    stolen.goto(base + "/clients")
    assert stolen.url.endswith("/clients")  # the copy works while the session lasts
    page.click("header button:has-text('Afmelden')")
    page.wait_for_url("**/login")
    stolen.goto(base + "/clients")
    assert "/login" in stolen.url  # and not after the owner logged out
    thief.close()
    context.close()


def test_opening_a_document_with_its_preview_writes_a_view_and_no_download(walked):
    """Every role opened the document page, its PDF preview shown in the page; nobody downloaded."""
    audit_csv = next(text for where, text in walked.texts if where == "auditor /audit.csv")
    rows = list(csv.DictReader(io.StringIO(audit_csv)))
    assert len([row for row in rows if row["action"] == "view"]) >= 3, "each opening is written as a view"
    assert not [row for row in rows if row["action"] == "download"], "nobody downloaded anything"


def test_approving_disposal_takes_a_confirmation_and_leaves_unconfirmed_documents_alone(walked, office):
    _, _, facts, _ = office
    ids, told = facts["ids"], walked.disposal
    assert told["ticked"] == [ids["due"]] and told["flagged"] == [ids["unsure"]]  # not ticked for the manager
    assert told["question"] == "1 document vernietigen?" and told["confirm_rows"] == 1
    assert told["said"].startswith("Vernietigd: 1;")
    assert str(ids["unsure"]) in told["left"] and str(ids["due"]) not in told["left"]
