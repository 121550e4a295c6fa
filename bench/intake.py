"""Benchmark of what enters besides single files, each against its raw baseline in the same run.

    .venv/bin/python bench/intake.py            # a 40-page stack, 100 messages, 200 e-invoices
    .venv/bin/python bench/intake.py --quick    # a 12-page stack, 20 messages, 40 e-invoices

(a) Pages per minute of a scanned stack (200 dpi, skew and speckle, JPEG like a
    copier makes it, separator sheets between its documents) filed by `archive ingest`
    (classify every page, cut the parts, OCR, extract, file, index) vs the raw
    `tesseract IMG OUT txt pdf` on the same page images, as many processes as the
    archive has OCR workers (OMP_THREAD_LIMIT=1). Target >= 0.85x. The raw tools run
    before and after the archive; their mean is the baseline.
(b) Messages per second from IMAP (a real Dovecot on loopback, each message with a
    one-page PDF attachment) filed by the archive's poller vs fetching the same
    messages with imapclient and parsing them with the email package.
(c) E-invoices (UBL 2.1) per second filed by `archive ingest` vs parsing and checking
    them against the UBL 2.1 schema with lxml alone.

`archive ingest` is timed in this process (the command's own `_ingest_all`), so
Python's start-up, paid once per command, is not counted per document.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.access.actors import SYSTEM  # noqa: E402
from archive.config import load_config  # noqa: E402
from archive.intake.mailboxes import AccountPoller, mailbox_settings  # noqa: E402
from archive.service import Archive  # noqa: E402
from bench.ingest import raw_tesseract, scanned_page, through_archive_ingest  # noqa: E402
from ingest.mail import Mailbox  # noqa: E402
from ingest.settings import MailAccountSettings, MailSettings  # noqa: E402
from ingest.stacks import Separator, write_separator_sheets  # noqa: E402

DPI = 200


def make_stack(folder: Path, documents: int, pages_per_document: int) -> tuple[Path, list[Path]]:
    """Write a scanned stack (one image PDF) and its page images; return both."""
    import img2pdf

    folder.mkdir(parents=True, exist_ok=True)
    sheet = _printed_sheet(folder)
    images: list[Path] = []
    number = 0
    for document in range(documents):
        pages = ([_scanned(sheet, 7000 + document)] if document else []) + [
            scanned_page(document * 100 + page, DPI) for page in range(pages_per_document)
        ]
        for page in pages:
            number += 1
            path = folder / f"page-{number:03d}.jpg"
            page.save(path, quality=75, dpi=(DPI, DPI))
            images.append(path)
    stack = folder / "stapel.pdf"
    stack.write_bytes(img2pdf.convert([str(path) for path in images]))
    return stack, images


def _printed_sheet(folder: Path) -> Image.Image:
    pdf = write_separator_sheets(folder / "sheet.pdf", [Separator()])
    document = pdfium.PdfDocument(pdf)
    try:
        return document[0].render(scale=DPI / 72, grayscale=True).to_pil().convert("L")
    finally:
        document.close()


def _scanned(sheet: Image.Image, seed: int) -> Image.Image:
    page = sheet.rotate(1.2 if seed % 2 else -0.8, resample=Image.BILINEAR, fillcolor=245)
    return page.point(lambda v: 30 + v * 0.85).filter(ImageFilter.GaussianBlur(0.5))


def bench_stack(work: Path, documents: int, pages_per_document: int, workers: int) -> dict:
    stack, images = make_stack(work / "stack", documents, pages_per_document)
    raw_before = raw_tesseract(images, work / "raw-1", workers, "nld+eng")
    ours = through_archive_ingest([stack], work / "home-stack", workers)
    raw_after = raw_tesseract(images, work / "raw-2", workers, "nld+eng")
    raw = (raw_before + raw_after) / 2
    pages = len(images)
    return {"pages": pages, "ours": pages / ours * 60, "raw": pages / raw * 60}


def bench_mail(work: Path, messages: int) -> dict:
    from imapclient import IMAPClient

    from tests.dovecot import Dovecot
    from tests.mail.messages import build_message, pdf_bytes

    server = Dovecot().start()
    try:
        user = server.add_user()
        raw_messages = [
            build_message(
                subject=f"Factuur {n}",
                attachments=[
                    (
                        "factuur.pdf",
                        pdf_bytes(work, f"FACTUUR {n}\nTotaal te betalen EUR {n},00", f"f{n}.pdf"),
                        "application/pdf",
                    )
                ],
            ).as_bytes()
            for n in range(messages)
        ]
        with IMAPClient(user.host, port=user.port, ssl=False, timeout=30) as client:
            client.login(user.user, user.password)
            for raw in raw_messages:
                client.append("INBOX", raw)
        raw_seconds = _raw_imap(user)
        os.environ["BENCH_MAIL_PW"] = user.password
        account = MailAccountSettings(
            name="bench", host=user.host, port=user.port, tls="none", user=user.user, password_env="BENCH_MAIL_PW"
        )
        config = load_config(home=work / "home-mail")
        archive = Archive.open(replace(config, mail=MailSettings(accounts=[account])), create=True)
        try:
            box = Mailbox(mailbox_settings(account, archive.config.home, 30))
            box.open()
            started = time.perf_counter()
            filed, failed = AccountPoller(
                archive.core, archive.intake.messages, account, SYSTEM, threading.Event()
            ).poll(box)
            ours = time.perf_counter() - started
            box.close()
        finally:
            archive.close()
        if failed or filed != messages:
            raise SystemExit(f"mail: {filed} filed, {failed} failed of {messages}")
    finally:
        server.stop()
    return {"messages": messages, "ours": messages / ours, "raw": messages / raw_seconds}


def _raw_imap(user) -> float:
    """Seconds to fetch every message (without marking it read) and parse it with the email package."""
    from email import policy
    from email.parser import BytesParser

    from imapclient import IMAPClient

    parser = BytesParser(policy=policy.default)
    started = time.perf_counter()
    with IMAPClient(user.host, port=user.port, ssl=False, timeout=30) as client:
        client.login(user.user, user.password)
        client.select_folder("INBOX", readonly=True)
        for uid in client.search("ALL"):
            raw = client.fetch([uid], ["BODY.PEEK[]"])[uid][b"BODY[]"]
            list(parser.parsebytes(raw).iter_attachments())
    return time.perf_counter() - started


def bench_einvoices(work: Path, count: int, workers: int) -> dict:
    from lxml import etree

    from ingest.einvoice.schema import SCHEMA_DIR
    from tests.einvoice.ubl import InvoiceSpec, LineSpec, build_ubl

    folder = work / "einvoices"
    folder.mkdir(parents=True)
    paths = []
    for n in range(count):
        lines = tuple(
            LineSpec(
                f"Artikel {n}-{i}",
                f"Omschrijving {i}",
                Decimal(1 + i),
                Decimal("12.50"),
                Decimal("21" if i % 2 else "9"),
            )
            for i in range(1 + n % 6)
        )
        path = folder / f"factuur-{n:04d}.xml"
        path.write_bytes(build_ubl(InvoiceSpec(number=f"2024-{n:05d}", lines=lines)))
        paths.append(path)
    schema = etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "maindoc" / "UBL-Invoice-2.1.xsd")))
    started = time.perf_counter()
    for path in paths:
        if not schema.validate(etree.parse(str(path))):
            raise SystemExit(f"{path.name} is not valid UBL")
    raw = time.perf_counter() - started
    ours = through_archive_ingest(paths, work / "home-einvoices", workers)
    return {"invoices": count, "ours": count / ours, "raw": count / raw}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short run")
    args = parser.parse_args()
    documents, per_document, messages, invoices = (4, 2, 20, 40) if args.quick else (10, 3, 100, 200)
    workers = os.cpu_count() or 1
    work = Path(tempfile.mkdtemp(prefix="bench-intake-"))
    try:
        stack = bench_stack(work, documents, per_document, workers)
        mail = bench_mail(work, messages)
        einvoices = bench_einvoices(work, invoices, workers)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{'measure':46} {'archive':>10} {'raw':>10} {'ratio':>7}  target")
    print(
        f"{'stack pages/min (' + str(stack['pages']) + ' pages, 200 dpi, vs tesseract)':46} "
        f"{stack['ours']:10.1f} {stack['raw']:10.1f} {stack['ours'] / stack['raw']:7.2f}  >= 0.85"
    )
    print(
        f"{'IMAP messages/s (' + str(mail['messages']) + ', vs fetch + parse)':46} "
        f"{mail['ours']:10.1f} {mail['raw']:10.1f} {mail['ours'] / mail['raw']:7.2f}  (shown)"
    )
    print(
        f"{'e-invoices/s (' + str(einvoices['invoices']) + ' UBL, vs lxml + XSD)':46} "
        f"{einvoices['ours']:10.1f} {einvoices['raw']:10.1f} {einvoices['ours'] / einvoices['raw']:7.2f}  (shown)"
    )


if __name__ == "__main__":
    main()
