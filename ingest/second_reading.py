"""When a receipt's page is read a second time, as one uniform block of text.

Tesseract's automatic page segmentation cuts a narrow till receipt into many small
blocks: a label and its amount, or a date and the time beside it, land in different
blocks, and faint print between columns is dropped. Read again as one uniform block
(page segmentation mode 6) the same page often keeps those rows together — and as
often loses others. So the second reading never replaces the first: it is taken only
for a narrow, receipt-shaped page whose first reading left its date or its total
unfound, and extraction only looks in it for the facts the first reading lacked.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from ingest.facts.amounts import choose_amount
from ingest.facts.docdate import choose_date
from ingest.facts.text import split_lines

# A till receipt is a tall strip: A4 (1.41) and Letter (1.29) pages are far squarer.
RECEIPT_SHAPE = 1.6


def is_receipt_shaped(width: int, height: int) -> bool:
    """Whether a page of this size in pixels is a tall, narrow strip like a till receipt."""
    return width > 0 and height >= RECEIPT_SHAPE * width


def lacks_receipt_facts(text: str) -> bool:
    """Whether a receipt's reading leaves its date or its total unfound (pure)."""
    lines = split_lines([text])
    if not lines:
        return False  # a blank page: a second reading finds nothing either
    return choose_date(lines, "receipt") is None or choose_amount(lines, "receipt") is None


def wants_second_reading(image: Path, text: str) -> bool:
    """Whether the page image `image`, first read as `text`, is a receipt worth reading again."""
    with Image.open(image) as page:
        width, height = page.size
    return is_receipt_shaped(width, height) and lacks_receipt_facts(text)
