"""An e-mail message as the archive needs it: who, what, when, its body and its parts.

Parsed with the standard library's ``email`` package (modern policy: RFC 2047/2231
names decoded). A forwarded message stays one part of its own (``message/rfc822``),
to be read like any ``.eml`` file.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser
from typing import cast

from ingest.errors import DamagedDocument

_PARSER = BytesParser(policy=policy.default)
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")
_MAX_NAME = 150
_BLOCKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote"}


@dataclass(frozen=True)
class MailPart:
    """One part of a message that is not its body: an attachment, an inline image, a signature."""

    filename: str
    content_type: str
    data: bytes
    inline: bool = False
    content_id: str | None = None

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(frozen=True)
class MailMessage:
    """What one message says."""

    message_id: str  # as in its header, <…>; made from the bytes when it has none
    sender: str  # as shown: "Jan Jansen <jan@jansen.nl>"
    sender_address: str | None
    subject: str
    date: datetime | None
    text: str  # the body as plain text
    html: str | None
    parts: tuple[MailPart, ...]


def parse_eml(raw: bytes) -> MailMessage:
    """Return the message in RFC 5322 bytes; raise DamagedDocument when they are no e-mail."""
    message = _PARSER.parsebytes(raw)
    if not any(message.get(name) for name in ("From", "Message-ID", "Subject", "Date")):
        raise DamagedDocument(
            "mail.not_a_message", "This is not an e-mail message (it has no From, Subject or Message-ID)."
        )
    leaves: list[EmailMessage] = []
    forwarded: list[MailPart] = []
    _collect(message, leaves, forwarded)
    bodies = [leaf for leaf in leaves if _is_body(leaf)]
    # A mailing list or a virus scanner may add its footer as a second plain part.
    plains = [_text_of(leaf) for leaf in bodies if leaf.get_content_type() == "text/plain"]
    plain = "\n".join(plains) if plains else None
    html = next((_text_of(leaf) for leaf in bodies if leaf.get_content_type() == "text/html"), None)
    others = [leaf for leaf in leaves if leaf not in bodies]
    parts = [_part(leaf, index) for index, leaf in enumerate(others, 1)] + forwarded
    sender, address = _sender(message)
    return MailMessage(
        message_id=normalise_message_id(_header(message, "Message-ID")) or synthetic_message_id(raw),
        sender=sender,
        sender_address=address,
        subject=_header(message, "Subject"),
        date=_date(_header(message, "Date")),
        text=plain if plain is not None else html_to_text(html or ""),
        html=html,
        parts=tuple(parts),
    )


def normalise_message_id(value: str) -> str | None:
    """Return a Message-ID as compared: one <…> token without spaces, else None (pure)."""
    value = "".join(value.split())
    if not value:
        return None
    match = re.search(r"<[^<>]+>", value)
    return match.group(0) if match else f"<{value.strip('<>')}>"


def synthetic_message_id(raw: bytes) -> str:
    """A stable Message-ID for a message without one: the same bytes always give the same id."""
    return f"<sha256-{hashlib.sha256(raw).hexdigest()[:40]}@no-message-id>"


def safe_filename(name: str | None, content_type: str, index: int) -> str:
    """Return an attachment's name fit for showing and storing: no path, no control characters (pure)."""
    cleaned = _UNSAFE_NAME.sub("_", (name or "").replace("\\", "/").rsplit("/", 1)[-1]).strip(" ._")
    if not cleaned:
        extension = mimetypes.guess_extension(content_type) or ".bin"
        cleaned = f"bijlage-{index}{extension}"
    if len(cleaned) > _MAX_NAME:
        stem, dot, extension = cleaned.rpartition(".")
        cleaned = (
            (stem[: _MAX_NAME - len(extension) - 1] + dot + extension)
            if dot and len(extension) < 10
            else cleaned[:_MAX_NAME]
        )
    return cleaned


def html_to_text(html: str) -> str:
    """Return the readable text of an HTML body: no tags, scripts or styles (pure)."""
    reader = _HtmlText()
    reader.feed(html)
    reader.close()
    lines = [" ".join(line.split()) for line in "".join(reader.pieces).splitlines()]
    return "\n".join(line for line in lines if line)


def _collect(part: EmailMessage, leaves: list[EmailMessage], forwarded: list[MailPart]) -> None:
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload(0) if isinstance(part.get_payload(), list) else None
        if isinstance(inner, EmailMessage):  # parsed with policy.default: every part is one
            data = inner.as_bytes(policy=policy.default)
            name = safe_filename(
                part.get_filename() or f"{_header(inner, 'Subject') or 'doorgestuurd'}.eml",
                "message/rfc822",
                len(forwarded) + 1,
            )
            forwarded.append(MailPart(name if name.lower().endswith(".eml") else f"{name}.eml", "message/rfc822", data))
        return
    if part.is_multipart():
        for sub in part.iter_parts():
            _collect(cast(EmailMessage, sub), leaves, forwarded)  # policy.default makes EmailMessages
        return
    leaves.append(part)


def _is_body(leaf: EmailMessage) -> bool:
    return (
        leaf.get_content_type() in ("text/plain", "text/html")
        and leaf.get_filename() is None
        and leaf.get_content_disposition() != "attachment"
    )


def _part(leaf: EmailMessage, index: int) -> MailPart:
    content_type = leaf.get_content_type()
    content_id = _header(leaf, "Content-ID").strip("<> ") or None
    inline = leaf.get_content_disposition() == "inline" or (content_id is not None and leaf.get_filename() is None)
    return MailPart(
        safe_filename(leaf.get_filename(), content_type, index), content_type, _bytes_of(leaf), inline, content_id
    )


def _bytes_of(leaf: EmailMessage) -> bytes:
    try:
        data = leaf.get_payload(decode=True)
    except (ValueError, LookupError):  # a broken transfer encoding: what is left is kept
        data = None
    if isinstance(data, bytes):
        return data
    payload = leaf.get_payload()
    return payload.encode("utf-8", "replace") if isinstance(payload, str) else b""


def _text_of(leaf: EmailMessage) -> str:
    charset = leaf.get_content_charset() or "utf-8"
    data = _bytes_of(leaf)
    try:
        return data.decode(charset, errors="replace")
    except LookupError:  # an unknown charset name
        return data.decode("utf-8", errors="replace")


def _header(message: EmailMessage, name: str) -> str:
    try:
        value = message.get(name)
    except (ValueError, IndexError, TypeError):  # a header the parser cannot make sense of
        value = message.get_all(name, failobj=[""])[0] if hasattr(message, "get_all") else ""
    return " ".join(str(value or "").split())


def _sender(message: EmailMessage) -> tuple[str, str | None]:
    shown = _header(message, "From")
    addresses = [address for _name, address in getaddresses([shown]) if "@" in address]
    return shown, (addresses[0].lower() if addresses else None)


def _date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None


class _HtmlText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("script", "style", "head"):
            self._skip += 1
        elif tag in _BLOCKS:
            self.pieces.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCKS:
            self.pieces.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.pieces.append(data)
