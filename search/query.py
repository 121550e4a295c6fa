"""The query language, parsed into a small model by pure functions (no index needed).

Grammar, informally: a query is a list of clauses, all of which must match. A clause is
a word (``huur``), a prefix (``huur*``), a phrase (``"met vriendelijke groet"``) or a
field filter (``client:K-10023``, ``type:factuur``, ``date:2024-03``,
``date:[2024-01-01 to 2024-03-31]``, ``amount:>100``, ``amount:100..200``,
``ref:F2024-0012``, ``iban:NL91…``, ``tag:urgent``). ``-clause`` (or ``NOT clause``)
excludes; ``a OR b`` matches either and binds tighter than the implicit AND.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Iterator, Mapping

from search.errors import QuerySyntaxError
from search.values import ValueReaders

# Field names a person may type (Dutch and English) -> the model's field name.
FIELD_NAMES = {
    "client": "client",
    "klant": "client",
    "clientnummer": "client",
    "klantnummer": "client",
    "type": "type",
    "soort": "type",
    "date": "date",
    "datum": "date",
    "amount": "amount",
    "bedrag": "amount",
    "ref": "ref",
    "reference": "ref",
    "referentie": "ref",
    "kenmerk": "ref",
    "iban": "iban",
    "rekeningnummer": "iban",
    "tag": "tag",
    "label": "tag",
    "note": "note",
    "notitie": "note",
    "notes": "note",
    "notities": "note",
    "file": "file",
    "bestand": "file",
}


@dataclass(frozen=True)
class Word:
    text: str
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    text: str


@dataclass(frozen=True)
class FieldTerm:
    field: str  # client | type | ref | iban | tag | file | note
    value: str
    prefix: bool = False


@dataclass(frozen=True)
class DateRange:
    start: date  # inclusive
    end: date  # inclusive


@dataclass(frozen=True)
class AmountRange:
    low: Decimal | None = None
    high: Decimal | None = None
    low_inclusive: bool = True
    high_inclusive: bool = True


Atom = Word | Phrase | FieldTerm | DateRange | AmountRange


@dataclass(frozen=True)
class Not:
    clause: "Atom | AnyOf"


@dataclass(frozen=True)
class AnyOf:
    options: tuple["Atom | Not", ...]


Clause = Atom | Not | AnyOf


@dataclass(frozen=True)
class ParsedQuery:
    clauses: tuple[Clause, ...]


_TOKEN = re.compile(
    r'\s*(?:(?P<phrase>-?"[^"]*"?)'
    r'|(?P<field>-?[^\s:"()]+:(?:\[[^\]]*\]?|"[^"]*"?|[^\s()]*))'
    r'|(?P<word>[^\s()"]+)'
    r"|(?P<paren>[()]))"
)


def parse_query(
    text: str,
    values: ValueReaders,
    type_aliases: Mapping[str, str] | None = None,
    custom: Mapping[str, str] | None = None,
) -> ParsedQuery:
    """Return the model of ``text``, reading dates and amounts with ``values``; raise QuerySyntaxError.

    ``custom`` names the custom fields (name -> kind: text, date, amount, choice) a query may filter on.
    """
    aliases = {k.lower(): v for k, v in (type_aliases or {}).items()}
    custom = custom or {}
    clauses: list[Clause] = []
    pending_or = False
    negate_next = False
    for kind, raw in _iban_groups_joined(list(_tokens(text)), values):
        if kind == "word" and raw == "OR":
            if not clauses or pending_or:
                raise QuerySyntaxError("query.or_needs_words", "OR needs a word on both sides, as in: factuur OR nota.")
            pending_or = True
            continue
        if kind == "word" and raw in ("AND", "EN"):
            continue
        if kind == "word" and raw in ("NOT", "NIET"):
            negate_next = True
            continue
        clause = _clause(kind, raw, aliases, values, custom)
        if clause is None:
            continue
        if negate_next:
            clause = clause if isinstance(clause, Not) else Not(clause)
            negate_next = False
        if pending_or:
            clauses[-1] = _either(clauses[-1], clause)
            pending_or = False
        else:
            clauses.append(clause)
    if pending_or:
        raise QuerySyntaxError("query.or_needs_words", "OR needs a word on both sides, as in: factuur OR nota.")
    return ParsedQuery(tuple(clauses))


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    position = 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            break
        position = match.end()
        kind = match.lastgroup
        if kind and kind != "paren":  # brackets are ignored: grouping is not supported
            yield kind, match.group(kind)


# An IBAN has at most 34 characters; printed in groups of four, that is nine groups.
_IBAN_GROUPS = 9


def _iban_groups_joined(tokens: list[tuple[str, str]], values: ValueReaders) -> list[tuple[str, str]]:
    """Join ``iban:NL91 ABNA 0417 1643 00`` into one field token, as people copy it from a letter.

    The longest run of following words that makes a valid IBAN wins; when none does,
    the words stay words (a word after an IBAN is not swallowed into it).
    """
    joined: list[tuple[str, str]] = []
    position = 0
    while position < len(tokens):
        kind, raw = tokens[position]
        taken = _iban_run(tokens, position, values) if kind == "field" else 0
        if taken:
            words = [token for _, token in tokens[position + 1 : position + 1 + taken]]
            raw = "".join([raw, *words])
        joined.append((kind, raw))
        position += 1 + taken
    return joined


def _iban_run(tokens: list[tuple[str, str]], position: int, values: ValueReaders) -> int:
    name, _, value = tokens[position][1].lstrip("-").partition(":")
    if FIELD_NAMES.get(name.lower()) != "iban" or not value or value.startswith('"'):
        return 0
    following: list[str] = []
    for kind, raw in tokens[position + 1 : position + _IBAN_GROUPS]:
        if kind != "word" or not raw.isalnum():
            break
        following.append(raw)
    for count in range(len(following), 0, -1):
        if values.iban(value + "".join(following[:count])):
            return count
    return 0


def _either(left: Clause, right: Clause) -> AnyOf:
    options: tuple[Atom | Not, ...] = left.options if isinstance(left, AnyOf) else (left,)
    return AnyOf((*options, *(right.options if isinstance(right, AnyOf) else (right,))))


def _clause(
    kind: str, raw: str, aliases: Mapping[str, str], values: ValueReaders, custom: Mapping[str, str]
) -> Atom | AnyOf | Not | None:
    negated = raw.startswith("-") and len(raw) > 1
    body = raw[1:] if negated else raw
    atom = _atom(kind, body, aliases, values, custom)
    if atom is None:
        return None
    return Not(atom) if negated else atom


def _atom(
    kind: str, body: str, aliases: Mapping[str, str], values: ValueReaders, custom: Mapping[str, str]
) -> Atom | AnyOf | None:
    if kind == "phrase":
        if not body.endswith('"') or len(body) < 2:
            raise QuerySyntaxError(
                "query.quote_not_closed", 'A quotation mark is not closed: put a " after the exact phrase.'
            )
        inner = body[1:-1].strip()
        return Phrase(inner) if inner else None
    if kind == "field":
        name, _, value = body.partition(":")
        field = FIELD_NAMES.get(name.lower())
        if field is not None:
            return _field(field, name, value, aliases, values)
        if name.lower() in custom:
            return _custom(name.lower(), custom[name.lower()], value, values)
    word = _word(body)
    return _also_the_day(word, values) if kind == "word" and word is not None else word


# A day written with its digits and separators (12-03-2024, 12/3/24, 12.03.2024, 2024-03-12):
# what a receptionist types for "my letter of 12 March". Bare years and numbers are not
# days: 2024 is far more often a word of a reference or an amount than a date meant.
_TYPED_DAY = re.compile(r"\d{1,2}([-/.])\d{1,2}\1(?:\d{2}|\d{4})|\d{4}-\d{2}-\d{2}")


def _also_the_day(word: Word, values: ValueReaders) -> Word | AnyOf:
    """Return a word that reads as one day as "this text, or a document of that day".

    The document's date is a fact, not text: "12-03-2024" typed bare would otherwise find
    only the documents that print it in that very notation (most write "12 maart 2024").
    The word itself still counts, so the day only ever adds what the person meant.
    """
    if word.prefix or not _TYPED_DAY.fullmatch(word.text):
        return word
    try:
        first, last = values.period(word.text)
    except ValueError:
        return word
    return AnyOf((word, DateRange(first, last))) if first == last else word


_MASKED_NUMBER = re.compile(r"\*{2,}\d{1,8}")


def _word(body: str) -> Word | None:
    body = body.strip("-")
    if not body or body == "*":
        return None
    if _MASKED_NUMBER.fullmatch(body):
        # The box shows a kept BSN search hidden; a clerk who edits those stars has lost the number.
        raise QuerySyntaxError(
            "query.masked_number",
            "'{body}' is a number shown hidden; type the whole number again instead of the stars.",
            body=body,
        )
    prefix = body.endswith("*")
    text = body.rstrip("*")
    if "*" in text or "?" in text:
        raise QuerySyntaxError(
            "query.star_inside", "'{body}' has a * inside it; a * may only end a word, as in huur*.", body=body
        )
    if prefix and len(text) < 2:
        raise QuerySyntaxError(
            "query.prefix_too_short", "Type at least two letters before the *, as in fa*, not '{body}'.", body=body
        )
    return Word(text, prefix=prefix)


def _field(field: str, name: str, value: str, aliases: Mapping[str, str], values: ValueReaders) -> Atom:
    value = value.strip()
    if value.startswith('"'):
        if not value.endswith('"') or len(value) < 2:
            raise QuerySyntaxError(
                "query.field_quote_not_closed", "A quotation mark after {name}: is not closed.", name=name
            )
        value = value[1:-1].strip()
    if not value:
        raise QuerySyntaxError(
            "query.value_missing", "Type a value after '{name}:', as in {example}.", name=name, example=_EXAMPLES[field]
        )
    if field == "date":
        return parse_date_filter(value, values, name)
    if field == "amount":
        return parse_amount_filter(value, values, name)
    prefix = value.endswith("*") and len(value) > 1
    value = value.rstrip("*") if prefix else value
    if field == "type":
        value = aliases.get(value.lower(), value)
    return FieldTerm(field, value, prefix=prefix)


_EXAMPLES = {
    "client": "client:K-10023",
    "type": "type:invoice",
    "date": "date:2024-03",
    "amount": "amount:>100",
    "ref": "ref:F2024-0012",
    "iban": "iban:NL91ABNA0417164300",
    "tag": "tag:urgent",
    "file": "file:scan",
    "note": "note:teruggebeld",
}


def parse_date_filter(value: str, values: ValueReaders, name: str = "date") -> DateRange:
    """Return the inclusive date range of a ``date:`` value; raise QuerySyntaxError."""
    low, high, low_inclusive, high_inclusive = _split_range(value, name, "date")
    start, end = date.min, date.max
    if low:  # date:>2024-03 starts after March; date:>=2024-03 on its first day
        first, last = _period(low, name, values)
        start = first if low_inclusive else last + timedelta(days=1)
    if high:
        first, last = _period(high, name, values)
        end = last if high_inclusive else first - timedelta(days=1)
    if start > end:
        raise QuerySyntaxError(
            "query.dates_reversed",
            "In {name}:{value} the first date comes after the second; swap them.",
            name=name,
            value=value,
        )
    return DateRange(start, end)


def parse_amount_filter(value: str, values: ValueReaders, name: str = "amount") -> AmountRange:
    """Return the range of an ``amount:`` value; raise QuerySyntaxError."""
    low, high, low_inclusive, high_inclusive = _split_range(value, name, "amount")
    result = AmountRange(
        _amount(low, name, values) if low else None,
        _amount(high, name, values) if high else None,
        low_inclusive,
        high_inclusive,
    )
    if result.low is not None and result.high is not None and result.low > result.high:
        raise QuerySyntaxError(
            "query.amounts_reversed",
            "In {name}:{value} the first amount is larger than the second; swap them.",
            name=name,
            value=value,
        )
    return result


def _split_range(value: str, name: str, kind: str) -> tuple[str, str, bool, bool]:
    """Return (low, high, low inclusive, high inclusive) text of a filter value."""
    for operator, shape in ((">=", "low"), ("<=", "high"), (">", "low_x"), ("<", "high_x")):
        if value.startswith(operator):
            bound = value[len(operator) :].strip()
            if not bound:
                raise QuerySyntaxError(
                    "query.operator_value_missing",
                    "Type a value after '{name}:{operator}', as in {example}.",
                    name=name,
                    operator=operator,
                    example=_EXAMPLES[kind],
                )
            return (bound, "", shape == "low", True) if shape.startswith("low") else ("", bound, True, shape == "high")
    if value.startswith("["):
        if not value.endswith("]"):
            raise QuerySyntaxError(
                "query.range_not_closed",
                "The range after '{name}:' is not closed: end it with ], as in {name}:[2024-01-01 to 2024-03-31].",
                name=name,
            )
        parts = re.split(r"\s+(?:to|tot|TO|TOT)\s+|\s+-\s+", value[1:-1].strip())
        if len(parts) != 2:
            raise QuerySyntaxError(
                "query.range_shape", "Write a range as {name}:[2024-01-01 to 2024-03-31] or {name}:100..200.", name=name
            )
        return parts[0].strip(), parts[1].strip(), True, True
    if ".." in value:
        low, _, high = value.partition("..")
        return low.strip(), high.strip(), True, True
    return value, value, True, True


def _period(text: str, name: str, values: ValueReaders) -> tuple[date, date]:
    """Return the first and last day a typed year, month or day covers."""
    try:
        return values.period(text)
    except ValueError as exc:
        raise QuerySyntaxError(
            "query.not_a_date",
            "'{typed}' is not a date; write {name}:2024, {name}:2024-03, {name}:2024-03-31 "
            "or {name}:[2024-01-01 to 2024-03-31].",
            typed=text,
            name=name,
        ) from exc


def _amount(text: str, name: str, values: ValueReaders) -> Decimal:
    """Return an amount typed the Dutch (1.234,56) or English (1,234.56) way."""
    try:
        return values.amount(text)
    except ValueError as exc:
        raise QuerySyntaxError(
            "query.not_an_amount",
            "'{typed}' is not an amount; write {name}:250, {name}:>100, {name}:<=99,95 or {name}:100..200.",
            typed=text,
            name=name,
        ) from exc


def _custom(name: str, kind: str, value: str, values: ValueReaders) -> FieldTerm:
    """A custom field's filter: its value in the form it is indexed (dates ISO, amounts with cents)."""
    value = value.strip().strip('"').strip()
    if not value:
        raise QuerySyntaxError(
            "query.value_missing", "Type a value after '{name}:', as in {example}.", name=name, example=f"{name}:…"
        )
    try:
        if kind == "date":
            first, last = values.period(value)
            if first != last:
                raise ValueError(value)
            value = first.isoformat()
        elif kind == "amount":
            value = f"{values.amount(value):.2f}"
    except ValueError as exc:
        raise QuerySyntaxError(
            "query.custom_value", "'{value}' is not a value of {name}.", value=value, name=name
        ) from exc
    return FieldTerm("custom", f"{name}={value}")
