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

from storage.migrations import run_script

# The expressions here must be written exactly as in storage/stats_repo.py: SQLite uses an
# index on an expression only for the same expression. Every index that reads the JSON details
# holds only entries whose details are valid JSON (json_valid, tested first): json_extract of
# anything else is an error, and an index must never make an entry impossible to write — nor
# this migration fail on an old trail. Such an entry (never written by the archive; a hand
# edit that `archive audit verify` reports) is left out of the analysis instead.
_SCHEMA = """
CREATE INDEX IF NOT EXISTS audit_analysis_filed ON audit_log
    (action, at, document_id, json_extract(details, '$.pages'), json_extract(details, '$.needs_review'))
    WHERE action = 'file' AND json_valid(details);
CREATE INDEX IF NOT EXISTS audit_analysis_changes ON audit_log
    (action, at, document_id, json_extract(details, '$.fact'), json_extract(details, '$.before'),
     json_extract(details, '$.after'))
    WHERE action = 'change' AND json_valid(details);
CREATE INDEX IF NOT EXISTS audit_analysis_search_days ON audit_log
    (action, substr(at, 1, 10), json_extract(details, '$.total'))
    WHERE action = 'search' AND json_valid(details);
CREATE INDEX IF NOT EXISTS audit_analysis_searches_by_user ON audit_log
    (actor, seq, at)
    WHERE action = 'search' AND json_valid(details);
CREATE INDEX IF NOT EXISTS audit_analysis_opened ON audit_log
    (action, at, actor)
    WHERE action = 'view' AND json_valid(details) AND json_extract(details, '$.from_search');
CREATE INDEX IF NOT EXISTS audit_analysis_view_days ON audit_log
    (action, substr(at, 1, 10), client_id, document_id)
    WHERE action = 'view';
CREATE INDEX IF NOT EXISTS audit_analysis_reviews ON audit_log
    (action, at, actor, document_id)
    WHERE action IN ('review_confirmed', 'review_done');
CREATE INDEX IF NOT EXISTS audit_analysis_failures ON audit_log
    (action, at, json_extract(details, '$.reason'))
    WHERE action = 'ingest_failed' AND json_valid(details);
CREATE INDEX IF NOT EXISTS audit_analysis_duplicates ON audit_log
    (action, at, json_extract(details, '$.channel'))
    WHERE action = 'duplicate' AND json_valid(details);
"""


def migrate(conn: sqlite3.Connection) -> None:
    """Add the analysis's partial indexes on the audit trail."""
    run_script(conn, _SCHEMA)
