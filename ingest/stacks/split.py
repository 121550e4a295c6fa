"""Cutting a stack into its documents, by what each page is (pure).

    separator · [its blank back] · pages of document 1 · separator · document 2 …

A separator sheet is never part of a document, nor is the blank back of one (duplex
scanners scan it). Other blank pages go only when the office asks for it: the empty
backs of one-sided letters in a duplex scan. Pages before the first separator are a
document of their own; two separators in a row make no empty document.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.stacks.payload import Separator

CONTENT = "content"
BLANK = "blank"
SEPARATOR = "separator"


@dataclass(frozen=True)
class PageKind:
    """What one page of a stack is."""

    number: int  # 1-based page number in the stack
    kind: str  # CONTENT | BLANK | SEPARATOR
    separator: Separator | None = None


@dataclass(frozen=True)
class Part:
    """One document of a stack: its pages (1-based, in stack order) and the facts its separator gave."""

    pages: tuple[int, ...]
    separator: Separator | None  # None for pages before the first separator

    @property
    def first(self) -> int:
        return self.pages[0]

    @property
    def last(self) -> int:
        return self.pages[-1]


def has_separators(kinds: list[PageKind] | tuple[PageKind, ...]) -> bool:
    """True when any page is a separator sheet (pure)."""
    return any(page.kind == SEPARATOR for page in kinds)


def split_stack(kinds: list[PageKind] | tuple[PageKind, ...], drop_blank_pages: bool) -> tuple[Part, ...]:
    """Return the documents of a stack in order; a stack without separators is one part (pure)."""
    parts: list[Part] = []
    current: list[int] = []
    separator: Separator | None = None
    after_separator = False
    for page in kinds:
        if page.kind == SEPARATOR:
            _close(parts, current, separator)
            current, separator, after_separator = [], page.separator, True
            continue
        if page.kind == BLANK and (drop_blank_pages or after_separator):
            after_separator = False  # only the sheet's own back goes regardless
            continue
        after_separator = False
        current.append(page.number)
    _close(parts, current, separator)
    return tuple(parts)


def _close(parts: list[Part], pages: list[int], separator: Separator | None) -> None:
    if pages:
        parts.append(Part(tuple(pages), separator))
