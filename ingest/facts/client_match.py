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
from dataclasses import dataclass, field, replace
from typing import Sequence

from rapidfuzz import fuzz

from ingest.facts.clients import ClientRegistry
from ingest.facts.identifiers import BSN_LABEL, Found, find_bsns, find_emails, find_ibans, find_kvks, find_vats
from ingest.facts.names import PersonName, Printed, company_agreement, person_agreement, printed
from ingest.facts.settings import ExtractionSettings
from ingest.facts.text import LABEL_WORDS, Line, fold
from ingest.facts.zones import RECIPIENT, RECIPIENT_LABEL, SENDER, line_roles

_CLIENT_NUMBER_LABEL = re.compile(
    r"(?:klant|cli[eëéè]nt|relatie|debiteur(?:en)?|customer|client|account)\s*-?\s*(?:nummer|nr\.?|no\.?|number|id|#|code)\s*[:.#]?\s*(?P<value>[A-Z0-9][A-Z0-9./-]{2,20})",
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
    # The name fits but the address or BSN printed with it is someone else's.
    conflict: bool = False
    as_sender: bool = False  # one of its identifiers, or its name, stands in the sender's lines
    as_recipient: bool = False

    def add(self, kind: str, weight: float, line: Line, role: str = "neutral") -> None:
        self.as_sender |= role == SENDER and kind in ("kvk", "vat", "iban", "email", "name")
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
        return score * 0.5 if self.conflict else score


@dataclass(frozen=True)
class Sighting:
    """One piece of evidence for a client: what was seen (``name``, ``postcode``, ``kvk``…) and on which line."""

    kind: str
    page: int
    text: str


@dataclass(frozen=True)
class ClientCandidate:
    """A client the document may be about, how strongly, and each piece of evidence for it."""

    client_id: str
    score: float
    seen: tuple[Sighting, ...] = ()


@dataclass(frozen=True)
class ClientMatch:
    """The outcome: the client (or None), a confidence, where it was seen and why not."""

    client_id: str | None
    confidence: float
    line: Line | None = None
    evidence: str = ""
    reason: str | None = None  # no_client | ambiguous_client
    runner_up: str | None = None
    # The strongest clients with evidence, best first (the chosen one too): a clerk
    # deciding between them, or a client given at upload, is shown why each came up.
    candidates: tuple[ClientCandidate, ...] = ()


def match_client(
    lines: Sequence[Line], registry: ClientRegistry, settings: ExtractionSettings, roles: Sequence[str] | None = None
) -> ClientMatch:
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
    _other_bsn(lines, roles, registry, candidates)
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
            value = match.group("value").rstrip(".")
            client_id = registry.by_client_number(value)
            weight = 0.99
            if client_id is None:
                client_id, weight = registry.repairs.repair("client", value), 0.95  # "K-1OO23"
            if client_id:
                labelled.add(client_id)
                candidate(client_id).add("client_number", _number_weight(client_id, weight), line)
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
        exact: set[str] = set()
        for kind, finder in finders:
            found: list[Found] = finder(line.text)
            for item in found:
                for client_id in registry.with_identifier(kind, item.value):
                    exact.add(client_id)
                    candidate(client_id).add(kind, _ID_WEIGHTS[kind][role], line, role)
        for kind, misread in misread_identifiers(line.text):
            client_id = registry.repairs.repair(kind, misread)
            if client_id and client_id not in exact:
                # A repair the registry confirms counts a little less than the number read right.
                candidate(client_id).add(kind, _ID_WEIGHTS[kind][role] * 0.95, line, role)


# Identifier-shaped stretches that may hold OCR's look-alikes (they are checked by the repairs).
_LOOK = "[0-9OoIlSBZ]"
_SHAPES = (
    (
        "iban",
        re.compile(
            r"(?<![A-Za-z0-9])([A-Z]{2}\s?"
            + _LOOK
            + r"{2}(?:\s?[A-Z0-9lo]{4}){3,7}(?:\s?[A-Z0-9lo]{1,3})?)(?![A-Za-z0-9])"
        ),
    ),
    (
        "bsn",
        re.compile(
            r"(?<![\w.-])("
            + _LOOK
            + r"{4}[. ]?"
            + _LOOK
            + r"{2}[. ]?"
            + _LOOK
            + r"{3}|"
            + _LOOK
            + r"{3}[. ]"
            + _LOOK
            + r"{3}[. ]"
            + _LOOK
            + r"{3})(?![\w-])"
        ),
    ),
    ("kvk", re.compile(r"(?<![\w.-])(" + _LOOK + r"{8})(?![\w-])")),
    ("vat", re.compile(r"(?<![A-Z0-9])(NL\s?" + _LOOK + r"{9}\s?[B8]\s?" + _LOOK + r"{2})(?![A-Z0-9])", re.IGNORECASE)),
)


def misread_identifiers(text: str) -> list[tuple[str, str]]:
    """(kind, printed text) of identifier-shaped stretches with mostly digits, for repair (pure)."""
    found: list[tuple[str, str]] = []
    for kind, pattern in _SHAPES:
        for match in pattern.finditer(text):
            value = match.group(1)
            digits = sum(ch.isdigit() for ch in value)
            if digits >= (6 if kind != "iban" else 8):
                found.append((kind, value))
    return found


# What stands before a name in an address block or a salutation (the title itself is
# the name parser's business).
_NAME_LEAD = re.compile(
    r"^(?:[^\W\d_][\w.'’ /-]{0,28}?\s?:\s*|(?:ontvangen van|received from|betaald door|paid by|aan|to|"
    r"geachte|beste|lieve|dear|hallo|hello|hi)\s+)",
    re.IGNORECASE,
)
_MAX_NAME_WORDS = 8


# "1.", "a)", "b." before a line; a capital and a dot is an initial ("W. Jansen Zorg B.V.").
_ENUMERATION = re.compile(r"^(?:\(?\d{1,2}[.)]|\(?[a-zA-Z]\)|[a-z]\.|[-•*])\s+")


def name_stretches(text: str) -> list[str]:
    """The stretches of a line that may be a name: after its label, and each comma-separated part."""
    rest = _ENUMERATION.sub("", text.strip(), count=1)
    rest = _NAME_LEAD.sub("", RECIPIENT_LABEL.sub("", rest, count=1).strip(), count=1).strip(" ,.;:")
    if not rest:
        return []
    stretches = [rest]
    if "," in rest:
        stretches += [part.strip() for part in rest.split(",") if part.strip()]
    return [s for s in stretches if len(s.split()) <= _MAX_NAME_WORDS]


def _names(lines, roles, registry, settings, candidate) -> None:
    near_address = _address_lines(lines, roles)
    for i, line in enumerate(lines):
        for stretch in name_stretches(line.text):
            seen = printed(stretch)
            respelt = _registered_spelling(seen, registry)
            if not seen.words:
                continue
            for client_id in _name_candidates(respelt.words, registry, fuzzy=i in near_address):
                name = registry.names[client_id]
                agreement = _agreement(name, seen)
                if respelt is not seen:
                    # "Hoorn" may be "Hoom" misread, or Hoorn: a slip, never the exact name.
                    agreement = max(agreement, _RESPELT * _agreement(name, respelt))
                if agreement <= 0.0:
                    continue
                # Only a name that is really there makes its client the addressee; a look-alike
                # of the addressee's name does not clear a client whose identifiers are the sender's.
                role = roles[i] if agreement >= 0.8 else "neutral"
                candidate(client_id).add("name", _name_weight(agreement, roles[i]), line, role)


def _agreement(name, seen: Printed) -> float:
    return person_agreement(name, seen) if isinstance(name, PersonName) else company_agreement(name, seen)


_RESPELT = 0.9
# Letter pairs Tesseract reads as one letter and back ("Verrneulen", "Bakkcr" aside): two
# edits in one word, too many for the one-slip lookup.
_LOOK_ALIKE_PAIRS = (("rn", "m"), ("m", "rn"), ("vv", "w"), ("cl", "d"), ("li", "h"), ("ii", "u"))


def _registered_spelling(seen: Printed, registry: ClientRegistry) -> Printed:
    """The printed name with a word read with a look-alike letter pair put back as registered."""
    words = list(seen.words)
    for n, word in enumerate(words):
        if len(word) < 4 or word in registry.by_token:
            continue
        for printed_pair, meant in _LOOK_ALIKE_PAIRS:
            if printed_pair in word and (respelt := word.replace(printed_pair, meant)) in registry.by_token:
                words[n] = respelt
                break
    return replace(seen, words=tuple(words)) if words != list(seen.words) else seen


def _name_candidates(words: Sequence[str], registry: ClientRegistry, fuzzy: bool) -> set[str]:
    """The clients whose surname or company words stand among `words` (one OCR slip allowed near an address).

    Near an address a word's look-alikes are looked up even when the word itself is
    registered: "Mulder" printed may be "Mulders" with its last letter lost, and when both
    are clients the name alone must not choose between them.
    """
    found: set[str] = set()
    for word in words:
        found |= registry.by_token.get(word, set())
        if fuzzy:
            found |= _fuzzy_token(word, registry)
    return found


def _address_lines(lines: Sequence[Line], roles: Sequence[str]) -> set[int]:
    """Lines where a misspelt name is worth looking up: the addressee's lines and those near a postcode."""
    near: set[int] = {i for i, role in enumerate(roles) if role == RECIPIENT}
    for i, line in enumerate(lines):
        if _POSTCODE.search(line.text):
            near.update(range(max(i - 4, 0), i + 1))
    return near or set(range(min(len(lines), 25)))


def _fuzzy_token(token: str, registry: ClientRegistry) -> set[str]:
    # OCR misreads a letter or two in long names; short words are too easily confused.
    if len(token) < 6 or token.isdigit() or token in LABEL_WORDS:
        return set()
    hits: set[str] = set()
    for word in registry.similar_words(token):
        if fuzz.ratio(token, word) >= 83:
            hits |= registry.by_token[word]
    return hits


# A full name (given name and surname, or a company's whole name) where the document names
# its addressee ("Aan:", "Werknemer:", "Huurder:") identifies the client by itself.
_ADDRESSEE_NAME_WEIGHT = 0.88
_FULL_NAME = 0.95


def _name_weight(agreement: float, role: str) -> float:
    # A surname alone, or initials and a surname, never suffice (namesakes exist): an
    # address, identifier or number must confirm them. A full name addressed as the
    # recipient does, unless the address or BSN printed with it is someone else's, or a
    # namesake is registered (the two are then too close to tell apart).
    weight = 0.7 * agreement
    if role == RECIPIENT:
        return _ADDRESSEE_NAME_WEIGHT if agreement >= _FULL_NAME else weight + 0.1
    if role == SENDER:
        return weight * 0.3
    return weight


def _addresses(lines, roles, registry, candidates: dict[str, Candidate]) -> None:
    folded = [_address_text(line.text) for line in lines]
    postcodes = _postcodes(lines)
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
        elif (
            "name" in cand.signals
            and set(cand.signals) <= {"name", "street"}
            and _other_postcode_below(cand.where["name"], lines, roles, postcodes)
        ):
            cand.conflict = True  # the name fits but the letter went to another address


# A Dutch postcode as OCR may read it: "3511 AB", "3511AB", "35l1 AB".
_POSTCODE_READ = re.compile(r"(?<![\w])([0-9OoIlSB]{4})\s?([A-Z]{2})(?![A-Za-z])")
_TO_DIGIT = str.maketrans("OoIlSB", "001158")
_HOUSE = re.compile(r"^[\s,.:]*(\d{1,5})\s*[-/]?\s*([a-z]{1,3}(?![a-z])|\d{1,3}(?!\d)|ii+(?![a-z])|bis)?")


def _postcodes(lines: Sequence[Line]) -> dict[str, list[int]]:
    """Where each postcode stands (line indexes), with OCR's letter-for-digit slips undone."""
    found: dict[str, list[int]] = defaultdict(list)
    for i, line in enumerate(lines):
        for match in _POSTCODE_READ.finditer(line.text):
            digits = match.group(1).translate(_TO_DIGIT)
            if digits[0] != "0":
                found[digits + match.group(2)].append(i)
    return found


def _address_text(text: str) -> str:
    """A line folded for comparing addresses: "Kerkstr. 12" and "KERKSTRAAT 12" alike."""
    folded = fold(text).replace("straat", "str").replace("str.", "str")
    return re.sub(r"\s+", " ", folded)


def _house_number(text: str) -> tuple[str, str] | None:
    """(digits, addition) of a house number as registered or printed: "12a", "12 A", "12-2", "12-II"."""
    match = _HOUSE.match(fold(text))
    return (match.group(1), (match.group(2) or "").replace("-", "")) if match else None


def _street_line(lines, folded: list[str], client) -> Line | None:
    """The line where the client's street is printed with its house number (OCR slips in the street allowed)."""
    if not client.street or not client.house_number:
        return None
    street, number = _address_text(client.street), _house_number(client.house_number)
    if number is None:
        return None
    for i, text in enumerate(folded):
        if len(street) >= 8:
            alignment = fuzz.partial_ratio_alignment(street, text, score_cutoff=88)
            end = alignment.dest_end if alignment else -1
        else:
            at = text.find(street)
            end = at + len(street) if at >= 0 else -1
        if end < 0:
            continue
        after = text[end:]
        if not after.strip() and i + 1 < len(folded):
            after = folded[i + 1]  # the house number broke off onto the next line
        printed = _house_number(after)
        if printed and printed[0] == number[0] and (not printed[1] or not number[1] or printed[1] == number[1]):
            return lines[i]
    return None


def _other_bsn(lines, roles, registry, candidates: dict[str, Candidate]) -> None:
    """A person whose registered BSN is not the one the document gives its subject is someone else."""
    printed = _labelled_bsns(lines, roles)
    if not printed:
        return
    for cand in candidates.values():
        client = registry.get(cand.client_id)
        if client is not None and client.bsn and client.bsn not in printed and "bsn" not in cand.signals:
            cand.conflict = True


def _labelled_bsns(lines: Sequence[Line], roles: Sequence[str]) -> set[str]:
    """The BSNs printed beside a BSN label ("BSN: …", or the label on the line above), outside the sender's lines."""
    found: set[str] = set()
    for i, line in enumerate(lines):
        if roles[i] == SENDER:
            continue
        labelled = BSN_LABEL.search(line.text) or (i > 0 and BSN_LABEL.search(lines[i - 1].text))
        if labelled:
            found.update(item.value for item in find_bsns(line.text))
    return found


_ADDRESS_ROWS = 5


def _other_postcode_below(line: Line, lines, roles, postcodes: dict[str, list[int]]) -> bool:
    # The address block under a name: its postcode stands within the next few printed lines,
    # before the sender's lines begin (a contract names the other party right below the
    # client). Printed lines, not pieces: a form's "Adres   Kerkstraat 1" is two pieces.
    block, rows = set(), set()
    for i in range(line.index, len(lines)):
        rows.add(lines[i].row)
        if roles[i] == SENDER or lines[i].page != line.page or len(rows) > _ADDRESS_ROWS:
            break
        block.add(i)
    return any(i in block for where in postcodes.values() for i in where)


# Candidates weaker than this are not worth a clerk's attention; at most this many are kept.
_CANDIDATE_FLOOR = 0.3
_CANDIDATES_KEPT = 3


def _decide(candidates: dict[str, Candidate], settings: ExtractionSettings) -> ClientMatch:
    # Equal scores are ordered by client number: the same document gets the same answer on
    # every run (candidates arrive in the order of hash sets, which differs per process).
    ranked = sorted(candidates.values(), key=lambda c: (-c.score(), c.client_id))
    ranked = [c for c in ranked if "name" in c.signals or set(c.signals) - {"postcode", "street"}]
    if not ranked:
        return ClientMatch(None, 0.0, reason="no_client")
    shown = tuple(_shown(c) for c in ranked[:_CANDIDATES_KEPT] if c.score() >= _CANDIDATE_FLOOR)
    best = ranked[0]
    best_score = best.score()
    kind = min(best.signals, key=lambda signal: (-best.signals[signal], signal))
    line = best.where[kind]
    second = ranked[1].score() if len(ranked) > 1 else 0.0
    close = len(ranked) > 1 and second >= 0.5 and best_score - second < settings.client_margin
    if (close and not _outweighs(best, ranked[1])) or _name_fits_another(best, ranked[1:]):
        return ClientMatch(None, best_score, line, kind, "ambiguous_client", ranked[1].client_id, shown)
    if best_score < settings.min_client_confidence:
        return ClientMatch(None, best_score, line, kind, "no_client", candidates=shown)
    return ClientMatch(best.client_id, round(best_score, 3), line, kind, candidates=shown)


# Evidence that tells namesakes apart: an identifier, a client number, an address.
_OWN_EVIDENCE = 0.5


def _outweighs(best: Candidate, other: Candidate) -> bool:
    """Whether all the other's evidence is the best's too, and the best has strong evidence of its own.

    Namesakes share their name: "Zoë Müller" printed fits "Zoe Muller" as well, and says
    nothing about which of the two it is. A client number, BSN or address does.
    """
    shared = all(best.signals.get(kind, 0.0) >= weight for kind, weight in other.signals.items())
    own = [weight for kind, weight in best.signals.items() if kind not in other.signals]
    return shared and not best.conflict and max(own, default=0.0) >= _OWN_EVIDENCE


def _name_fits_another(best: Candidate, others: Sequence[Candidate]) -> bool:
    """Whether the best was chosen on its name alone and that name fits another client too.

    "Anouk Kok" fits a registered "A. Kok" as well: the whole name files by itself only
    when it is nobody else's in the registry.
    """
    if set(best.signals) != {"name"}:
        return False
    return any(other.signals.get("name", 0.0) >= _OWN_EVIDENCE for other in others)


def _shown(candidate: Candidate) -> ClientCandidate:
    kinds = sorted(candidate.signals, key=lambda kind: (-candidate.signals[kind], kind))
    seen = tuple(Sighting(k, candidate.where[k].page, candidate.where[k].text[:200]) for k in kinds)
    return ClientCandidate(candidate.client_id, round(candidate.score(), 3), seen)
