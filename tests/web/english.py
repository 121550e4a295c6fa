"""Finding English on a page that should be Dutch: sentences, and message ids the catalogue did not replace.

Two nets. A message id of the catalogue whose Dutch differs is looked for by its fixed
parts (the text between its blanks): found on a Dutch page, the catalogue was bypassed.
Any other text a person reads (text, and the attributes a person or a screen reader
meets: title, placeholder, alt, aria-label, button values) is English when it holds two
or more words that are English and never Dutch — which catches a sentence that never
went through the catalogue at all.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from html.parser import HTMLParser

from tests.catalogues import read_catalogue

# Words common in English sentences that are not Dutch words (nor usual in Dutch text):
# "is", "in", "of", "was", "had", "die", "we" are both, so they are not here.
ENGLISH_WORDS = frozenset(
    """
    the and you your this that these those with without cannot could should would please must not are
    has have been there their which what when where from only into than does did were will shall its
    be by an or for to it no yes any some more than then here they them our us all each every
    went wrong found can't isn't doesn't won't don't something nothing try again error failed network
""".split()
)
_SHOWN_ATTRIBUTES = ("title", "placeholder", "alt", "aria-label")
_SKIPPED = ("script", "style", "template")
_MIN_FRAGMENT = 18  # shorter fixed parts ("Client: ") are too common to mean a leak


class _Text(HTMLParser):
    """The pieces of text a person reads on a page (outside scripts, styles and `lang="en"` parts)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in _SKIPPED or (found.get("lang") or "").startswith("en"):
            if tag not in ("br", "img", "input", "meta", "link"):
                self._skipping.append(tag)
            return
        if self._skipping:
            return
        self.pieces += [found[name] or "" for name in _SHOWN_ATTRIBUTES if found.get(name)]
        if tag in ("button", "input") and found.get("type") in ("submit", "button") and found.get("value"):
            self.pieces.append(found["value"] or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _SKIPPED:
            self.handle_starttag(tag, attrs)
            if self._skipping and self._skipping[-1] == tag:
                self._skipping.pop()

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipping and data.strip():
            self.pieces.append(data)


def shown_text(page: str) -> list[str]:
    """Return the pieces of text a person reads on an HTML page."""
    parser = _Text()
    parser.feed(page)
    parser.close()
    return [" ".join(piece.split()) for piece in parser.pieces]


def english_words(text: str) -> set[str]:
    return {word for word in re.findall(r"[a-z']+", text.lower()) if word in ENGLISH_WORDS}


def is_english(text: str) -> bool:
    """True for a piece of text with two or more English words (a sentence, not a name)."""
    return len(english_words(text)) >= 2


@lru_cache(maxsize=2)
def foreign_fragments(language: str) -> tuple[str, ...]:
    """The fixed parts of the other language's sentences, long enough to mean something.

    For a Dutch page: each message id (English) whose Dutch differs; for an English page,
    each Dutch sentence.
    """
    fragments = set()
    for message in read_catalogue("nl"):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        foreign = [i for i in ids if i not in strings] if language == "nl" else [s for s in strings if s not in ids]
        for sentence in foreign:
            for part in re.split(r"{[^}]*}|%\(\w+\)s|\n", sentence):
                part = " ".join(part.split()).strip(" .,;:()'\"")
                if len(part) >= _MIN_FRAGMENT and " " in part:
                    fragments.add(part)
    return tuple(sorted(fragments))


def leaks(page: str, language: str = "nl") -> list[str]:
    """Return what on a page is not in its language: the other language's sentences, and (Dutch) English text."""
    pieces = shown_text(page)
    text = html.unescape(" ".join(pieces))
    found = [f"untranslated: {fragment!r}" for fragment in foreign_fragments(language) if fragment in text]
    if language == "nl":
        found += [f"English: {piece!r}" for piece in pieces if is_english(piece)]
    return found


def english_in_script(source: str) -> list[str]:
    """Return the string literals of a script that read as English sentences (a page's script speaks Dutch too)."""
    code = re.sub(r"//[^\n]*|/\*.*?\*/", "", source, flags=re.S)
    literals = re.findall(r'"((?:[^"\\\n]|\\.)*)"|\'((?:[^\'\\\n]|\\.)*)\'', code)
    # A sentence: words with a space between and at least one English word (not a CSS selector or class list).
    return [
        text
        for pair in literals
        for text in pair
        if re.search(r"[A-Za-z]{2,} [A-Za-z]{2,}", text) and english_words(text) and text != "use strict"
    ]
