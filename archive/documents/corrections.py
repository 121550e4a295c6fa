"""Clerks' corrections of extracted facts: recorded with who and when, and learned from.

The document-type corrections train the type classifier once
``extraction.classifier_min_corrections`` of them are recorded.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

from archive.access.actors import Actor
from ingest.facts import TypeClassifier
from ingest.values import mask_bsn
from storage import clients_repo


def record_correction(
    conn: sqlite3.Connection,
    document_id: int,
    fact: str,
    old_value: str | None,
    new_value: str | None,
    actor: Actor,
    at: datetime | str | None = None,
) -> None:
    """Record that ``actor`` changed one fact of a document (inside the caller's transaction)."""
    when = at if isinstance(at, str) else (at or datetime.now(timezone.utc)).isoformat(timespec="seconds")
    # A BSN is never kept in the corrections list in the clear.
    if fact == "bsn":
        old_value, new_value = mask_bsn(old_value), mask_bsn(new_value)
    clients_repo.insert_correction(conn, document_id, fact, old_value, new_value, actor.name, when)


def corrections(conn: sqlite3.Connection, document_id: int | None = None) -> list[dict]:
    """Return the recorded corrections as dicts (document_id, fact, old_value, new_value, actor, at)."""
    return [dict(row) for row in clients_repo.corrections(conn, document_id)]


def type_training_set(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """Return (text, type) pairs to learn from: every correction, plus documents filed without one.

    The uncorrected documents (up to three per correction) show the classifier what the
    rules already get right, so that it learns the difference, not one type only.
    """
    corrected = list(clients_repo.type_training_rows(conn))
    return corrected + list(clients_repo.confirmed_type_rows(conn, 3 * len(corrected)))


def train_classifier(conn: sqlite3.Connection, min_corrections: int) -> TypeClassifier | None:
    """Return a classifier trained on the clerks' type corrections, or None while too few exist."""
    if clients_repo.count_type_corrections(conn) < min_corrections:
        return None
    return TypeClassifier.train(type_training_set(conn), min_samples=min_corrections)
