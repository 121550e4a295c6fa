"""Why a file could not be read; every message is one sentence a clerk understands.

IngestError
 ├── EmptyDocument       zero bytes / no content
 ├── UnsupportedFormat   not PDF/PNG/JPEG/TIFF/WebP/BMP by its bytes
 ├── DamagedDocument     truncated / corrupt / unreadable
 ├── EncryptedDocument   password protected
 ├── DocumentTooLarge    decompression bomb, absurd page count or page size
 ├── OcrFailed           Tesseract failed or timed out
 ├── InvalidEInvoice     an e-invoice XML that breaks its schema or lacks its facts
 ├── RefusedOfficeFile   an office file with macros
 └── MailboxError        an IMAP account that cannot be reached or read
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


class IngestError(Exception):
    """A file could not be read; str(e) is one sentence for a clerk.

    Like every error a person may read, it carries a stable ``code``, an English
    ``template`` with ``{named}`` blanks and their ``values``, so that the archive can
    word it in the office's language; str() is the English sentence.
    """

    def __init__(self, code: str, template: str | None = None, /, **values: object) -> None:
        if template is None:  # an older call with only a sentence: no code, nothing to fill in
            code, template, values = "", code, {}
        self.code = code
        self.template = template
        self.values = values
        super().__init__(template.format(**values) if values else template)


@dataclass(frozen=True)
class Phrase:
    """A part of a sentence, worded in each language as a whole sentence is: "a Word document (.docx)".

    Given as an error's value, it keeps the error one template while what it names varies;
    each language words the phrase with its own article and case. str() is the English.
    """

    code: str
    template: str
    values: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.template.format(**self.values) if self.values else self.template


class EmptyDocument(IngestError):
    """The file has no bytes or no content."""


class UnsupportedFormat(IngestError):
    """The file's bytes are not a PDF or an image scan the archive accepts."""


class DamagedDocument(IngestError):
    """The file is truncated, corrupt or otherwise unreadable."""


class EncryptedDocument(IngestError):
    """The file is protected with a password."""


class DocumentTooLarge(IngestError):
    """The file is too large to read safely (pixels, pages or page size)."""


class OcrFailed(IngestError):
    """Tesseract failed or took too long on a page."""


class InvalidEInvoice(IngestError):
    """An e-invoice whose XML breaks its schema or lacks what every invoice has."""


class RefusedOfficeFile(IngestError):
    """An office file the archive will not open: it carries macros."""


class MailboxError(IngestError):
    """An IMAP mailbox could not be reached, logged in to or read."""
