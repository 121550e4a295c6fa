"""Which parts of a message are documents: not the sender's logo, not the signature.

Pure. Images smaller than a page (in pixels, or a few kilobytes) are letterheads,
social-media icons and tracking pixels — a sparse scan compresses to very few bytes,
so bytes alone would drop it; an inline image the body points at (``cid:``) is part of
the message's layout unless it is large (a photographed receipt pasted into the mail). Signatures, contact cards,
calendar invitations and Outlook's winmail.dat are not documents. What is left is
handed to the archive, which tells by the bytes whether it can file it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image

from ingest.mail.message import MailMessage, MailPart

SMALL_IMAGE = "small_image"
INLINE_IMAGE = "inline_image"
NOT_A_DOCUMENT = "not_a_document"
EMPTY = "empty"

_NOT_DOCUMENTS = frozenset(
    {
        "application/pkcs7-signature",
        "application/x-pkcs7-signature",
        "application/pgp-signature",
        "application/pgp-keys",
        "application/pgp-encrypted",
        "text/vcard",
        "text/x-vcard",
        "text/directory",
        "text/calendar",
        "application/ics",
        "application/ms-tnef",
        "application/vnd.ms-tnef",
    }
)
_NOT_DOCUMENT_SUFFIXES = (".p7s", ".asc", ".sig", ".vcf", ".ics", "winmail.dat")


@dataclass(frozen=True)
class SelectionRules:
    """The sizes that tell a document image from a decoration."""

    min_image_bytes: int = 5_000
    min_image_pixels: int = 250_000  # about 500 x 500: a logo or an icon is smaller, a page far larger
    inline_image_max_bytes: int = 200_000


@dataclass(frozen=True)
class Selection:
    """The parts to file, and the ones left out with the reason why."""

    documents: tuple[MailPart, ...]
    skipped: tuple[tuple[MailPart, str], ...]


def select_documents(message: MailMessage, rules: SelectionRules = SelectionRules()) -> Selection:
    """Return which of a message's parts are documents (pure)."""
    documents: list[MailPart] = []
    skipped: list[tuple[MailPart, str]] = []
    html = (message.html or "").lower()
    for part in message.parts:
        reason = skip_reason(part, html, rules)
        if reason is None:
            documents.append(part)
        else:
            skipped.append((part, reason))
    return Selection(tuple(documents), tuple(skipped))


def skip_reason(part: MailPart, html: str, rules: SelectionRules) -> str | None:
    """Why a part is not a document, or None when it may be one (pure)."""
    if not part.data:
        return EMPTY
    name = part.filename.lower()
    if part.content_type in _NOT_DOCUMENTS or name.endswith(_NOT_DOCUMENT_SUFFIXES):
        return NOT_A_DOCUMENT
    if not part.content_type.startswith("image/") and not _image_name(name):
        return None
    if part.size < rules.min_image_bytes or _pixels(part.data) < rules.min_image_pixels:
        return SMALL_IMAGE
    referenced = part.content_id is not None and f"cid:{part.content_id.lower()}" in html
    if (part.inline or referenced) and part.size < rules.inline_image_max_bytes:
        return INLINE_IMAGE
    return None


def _pixels(data: bytes) -> float:
    """The image's pixel count from its header; unreadable ones count as large (the archive judges them)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
    except (OSError, ValueError, Image.DecompressionBombError):
        return float("inf")
    return width * height


def _image_name(name: str) -> bool:
    return name.endswith((".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".tif", ".tiff"))
