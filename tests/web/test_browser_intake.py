"""The document page of a stack's part, an e-mail attachment and an e-invoice, in Chromium (Dutch)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from ingest.stacks import Separator
from tests.browser import ARGS, CHROMIUM, ENV, PASSWORD, archive_command, needs_chromium, serving
from tests.documents import REPO, scan_image
from tests.einvoice.ubl import InvoiceSpec, build_ubl
from tests.identities import add_identity
from tests.mail.messages import build_message, pdf_bytes
from tests.stacks.scans import printed_sheet, scanned, stack_pdf

pytestmark = needs_chromium
SHOTS = REPO / "test-artifacts" / "screenshots" / "intake"


def _archive_with_clerk(home: Path, env: dict[str, str] = ENV) -> list[str]:
    """A new archive at `home` with the clerk anna; return its command."""
    archive = archive_command(home)
    subprocess.run([*archive, "init"], check=True, env=env, capture_output=True, cwd=REPO)
    add_identity(home, "anna", "clerk", PASSWORD)
    return archive


def _logged_in(browser, base: str, width: int):
    """A new page `width` px wide, logged in as anna (Dutch, the default)."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(base + "/login")
    page.fill("input[name=name]", "anna")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    return page


@pytest.mark.slow  # a stack read by OCR, and a browser
def test_where_a_document_came_from_is_on_its_page(tmp_path: Path):
    from playwright.sync_api import expect, sync_playwright

    home = tmp_path / "home"
    archive = _archive_with_clerk(home)
    stack = stack_pdf(
        tmp_path / "stapel.pdf",
        [
            scanned(scan_image("Geachte heer Jansen,\nBetreft: afspraak", dpi=150), seed=1),
            scanned(printed_sheet(Separator(None, "invoice"), 150, tmp_path), seed=2),
            scanned(scan_image("FACTUUR 2024-8\nTotaal te betalen EUR 20,00", dpi=150), seed=3),
        ],
        150,
    )
    mail = tmp_path / "bericht.eml"
    mail.write_bytes(
        build_message(
            subject="Factuur maart",
            message_id="<b@x.nl>",
            attachments=[("factuur.pdf", pdf_bytes(tmp_path, "FACTUUR 9"), "application/pdf")],
        ).as_bytes()
    )
    xml = tmp_path / "factuur.xml"
    xml.write_bytes(build_ubl(InvoiceSpec()))
    filed = subprocess.run(
        [*archive, "ingest", str(stack), str(mail), str(xml), "--json"],
        env=ENV,
        capture_output=True,
        cwd=REPO,
        text=True,
    ).stdout
    outcomes = [json.loads(line) for line in filed.splitlines()]
    part = next(o["id"] for o in outcomes if o["stack_pages"] == [3, 3])
    attachment = next(o["id"] for o in outcomes if o["mail_message_id"])
    invoice = next(o["id"] for o in outcomes if o["reference"] == "2024-0042")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with serving(home) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        for width in (1366, 390):
            page = _logged_in(browser, base, width)
            page.goto(base + f"/documents/{part}")
            expect(page.locator(".facts")).to_contain_text("Uit een gescande stapel")
            expect(page.locator(".facts")).to_contain_text("pagina 3 van de stapel · stapel.pdf")
            expect(page.locator(".facts .related")).to_contain_text("Andere delen van de stapel")
            expect(page.locator(".facts .related a")).to_have_count(1)  # the letter on page 1
            expect(page.locator(".facts .related")).to_contain_text("(pagina 1 van de stapel)")
            page.screenshot(path=str(SHOTS / f"stack-part-{width}.png"), full_page=True)
            page.goto(base + f"/documents/{attachment}")
            expect(page.locator(".facts")).to_contain_text("Factuur maart")
            expect(page.locator(".facts")).to_contain_text("12 maart 2024 10:30")  # sent 09:30 UTC
            page.goto(base + f"/documents/{invoice}")
            expect(page.locator(".facts")).to_contain_text("2024-0042")
            expect(page.locator(".facts")).to_contain_text("Jansen Installatietechniek B.V.")  # the supplier
            expect(page.locator(".facts")).to_contain_text("11 april 2024")  # the due date
            expect(page.locator(".facts .vat-rate")).to_have_text(re.compile(r"21%: €\s34,02 btw over €\s162,00"))
            page.screenshot(path=str(SHOTS / f"einvoice-{width}.png"), full_page=True)
            page.close()
        browser.close()


