"""SQL for the front-office analysis: one period's audit entries, as plain tuples.

Each question reads one action between two audit timestamps (``start`` inclusive,
``end`` exclusive) and pulls only the detail fields it needs with ``json_extract`` so
that Python never parses the JSON; an entry whose details are not JSON (never written by
the archive) is left out rather than failing the whole analysis. The partial indexes of
migration 0007 hold exactly those columns and expressions (written the same way here),
so most questions are answered from an index without reading the audit rows.
"""

from __future__ import annotations

import sqlite3

from storage.dialect import POSTGRES, SQLITE, Dialect, dialect_of


# No ORDER BY anywhere: the index yields entries in time order already, and the
# analysis orders by seq itself where order matters (a sort in SQL costs a temp B-tree).
def _questions(d: Dialect) -> dict[str, str]:
    valid = d.json_valid("details")
    questions = {
        "filings": f"""
SELECT a.seq, a.document_id, a.at, d.created_at, d.created_by, d.channel,
       COALESCE({d.json_int("a.details", "pages")}, d.pages, 0), d.document_type, d.ocr_confidence,
       COALESCE({d.json_int("a.details", "needs_review")}, 0)
FROM audit_log a JOIN documents d ON d.id = a.document_id
WHERE a.action = 'file' AND {d.json_valid("a.details")} AND a.at >= ? AND a.at < ?
""",
        "changes": f"""
SELECT seq, at, document_id, {d.json_text("details", "fact")}, {d.json_text("details", "before")},
       {d.json_text("details", "after")}
FROM audit_log WHERE action = 'change' AND {valid} AND at >= ? AND document_id IS NOT NULL
""",
        # A clerk clears a review item by confirming it in the review queue ("review_confirmed";
        # "review_done" is accepted as the same).
        "reviews": """
SELECT a.seq, a.at, a.actor, a.document_id, d.created_at
FROM audit_log a JOIN documents d ON d.id = a.document_id
WHERE a.action IN ('review_confirmed', 'review_done') AND a.at >= ? AND a.at < ?
""",
        "failures": f"SELECT seq, at, COALESCE({d.json_text('details', 'reason')}, ''),"
        f" {d.json_text('details', 'message')} FROM audit_log"
        f" WHERE action = 'ingest_failed' AND {valid} AND at >= ? AND at < ?",
        "duplicates": f"SELECT seq, at, {d.json_text('details', 'channel')} FROM audit_log"
        f" WHERE action = 'duplicate' AND {valid} AND at >= ? AND at < ?",
    }
    # Searches per day, with those that returned nothing and those after which the same user opened a
    # result before searching again: for each view from a result list, that user's last search of the
    # period before it (by seq). A view with no search before it gives NULL, which matches no search
    # (and is not filtered out: that would run the subquery twice). Counted here: some 40,000 searches
    # and views a quarter stay out of Python.
    opened_after = f"""
SELECT (SELECT s.seq FROM audit_log s
        WHERE s.action = 'search' AND {d.json_valid("s.details")}
          AND s.actor = v.actor AND s.seq < v.seq AND s.at >= ?1 AND s.at < ?2
        ORDER BY s.seq DESC LIMIT 1) AS search
FROM audit_log v
WHERE v.action = 'view' AND {d.json_valid("v.details")} AND {d.json_true("v.details", "from_search")}
  AND v.at >= ?1 AND v.at < ?2
"""
    # "Found nothing": a total of 0 (or none recorded, or empty) — what a falsy total is in Python.
    questions["search_days"] = f"""
SELECT substr(at, 1, 10), count(*),
       count(CASE WHEN {d.json_empty("details", "total")} THEN 1 END),
       count(CASE WHEN seq IN ({opened_after}) THEN 1 END)
FROM audit_log
WHERE action = 'search' AND {valid} AND substr(at, 1, 10) >= ?3 AND substr(at, 1, 10) < ?4
GROUP BY substr(at, 1, 10)
"""
    # Views are the most numerous entries: they are counted here, per day, rather than sent to
    # Python — how many, how many distinct (client, day) pairs, how many distinct (client, day,
    # document). The audit_analysis_view_days index holds views in (day, client, document) order,
    # so the days stream out without a sort and only the distinct counts need a small tree per day.
    # "document:client" is unambiguous (a document id has no colon) and NULL when either is missing.
    questions["view_days"] = """
SELECT substr(at, 1, 10), count(*), count(DISTINCT NULLIF(client_id, '')),
       count(DISTINCT document_id || ':' || NULLIF(client_id, ''))
FROM audit_log WHERE action = 'view' AND substr(at, 1, 10) >= ? AND substr(at, 1, 10) < ?
GROUP BY substr(at, 1, 10)
"""
    return questions


