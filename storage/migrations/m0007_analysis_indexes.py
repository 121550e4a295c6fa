"""Analysis indexes: each question of the analysis answered from one index, not from the audit table.

The analysis reads most of the trail for a quarter (filings, changes, searches, views).
Through ``audit_action_at`` every entry found costs a look-up of its row and a parse of
its JSON details; these partial indexes hold exactly the columns and detail fields each
question reads, so SQLite answers from the index alone (an indexed expression is read
from the index, not recomputed). Each is partial on its action: an entry of another kind
costs nothing, and no JSON is parsed for it.
"""

from __future__ import annotations

import sqlite3

from storage.dialect import Dialect, dialect_of
from storage.migrations import run_script

# The expressions here must be written exactly as in storage/stats_repo.py (both take them
# from the dialect): SQLite uses an index on an expression only for the same expression.
# Every index that reads the JSON details holds only entries whose details are valid JSON
# (json_valid, tested first): json_extract of anything else is an error, and an index must
# never make an entry impossible to write — nor this migration fail on an old trail. Such
# an entry (never written by the archive; a hand edit that `archive audit verify` reports)
# is left out of the analysis instead.


def _schema(d: Dialect) -> str:
    valid = d.json_valid("details")
    return f"""
CREATE INDEX IF NOT EXISTS audit_analysis_filed ON audit_log
    (action, at, document_id, {d.json_int("details", "pages")}, {d.json_int("details", "needs_review")})
    WHERE action = 'file' AND {valid};
CREATE INDEX IF NOT EXISTS audit_analysis_changes ON audit_log
    (action, at, document_id, {d.json_text("details", "fact")}, {d.json_text("details", "before")},
     {d.json_text("details", "after")})
    WHERE action = 'change' AND {valid};
CREATE INDEX IF NOT EXISTS audit_analysis_search_days ON audit_log
    (action, substr(at, 1, 10), {d.json_int("details", "total")})
    WHERE action = 'search' AND {valid};
CREATE INDEX IF NOT EXISTS audit_analysis_searches_by_user ON audit_log
    (actor, seq, at)
    WHERE action = 'search' AND {valid};
CREATE INDEX IF NOT EXISTS audit_analysis_opened ON audit_log
    (action, at, actor)
    WHERE action = 'view' AND {valid} AND {d.json_true("details", "from_search")};
CREATE INDEX IF NOT EXISTS audit_analysis_view_days ON audit_log
    (action, substr(at, 1, 10), client_id, document_id)
    WHERE action = 'view';
CREATE INDEX IF NOT EXISTS audit_analysis_reviews ON audit_log
    (action, at, actor, document_id)
    WHERE action IN ('review_confirmed', 'review_done');
CREATE INDEX IF NOT EXISTS audit_analysis_failures ON audit_log
    (action, at, {d.json_text("details", "reason")})
    WHERE action = 'ingest_failed' AND {valid};
CREATE INDEX IF NOT EXISTS audit_analysis_duplicates ON audit_log
    (action, at, {d.json_text("details", "channel")})
    WHERE action = 'duplicate' AND {valid};
"""


def migrate(conn: sqlite3.Connection) -> None:
    """Add the analysis's partial indexes on the audit trail."""
    run_script(conn, _schema(dialect_of(conn)))
