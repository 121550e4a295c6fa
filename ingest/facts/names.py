"""People's and companies' names as registered and as printed, and how well two agree.

A person is registered as "Jan van den Berg", "J.M. van den Berg" or "Berg, J.M. van
den" and printed as "Dhr. J. van den Berg", "BERG, J.M. VAN DEN", "Fam. van den Berg"
or "Jan v.d. Berg"; OCR drops accents and misreads a letter. What identifies a person
is the surname; the given name or initials confirm it or rule it out, and a surname
alone counts for little. A company is its distinctive words ("Jansen
Installatietechniek"), whatever legal form ("B.V.", "BV", "B.V") is printed; a name
with a legal form is never a person's, and a courtesy title or initials never a
company's.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

# Surname prefixes (tussenvoegsels), as words.
PREFIXES = frozenset("van de den der het 't ter te ten op in d' v vd von le la du di da dos del el al".split())
# Legal forms, matched on the folded text before it is split into words.
_LEGAL = re.compile(
    r"(?<![a-z])(?:b\.?\s?v\.?|n\.?\s?v\.?|v\.?\s?o\.?\s?f\.?|c\.?\s?v\.?|bvba|gmbh|ltd\.?|limited|inc\.?|"
    r"s\.?a\.?(?=\s|$)|holding|& ?zn\.?|en zonen|& ?zonen)(?![a-z])"
)
_COURTESY = r"(?:(?:de\s+)?heer|mevrouw|mevr\.?|mw\.?|dhr\.?|hr\.?|mr\.?|mrs\.?|ms\.?|miss|fam(?:ilie)?\.?)"
_ACADEMIC = r"(?:dr\.?|drs\.?|ir\.?|ing\.?|prof\.?|mr\.?)"
# "Dhr.", "De heer en mevrouw", "Dhr. en mevr.", "Mr and Mrs", "De heer/mevrouw", "Mevrouw drs.", "Dhr. ir.".
_TITLE = re.compile(
    rf"^(?:{_COURTESY}(?:\s*[/&]\s*|\s+(?:en|and)\s+){_COURTESY}\s+|{_COURTESY}\s+(?:{_ACADEMIC}\s+)*|(?:{_ACADEMIC}\s+)+)"
)
# "For the attention of" precedes a person's name or a company's alike.
_ATTENTION = re.compile(r"^(?:t\.?\s?a\.?\s?v\.?|ter attentie van|attn\.?:?|attention:?|fao)\s+")
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?|['’]t(?![a-z])")
# OCR reads letters in a name as the digits they resemble ("Z0e", "Mu11er", "5mit"): in a
# word of letters, these digits are the letters.
_DIGIT_LOOKS = str.maketrans("0158", "olsb")
_SLIPPED = re.compile(r"[a-z]*[0158][a-z0158]*")
# Abbreviated prefixes as printed: "v.d. Berg", "v/d Berg".
_ABBREVIATED = {"v.d.": "vd", "v/d": "vd", "v.d": "vd", "v.": "van"}


def fold(text: str) -> str:
    """Lower case without accents."""
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    return "".join(ch for ch in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(ch))


@dataclass(frozen=True)
class PersonName:
    """A person's name in parts: given names (may be empty), initials, prefix words and surname words."""

    given: tuple[str, ...]
    initials: str
    prefix: tuple[str, ...]
    surname: tuple[str, ...]

    @property
    def key(self) -> str:
        """The surname as one folded string, without prefix ("berg", "jong van dijk")."""
        return " ".join(self.surname)


@dataclass(frozen=True)
class CompanyName:
    """A company's distinctive words (legal form left out), and whether it has a legal form."""

    words: tuple[str, ...]
    legal_form: bool = False

    @property
    def key(self) -> str:
        """The distinctive words as one string."""
        return " ".join(self.words)


@dataclass(frozen=True)
class Printed:
    """A name as printed in one stretch of text, folded and split."""

    words: tuple[str, ...]
    titled: bool  # a courtesy title before it: a person
    legal_form: bool  # a legal form in it: a company
    reversed: bool  # "Surname, initials prefix"


