"""Which pages are read a second time, another way, to give extraction a second chance.

Tesseract misreads the same page differently when it is cut up or drawn differently,
and two readings rarely lose the same fact. Two kinds of page get a second reading:

- A narrow till receipt whose first reading left its date or its total unfound is read
  again as one uniform block of text (page segmentation mode 6). Automatic page
  segmentation cuts a receipt into many small blocks: a label and its amount, or a
  date and the time beside it, land in different blocks, and faint print between
  columns is dropped; as one block the same page often keeps those rows together.
- A fax page (its squashed lines doubled, ingest.prepare) is read again from its lines
  doubled without smoothing. Smoothed, a fax's letters become the grey shapes that
  Tesseract reads best, yet a digit that lost dots on the line (a 6 whose loop is
  open, a 3 and an 8) is misread there; with the fax's own hard edges it is often
  read right and another one wrong. A fax page pays for this whatever its first
  reading found: the second reading also settles a reference the first cut short.

The second reading never replaces the page's text and is never stored: extraction
(ingest.facts.extract) takes from it the facts the first reading lacked, and prefers
it only where it completes a reference the first reading cut short.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from ingest.facts.amounts import choose_amount
from ingest.facts.docdate import choose_date
from ingest.facts.text import split_lines
from ingest.prepare import FAX_LINES

# A till receipt is a tall strip: A4 (1.41) and Letter (1.29) pages are far squarer.
RECEIPT_SHAPE = 1.6


@dataclass(frozen=True)
class SecondReading:
    """How a page is read the second time."""

    block: bool  # read as one uniform block of text (page segmentation mode 6)
    sharp_fax: bool  # prepared again from the original with the fax's lines doubled unsmoothed


RECEIPT_AS_BLOCK = SecondReading(block=True, sharp_fax=False)
FAX_UNSMOOTHED = SecondReading(block=False, sharp_fax=True)


def is_receipt_shaped(width: int, height: int) -> bool:
    """Whether a page of this size in pixels is a tall, narrow strip like a till receipt."""
    return width > 0 and height >= RECEIPT_SHAPE * width


def lacks_receipt_facts(text: str) -> bool:
    """Whether a receipt's reading leaves its date or its total unfound (pure)."""
    lines = split_lines([text])
    if not lines:
        return False  # a blank page: a second reading finds nothing either
    return choose_date(lines, "receipt") is None or choose_amount(lines, "receipt") is None


def second_reading(image: Path, steps: tuple[str, ...], text: str) -> SecondReading | None:
    """How to read again the page image `image`, prepared with `steps` and first read as `text`; None: read once."""
    if not text.strip():
        return None  # a blank page: a second reading finds nothing either
    if FAX_LINES in steps:
        return FAX_UNSMOOTHED
    with Image.open(image) as page:
        width, height = page.size
    return RECEIPT_AS_BLOCK if is_receipt_shaped(width, height) and lacks_receipt_facts(text) else None
