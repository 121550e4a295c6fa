"""What is inside a ZIP or an OLE compound file: which office format, or an Outlook message.

Word, Excel and OpenDocument files are ZIP archives; old Office files, Outlook
``.msg`` messages and *encrypted* new-style Office files are OLE compound files. Only
their inner names tell them apart; the extension is never trusted.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import olefile

DOCX = "docx"
XLSX = "xlsx"
PPTX = "pptx"
ODT = "odt"
ODS = "ods"
ODP = "odp"
DOC = "doc"
XLS = "xls"
PPT = "ppt"
MSG = "msg"
ENCRYPTED_OOXML = "encrypted-ooxml"  # a Word/Excel file saved with a password
MSG_MIME = "application/vnd.ms-outlook"  # the MIME type of an Outlook message

ZIP_MAGIC = b"PK\x03\x04"
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_OOXML_PARTS = (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX))
_ODF_TYPES = {
    "application/vnd.oasis.opendocument.text": ODT,
    "application/vnd.oasis.opendocument.spreadsheet": ODS,
    "application/vnd.oasis.opendocument.presentation": ODP,
}
# Streams that name an OLE file's application (the first one found decides).
_CFB_STREAMS = (
    ("EncryptedPackage", ENCRYPTED_OOXML),
    ("WordDocument", DOC),
    ("Workbook", XLS),
    ("Book", XLS),
    ("PowerPoint Document", PPT),
    ("__properties_version1.0", MSG),
)


def container_kind(path: Path, head: bytes) -> str | None:
    """Return the office or mail format inside a ZIP/OLE file, or None for anything else."""
    if head.startswith(ZIP_MAGIC):
        return zip_kind(path)
    if head.startswith(CFB_MAGIC):
        return cfb_kind(path)
    return None


def zip_kind(path: Path) -> str | None:
    """Return DOCX/XLSX/PPTX/ODT/ODS/ODP for an Office ZIP, None for a plain or broken ZIP."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                return _ODF_TYPES.get(archive.read("mimetype")[:100].decode("ascii", "replace").strip())
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError):
        return None
    for prefix, kind in _OOXML_PARTS:
        if "[Content_Types].xml" in names and any(name.startswith(prefix) for name in names):
            return kind
    return None


def cfb_kind(path: Path) -> str | None:
    """Return DOC/XLS/PPT/MSG/ENCRYPTED_OOXML for an OLE compound file, None when unknown or broken."""
    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(entry) for entry in ole.listdir(streams=True, storages=True)}
    except (OSError, ValueError, IndexError, TypeError):
        return None
    top = {name.split("/")[0] for name in streams}
    for stream, kind in _CFB_STREAMS:
        if stream in top:
            return kind
    if any(name.startswith("__substg1.0_") for name in top):
        return MSG
    return None
