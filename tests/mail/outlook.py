"""Outlook .msg files for tests, written as Outlook stores them ([MS-OXMSG] over an OLE file).

The OLE container is written by extract-msg's own OleWriter; the property streams
follow the format: a header, then 16-byte entries (tag, flags, value) for fixed-size
properties, and one ``__substg1.0_TTTTPPPP`` stream per variable-size property.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from extract_msg.ole_writer import OleWriter

PT_LONG, PT_SYSTIME, PT_UNICODE, PT_BINARY = 0x0003, 0x0040, 0x001F, 0x0102
_FLAGS = 0x00000006  # readable | writable


@dataclass(frozen=True)
class MsgAttachment:
    filename: str
    data: bytes
    mime_type: str
    content_id: str | None = None
    hidden: bool = False


def write_msg(
    path: Path,
    subject: str,
    sender: str,
    body: str,
    message_id: str | None,
    attachments: list[MsgAttachment],
    sent: datetime | None = None,
    sender_name: str | None = None,
) -> Path:
    """Write an Outlook message with plain-text body and attachments by value."""
    writer = OleWriter()
    sent = sent or datetime(2024, 3, 12, 9, 30, tzinfo=timezone.utc)
    strings = {
        0x001A: "IPM.Note",
        0x0037: subject,
        0x0C1F: sender,
        0x0C1A: sender_name or sender.split("@")[0],
        0x0042: sender_name or sender,
        0x0065: sender,
        0x5D01: sender,
        0x1000: body,
        0x0E1D: subject,
    }
    if message_id:
        strings[0x1035] = message_id
    for prop, value in strings.items():
        writer.addEntry(f"__substg1.0_{prop:04X}{PT_UNICODE:04X}", value.encode("utf-16-le"))
    header = struct.pack("<8xIIII8x", 1, len(attachments), 1, len(attachments))
    fixed = _systime(0x0039, sent) + _systime(0x0E06, sent)
    writer.addEntry("__properties_version1.0", header + fixed)
    writer.addEntry("__nameid_version1.0", storage=True)  # named properties: none, but the streams must be there
    for stream in ("00020102", "00030102", "00040102"):
        writer.addEntry(f"__nameid_version1.0/__substg1.0_{stream}", b"")
    recipient = "__recip_version1.0_#00000000"
    writer.addEntry(recipient, storage=True)
    writer.addEntry(f"{recipient}/__substg1.0_3003001F", "balie@praktijk.nl".encode("utf-16-le"))
    writer.addEntry(f"{recipient}/__properties_version1.0", struct.pack("<8x") + _long(0x0C15, 1))
    for index, attachment in enumerate(attachments):
        _add_attachment(writer, index, attachment)
    writer.write(path)
    return path


def _add_attachment(writer: OleWriter, index: int, attachment: MsgAttachment) -> None:
    folder = f"__attach_version1.0_#{index:08X}"
    writer.addEntry(folder, storage=True)
    for prop, value in (
        (0x3707, attachment.filename),
        (0x3704, attachment.filename[:12]),
        (0x370E, attachment.mime_type),
        (0x3703, "." + attachment.filename.rsplit(".", 1)[-1]),
    ):
        writer.addEntry(f"{folder}/__substg1.0_{prop:04X}{PT_UNICODE:04X}", value.encode("utf-16-le"))
    if attachment.content_id:
        writer.addEntry(f"{folder}/__substg1.0_3712001F", attachment.content_id.encode("utf-16-le"))
    writer.addEntry(f"{folder}/__substg1.0_37010102", attachment.data)
    fixed = _long(0x3705, 1) + _long(0x0E21, index)  # attached by value; its number
    if attachment.hidden:
        fixed += struct.pack("<IIQ", (0x7FFE << 16) | 0x000B, _FLAGS, 1)
    writer.addEntry(f"{folder}/__properties_version1.0", struct.pack("<8x") + fixed)


def _long(prop: int, value: int) -> bytes:
    return struct.pack("<IIiI", (prop << 16) | PT_LONG, _FLAGS, value, 0)


def _systime(prop: int, moment: datetime) -> bytes:
    ticks = int((moment - datetime(1601, 1, 1, tzinfo=timezone.utc)).total_seconds() * 10_000_000)
    return struct.pack("<IIQ", (prop << 16) | PT_SYSTIME, _FLAGS, ticks)
