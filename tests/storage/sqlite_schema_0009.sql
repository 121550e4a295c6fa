CREATE INDEX api_tokens_user ON api_tokens (user_name);
CREATE INDEX audit_action_at ON audit_log (action, at);
CREATE INDEX audit_actor_at ON audit_log (actor, at);
CREATE INDEX audit_analysis_changes ON audit_log
    (action, at, document_id, json_extract(details, '$.fact'), json_extract(details, '$.before'),
     json_extract(details, '$.after'))
    WHERE action = 'change' AND json_valid(details);
CREATE INDEX audit_analysis_duplicates ON audit_log
    (action, at, json_extract(details, '$.channel'))
    WHERE action = 'duplicate' AND json_valid(details);
CREATE INDEX audit_analysis_failures ON audit_log
    (action, at, json_extract(details, '$.reason'))
    WHERE action = 'ingest_failed' AND json_valid(details);
CREATE INDEX audit_analysis_filed ON audit_log
    (action, at, document_id, json_extract(details, '$.pages'), json_extract(details, '$.needs_review'))
    WHERE action = 'file' AND json_valid(details);
CREATE INDEX audit_analysis_opened ON audit_log
    (action, at, actor)
    WHERE action = 'view' AND json_valid(details) AND json_extract(details, '$.from_search');
CREATE INDEX audit_analysis_reviews ON audit_log
    (action, at, actor, document_id)
    WHERE action IN ('review_confirmed', 'review_done');
CREATE INDEX audit_analysis_search_days ON audit_log
    (action, substr(at, 1, 10), json_extract(details, '$.total'))
    WHERE action = 'search' AND json_valid(details);
CREATE INDEX audit_analysis_searches_by_user ON audit_log
    (actor, seq, at)
    WHERE action = 'search' AND json_valid(details);
CREATE INDEX audit_analysis_view_days ON audit_log
    (action, substr(at, 1, 10), client_id, document_id)
    WHERE action = 'view';
