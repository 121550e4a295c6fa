"""Every kind of file the archive takes in, told by its bytes: scans, e-invoices, mail, office files.

    PDF, PNG, JPEG, TIFF, WebP, BMP   scans and born-digital PDFs (ingest.sniff)
    UBL / CII XML                     e-invoices (root element decides)
    RFC 5322 message, Outlook .msg    e-mail
    docx xlsx odt ods doc xls rtf     office files (LibreOffice)
    plain text                        text files (LibreOffice draws the viewing copy)

Anything else is refused with a sentence saying what it seems to be.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ingest.containers import ENCRYPTED_OOXML, MSG, MSG_MIME, container_kind
from ingest.einvoice import root_syntax
from ingest.errors import EmptyDocument, Phrase
from ingest.office import MIME_TYPES as OFFICE_MIME_TYPES
from ingest.office import RTF, TXT, office_kind
from ingest.sniff import IMAGE_TYPES, PDF, describe_unsupported, detect_accepted, looks_like_text, unsupported

SCAN = "scan"  # PDF or image: read by ingest.reader
EINVOICE = "einvoice"
MAIL = "mail"
OFFICE = "office"

EINVOICE_XML = "application/xml"
EML = "message/rfc822"
TEXT = OFFICE_MIME_TYPES[TXT]

_HEAD_BYTES = 8192
_ACCEPTS = Phrase(
    "format.accepts_all",
    "the archive accepts PDF and image scans, e-invoices (UBL, Factur-X), "
    "e-mail (.eml, .msg), office files (Word, Excel, OpenDocument, RTF) and plain text",
)
_HEADER_LINE = re.compile(rb"^[!-9;-~]+:[ \t]", re.MULTILINE)  # "Name: value", RFC 5322 field names
_MAIL_FIELDS = (
    b"from",
    b"date",
    b"subject",
    b"message-id",
    b"received",
    b"return-path",
    b"mime-version",
    b"to",
    b"delivered-to",
)


@dataclass(frozen=True)
class Format:
    """What a file is: its MIME type, the family that reads it, and the office kind if any."""

    mime_type: str
    family: str  # SCAN | EINVOICE | MAIL | OFFICE
    office_kind: str | None = None  # DOCX, XLSX, … , RTF, TXT for OFFICE

    @property
    def is_scan(self) -> bool:
        return self.family == SCAN


def detect_format(path: Path) -> Format:
    """Return what a file is by its bytes; raise EmptyDocument or UnsupportedFormat."""
    with open(path, "rb") as handle:
        head = handle.read(_HEAD_BYTES)
    if not head:
        raise EmptyDocument("file.empty", "This file is empty (0 bytes); it may not have finished copying.")
    scan = detect_accepted(head[:2048])
    if scan is not None:
        return Format(scan, SCAN)
    kind = office_kind(path, head)
    if kind == ENCRYPTED_OOXML:
        return Format(OFFICE_MIME_TYPES["docx"], OFFICE, ENCRYPTED_OOXML)
    if kind is not None:
        return Format(OFFICE_MIME_TYPES[kind], OFFICE, kind)
    if container_kind(path, head) == MSG:
        return Format(MSG_MIME, MAIL)
    if _looks_like_xml(head) and _einvoice_root(path):
        return Format(EINVOICE_XML, EINVOICE)
    if looks_like_mail(head):
        return Format(EML, MAIL)
    if _is_plain_text(head):
        return Format(TEXT, OFFICE, TXT)
    raise unsupported(_describe(head, path), _ACCEPTS)


def looks_like_mail(head: bytes) -> bool:
    """True when the bytes start with an e-mail header block naming at least two mail fields (pure)."""
    text = head.lstrip(b"\r\n")
    if text.startswith(b"From "):  # one message saved from an mbox
        text = text.split(b"\n", 1)[-1]
    block = re.split(rb"\r?\n\r?\n", text, maxsplit=1)[0]
    lines = block.splitlines()
    if not lines or not _HEADER_LINE.match(lines[0]):
        return False
    names = {line.split(b":", 1)[0].strip().lower() for line in lines if _HEADER_LINE.match(line)}
    return len(names & set(_MAIL_FIELDS)) >= 2


def _looks_like_xml(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _einvoice_root(path: Path) -> bool:
    """True when the XML's root element is a UBL invoice or credit note, or a CII invoice."""
    try:
        for _event, element in etree.iterparse(
            str(path), events=("start",), resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
        ):
            return root_syntax(element.tag) is not None
    except (etree.XMLSyntaxError, OSError):
        return False
    return False


def _is_plain_text(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True  # UTF-16 with its byte-order mark
    text = head.decode("utf-8", errors="replace")
    if not looks_like_text(text) and not looks_like_text(head.decode("cp1252", errors="replace")):
        return False
    lowered = text.lstrip("\ufeff \t\r\n").lower()
    return not lowered.startswith(("<", "{\\rtf", "%!ps"))


def _describe(head: bytes, path: Path) -> Phrase:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if _looks_like_xml(head) and not start.startswith((b"<!doctype html", b"<html")):
        return Phrase("format.xml_not_einvoice", "an XML file but not an e-invoice (UBL 2.1 or Factur-X)")
    return describe_unsupported(head[:2048], path)


__all__ = [
    "EINVOICE",
    "EINVOICE_XML",
    "EML",
    "IMAGE_TYPES",
    "MAIL",
    "MSG_MIME",
    "OFFICE",
    "PDF",
    "RTF",
    "SCAN",
    "TEXT",
    "Format",
    "detect_format",
    "looks_like_mail",
]
