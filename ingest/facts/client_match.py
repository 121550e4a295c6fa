"""Recognise the client a document is about, or say honestly that it is unsure.

Evidence is weighed per client and combined as independent signals (noisy-or):
a labelled client number or a BSN is near-certain; a KvK number, VAT id, IBAN or
e-mail address counts much less when it stands in the sender's lines; a name counts
by how closely it matches and is confirmed by the client's postcode. A document
whose two best candidates are close is left for a clerk: filing under the wrong
client is worse than not filing under any.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Sequence

from rapidfuzz import fuzz, process

from ingest.facts.clients import ClientRegistry, collapse_initials, name_tokens
from ingest.facts.identifiers import Found, find_bsns, find_emails, find_ibans, find_kvks, find_vats
from ingest.facts.settings import ExtractionSettings
from ingest.facts.text import LABEL_WORDS, Line, fold
from ingest.facts.zones import RECIPIENT, SENDER, line_roles

_CLIENT_NUMBER_LABEL = re.compile(
    r"(?:klant|cli[eë]nt|relatie|debiteur(?:en)?|customer|client|account)\s*-?\s*(?:nummer|nr\.?|no\.?|number|id|#|code)\s*[:.#]?\s*(?P<value>[A-Z0-9][A-Z0-9./-]{2,20})",
    re.IGNORECASE,
)
_CLIENT_NUMBER_ALONE = re.compile(_CLIENT_NUMBER_LABEL.pattern.split("\\s*(?P<value>")[0] + r"\s*$", re.IGNORECASE)
_CODE_TOKEN = re.compile(r"(?<![\w-])([A-Z]{1,4}[-./]?\d{3,10})(?![\w-])")
_POSTCODE = re.compile(r"(?<!\d)(\d{4})\s?([A-Z]{2})(?![A-Za-z])")
# Weight of one identifier by the role of the line it stands in.
_ID_WEIGHTS = {
    "bsn": {RECIPIENT: 0.97, "neutral": 0.95, SENDER: 0.6},
    "kvk": {RECIPIENT: 0.9, "neutral": 0.6, SENDER: 0.15},
    "vat": {RECIPIENT: 0.9, "neutral": 0.65, SENDER: 0.15},
    "iban": {RECIPIENT: 0.9, "neutral": 0.7, SENDER: 0.2},
    "email": {RECIPIENT: 0.9, "neutral": 0.7, SENDER: 0.2},
}


@dataclass
class Candidate:
    """The evidence gathered for one client."""

    client_id: str
    signals: dict[str, float] = field(default_factory=dict)
    where: dict[str, Line] = field(default_factory=dict)
    address_conflict: bool = False
    as_sender: bool = False  # one of its identifiers stands in the sender's lines
    as_recipient: bool = False

    def add(self, kind: str, weight: float, line: Line, role: str = "neutral") -> None:
        self.as_sender |= role == SENDER and kind in ("kvk", "vat", "iban", "email")
        self.as_recipient |= role == RECIPIENT or kind in ("client_number", "bsn")
        if weight > self.signals.get(kind, 0.0):
            self.signals[kind] = weight
            self.where[kind] = line

    def score(self) -> float:
        missing = 1.0
        for weight in self.signals.values():
            missing *= 1.0 - weight
        score = 1.0 - missing
        if self.as_sender and not self.as_recipient:
            score *= 0.4  # the sender's letterhead: its name and address are not the addressee
        return score * 0.5 if self.address_conflict else score


@dataclass(frozen=True)
class ClientMatch:
    """The outcome: the client (or None), a confidence, where it was seen and why not."""

    client_id: str | None
    confidence: float
    line: Line | None = None
    evidence: str = ""
    reason: str | None = None  # no_client | ambiguous_client
    runner_up: str | None = None


def match_client(lines: Sequence[Line], registry: ClientRegistry, settings: ExtractionSettings,
                 roles: Sequence[str] | None = None) -> ClientMatch:
    """Return the client the document is about, or None with the reason it is unsure."""
    if not lines or not len(registry):
        return ClientMatch(None, 0.0, reason="no_client")
    roles = roles if roles is not None else line_roles(lines)
    candidates: dict[str, Candidate] = {}

    def candidate(client_id: str) -> Candidate:
        return candidates.setdefault(client_id, Candidate(client_id))

    _client_numbers(lines, registry, candidate)
    _identifiers(lines, roles, registry, candidate)
    _names(lines, roles, registry, settings, candidate)
    _addresses(lines, roles, registry, candidates)
    return _decide(candidates, settings)


def _client_numbers(lines, registry, candidate) -> None:
    for i, line in enumerate(lines):
        labelled: set[str] = set()
        if _CLIENT_NUMBER_ALONE.search(line.text) and i + 1 < len(lines) and lines[i + 1].text.split():
            # The label on one line, its value on the next (two columns read one after the other).
            client_id = registry.by_client_number(lines[i + 1].text.split()[0].rstrip("."))
            if client_id:
                labelled.add(client_id)
                candidate(client_id).add("client_number", _number_weight(client_id, 0.97), lines[i + 1])
        for match in _CLIENT_NUMBER_LABEL.finditer(line.text):
            client_id = registry.by_client_number(match.group("value").rstrip("."))
            if client_id:
                labelled.add(client_id)
                candidate(client_id).add("client_number", _number_weight(client_id, 0.99), line)
        for match in _CODE_TOKEN.finditer(line.text):
            client_id = registry.by_client_number(match.group(1))
            if client_id and client_id not in labelled:
                # Unlabelled, a code like "C042" may be an article or order number: it only supports.
                candidate(client_id).add("client_code", 0.6, line)


def _number_weight(client_id: str, weight: float) -> float:
    # A number of digits only may be the client's number at the sender ("Klantnummer: 20001"
    # on a supplier's invoice); one with letters (K-10023) is this office's own.
    return weight if re.search(r"[A-Za-z]", client_id) else 0.8


def _identifiers(lines, roles, registry, candidate) -> None:
    finders = (("bsn", find_bsns), ("kvk", find_kvks), ("vat", find_vats), ("iban", find_ibans), ("email", find_emails))
    for line, role in zip(lines, roles):
        for kind, finder in finders:
            found: list[Found] = finder(line.text)
            for item in found:
                for client_id in registry.with_identifier(kind, item.value):
                    candidate(client_id).add(kind, _ID_WEIGHTS[kind][role], line, role)


def _names(lines, roles, registry, settings, candidate) -> None:
    token_lines: dict[str, set[int]] = defaultdict(set)
    line_tokens = [collapse_initials(name_tokens(line.text)) for line in lines]
    for i, tokens in enumerate(line_tokens):
        for token in tokens:
            if len(token) >= 3:
                token_lines[token].add(i)
    shortlist: dict[tuple[str, ...], set[int]] = defaultdict(set)
    near_address = _address_lines(lines, roles)
    for token, where in token_lines.items():
        names = registry.names_by_token.get(token)
        if names is None and where & near_address:
            names = _fuzzy_token(token, registry)
        for variants in names or ():
            shortlist[variants] |= where
    windows: dict[int, dict[int, list[str]]] = defaultdict(dict)
    for variants, where in shortlist.items():
        for i in where:
            score = _best_ratio(variants, line_tokens[i], windows[i])
            if score >= settings.name_match_cutoff:
                weight = _name_weight(score, roles[i])
                # Only a name that is really there makes its client the addressee; a look-alike
                # of the addressee's name does not clear a client whose identifiers are the sender's.
                role = roles[i] if score >= 97 else "neutral"
                for client_id in registry.by_variants[variants]:
                    candidate(client_id).add("name", weight, lines[i], role)


def _address_lines(lines: Sequence[Line], roles: Sequence[str]) -> set[int]:
    """Lines where a misspelt name is worth looking up: the addressee's lines and those near a postcode."""
    near: set[int] = {i for i, role in enumerate(roles) if role == RECIPIENT}
    for i, line in enumerate(lines):
        if _POSTCODE.search(line.text):
            near.update(range(max(i - 4, 0), i + 1))
    return near or set(range(min(len(lines), 25)))


