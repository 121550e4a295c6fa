"""Outlook ``.msg`` files (an OLE compound file of MAPI properties), read with extract-msg."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from ingest.containers import MSG_MIME
from ingest.errors import DamagedDocument
from ingest.mail.message import (
    MailMessage,
    MailPart,
    html_to_text,
    normalise_message_id,
    safe_filename,
    synthetic_message_id,
)

log = logging.getLogger(__name__)


def parse_msg(path: Path) -> MailMessage:
    """Return the message in an Outlook .msg file; raise DamagedDocument when it cannot be read."""
    # Imported here: extract-msg takes a quarter of a second to import, and every reading
    # process would pay it on its start while few documents are Outlook messages.
    import extract_msg
    from extract_msg.exceptions import ExMsgBaseException

    try:
        message = extract_msg.openMsg(str(path), delayAttachments=False)
    except (ExMsgBaseException, OSError, ValueError, KeyError, IndexError, TypeError, NotImplementedError) as exc:
        log.warning("extract-msg could not open %s: %r", path.name, exc)
        raise DamagedDocument("mail.msg_damaged", "This Outlook message (.msg) is damaged and cannot be read.") from exc
    try:
        return _message(message, path)
    except (ExMsgBaseException, ValueError, KeyError, IndexError, TypeError, UnicodeError) as exc:
        log.warning("extract-msg could not read %s: %r", path.name, exc)
        raise DamagedDocument("mail.msg_damaged", "This Outlook message (.msg) is damaged and cannot be read.") from exc
    finally:
        message.close()


def _message(message, path: Path) -> MailMessage:
    html = _html(message)
    text = message.body or (html_to_text(html) if html else "")
    sender = " ".join((message.sender or "").split())
    return MailMessage(
        message_id=normalise_message_id(message.messageId or "") or synthetic_message_id(path.read_bytes()),
        sender=sender,
        sender_address=_address(sender),
        subject=" ".join((message.subject or "").split()),
        date=message.date if isinstance(message.date, datetime) else None,
        text=text.replace("\r\n", "\n"),
        html=html,
        parts=tuple(_parts(message)),
    )


def _parts(message) -> list[MailPart]:
    from extract_msg.msg_classes import MSGFile

    parts = []
    for index, attachment in enumerate(message.attachments, start=1):
        data = attachment.data
        if isinstance(data, MSGFile):  # a message attached to this one
            name = safe_filename(f"{getattr(data, 'subject', None) or 'bijlage'}.msg", MSG_MIME, index)
            parts.append(MailPart(name, MSG_MIME, data.exportBytes()))
            continue
        if not isinstance(data, bytes):  # a link to a file elsewhere, or an OLE object without bytes
            continue
        content_type = (attachment.mimetype or "application/octet-stream").lower()
        name = safe_filename(attachment.longFilename or attachment.shortFilename, content_type, index)
        parts.append(
            MailPart(
                name,
                content_type,
                data,
                inline=bool(getattr(attachment, "hidden", False)),
                content_id=attachment.cid or None,
            )
        )
    return parts


def _html(message) -> str | None:
    body = message.htmlBody
    if not body:
        return None
    return body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)


def _address(sender: str) -> str | None:
    if "<" in sender and ">" in sender:
        return sender[sender.rindex("<") + 1 : sender.rindex(">")].strip().lower() or None
    return sender.lower() if "@" in sender else None
