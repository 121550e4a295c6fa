"""Real MIME messages for tests, built with the standard library's email package."""

from __future__ import annotations

from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from tests.documents import text_pdf


def build_message(
    subject: str = "Factuur maart",
    sender: str = "Jan Jansen <jan@jansen-installatie.nl>",
    body: str = "Beste,\n\nIn de bijlage de factuur.\n\nMet vriendelijke groet,\nJan",
    html: str | None = None,
    attachments: list[tuple[str, bytes, str]] = (),
    inline: list[tuple[str, bytes, str]] = (),
    message_id: str | None = "auto",
    date: datetime = datetime(2024, 3, 12, 9, 30, tzinfo=timezone.utc),
) -> EmailMessage:
    """A message with a text body, optionally an HTML one with inline images, and attachments.

    `attachments` and `inline` are (filename or content-id, bytes, "type/subtype").
    """
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "Praktijk De Linde <balie@delinde.nl>"
    message["Subject"] = subject
    message["Date"] = format_datetime(date)
    if message_id == "auto":
        message["Message-ID"] = make_msgid(domain="jansen-installatie.nl")
    elif message_id:
        message["Message-ID"] = message_id
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
        related = message.get_payload()[1]
        for content_id, data, mime in inline:
            maintype, subtype = mime.split("/")
            related.add_related(data, maintype, subtype, cid=f"<{content_id}>")
    for name, data, mime in attachments:
        maintype, subtype = mime.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message


def pdf_bytes(tmp_path, text: str, name: str = "doc.pdf") -> bytes:
    """A small born-digital PDF with `text` on its page."""
    return text_pdf(tmp_path / name, [text]).read_bytes()


def page_png(text: str, dpi: int = 100, seed: int = 1) -> bytes:
    """A scanned page as PNG: large in pixels, small in bytes (sparse text compresses well)."""
    import io

    from tests.documents import scan_image

    buffer = io.BytesIO()
    scan_image(text, dpi=dpi, seed=seed).save(buffer, format="PNG")
    return buffer.getvalue()


def png_bytes(size: int, seed: int = 1, side: int | None = None) -> bytes:
    """A small PNG (a logo, an icon) of roughly `size` bytes: noise compresses badly, so the size is what it looks."""
    import io
    import random

    from PIL import Image

    side = side or max(8, int((size / 3) ** 0.5))
    rng = random.Random(seed)
    image = Image.frombytes("RGB", (side, side), bytes(rng.randrange(256) for _ in range(side * side * 3)))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
