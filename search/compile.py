"""Turn the query model into a search plan: a Whoosh query plus array filters.

Words and field terms become Whoosh queries. Date and amount ranges at the top level
become array filters (see ``columns.py``), far cheaper than Whoosh's numeric ranges;
a date range inside OR becomes calendar terms (year, month and day terms that cover
it exactly). Pure apart from the ``Lexicon`` it is handed, which a test can fake.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Protocol

from whoosh import query as wq

from search.analysis import MIN_PART, STOP_WORDS, _stem_en, _stem_nl, fold, stems, words
from search.docsets import ExactPhrase
from search.errors import QuerySyntaxError
from search.query import (
    AmountRange,
    AnyOf,
    Clause,
    DateRange,
    FieldTerm,
    Not,
    ParsedQuery,
    Phrase,
    Word,
)
from search.schema import amount_to_cents, custom_token, normalise_code

# Short text fields indexed under both stems of each word.
BILINGUAL_FIELDS = ("title", "client_name", "filename")
# Exact-code fields a plain word is also compared with (a typed reference or client id).
CODE_FIELDS = ("ref", "client", "iban")
# The calendar span date ranges inside OR may cover (open ends are clamped to it).
FIRST_YEAR, LAST_YEAR = 1900, 2100


class Lexicon(Protocol):
    """What the compiler needs to know about the indexed words (typo tolerance)."""

    def known(self, word: str, terms: tuple[str, ...]) -> bool: ...

    def corrections(self, word: str) -> list[str]: ...

    def compounds(self, stem: str) -> list[str]: ...


@dataclass(frozen=True)
class Marks:
    """What to highlight: stemmed terms and typed prefixes (all folded)."""

    stems: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    """How to run one query."""

    positive: wq.Query | None  # None: every document
    negative: wq.Query | None
    date_ranges: tuple[tuple[DateRange, bool], ...] = ()  # (range, negated)
    amount_ranges: tuple[tuple[AmountRange, bool], ...] = ()
    marks: Marks = Marks()
    suggestion: str | None = None
    ranked: bool = False  # has words worth ranking by relevance


@dataclass
class _Builder:
    lexicon: Lexicon | None
    text: str
    stems: set[str] = field(default_factory=set)
    prefixes: list[str] = field(default_factory=list)
    corrected: dict[str, str] = field(default_factory=dict)
    ranked: bool = False


def compile_query(parsed: ParsedQuery, text: str, lexicon: Lexicon | None = None) -> Plan:
    """Return the plan of a parsed query; raise QuerySyntaxError for unsupported mixes."""
    builder = _Builder(lexicon, text)
    positives: list[wq.Query] = []
    negatives: list[wq.Query] = []
    dates: list[tuple[DateRange, bool]] = []
    amounts: list[tuple[AmountRange, bool]] = []
    for clause in parsed.clauses:
        negated = isinstance(clause, Not)
        inner = clause.clause if isinstance(clause, Not) else clause
        if isinstance(inner, DateRange) and not _calendar_unit(inner):
            dates.append((inner, negated))
        elif isinstance(inner, AmountRange):
            amounts.append((inner, negated))
        else:
            compiled = _clause(builder, inner, mark=not negated)
            if compiled is not None:
                (negatives if negated else positives).append(compiled)
    return Plan(
        positive=_and(positives),
        negative=_or(negatives),
        date_ranges=tuple(dates),
        amount_ranges=tuple(amounts),
        marks=Marks(frozenset(builder.stems), tuple(builder.prefixes)),
        suggestion=_suggestion(text, builder.corrected),
        ranked=builder.ranked,
    )


def _and(queries: list[wq.Query]) -> wq.Query | None:
    return None if not queries else queries[0] if len(queries) == 1 else wq.And(queries)


def _or(queries: list[wq.Query]) -> wq.Query | None:
    return None if not queries else queries[0] if len(queries) == 1 else wq.Or(queries)


def _clause(builder: _Builder, clause: Clause, mark: bool) -> wq.Query | None:
    if isinstance(clause, Word):
        return _word(builder, clause, mark)
    if isinstance(clause, Phrase):
        return _phrase(builder, clause.text, mark)
    if isinstance(clause, FieldTerm):
        return _field(clause)
    if isinstance(clause, DateRange):
        return _calendar_query(clause)
    if isinstance(clause, AnyOf):
        return _or([q for q in (_option(builder, o, mark) for o in clause.options) if q is not None])
    if isinstance(clause, AmountRange):
        raise QuerySyntaxError(
            "query.amount_in_or", "An amount filter cannot be one side of OR; use it on its own, as in amount:>100."
        )
    raise QuerySyntaxError("query.not_understood", "This query cannot be understood; see the search help for examples.")


def _option(builder: _Builder, option: Clause, mark: bool) -> wq.Query | None:
    if isinstance(option, Not):
        inner = _clause(builder, option.clause, mark=False)
        return None if inner is None else wq.Not(inner)
    return _clause(builder, option, mark)


def _word(builder: _Builder, word: Word, mark: bool) -> wq.Query | None:
    tokens = words(word.text)
    if word.prefix:
        return _prefix(builder, fold(word.text), mark)
    if len(tokens) > 1:
        return _code_or_phrase(builder, word.text, tokens, mark)
    if not tokens or tokens[0] in STOP_WORDS:
        return None
    token = tokens[0]
    builder.ranked = builder.ranked or mark
    alternatives = [token]
    if builder.lexicon is not None and _worth_correcting(token) and not builder.lexicon.known(token, stems(token)):
        fixes = builder.lexicon.corrections(token)
        if fixes:
            builder.corrected[word.text] = fixes[0]
            alternatives += fixes
    return _or([_single_word(builder, t, mark) for t in alternatives])


def _worth_correcting(token: str) -> bool:
    return len(token) >= 4 and not any(ch.isdigit() for ch in token)


def _single_word(builder: _Builder, token: str, mark: bool) -> wq.Query:
    token_stems = stems(token)
    if mark:
        builder.stems.update(token_stems)
    # Every sub-query costs a term lookup and a slot in the union, so each is asked for
    # only where it can match: codes have digits, file names are split but not stemmed twice.
    queries: list[wq.Query] = [wq.Term(f, s) for f in ("title", "client_name") for s in token_stems]
    queries += [
        wq.Term("content_nl", _stem_nl(token)),
        wq.Term("content_en", _stem_en(token)),
        wq.Term("filename", token_stems[0]),
        wq.Term("tags", token),
    ]
    queries += [wq.Term("notes", s) for s in token_stems]
    queries += _compound_terms(builder, token)
    if any(ch.isdigit() for ch in token):
        queries += [wq.Term(f, token) for f in CODE_FIELDS]
    return wq.Or(queries)


def _compound_terms(builder: _Builder, token: str) -> list[wq.Query]:
    """Terms of the indexed compounds that end in ``token`` (overeenkomst: huurovereenkomst)."""
    if builder.lexicon is None or len(token) < MIN_PART or not token.isalpha():
        return []  # (the stem may be shorter: meel -> mel still finds roggemeel)
    # Compounds weigh less than the word itself: "nota" ranks a nota above a tandartsnota.
    return [wq.Term("content_nl", stem, boost=0.5) for stem in builder.lexicon.compounds(_stem_nl(token))]


def _prefix(builder: _Builder, text: str, mark: bool) -> wq.Query:
    if mark:
        builder.prefixes.append(text)
        builder.ranked = True
    return wq.Or(
        [
            wq.Prefix("content_nl", text),
            wq.Prefix("content_en", text),
            wq.Prefix("title", text),
            wq.Prefix("client_name", text),
            wq.Prefix("filename", text),
            wq.Prefix("notes", text),
            wq.Prefix("ref", normalise_code(text)),
            wq.Prefix("client", normalise_code(text)),
        ]
    )


def _code_or_phrase(builder: _Builder, raw: str, tokens: list[str], mark: bool) -> wq.Query | None:
    """A word with inner punctuation: a reference, client id or IBAN, else a phrase."""
    code = normalise_code(raw)
    queries: list[wq.Query] = [wq.Term(f, code) for f in CODE_FIELDS]
    phrase = _phrase(builder, " ".join(tokens), mark)
    if phrase is not None:
        queries.append(phrase)
    queries.append(wq.And([wq.Term("filename", stems(t)[0]) for t in tokens]))  # scan_0012
    return wq.Or(queries)


def _phrase(builder: _Builder, text: str, mark: bool) -> wq.Query | None:
    surface = words(text)
    tokens = [t for t in surface if t not in STOP_WORDS]
    if not tokens:
        return None
    if len(surface) == 1:
        return _single_word(builder, tokens[0], mark)
    builder.ranked = builder.ranked or mark
    if mark:
        builder.stems.update(s for t in tokens for s in stems(t))
    per_word = [
        wq.Or(
            [wq.Term("content_nl", _stem_nl(t)), wq.Term("content_en", _stem_en(t))]
            + [wq.Term("title", s) for s in stems(t)]
        )
        for t in tokens
    ]
    return ExactPhrase(per_word, tuple(surface))


def _field(term: FieldTerm) -> wq.Query | None:
    if term.field == "tag":
        return wq.Term("tags", term.value.lower())
    if term.field == "custom":
        name, _, value = term.value.partition("=")
        return wq.Term("custom", custom_token(name, value))
    if term.field == "note":
        note_words = [t for t in words(term.value) if t not in STOP_WORDS]
        if term.prefix and note_words:
            return wq.Prefix("notes", note_words[0])
        return _and([wq.Or([wq.Term("notes", s) for s in stems(t)]) for t in note_words])
    if term.field == "file":
        file_words = [t for t in words(term.value) if t not in STOP_WORDS]
        return _and([wq.Or([wq.Term("filename", s) for s in stems(t)]) for t in file_words])
    name = {"client": "client", "type": "type", "ref": "ref", "iban": "iban"}[term.field]
    value = normalise_code(term.value)
    return wq.Prefix(name, value) if term.prefix else wq.Term(name, value)


def _calendar_unit(span: DateRange) -> str | None:
    """Return the year / month / day term that covers exactly ``span``, if any."""
    start, end = span.start, span.end
    if start == end:
        return f"day:{start.isoformat()}"
    if start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]:  # (no overflow at 9999-12-31)
        if start.month == 1 and end.month == 12 and start.year == end.year:
            return f"year:{start.year}"
        if start.year == end.year and start.month == end.month:
            return f"month:{start.isoformat()[:7]}"
    return None


def _calendar_query(span: DateRange) -> wq.Query:
    """Return year, month and day terms that together cover exactly ``span``."""
    unit = _calendar_unit(span)
    if unit is not None:
        name, value = unit.split(":", 1)
        return wq.Term(name, value)
    start = max(span.start, date(FIRST_YEAR, 1, 1))
    end = min(span.end, date(LAST_YEAR, 12, 31))
    terms: list[wq.Query] = []
    day = start
    while day <= end:
        if day.month == 1 and day.day == 1 and date(day.year, 12, 31) <= end:
            terms.append(wq.Term("year", str(day.year)))
            day = date(day.year + 1, 1, 1)
        elif day.day == 1 and _month_end(day) <= end:
            terms.append(wq.Term("month", day.isoformat()[:7]))
            day = _month_end(day) + timedelta(days=1)
        else:
            terms.append(wq.Term("day", day.isoformat()))
            day += timedelta(days=1)
    return wq.Or(terms) if terms else wq.NullQuery


def _month_end(day: date) -> date:
    following = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return following - timedelta(days=1)


def amount_bounds(span: AmountRange) -> tuple[int | None, int | None]:
    """Return the range's bounds in cents."""
    return (
        None if span.low is None else amount_to_cents(span.low),
        None if span.high is None else amount_to_cents(span.high),
    )


def _suggestion(text: str, corrected: dict[str, str]) -> str | None:
    if not corrected:
        return None
    suggestion = text
    for typed, fixed in corrected.items():
        suggestion = re.sub(re.escape(typed), fixed, suggestion, count=1, flags=re.IGNORECASE)
    return suggestion