def words_of(text: str) -> list[str]:
    """The folded words of a name (prefix abbreviations spelled out, hyphens split)."""
    text = fold(text).replace("’", "'")
    for short, full in _ABBREVIATED.items():
        text = re.sub(rf"(?<![a-z]){re.escape(short)}(?=\s)", full, text)
    return [_letters(w.replace("’", "'")) for w in _WORD.findall(text.replace("-", " "))]


def _letters(word: str) -> str:
    """The word with OCR's look-alike digits read as letters, when letters are most of it."""
    if word.isalpha() or not _SLIPPED.fullmatch(word) or sum(ch.isalpha() for ch in word) < 2:
        return word
    return word.translate(_DIGIT_LOOKS)


@lru_cache(maxsize=65536)
def parse_person(name: str) -> PersonName:
    """Split a registered person's name into given names, initials, prefix and surname (pure)."""
    text = _TITLE.sub("", _ATTENTION.sub("", fold(name).strip()))
    if "," in text:  # "Berg, J.M. van den" / "Berg, Jan van den"
        surname_part, _, rest = text.partition(",")
        tokens = rest.split()
        prefix = tuple(w for t in tokens if _is_prefix(t) for w in words_of(t))
        given = [t for t in tokens if not _is_prefix(t)]
        return _person(given, prefix, tuple(words_of(surname_part)))
    tokens = text.split()
    if len(tokens) == 1:
        return PersonName((), "", (), tuple(words_of(text)))
    # Given names and initials come first, then the prefix, then the surname.
    count = 0
    while count < len(tokens) - 1 and (_is_initials(tokens[count]) or count == 0) and not _is_prefix(tokens[count]):
        count += 1
    end = count
    while end < len(tokens) - 1 and _is_prefix(tokens[end]):
        end += 1
    prefix = tuple(w for t in tokens[count:end] for w in words_of(t))
    surname = tuple(w for t in tokens[end:] for w in words_of(t))
    return _person(tokens[:count], prefix, surname)


def _is_initials(token: str) -> bool:
    return bool(re.fullmatch(r"(?:[a-z]\.?-?){1,4}", token)) and ("." in token or len(token) == 1)


def _is_prefix(token: str) -> bool:
    return token.replace("’", "'") in PREFIXES


def _person(given_tokens, prefix, surname) -> PersonName:
    """A PersonName from given-name tokens ("jan", "j.m.", "gert-jan"), prefix and surname words."""
    given: list[str] = []
    initials = ""
    for token in given_tokens:
        if _is_initials(token):
            initials += "".join(re.findall(r"[a-z]", token))
        else:
            parts = [p for p in re.split(r"[-.]", token) if p]
            given += parts
            initials += "".join(p[0] for p in parts)
    surname = list(surname)
    while len(surname) > 1 and surname[0] in PREFIXES:  # a prefix the registry wrote after the comma
        prefix = (*prefix, surname.pop(0))
    # A double surname keeps its inner prefix: "de Jong-van Dijk" is surname "jong van dijk".
    return PersonName(tuple(given), initials, tuple(prefix), tuple(surname))


@lru_cache(maxsize=65536)
def parse_company(name: str) -> CompanyName:
    """The distinctive words of a registered company name (pure)."""
    folded = fold(name)
    text = _LEGAL.sub(" ", folded)
    words = tuple(w for w in words_of(text) if w not in ("de", "het", "the", "en", "and"))
    return CompanyName(words, text != folded)


def printed(text: str) -> Printed:
    """A printed name stretch: its words without title and legal form, and what they say of its kind."""
    folded = _ATTENTION.sub("", fold(text).strip())
    titled = bool(_TITLE.match(folded))
    folded = _TITLE.sub("", folded)
    legal = bool(_LEGAL.search(folded))
    if legal:
        folded = _LEGAL.sub(" ", folded)
    reversed_form = bool(re.match(r"^[a-z' -]{2,40},\s*(?:[a-z]\.?\s*){1,4}", folded)) or bool(
        re.match(r"^[a-z'-]{2,30},\s+[a-z]{2,}(?:\s+[a-z']+){0,3}$", folded.strip())
    )
    return Printed(tuple(words_of(folded)), titled, legal, reversed_form)