_QUESTIONS = {dialect.name: _questions(dialect) for dialect in (SQLITE, POSTGRES)}


def _sql(conn: sqlite3.Connection, question: str) -> str:
    return _QUESTIONS[dialect_of(conn).name][question]


def _tuples(conn: sqlite3.Connection, sql: str, params: tuple) -> list[tuple]:
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples: several times cheaper than sqlite3.Row for 100,000 rows
    return cursor.execute(sql, params).fetchall()


def filings(conn: sqlite3.Connection, start: str, end: str) -> list[tuple]:
    """Return (seq, document_id, filed_at, created_at, created_by, channel, pages, type,
    ocr_confidence, needs_review) of every "file" entry in [start, end)."""
    return _tuples(conn, _sql(conn, "filings"), (start, end))


def changes_since(conn: sqlite3.Connection, start: str) -> list[tuple]:
    """Return (seq, at, document_id, fact, before, after) of every fact change from start on."""
    return _tuples(conn, _sql(conn, "changes"), (start,))


def reviews(conn: sqlite3.Connection, start: str, end: str) -> list[tuple]:
    """Return (seq, at, actor, document_id, created_at) of the review items cleared in [start, end)."""
    return _tuples(conn, _sql(conn, "reviews"), (start, end))


def entries(conn: sqlite3.Connection, kind: str, start: str, end: str) -> list[tuple]:
    """Return the failures or duplicates in [start, end)."""
    return _tuples(conn, _sql(conn, kind), (start, end))


def search_days(conn: sqlite3.Connection, start: str, end: str) -> list[tuple]:
    """Return (day, searches, with no results, after which a result was opened) for each day in [start, end)."""
    # Both are midnights: whole days.
    return _tuples(conn, _sql(conn, "search_days"), (start, end, start[:10], end[:10]))


def view_days(conn: sqlite3.Connection, start: str, end: str) -> list[tuple]:
    """Return (day, views, client visit-days, documents viewed per client visit) for each day in [start, end)."""
    return _tuples(conn, _sql(conn, "view_days"), (start[:10], end[:10]))  # both are midnights: whole days


def review_queue(conn: sqlite3.Connection) -> tuple[int, str | None]:
    """Return how many filed documents wait for review now, and the oldest one's arrival."""
    count, oldest = conn.execute(
        "SELECT count(*), min(created_at) FROM documents WHERE state = 'filed' AND needs_review = 1"
    ).fetchone()
    return count, oldest


def count_audit_entries(conn: sqlite3.Connection) -> int:
    """Return the number of audit entries (a full scan: the benchmark's raw baseline)."""
    return conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]


def query_plans(conn: sqlite3.Connection, start: str, end: str) -> dict[str, str]:
    """Return SQLite's plan of each question (EXPLAIN QUERY PLAN), to check which index it reads."""
    params = {
        "filings": (start, end),
        "changes": (start,),
        "reviews": (start, end),
        "view_days": (start[:10], end[:10]),
        "search_days": (start, end, start[:10], end[:10]),
        "failures": (start, end),
        "duplicates": (start, end),
    }
    return {
        name: " / ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + _sql(conn, name), values))
        for name, values in params.items()
    }
