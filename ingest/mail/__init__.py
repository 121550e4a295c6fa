"""E-mail: messages from IMAP or dropped as .eml/.msg files, and which of their parts are documents.

IMAP (Mailbox) ─► raw bytes ─► parse_eml ─┐
.eml file ────────────────────► parse_eml ─┼─► MailMessage ─► select_documents ─► parts to file
.msg file ────────────────────► parse_msg ─┘                 └► message_text / draw_message_pdf (the body)
"""

from ingest.mail.imap import MARK_READ, MOVE, Mailbox, MailboxSettings, Waiting
from ingest.mail.message import MailMessage, MailPart, parse_eml, synthetic_message_id
from ingest.mail.outlook import MSG_MIME, parse_msg
from ingest.mail.render import draw_message_pdf, message_text
from ingest.mail.select import Selection, SelectionRules, select_documents

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
