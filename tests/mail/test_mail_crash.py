"""Fifty messages over Dovecot, filed exactly once through two kill -9 restarts of `archive watch`."""

from __future__ import annotations

import io
import random
import signal
from email.message import EmailMessage

import pytest
from imapclient import IMAPClient
from PIL import Image

from tests.documents import scan_image
from tests.einvoice.ubl import InvoiceSpec, build_ubl
from tests.inbox.conftest import wait_for, watch_process  # noqa: F401  (the fixture)
from tests.mail.messages import build_message, pdf_bytes, png_bytes
from tests.mail.outlook import MsgAttachment, write_msg
from tests.office.documents import docx

PDF = "application/pdf"


def _big_pdf(tmp_path, megabytes: int) -> bytes:
    """A born-digital PDF with a photo-sized image that does not compress: `megabytes` large."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    side = int((megabytes * 2**20 / 3) ** 0.5)
    rng = random.Random(5)
    image = Image.frombytes("RGB", (side, side), bytes(rng.randrange(256) for _ in range(side * side * 3)))
    path = tmp_path / "groot.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.drawString(72, 780, "Bouwtekening verbouwing Lindelaan 4, met foto van de gevel")
    pdf.drawImage(ImageReader(image), 72, 200, width=400, height=400)
    pdf.showPage()
    pdf.save()
    return path.read_bytes()


def _messages(tmp_path) -> tuple[list[EmailMessage], dict[str, int], set[str]]:
    """The 50 messages; documents expected per Message-ID; Message-IDs that must fail."""
    messages, expected, failing = [], {}, set()

    def add(number: int, attachments=(), message_id=None, documents=1, subject=None, fails=False):
        message_id = message_id or f"<m{number}@crash.test>"
        messages.append(
            build_message(subject=subject or f"Bericht {number}", message_id=message_id, attachments=list(attachments))
        )
        if fails:
            failing.add(message_id)
        else:
            expected.setdefault(message_id, documents)

    made: dict[int, bytes] = {}

    def pdf(number: int, text: str = "") -> tuple[str, bytes, str]:
        if number not in made:  # drawn once: the same document sent twice is the same bytes
            made[number] = pdf_bytes(tmp_path, text or f"Brief nummer {number}\nGeachte heer", f"p{number}.pdf")
        return (f"brief-{number}.pdf", made[number], PDF)

    for number in range(30):
        add(number, [pdf(number)])
    for number in (30, 31):
        word = tmp_path / f"offerte-{number}.docx"
        docx(word, [f"Offerte {number}", "Geachte mevrouw,"])
        word_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        add(number, [pdf(number), (word.name, word.read_bytes(), word_type)], documents=2)
    for number in (32, 33):
        scan = io.BytesIO()
        scan_image(f"Kassabon {number}\nTotaal EUR 12,50", dpi=150, seed=number).save(scan, format="PNG")
        add(number, [(f"bon-{number}.png", scan.getvalue(), "image/png")])
    for number in (34, 35, 36):
        add(number, [(f"factuur-{number}.xml", build_ubl(InvoiceSpec(number=f"E-{number}")), "application/xml")])
    inner = build_message(
        subject="Doorgestuurd", message_id="<inner37@crash.test>", attachments=[pdf(137, "Doorgestuurde brief")]
    )
    outer = build_message(subject="Fwd: Doorgestuurd", message_id="<m37@crash.test>")
    outer.add_attachment(inner)
    messages.append(outer)
    expected["<inner37@crash.test>"] = 1
    expected["<m37@crash.test>"] = 0  # its document belongs to the forwarded message
    msg = write_msg(
        tmp_path / "outlook.msg",
        "Outlook",
        "a@b.nl",
        "x",
        "<inner38@crash.test>",
        [MsgAttachment("uit-outlook.pdf", pdf(138, "Uit Outlook")[1], PDF)],
    )
    add(38, [("outlook.msg", msg.read_bytes(), "application/vnd.ms-outlook")], documents=0)
    expected["<inner38@crash.test>"] = 1
    add(39, [("bouwtekening.pdf", _big_pdf(tmp_path, 18), PDF)])
    add(40, [pdf(0)], message_id="<m0@crash.test>", subject="Nogmaals 0")  # the same Message-ID again
    add(41, [pdf(1)], message_id="<m1@crash.test>", subject="Nogmaals 1")
    add(42, [pdf(2)], documents=0)  # new message, the same bytes as message 2: a duplicate document
    add(43, [pdf(3)], documents=0)
    add(44, [("kapot.pdf", b"%PDF-1.4\n" + bytes(300), PDF)], fails=True)
    add(45, fails=True)
    add(46, fails=True)
    for number in (47, 48, 49):
        add(
            number,
            [
                pdf(number),
                ("logo.png", png_bytes(3_000, number), "image/png"),
                ("smime.p7s", b"0" * 800, "application/pkcs7-signature"),
            ],
        )
    assert len(messages) == 50
    return messages, expected, failing


def _folder_count(user, folder) -> int:
    with IMAPClient(user.host, port=user.port, ssl=False, timeout=30) as client:
        client.login(user.user, user.password)
        if not client.folder_exists(folder):
            return 0
        return client.select_folder(folder, readonly=True)[b"EXISTS"]


@pytest.mark.slow  # ~50 messages, LibreOffice and OCR among them, three watcher starts
def test_fifty_messages_exactly_once_through_two_kill_9(watch_process, mail_user, tmp_path):
    messages, expected, failing = _messages(tmp_path)
    with IMAPClient(mail_user.host, port=mail_user.port, ssl=False, timeout=60) as client:
        client.login(mail_user.user, mail_user.password)
        for message in messages:
            client.append("INBOX", message.as_bytes())
    account = (
        f'\n[mail]\npoll_seconds = 1.0\n[[mail.accounts]]\nname = "balie"\nhost = "{mail_user.host}"\n'
        f'port = {mail_user.port}\ntls = "none"\nuser = "{mail_user.user}"\npassword_env = "MAIL_PW"\n'
    )
    watcher = watch_process(extra_settings=account)
    watcher.env["MAIL_PW"] = mail_user.password

    def mail_documents() -> int:
        return watcher.query("SELECT count(*) FROM documents WHERE channel = 'mail' AND state = 'filed'")[0][0]

    for at_least in (8, 24):
        watcher.start()
        wait_for(lambda count=at_least: mail_documents() >= count, 240, f"{at_least} documents from mail")
        watcher.stop(signal.SIGKILL)
    watcher.start()
    wait_for(lambda: _folder_count(mail_user, "INBOX") == 0, 300, "the mailbox to empty")
    assert watcher.stop() == 0
    per_message = dict(
        watcher.query(
            "SELECT mail_message_id, count(*) FROM documents WHERE channel = 'mail'"
            " AND state = 'filed' GROUP BY mail_message_id"
        )
    )
    assert {mid: per_message.get(mid, 0) for mid in expected} == expected
    assert mail_documents() == sum(expected.values()) == 45
    states = dict(watcher.query("SELECT message_id, state FROM mail_messages"))
    assert {mid for mid, state in states.items() if state == "failed"} == failing
    assert watcher.query("SELECT count(*) FROM duplicates")[0][0] == 2  # messages 42 and 43, nothing else
    assert (_folder_count(mail_user, "Gearchiveerd"), _folder_count(mail_user, "Niet gearchiveerd")) == (47, 3)
    assert watcher.cli("verify").returncode == 0
    status = watcher.cli("status", "--json").stdout
    assert '"name": "balie"' in status and '"failing": false' in status