def _close(a: str, b: str) -> float:
    """Similarity 0-100 of two words or word runs, allowing the OCR slips of long names."""
    if a == b:
        return 100.0
    if len(a) < 5 or len(b) < 5:
        return 0.0  # short names must be exact: "Bos" and "Vos" are different people
    return fuzz.ratio(a, b)


def person_agreement(name: PersonName, seen: Printed) -> float:
    """How well a printed stretch names this person, 0-1 (0: not this person).

    1.0 full name; ~0.8 initials and surname; ~0.55 title and surname alone;
    0 when a given name or initial contradicts, or a legal form says it is a company.
    """
    if seen.legal_form or not name.surname:
        return 0.0
    words = list(seen.words)
    size = len(name.surname)
    best = 0.0
    for start in range(max(len(words) - size + 1, 0)):
        surname_score = _close(" ".join(words[start : start + size]), name.key)
        if surname_score < 83:
            continue
        before, after = words[:start], words[start + size :]
        rest = after if seen.reversed else before
        given_words = [w for w in rest if w not in PREFIXES]
        prefix_seen = tuple(w for w in rest if w in PREFIXES) or tuple(w for w in after if w in PREFIXES)
        if not seen.reversed and [w for w in after if w not in PREFIXES] and len(after) > 2:
            continue  # the surname is the start of a longer name or a sentence
        score = _given_agreement(name, given_words, seen.titled)
        if score == 0.0:
            continue
        if name.prefix and prefix_seen and not _same_prefix(prefix_seen, name.prefix):
            continue  # "van der Berg" is not "van den Berg"
        if not name.prefix and prefix_seen:
            continue  # "de Groot" is not "Groot"
        if name.prefix and not prefix_seen:
            score -= 0.1
        best = max(best, score * (surname_score / 100.0) ** 2)
    return round(best, 3)


def _same_prefix(seen: tuple[str, ...], registered: tuple[str, ...]) -> bool:
    """Whether a printed prefix is the registered one; "v.d." stands for van de, van den and van der."""
    if seen == registered:
        return True
    return seen == ("vd",) and len(registered) == 2 and registered[0] == "van" and registered[1].startswith("d")


def _given_agreement(name: PersonName, given_words: list[str], titled: bool) -> float:
    if not given_words:
        return 0.55 if titled else 0.45
    first = given_words[0]
    if len(first) == 1 or all(len(w) == 1 for w in given_words):
        initials = "".join(w[0] for w in given_words)
        if not name.initials:
            return 0.5
        if name.initials.startswith(initials) or initials.startswith(name.initials):
            return 0.8
        return 0.0
    if name.given:
        similarity = fuzz.ratio(first, name.given[0])
        if first == name.given[0] or (len(first) >= 5 and similarity >= 85):
            return 1.0
        if similarity >= 70:
            return 0.45  # one letter off in a short name ("Emme"): OCR or another person, the surname decides
        return 0.0  # another first name: another person
    return 0.8 if name.initials and first[0] == name.initials[0] else 0.0


def company_agreement(name: CompanyName, seen: Printed) -> float:
    """How well a printed stretch names this company, 0-1: the whole stretch, not a part of it."""
    if not name.words or seen.titled:
        return 0.0
    words = [w for w in seen.words if w not in ("de", "het", "the", "en", "and")]
    if not words:
        return 0.0
    whole = _close(" ".join(words), name.key) if len(name.key) >= 5 else (100.0 if words == list(name.words) else 0.0)
    if whole < 90:
        return 0.0
    if name.legal_form != seen.legal_form and (seen.legal_form or len(name.words) > 1):
        # "Jansen Bouw" and "Jansen Bouw B.V." are two legal persons (a one-man business and a
        # limited company): printed without the registered form, or with another's, it is close, not the name.
        factor = 0.9
    else:
        factor = 1.0 if seen.legal_form or len(name.words) > 1 else 0.85
    return round((whole / 100.0) ** 2 * factor, 3)