def _fuzzy_token(token: str, registry: ClientRegistry) -> set[tuple[str, ...]]:
    # OCR misreads a letter or two in long names; short words are too easily confused.
    if len(token) < 6 or token.isdigit() or token in LABEL_WORDS:
        return set()
    hits: set[tuple[str, ...]] = set()
    for word in registry.similar_words(token):
        if fuzz.ratio(token, word) >= 83:
            hits |= registry.names_by_token[word]
    return hits


def _best_ratio(variants: Sequence[str], tokens: Sequence[str], windows: dict[int, list[str]]) -> float:
    best = 0.0
    for variant in variants:
        size = variant.count(" ") + 1
        for width in (size, size + 1) if size > 1 else (size,):
            if width not in windows:
                windows[width] = [" ".join(tokens[i : i + width]) for i in range(max(len(tokens) - width + 1, 0))]
            if size == 1 and len(variant) < 8:
                # A short one-word name must be there exactly.
                best = max(best, 100.0 if variant in windows[width] else 0.0)
                continue
            found = process.extractOne(variant, windows[width], scorer=fuzz.ratio, score_cutoff=best)
            if found:
                best = max(best, found[1])
    return best


def _name_weight(score: float, role: str) -> float:
    # A name alone never suffices (namesakes exist): an address, identifier or number must confirm it.
    weight = 0.65 - (100.0 - score) * 0.03
    if role == RECIPIENT:
        return weight + 0.15
    if role == SENDER:
        return weight * 0.3
    return weight