CREATE INDEX audit_client ON audit_log (client_id);
CREATE INDEX audit_document ON audit_log (document_id);
CREATE INDEX clients_name ON clients (name COLLATE NOCASE);
CREATE INDEX documents_client ON documents (client_id);
CREATE INDEX documents_mail ON documents (mail_message_id);
CREATE INDEX documents_retention ON documents (retention_until);
CREATE INDEX documents_review ON documents (needs_review, created_at);
CREATE INDEX documents_stack ON documents (stack_id);
CREATE INDEX documents_state ON documents (state);
CREATE INDEX fact_corrections_fact ON fact_corrections (fact, document_id);
CREATE INDEX holds_client ON holds (client_id) WHERE released_at IS NULL;
CREATE INDEX holds_document ON holds (document_id) WHERE released_at IS NULL;
CREATE INDEX inbox_events_event_at ON inbox_events (event, at);
CREATE INDEX inbox_events_take ON inbox_events (take_id);
CREATE INDEX login_failures_subject ON login_failures (kind, subject, at);
CREATE INDEX retention_events_client ON retention_events (client_id);
CREATE INDEX retention_events_document ON retention_events (document_id);
CREATE TABLE api_tokens (
    id          INTEGER PRIMARY KEY,
    user_name   TEXT NOT NULL REFERENCES users (name),
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    last_used   TEXT,
    revoked     INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    document_id INTEGER,
    client_id   TEXT,
    address     TEXT,
    details     TEXT NOT NULL DEFAULT '{}',
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE TABLE certificates (
    id          INTEGER PRIMARY KEY,
    created_at  TEXT NOT NULL,
    approved_by TEXT NOT NULL,
    documents   TEXT NOT NULL,
    html_path   TEXT NOT NULL,
    html_sha256 TEXT NOT NULL,
    json_path   TEXT NOT NULL,
    json_sha256 TEXT NOT NULL
);
CREATE TABLE checkpoints (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    entries   INTEGER NOT NULL,
    head_seq  INTEGER NOT NULL,
    head_hash TEXT NOT NULL,
    signature TEXT NOT NULL,
    file      TEXT NOT NULL
);
CREATE TABLE clients (
    client_id    TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'company')),
    kvk          TEXT,
    vat          TEXT,
    iban         TEXT,
    bsn          TEXT,
    email        TEXT,
    street       TEXT,
    house_number TEXT,
    postcode     TEXT,
    city         TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE TABLE disposition_approvals (
    document_id     INTEGER NOT NULL REFERENCES documents (id),
    approver        TEXT NOT NULL,
    retention_until TEXT NOT NULL,
    approved_at     TEXT NOT NULL,
    PRIMARY KEY (document_id, approver)
);
CREATE TABLE documents (
    id                INTEGER PRIMARY KEY,
    sha256            TEXT NOT NULL UNIQUE,
    size              INTEGER NOT NULL,
    mime_type         TEXT,
    original_filename TEXT NOT NULL,
    source            TEXT,
    channel           TEXT NOT NULL DEFAULT 'cli',
    state             TEXT NOT NULL CHECK (state IN ('received', 'filed', 'disposed')),
    title             TEXT,
    pages             INTEGER,
    ocr               INTEGER,
    ocr_confidence    REAL,
    client_id         TEXT,
    document_type     TEXT,
    document_date     TEXT,
    amount            TEXT,
    currency          TEXT,
    iban              TEXT,
    reference         TEXT,
    bsn               TEXT,
    needs_review      INTEGER NOT NULL DEFAULT 0,
    review_reasons    TEXT NOT NULL DEFAULT '[]',
    hinted            TEXT NOT NULL DEFAULT '{}',
    retention_until   TEXT,
    retention_rule    TEXT,
    has_rendition     INTEGER NOT NULL DEFAULT 0,
    created_by        TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    filed_at          TEXT,
    updated_at        TEXT NOT NULL,
    last_error        TEXT,
    failed_at         TEXT
, stack_id INTEGER REFERENCES stacks (id), stack_sha256 TEXT, stack_first INTEGER, stack_last INTEGER, stack_page_list TEXT, mail_message_id TEXT, mail_from TEXT, mail_subject TEXT, mail_date TEXT);
CREATE TABLE duplicates (
    id                INTEGER PRIMARY KEY,
    document_id       INTEGER NOT NULL REFERENCES documents (id),
    original_filename TEXT NOT NULL,
    source            TEXT,
    channel           TEXT NOT NULL,
    actor             TEXT NOT NULL,
    at                TEXT NOT NULL
);
CREATE TABLE fact_corrections (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id),
    fact        TEXT NOT NULL,
    old_value   TEXT,
    new_value   TEXT,
    actor       TEXT NOT NULL,
    at          TEXT NOT NULL
);
CREATE TABLE facts (
    document_id INTEGER NOT NULL REFERENCES documents (id),
    name        TEXT NOT NULL,
    value       TEXT,
    confidence  REAL,
    page        INTEGER,
    source_text TEXT,
    origin      TEXT NOT NULL DEFAULT 'extracted',
    PRIMARY KEY (document_id, name)
);
CREATE TABLE holds (
    id             INTEGER PRIMARY KEY,
    document_id    INTEGER REFERENCES documents (id),
    client_id      TEXT,
    reason         TEXT NOT NULL,
    case_reference TEXT,
    placed_by      TEXT NOT NULL,
    placed_at      TEXT NOT NULL,
    released_by    TEXT,
    released_at    TEXT,
    release_reason TEXT,
    CHECK ((document_id IS NULL) <> (client_id IS NULL))
);
CREATE TABLE inbox_events (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    path        TEXT NOT NULL,
    event       TEXT NOT NULL CHECK (event IN
                ('arrived', 'taken', 'filed', 'duplicate', 'failed', 'vanished', 'handed_back')),
    take_id     INTEGER REFERENCES inbox_events (id),
    sha256      TEXT,
    document_id INTEGER,
    seconds     REAL,
    reason      TEXT
);
CREATE TABLE login_failures (
    id      INTEGER PRIMARY KEY,
    kind    TEXT NOT NULL CHECK (kind IN ('account', 'address')),
    subject TEXT NOT NULL,
    at      REAL NOT NULL
);
CREATE TABLE mail_accounts (
    name        TEXT PRIMARY KEY,
    last_poll   TEXT,
    last_ok     TEXT,
    last_error  TEXT,
    error_at    TEXT,
    filed       INTEGER NOT NULL DEFAULT 0,
    failed      INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE mail_messages (
    id          INTEGER PRIMARY KEY,
    message_id  TEXT NOT NULL UNIQUE,
    account     TEXT NOT NULL,
    channel     TEXT NOT NULL,
    sender      TEXT,
    subject     TEXT,
    sent_at     TEXT,
    size        INTEGER,
    raw_sha256  TEXT,  -- the message's own bytes, kept in the store as evidence
    state       TEXT NOT NULL CHECK (state IN ('received', 'filed', 'failed')),
    documents   TEXT NOT NULL DEFAULT '[]',
    skipped     TEXT NOT NULL DEFAULT '[]',
    error       TEXT,
    received_at TEXT NOT NULL,
    ended_at    TEXT
);
CREATE TABLE pages (
    document_id INTEGER NOT NULL REFERENCES documents (id),
    number      INTEGER NOT NULL,
    text        TEXT NOT NULL,
    ocr         INTEGER NOT NULL,
    confidence  REAL,
    rotated     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (document_id, number)
);
CREATE TABLE records_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE retention_events (
    id          INTEGER PRIMARY KEY,
    event       TEXT NOT NULL,
    document_id INTEGER REFERENCES documents (id),
    client_id   TEXT,
    happened_on TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    CHECK ((document_id IS NULL) <> (client_id IS NULL))
);
CREATE TABLE schema_migrations (number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));
CREATE TABLE stacks (
    id                INTEGER PRIMARY KEY,
    sha256            TEXT NOT NULL UNIQUE,
    size              INTEGER NOT NULL,
    mime_type         TEXT NOT NULL,
    original_filename TEXT NOT NULL,
    source            TEXT,
    channel           TEXT NOT NULL,
    pages             INTEGER,
    parts             INTEGER,
    state             TEXT NOT NULL CHECK (state IN ('received', 'split', 'disposed')),
    created_by        TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    split_at          TEXT,
    last_error        TEXT
);
CREATE TABLE tombstones (
    document_id       INTEGER PRIMARY KEY REFERENCES documents (id),
    sha256            TEXT NOT NULL,
    size              INTEGER NOT NULL,
    original_filename TEXT NOT NULL,
    mime_type         TEXT,
    document_type     TEXT,
    client_id         TEXT,
    document_date     TEXT,
    created_at        TEXT NOT NULL,
    filed_at          TEXT,
    retention_until   TEXT NOT NULL,
    retention_rule    TEXT,
    citation          TEXT,
    approved_by       TEXT NOT NULL,
    disposed_at       TEXT NOT NULL,
    bytes_destroyed_at TEXT,
    certificate_id    INTEGER REFERENCES certificates (id)
);
CREATE TABLE users (
    name          TEXT PRIMARY KEY,
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    totp_secret   TEXT,
    language      TEXT,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
, totp_last_step INTEGER);
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER certificates_no_delete BEFORE DELETE ON certificates
BEGIN SELECT RAISE(ABORT, 'certificates of destruction are kept for good'); END;
CREATE TRIGGER certificates_no_update BEFORE UPDATE ON certificates
BEGIN SELECT RAISE(ABORT, 'certificates of destruction are kept for good'); END;
CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints
BEGIN SELECT RAISE(ABORT, 'checkpoints are kept for good'); END;
CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints
BEGIN SELECT RAISE(ABORT, 'checkpoints are kept for good'); END;
CREATE TRIGGER documents_disposed_is_final BEFORE UPDATE OF state ON documents
WHEN OLD.state = 'disposed' AND NEW.state != 'disposed'
BEGIN SELECT RAISE(ABORT, 'a destroyed document cannot be restored'); END;
CREATE TRIGGER documents_no_disposal_under_hold BEFORE UPDATE OF state ON documents
WHEN NEW.state = 'disposed' AND OLD.state != 'disposed' AND (
    NEW.retention_until IS NULL
    OR EXISTS (SELECT 1 FROM holds WHERE released_at IS NULL
               AND (document_id = NEW.id OR client_id = NEW.client_id)))
BEGIN SELECT RAISE(ABORT, 'the document is on legal hold or has no retention date'); END;
CREATE TRIGGER tombstones_fixed BEFORE UPDATE ON tombstones
WHEN NEW.document_id != OLD.document_id OR NEW.sha256 != OLD.sha256
  OR NEW.approved_by != OLD.approved_by OR NEW.disposed_at != OLD.disposed_at
  OR NEW.retention_until != OLD.retention_until
BEGIN SELECT RAISE(ABORT, 'tombstones are kept for good'); END;
CREATE TRIGGER tombstones_no_delete BEFORE DELETE ON tombstones
BEGIN SELECT RAISE(ABORT, 'tombstones are kept for good'); END;
