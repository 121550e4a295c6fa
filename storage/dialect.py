"""What differs between SQLite and PostgreSQL, in one place.

Every repository and migration is written once, in a portable subset of SQL:
``?`` or ``:name`` placeholders, ``INSERT … ON CONFLICT`` for upserts, ``INSERT …
RETURNING id`` for new ids, ``lower(x) LIKE lower(?)`` for case-blind matching, and
no engine-only functions. What cannot be written portably is asked of the
connection's dialect (``conn.dialect``), never decided by testing the engine's name in
a repository:

- placeholders: ``?``, ``?NNN`` and ``:name`` become psycopg's ``%s`` / ``%(name)s``
  (``translate``), a ``%`` in the text is doubled;
- column types in migrations: ``INTEGER PRIMARY KEY`` is an identity column,
  ``INTEGER`` a BIGINT, ``REAL`` a DOUBLE PRECISION (PostgreSQL's REAL has only six
  digits), ``x COLLATE NOCASE`` in an index ``lower(x)``;
- triggers: SQLite's ``CREATE TRIGGER … [WHEN …] BEGIN …; END`` with a body of
  ``SELECT RAISE(ABORT, '…')`` and plain INSERT/UPDATE/DELETE statements becomes a
  PL/pgSQL function and its trigger; a raise is an integrity error on both engines;
- the JSON in audit details, read by the analysis and its indexes (``json_text``,
  ``json_int``, ``json_valid``: SQLite's json_extract, PostgreSQL functions that answer
  the same, NULL for text that is not JSON);
- what only one engine has: PRAGMAs, the SQLite JSON body used to verify the audit chain
  fast, a relaxed-durability commit.

A repository or migration using an SQLite-only construct keeps working on SQLite and
fails on PostgreSQL with the server's message; ``tests/storage/test_portable_sql.py``
names the file and line before that.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Translated:
    """A statement in psycopg's placeholder style, and how its parameters are passed."""

    sql: str
    style: str  # "none" | "positional" | "named" | "numbered"


@functools.lru_cache(maxsize=4096)
def translate(sql: str, with_params: bool) -> Translated:
    """Return ``sql`` with SQLite placeholders in psycopg's style (string literals, quoted
    names and comments left alone); raise ValueError on a mix of styles."""
    out: list[str] = []
    styles: set[str] = set()
    i, n = 0, len(sql)
    while i < n:
        char = sql[i]
        if char in "'\"":
            end = _quoted_end(sql, i)
            out.append(sql[i:end].replace("%", "%%") if with_params else sql[i:end])
            i = end
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            end = n if end < 0 else end
            out.append(sql[i:end].replace("%", "%%") if with_params else sql[i:end])
            i = end
        elif char == "?":
            j = i + 1
            while j < n and sql[j].isdigit():
                j += 1
            if j > i + 1:
                styles.add("numbered")
                out.append(f"%(_{sql[i + 1 : j]})s")
            else:
                styles.add("positional")
                out.append("%s")
            i = j
        elif (
            char == ":" and i + 1 < n and (sql[i + 1].isalpha() or sql[i + 1] == "_") and (i == 0 or sql[i - 1] != ":")
        ):
            j = i + 1
            while j < n and (sql[j].isalnum() or sql[j] == "_"):
                j += 1
            styles.add("named")
            out.append(f"%({sql[i + 1 : j]})s")
            i = j
        elif char == "%" and with_params:
            out.append("%%")
            i += 1
        else:
            out.append(char)
            i += 1
    if len(styles) > 1:
        raise ValueError(f"A statement mixes placeholder styles ({', '.join(sorted(styles))}): {sql[:80]}")
    text = "".join(out)
    if _DDL.match(text):  # a column added or a table made outside run_script gets the same types
        text = _postgres_types(text)
    return Translated(text, styles.pop() if styles else "none")


def _quoted_end(sql: str, start: int) -> int:
    """Return the index just past the quoted text that starts at ``start`` ('' and "" are escapes)."""
    quote, i = sql[start], start + 1
    while i < len(sql):
        if sql[i] == quote:
            if i + 1 < len(sql) and sql[i + 1] == quote:
                i += 2
                continue
            return i + 1
        i += 1
    return len(sql)


# -- migrations: the schema script of one migration, for PostgreSQL --------------------

