"""Scanned stacks: separator sheets printed and found again, a stack cut into its documents.

archive separator ─► write_separator_sheets (QR: FOA-SEP:1?client=…&type=…)
scanned stack     ─► look_at_stack: classify_pages (QR / blank / content, every page, small)
                  ─► split_stack (pure) ─► parts with their stack pages
                  ─► cut_pages: each part's own PDF from the stack's pages
"""

from ingest.stacks.cut import cut_pages, image_stack_pdf
from ingest.stacks.pages import (
    StackLook,
    classify_image,
    classify_pages,
    find_separator,
    ink_share,
    is_blank,
    look_at_stack,
)
from ingest.stacks.payload import Separator, decode_separator, encode_separator
from ingest.stacks.sheets import write_separator_sheets
from ingest.stacks.split import BLANK, CONTENT, SEPARATOR, PageKind, Part, has_separators, split_stack

__all__ = [
    "BLANK",
    "CONTENT",
    "SEPARATOR",
    "PageKind",
    "Part",
    "Separator",
    "StackLook",
    "classify_image",
    "classify_pages",
    "cut_pages",
    "decode_separator",
    "encode_separator",
    "find_separator",
    "has_separators",
    "image_stack_pdf",
    "ink_share",
    "is_blank",
    "look_at_stack",
    "split_stack",
    "write_separator_sheets",
]
