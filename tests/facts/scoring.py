"""Per-field accuracy of extract_facts against labelled documents (shared by tests and the bench)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Sequence

from ingest.facts import ClientRegistry, ExtractionSettings, Facts, extract_facts

FIELDS = ("document_type", "document_date", "amount", "currency", "iban", "reference", "language")


@dataclass
class Scores:
    """Right/total per field, the misses, and documents filed under the wrong client."""

    right: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    total: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    misses: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    wrong_clients: list[str] = field(default_factory=list)
    documents: int = 0

    def rate(self, name: str) -> float:
        return self.right[name] / self.total[name] if self.total[name] else 1.0

    def count(self, name: str, happened: bool, label: str) -> None:
        """Count an event that should not happen (a fact invented); its labels are the misses."""
        self.total[name] += 1
        self.right[name] += int(happened)
        if happened:
            self.misses[name].append(label)

    def add(self, name: str, ok: bool, label: str) -> None:
        self.total[name] += 1
        self.right[name] += int(ok)
        if not ok:
            self.misses[name].append(label)


def same(name: str, got: object, want: object) -> bool:
    """Compare one fact; references ignore case and a leading '#'."""
    if name == "reference":
        return str(got or "").lstrip("#").upper() == str(want).lstrip("#").upper()
    return got == want


def score_facts(scores: Scores, label: str, facts: Facts, truth: dict) -> None:
    """Add one document's facts to the scores.

    A field the truth names counts, also when its value is None: the document has no
    such fact and extraction must not invent one (counted again as ``invented_<field>``).
    Fields the truth does not name are not counted.
    """
    scores.documents += 1
    for name in FIELDS:
        if name not in truth:
            continue
        got = getattr(facts, name)
        scores.add(name, same(name, got, truth[name]) if truth[name] is not None else got is None, label)
        if truth[name] is None:
            scores.count(f"invented_{name}", got is not None, label)
    if truth.get("client_id"):
        scores.add("client_found", facts.client_id == truth["client_id"], label)
    if facts.client_id and facts.client_id != truth.get("client_id"):
        scores.wrong_clients.append(label)
    scores.total["wrong_client_rate"] += 1
    scores.right["wrong_client_rate"] += int(bool(facts.client_id and facts.client_id != truth.get("client_id")))


def score_documents(docs: Sequence, registry: ClientRegistry, settings: ExtractionSettings) -> Scores:
    """Extract every document and score it."""
    scores = Scores()
    for doc in docs:
        score_facts(
            scores, doc.name, extract_facts(doc.pages, registry, settings), {**doc.truth, "language": doc.language}
        )
    return scores
