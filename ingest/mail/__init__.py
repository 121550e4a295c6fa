"""E-mail: messages from IMAP or dropped as .eml/.msg files, and which of their parts are documents.

IMAP (Mailbox) ─► raw bytes ─► parse_eml ─┐
.eml file ────────────────────► parse_eml ─┼─► MailMessage ─► select_documents ─► parts to file
.msg file ────────────────────► parse_msg ─┘                 └► message_text / draw_message_pdf (the body)
"""

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ingest.mail.imap import MARK_READ, MOVE, Mailbox, MailboxSettings, Waiting
    from ingest.mail.message import MailMessage, MailPart, parse_eml, synthetic_message_id
    from ingest.mail.outlook import MSG_MIME, parse_msg
    from ingest.mail.render import draw_message_pdf, message_text
    from ingest.mail.select import Selection, SelectionRules, select_documents

# Each public name's module, imported when the name is first used: importing one light
# module of the package (its settings, say) does not pull in all the others.
_WHERE = {
    "MARK_READ": "ingest.mail.imap",
    "MOVE": "ingest.mail.imap",
    "Mailbox": "ingest.mail.imap",
    "MailboxSettings": "ingest.mail.imap",
    "Waiting": "ingest.mail.imap",
    "MailMessage": "ingest.mail.message",
    "MailPart": "ingest.mail.message",
    "parse_eml": "ingest.mail.message",
    "synthetic_message_id": "ingest.mail.message",
    "MSG_MIME": "ingest.mail.outlook",
    "parse_msg": "ingest.mail.outlook",
    "draw_message_pdf": "ingest.mail.render",
    "message_text": "ingest.mail.render",
    "Selection": "ingest.mail.select",
    "SelectionRules": "ingest.mail.select",
    "select_documents": "ingest.mail.select",
}


def __getattr__(name: str) -> object:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


__all__ = [
    "MARK_READ",
    "MOVE",
    "MSG_MIME",
    "MailMessage",
    "MailPart",
    "Mailbox",
    "MailboxSettings",
    "Selection",
    "SelectionRules",
    "Waiting",
    "draw_message_pdf",
    "message_text",
    "parse_eml",
    "parse_msg",
    "select_documents",
    "synthetic_message_id",
]
