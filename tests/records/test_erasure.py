"""Erasure that erases: after a disposal no file of the home holds the destroyed document's words.

Not the database (free pages zeroed), not its write-ahead log (checkpointed and
truncated), not the search index (its segment rewritten without the document), not a
derivative or a temporary file. On PostgreSQL the database's files are the server's:
there no row holds the words, and the tables the disposal emptied were vacuumed, so their
files on the server hold none either (the server's own log it recycles itself).
"""

from __future__ import annotations

import zlib
from datetime import date
from pathlib import Path

from archive.documents.filing import FilingHints
from storage.records_repo import ERASED_TABLES
from tests.documents import text_pdf
from tests.records.conftest import RITA

# Words no dictionary knows, so a hit can only come from the destroyed document.
SECRET_WORDS = ("Kwispelborduurtje", "Zorptravelijnen", "Flobbertoverijs")
KEPT_WORDS = ("Grommelkaartje",)


def _holders(home: Path, words: tuple[str, ...]) -> dict[str, list[str]]:
    """Return, per word, the files under ``home`` that hold it (as written, lower case, or compressed)."""
    found: dict[str, list[str]] = {word: [] for word in words}
    for path in sorted(p for p in home.rglob("*") if p.is_file()):
        try:
            data = path.read_bytes()
        except FileNotFoundError:  # an index writer's temporary file, gone since the listing
            continue
        texts = [data, *_inflated(data)]
        for word in words:
            forms = {word.encode(), word.lower().encode(), word.lower()[:10].encode()}
            if any(form in text or form in text.lower() for text in texts for form in forms):
                found[word].append(str(path.relative_to(home)))
    return found


def _inflated(data: bytes) -> list[bytes]:
    """Return what the zlib streams in ``data`` hold (Whoosh keeps stored text compressed)."""
    out, start = [], 0
    while (start := data.find(b"\x78", start)) != -1:
        try:
            out.append(zlib.decompressobj().decompress(data[start : start + 2_000_000]))
        except zlib.error:
            pass
        start += 1
    return [chunk for chunk in out if chunk]


def _file(archive, folder: Path, name: str, words: tuple[str, ...], kind: str, when: date) -> int:
    body = [
        f"Betreft: {name}",
        "Met vriendelijke groet, de administratie.",
        *(f"Notitie over {w} en meer." for w in words),
    ]
    path = text_pdf(folder / f"{name}.pdf", ["\n".join(body)])
    outcome = archive.ingest(path, hints=FilingHints(document_type=kind, document_date=when))
    assert outcome.status == "filed", outcome.error
    return outcome.id


def test_no_file_of_the_home_keeps_a_destroyed_documents_words(records_archive, tmp_path: Path) -> None:
    archive, home = records_archive, records_archive.config.home
    folder = tmp_path / "in"
    folder.mkdir()
    doomed = _file(archive, folder, "oude-factuur", SECRET_WORDS, "invoice", date(2012, 4, 1))
    kept = _file(archive, folder, "nieuwe-brief", KEPT_WORDS, "letter", date(2026, 2, 1))
    for number in range(3):  # more documents in the same index segment as the doomed one
        _file(archive, folder, f"brief-{number}", (f"Woordvulsel{number}",), "letter", date(2026, 1, 5))
    archive.flush_index()
    before = _holders(home, SECRET_WORDS)
    assert all(before[word] for word in SECRET_WORDS), before  # the check can see them where they are
    assert any(name.startswith("index/") for name in before[SECRET_WORDS[0]])

    result = archive.records.dispose(RITA, approve=True)
    assert result.destroyed == [doomed]

    after = _holders(home, SECRET_WORDS)
    assert after == {word: [] for word in SECRET_WORDS}, after
    if archive.config.database.url:  # checked before the searches below, which the trail records
        _assert_gone_from_the_server(archive, SECRET_WORDS)
    # What is kept is untouched and still found.
    assert _holders(home, KEPT_WORDS)[KEPT_WORDS[0]]
    assert archive.document(kept, RITA).state == "filed"
    from search import SearchRequest

    assert archive.search(SearchRequest(query=KEPT_WORDS[0].lower()), RITA).total == 1
    assert archive.search(SearchRequest(query=SECRET_WORDS[0].lower()), RITA).total == 0
    assert archive.verify_all()["ok"]


def _assert_gone_from_the_server(archive, words: tuple[str, ...]) -> None:
    """No row of any table holds the words, nor the server's files of the tables a disposal empties."""
    conn = archive.core.db.read()
    tables = [row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")]
    for table in tables:
        for word in words:
            hits = conn.execute(f"SELECT count(*) FROM {table} AS t WHERE t::text ILIKE ?", (f"%{word}%",))
            assert hits.fetchone()[0] == 0, (table, word)
    data = Path(conn.execute("SHOW data_directory").fetchone()[0])
    with archive.core.db.pool.connection() as raw:
        raw.execute("CHECKPOINT")  # the server writes its pages out now, so its files are what it holds
    for table in ERASED_TABLES:
        for relation in (table, _toast_of(conn, table)):
            if relation is None:
                continue
            (relative,) = conn.execute("SELECT pg_relation_filepath(?)", (relation,)).fetchone()
            try:
                held = (data / relative).read_bytes()
            except OSError:  # the server's files are not ours to read here
                continue
            assert not any(w.encode() in held or w.lower().encode() in held for w in words), relation


def _toast_of(conn, table: str) -> str | None:
    row = conn.execute(
        "SELECT reltoastrelid::regclass::text FROM pg_class WHERE oid = ?::regclass AND reltoastrelid != 0", (table,)
    ).fetchone()
    return row[0] if row else None