def test_upload_takes_mail_and_einvoices_and_shows_every_document(tmp_path: Path):
    """The file picker offers .eml and .xml; a message with two attachments shows two lines, each a link."""
    from playwright.sync_api import expect, sync_playwright

    home = tmp_path / "home"
    _archive_with_clerk(home)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with serving(home) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        for width in (1366, 390):
            mail = tmp_path / f"bericht-{width}.eml"
            mail.write_bytes(
                build_message(
                    subject="Twee brieven",
                    message_id=f"<twee-{width}@x.nl>",
                    attachments=[
                        ("brief-a.pdf", pdf_bytes(tmp_path, f"Brief A {width}"), "application/pdf"),
                        ("brief-b.pdf", pdf_bytes(tmp_path, f"Brief B {width}"), "application/pdf"),
                    ],
                ).as_bytes()
            )
            xml = tmp_path / f"factuur-{width}.xml"
            xml.write_bytes(build_ubl(InvoiceSpec(number=f"2024-{width}")))
            page = _logged_in(browser, base, width)
            page.goto(base + "/upload")
            accepted = page.get_attribute("#files", "accept") or ""
            assert {".xml", ".eml", ".msg", ".docx", ".odt", ".rtf", ".xlsx", ".ods", ".txt"} <= set(
                accepted.split(",")
            )
            page.set_input_files("#files", [str(mail), str(xml)])
            page.click("#upload-button")  # chosen files wait, with their facts shown, until sent
            outcomes = page.locator("#outcomes li.filed a")
            expect(outcomes).to_have_count(3, timeout=60_000)
            expect(page.locator("#outcomes")).to_contain_text(f"bericht-{width}.eml → brief-a.pdf")
            expect(page.locator("#outcomes")).to_contain_text(f"bericht-{width}.eml → brief-b.pdf")
            expect(outcomes.first).to_contain_text("gearchiveerd als #")
            page.screenshot(path=str(SHOTS / f"upload-{width}.png"), full_page=True)
            page.locator("#outcomes li.filed a", has_text="#").last.click()
            expect(page.locator(".facts")).to_contain_text("Twee brieven")
            expect(page.locator(".facts .related")).to_contain_text("Andere documenten uit deze e-mail")
            page.locator(".facts .related a").click()  # to the message's other attachment
            expect(page.locator(".facts")).to_contain_text("brief-a.pdf")
            page.screenshot(path=str(SHOTS / f"mail-attachment-{width}.png"), full_page=True)
            page.close()
        browser.close()


def test_inbox_page_shows_the_mail_accounts_and_the_mail_that_failed(tmp_path: Path):
    """A failing account is an alert on the inbox page; a message set aside shows why and where it went."""
    from playwright.sync_api import expect, sync_playwright

    from storage import intake_repo
    from storage.database import Database

    settings = tmp_path / "config.toml"
    settings.write_text(
        '[[mail.accounts]]\nname = "balie"\nhost = "127.0.0.1"\nport = 1\ntls = "none"\n'
        'user = "balie@delinde.nl"\npassword_env = "NO_SUCH_PASSWORD"\n'
    )
    env = {**ENV, "ARCHIVE_CONFIG": str(settings)}
    home = tmp_path / "home"
    _archive_with_clerk(home, env)
    # What the account's poller records (its own repository calls): twelve filed, then a refused log-in,
    # and one message it could not file.
    db = Database.open(home / "archive.sqlite3")
    try:
        with db.atomic() as conn:
            intake_repo.record_poll(conn, "balie", "2026-03-02T08:00:00+00:00", None, filed=12, failed=1)
            intake_repo.insert_message(
                conn,
                {
                    "message_id": "<k@x.nl>",
                    "account": "balie",
                    "channel": "mail",
                    "sender": "jan@jansen.nl",
                    "subject": "Factuur kapot",
                    "sent_at": "2026-03-02T07:50:00+00:00",
                    "size": 900,
                    "received_at": "2026-03-02T07:59:00+00:00",
                },
            )
            intake_repo.end_message(
                conn, "<k@x.nl>", "failed", [], [], "kapot.pdf: this PDF is damaged.", "2026-03-02T07:59:30+00:00"
            )
            intake_repo.record_poll(
                conn,
                "balie",
                "2026-03-02T08:05:00+00:00",
                "Could not log in to balie: the user name or password is wrong.",
            )
    finally:
        db.close()
    SHOTS.mkdir(parents=True, exist_ok=True)
    with serving(home, env) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        for width in (1366, 390):
            page = _logged_in(browser, base, width)
            page.goto(base + "/inbox")
            account = page.locator(".mail-account")
            expect(account).to_have_attribute("role", "alert")
            expect(account).to_contain_text(
                "balie (balie@delinde.nl) kan sinds 2 maart 2026 09:05 niet worden gelezen."
            )
            expect(account).to_contain_text("Meld dit aan een beheerder.")
            expect(account).to_contain_text("12 berichten gearchiveerd, 1 niet gearchiveerd.")
            failed = page.locator("table.mail-failed")
            expect(failed).to_contain_text("Factuur kapot")
            expect(failed).to_contain_text("Het bericht staat in de map Niet gearchiveerd op de mailserver.")
            assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing wider than the screen
            page.screenshot(path=str(SHOTS / f"inbox-mail-{width}.png"), full_page=True)
            page.close()
        browser.close()