_TRIGGER = re.compile(
    r"CREATE\s+TRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?(?P<name>\w+)\s+(?P<when>BEFORE|AFTER)\s+"
    r"(?P<event>INSERT|DELETE|UPDATE(?:\s+OF\s+[\w\s,]+?)?)\s+ON\s+(?P<table>\w+)\s+"
    r"(?:FOR\s+EACH\s+ROW\s+)?(?:WHEN\s+(?P<condition>.*?)\s+)?BEGIN\s+(?P<body>.*?)\s*END\s*;",
    re.IGNORECASE | re.DOTALL,
)
_RAISE = re.compile(r"^SELECT\s+RAISE\s*\(\s*ABORT\s*,\s*'(?P<message>(?:[^']|'')*)'\s*\)$", re.IGNORECASE | re.DOTALL)
_DDL = re.compile(r"^\s*(CREATE\s+(TABLE|INDEX|UNIQUE\s+INDEX)|ALTER\s+TABLE)\b", re.IGNORECASE)
_DML = re.compile(r"^(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
_TYPES = (
    (re.compile(r"\bINTEGER\s+PRIMARY\s+KEY\b", re.IGNORECASE), "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
    (re.compile(r"\bINTEGER\b", re.IGNORECASE), "BIGINT"),
    (re.compile(r"\bREAL\b", re.IGNORECASE), "DOUBLE PRECISION"),
    (re.compile(r"\b(\w+)\s+COLLATE\s+NOCASE\b", re.IGNORECASE), r"lower(\1)"),
)


class UnportableSchema(ValueError):
    """A migration uses what this dialect layer cannot give PostgreSQL."""


def postgres_script(script: str) -> list[str]:
    """Return the statements of a migration script (SQLite's portable subset) for PostgreSQL.

    Raises UnportableSchema for a trigger whose body is not raises and plain DML.
    """
    triggers: list[list[str]] = []
    rest = _TRIGGER.sub(lambda match: _keep_aside(triggers, _postgres_trigger(match)), _strip_comments(script))
    if re.search(r"\bCREATE\s+TRIGGER\b", rest, re.IGNORECASE):
        raise UnportableSchema(
            "A trigger is not in the portable form: CREATE TRIGGER name BEFORE|AFTER event ON "
            "table [WHEN condition] BEGIN statements; END;"
        )
    ordered: list[str] = []
    for piece in split_statements(rest):
        marker = re.fullmatch(r"\x00(\d+)\x00", piece)
        if marker:
            ordered += triggers[int(marker.group(1))]
        else:
            ordered.append(_postgres_types(piece))
    return ordered


def _keep_aside(triggers: list[list[str]], translated: list[str]) -> str:
    triggers.append(translated)
    return f"\x00{len(triggers) - 1}\x00;"


def _postgres_types(statement: str) -> str:
    pieces = re.split(r"('(?:[^']|'')*')", statement)  # never inside a string literal
    for number in range(0, len(pieces), 2):
        for pattern, replacement in _TYPES:
            pieces[number] = pattern.sub(replacement, pieces[number])
    return "".join(pieces)


def _postgres_trigger(match: re.Match[str]) -> list[str]:
    name, table, event = match["name"], match["table"], re.sub(r"\s+", " ", match["event"].upper())
    row = "OLD" if event == "DELETE" else "NEW"
    actions = []
    for statement in split_statements(match["body"]):
        raised = _RAISE.match(statement.strip())
        if raised:
            actions.append(
                f"RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = '{raised['message']}';"
            )
        elif _DML.match(statement.strip()):
            actions.append(_postgres_types(statement.strip()) + ";")
        else:
            raise UnportableSchema(f"Trigger {name}: only RAISE(ABORT, …) and INSERT/UPDATE/DELETE are portable.")
    body = " ".join(actions)
    if match["condition"]:
        body = f"IF {match['condition']} THEN {body} END IF;"
    return [
        f"CREATE OR REPLACE FUNCTION {name}_fn() RETURNS trigger LANGUAGE plpgsql AS $fn$ "
        f"BEGIN {body} RETURN {row}; END $fn$",
        f"DROP TRIGGER IF EXISTS {name} ON {table}",
        f"CREATE TRIGGER {name} {match['when'].upper()} {event} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}_fn()",
    ]


def _strip_comments(script: str) -> str:
    out, i = [], 0
    while i < len(script):
        if script[i] == "'":
            end = _quoted_end(script, i)
            out.append(script[i:end])
            i = end
        elif script.startswith("--", i):
            end = script.find("\n", i)
            i = len(script) if end < 0 else end
        else:
            out.append(script[i])
            i += 1
    return "".join(out)


def split_statements(script: str) -> list[str]:
    """Split SQL text at semicolons outside quotes and $tag$ bodies; empty pieces are dropped."""
    pieces, start, i = [], 0, 0
    while i < len(script):
        char = script[i]
        if char in "'\"":
            i = _quoted_end(script, i)
            continue
        if char == "$":
            tag = re.match(r"\$\w*\$", script[i:])
            if tag:
                end = script.find(tag.group(0), i + len(tag.group(0)))
                i = len(script) if end < 0 else end + len(tag.group(0))
                continue
        if char == ";":
            pieces.append(script[start:i])
            start = i + 1
        i += 1
    pieces.append(script[start:])
    return [piece.strip() for piece in pieces if piece.strip()]


# -- the dialects --------------------------------------------------------------------


@dataclass(frozen=True)
class Dialect:
    """The SQL one engine needs where the portable subset has nothing."""

    name: str
    now_default: str  # a column default: the current UTC time as ISO text
    # SQLite's json_array of an audit entry's fields is byte-for-byte the JSON the chain
    # hashes, which lets `verify` check the chain without building it in Python.
    has_chain_bodies: bool

    def json_valid(self, column: str) -> str:
        """An expression: is this text column valid JSON?"""
        return f"json_valid({column})" if self.name == "sqlite" else f"archive_json_valid({column})"

    def json_text(self, column: str, key: str) -> str:
        """An expression: the value at ``key`` of a JSON text column, as SQLite's json_extract gives it."""
        if self.name == "sqlite":
            return f"json_extract({column}, '$.{key}')"
        return f"archive_json_text({column}, '{key}')"

    def json_int(self, column: str, key: str) -> str:
        """An expression: the whole number at ``key`` (true is 1, false 0), else NULL."""
        if self.name == "sqlite":
            return f"json_extract({column}, '$.{key}')"
        return f"archive_json_int({column}, '{key}')"

    def json_true(self, column: str, key: str) -> str:
        """A condition: the value at ``key`` is true (SQLite's truth: a non-zero number)."""
        if self.name == "sqlite":
            return f"json_extract({column}, '$.{key}')"
        return f"COALESCE(archive_json_int({column}, '{key}'), 0) <> 0"

    def json_empty(self, column: str, key: str) -> str:
        """A condition: the value at ``key`` is missing, null, 0, false or empty text (falsy, as in Python)."""
        if self.name == "sqlite":
            return f"COALESCE(json_extract({column}, '$.{key}'), 0) IN (0, '')"
        return f"COALESCE(archive_json_text({column}, '{key}'), '0') IN ('0', '')"


SQLITE = Dialect("sqlite", now_default="(strftime('%Y-%m-%dT%H:%M:%SZ','now'))", has_chain_bodies=True)
POSTGRES = Dialect(
    "postgresql",
    now_default="(to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))",
    has_chain_bodies=False,
)

# Functions PostgreSQL gets before any migration runs: the analysis reads audit details the
# way SQLite's JSON functions do, and an entry whose details are not JSON gives NULL instead
# of failing a whole query (PostgreSQL does not promise the order in which it tests a WHERE).
POSTGRES_PRELUDE = r"""
CREATE OR REPLACE FUNCTION archive_json_valid(value text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $fn$
BEGIN
    IF value IS NULL THEN RETURN NULL; END IF;
    PERFORM value::jsonb;
    RETURN true;
EXCEPTION WHEN others THEN
    RETURN false;
END $fn$;

CREATE OR REPLACE FUNCTION archive_json_member(value text, key text) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $fn$
BEGIN
    RETURN value::jsonb -> key;
EXCEPTION WHEN others THEN
    RETURN NULL;
END $fn$;

CREATE OR REPLACE FUNCTION archive_json_text(value text, key text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT CASE jsonb_typeof(member)
        WHEN 'null' THEN NULL
        WHEN 'boolean' THEN CASE WHEN member::boolean THEN '1' ELSE '0' END
        WHEN 'string' THEN member #>> '{}'
        ELSE member::text END
    FROM (SELECT archive_json_member(value, key) AS member) AS found
$fn$;

CREATE OR REPLACE FUNCTION archive_json_int(value text, key text) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT CASE jsonb_typeof(member)
        WHEN 'boolean' THEN CASE WHEN member::boolean THEN 1 ELSE 0 END
        WHEN 'number' THEN trunc(member::numeric)::bigint
        WHEN 'string' THEN CASE WHEN member #>> '{}' ~ '^-?[0-9]{1,18}$' THEN (member #>> '{}')::bigint END
        END
    FROM (SELECT archive_json_member(value, key) AS member) AS found
$fn$;
"""


def dialect_of(conn: object) -> Dialect:
    """Return the dialect a connection speaks (a plain sqlite3 connection speaks SQLite's)."""
    return getattr(conn, "dialect", SQLITE)
