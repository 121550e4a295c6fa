"""Reading any document the archive takes: its pages' text, a PDF to look at, a thumbnail.

    scan (PDF, image)  ─► ingest.reader (text layer, OCR) ─► + the e-invoice a PDF carries
    e-invoice XML      ─► parse ─► the PDF it embeds, else one drawn from it; its text
    office file, text  ─► LibreOffice PDF ─► ingest.reader on that PDF
    e-mail message     ─► its headers and body as text ─► a PDF drawn from them

The original is never altered; what is made goes to `work_dir`. The PDF is the
document's viewing copy (the searchable PDF of a scan), kept beside the original.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from ingest.einvoice import EInvoice, draw_invoice_pdf, embedded_invoice, invoice_text, parse_einvoice
from ingest.errors import DamagedDocument, IngestError, InvalidEInvoice
from ingest.formats import EINVOICE, EINVOICE_XML, MAIL, MSG_MIME, OFFICE, Format
from ingest.mail import MailMessage, draw_message_pdf, message_text, parse_eml, parse_msg
from ingest.office import OfficeSettings, convert_to_pdf, process_profile
from ingest.pdf import read_pdf_text
from ingest.reader import OcrRunner, PageText, ReadResult, read_document
from ingest.settings import OcrSettings
from ingest.sniff import PDF
from ingest.thumbnail import THUMBNAIL_KIND, make_thumbnail

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Office:
    """Where LibreOffice keeps its profiles (one per process, below this folder), and how it runs."""

    profile_dir: Path
    settings: OfficeSettings = OfficeSettings()


@dataclass(frozen=True)
class Reading:
    """A document read: pages and derivatives, and what its format adds to the facts."""

    result: ReadResult
    einvoice: EInvoice | None = None
    einvoice_problem: str | None = None  # a PDF's embedded e-invoice that could not be read
    message: MailMessage | None = None


def read_any(
    path: Path,
    fmt: Format,
    work_dir: Path,
    settings: OcrSettings,
    ocr: OcrRunner,
    office: Office | None,
    text_layers: tuple[str, ...] | None = None,
) -> Reading:
    """Read a document of any format (see ``ingest.formats``); raise IngestError.

    `text_layers`: a PDF's text layers already read from these bytes (see ``read_document``).
    """
    work_dir.mkdir(parents=True, exist_ok=True)
    if fmt.family == EINVOICE:
        return _read_einvoice(path, work_dir, settings)
    if fmt.family == MAIL:
        return _read_message(path, fmt, work_dir, settings)
    if fmt.family == OFFICE:
        if office is None:
            raise IngestError(
                "office.not_set_up", "Office files cannot be read here: LibreOffice is not set up for this archive."
            )
        return _read_office(path, fmt, work_dir, settings, ocr, office)
    result = read_document(path, work_dir, settings, ocr, text_layers)
    if result.mime_type != PDF:
        return Reading(result)
    try:
        return Reading(result, einvoice=embedded_invoice(path))
    except InvalidEInvoice as exc:
        # The PDF is still a perfectly readable invoice: filed from its text, flagged for a look.
        log.warning("%s carries an e-invoice that cannot be read: %s", path.name, exc)
        return Reading(result, einvoice_problem=str(exc))


def _read_einvoice(path: Path, work_dir: Path, settings: OcrSettings) -> Reading:
    invoice = parse_einvoice(path.read_bytes())
    view = _viewing_copy(invoice, work_dir, settings)
    pages = (PageText(1, invoice_text(invoice), False, None),)
    return Reading(ReadResult(EINVOICE_XML, pages, False, view, _thumbnail(view, work_dir, settings)), einvoice=invoice)


def _viewing_copy(invoice: EInvoice, work_dir: Path, settings: OcrSettings) -> Path:
    """The PDF the invoice brings when it is a readable one, else one drawn from the XML."""
    target = Path(tempfile.mkstemp(prefix="einvoice-", suffix=".pdf", dir=work_dir)[1])
    embedded = invoice.embedded_pdf()
    if embedded is not None:
        target.write_bytes(embedded.data)
        scratch = Path(tempfile.mkdtemp(prefix="check-", dir=work_dir))
        try:
            read_pdf_text(target, scratch, settings)  # refuses what is damaged, encrypted or absurd
            return target
        except IngestError as exc:
            log.info("the PDF inside e-invoice %s is not usable (%s); drawing one", invoice.number, exc)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    return draw_invoice_pdf(invoice, target)


def _read_message(path: Path, fmt: Format, work_dir: Path, settings: OcrSettings) -> Reading:
    message = parse_msg(path) if fmt.mime_type == MSG_MIME else parse_eml(path.read_bytes())
    view = draw_message_pdf(message, Path(tempfile.mkstemp(prefix="mail-", suffix=".pdf", dir=work_dir)[1]))
    pages = (PageText(1, message_text(message), False, None),)
    return Reading(ReadResult(fmt.mime_type, pages, False, view, _thumbnail(view, work_dir, settings)), message=message)


def _read_office(
    path: Path, fmt: Format, work_dir: Path, settings: OcrSettings, ocr: OcrRunner, office: Office
) -> Reading:
    pdf = convert_to_pdf(path, fmt.office_kind or "", work_dir, process_profile(office.profile_dir), office.settings)
    try:
        result = read_document(pdf, work_dir, settings, ocr)
    except IngestError as exc:
        pdf.unlink(missing_ok=True)
        raise DamagedDocument(
            "office.pdf_unreadable", "The PDF made of this office file cannot be read; save it as PDF and file that."
        ) from exc
    # A Word file holding scanned pages gets those pages OCR'd: that rendition is the better copy.
    view = result.searchable_pdf or pdf
    if view != pdf:
        pdf.unlink(missing_ok=True)
    return Reading(replace(result, mime_type=fmt.mime_type, searchable_pdf=view))


def _thumbnail(pdf: Path, work_dir: Path, settings: OcrSettings) -> Path:
    target = Path(tempfile.mkstemp(prefix="thumb-", suffix=f".{THUMBNAIL_KIND}", dir=work_dir)[1])
    return make_thumbnail(pdf, PDF, settings.max_image_pixels, target)