def _addresses(lines, roles, registry, candidates: dict[str, Candidate]) -> None:
    folded = [fold(line.text) for line in lines]
    postcodes: dict[str, list[int]] = defaultdict(list)
    for i, line in enumerate(lines):
        for match in _POSTCODE.finditer(line.text):
            postcodes[match.group(1) + match.group(2).upper()].append(i)
    for cand in candidates.values():
        client = registry.get(cand.client_id)
        if client is None or not client.postcode:
            continue
        code = client.postcode.replace(" ", "")
        if code in postcodes and any(roles[i] != SENDER for i in postcodes[code]):
            cand.add("postcode", 0.6, lines[postcodes[code][0]])
        street = _street_line(lines, folded, client) if "name" in cand.signals else None
        if street is not None and roles[street.index] != SENDER:
            cand.add("street", 0.5, street)
        elif "name" in cand.signals and set(cand.signals) <= {"name", "street"} and _other_postcode_below(cand.where["name"], postcodes):
            cand.address_conflict = True  # the name fits but the letter went to another address


def _street_line(lines, folded: list[str], client) -> Line | None:
    if not client.street or not client.house_number:
        return None
    street, number = fold(client.street), client.house_number.lower()
    for line, text in zip(lines, folded):
        at = text.find(street)
        if at >= 0 and re.match(r"\.?\s*" + re.escape(number) + r"(?![0-9])", text[at + len(street):]):
            return line
    return None


def _other_postcode_below(line: Line, postcodes: dict[str, list[int]]) -> bool:
    # The address block under a name: its postcode stands within the next few lines.
    return any(line.index <= i <= line.index + 4 for where in postcodes.values() for i in where)


def _decide(candidates: dict[str, Candidate], settings: ExtractionSettings) -> ClientMatch:
    ranked = sorted(candidates.values(), key=lambda c: c.score(), reverse=True)
    ranked = [c for c in ranked if "name" in c.signals or set(c.signals) - {"postcode", "street"}]
    if not ranked:
        return ClientMatch(None, 0.0, reason="no_client")
    best = ranked[0]
    best_score = best.score()
    kind = max(best.signals, key=lambda signal: best.signals[signal])
    line = best.where[kind]
    second = ranked[1].score() if len(ranked) > 1 else 0.0
    if len(ranked) > 1 and second >= 0.5 and best_score - second < settings.client_margin:
        return ClientMatch(None, best_score, line, kind, "ambiguous_client", ranked[1].client_id)
    if best_score < settings.min_client_confidence:
        return ClientMatch(None, best_score, line, kind, "no_client")
    return ClientMatch(best.client_id, round(best_score, 3), line, kind)
