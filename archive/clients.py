"""The client registry as the rest of the archive uses it: import, list, add, update.

Every identifier is validated (python-stdnum: BSN 11-check, KvK, VAT id, IBAN mod 97,
postcode) before anything is stored. Importing a CSV reports each bad row by its line
number and imports nothing of that row; importing the same file twice changes nothing.
The in-memory ``ClientRegistry`` used by extraction is cached and rebuilt after changes.
"""

from __future__ import annotations

import builtins
import csv
import logging
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path

from archive.access.actors import SYSTEM, Actor
from archive.access.permissions import Permission, allows, mask_bsn, require
from archive.errors import Conflict, InvalidInput, NotFound
from ingest.facts import ClientRecord, ClientRegistry, normalise_postcode, validate_client
from ingest.facts.clients import CLIENT_FIELDS
from ingest.facts.settings import ExtractionSettings
from storage import clients_repo
from storage.database import Database

log = logging.getLogger(__name__)


@dataclass
class ImportReport:
    """What an import did: counts, and the problems by line number (nothing of a bad row imported)."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_json(self) -> dict:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [{"line": line, "error": text} for line, text in self.errors],
        }


class ClientService:
    """Clients of the practice: lookup for extraction, filing and the web pages."""

    def __init__(self, db: Database, settings: ExtractionSettings, audit=None, clock=None) -> None:
        self._db = db
        self._settings = settings
        self._audit = audit
        self._clock = clock
        self._lock = threading.Lock()
        self._registry: ClientRegistry | None = None

    # -- lookups ---------------------------------------------------------------

    def registry(self) -> ClientRegistry:
        """Return the registry used by extraction (built once, rebuilt after changes)."""
        with self._lock:
            if self._registry is None:
                self._registry = ClientRegistry(self.list())
            return self._registry

    def get(self, client_id: str) -> ClientRecord | None:
        """Return one client, or None."""
        row = clients_repo.get_client(self._db.read(), client_id)
        return _record(row) if row else None

    def list(self, text: str | None = None) -> list[ClientRecord]:
        """Return all clients, or those whose number, name, city, postcode or e-mail contains ``text``."""
        conn = self._db.read()
        rows = clients_repo.find_clients(conn, text) if text else clients_repo.all_clients(conn)
        return [_record(row) for row in rows]

    def browse(self, text: str | None, actor: Actor) -> builtins.list[ClientRecord]:
        """Return the clients (matching ``text``) for a person to read; the look-up is audited."""
        require(actor, Permission.VIEW)
        # A whole identifier first (the BSN on an ID card, for a role that may see it): else the
        # clerk at the desk reads "no clients" and adds the client a second time.
        identified = self._identified(text.strip(), actor) if text else []
        known = {client.client_id for client in identified}
        found = identified + [client for client in self.list(text) if client.client_id not in known]
        self._record_audit(actor, "client_list", None, {"query": text or "", "found": len(found)})
        return found

    def lookup(self, text: str, actor: Actor, limit: int = 10) -> builtins.list[ClientRecord]:
        """Return the clients a clerk may mean by ``text``: a number, a name, a postcode or an identifier.

        An identifier (KvK, VAT id, IBAN, e-mail; a BSN only for a role that may see
        BSNs) counts only when it is a client's whole identifier, however it is written;
        the rest matches a part of the number, name, city, postcode (``1234AB`` or
        ``1234 ab``) or e-mail.
        """
        require(actor, Permission.VIEW)
        text = text.strip()
        if len(text) < 2:
            return []
        found: dict[str, ClientRecord] = {client.client_id: client for client in self._identified(text, actor)}
        postcode = normalise_postcode(text)
        for query in dict.fromkeys(q for q in (text, postcode) if q):
            for record in self.list(query)[:limit]:
                found.setdefault(record.client_id, record)
        return list(found.values())[:limit]

    def unknown_number(self, typed: str) -> InvalidInput:
        """Return the error for a client number nobody has, naming the client(s) the text does match.

        A clerk in a hurry types the name ("garage") where the number belongs; "there is no
        client with number garage" leaves them guessing. The clients it matches are named, never
        chosen for them: picking one of two Jansens is the wrong-client mistake.
        """
        matches = self.list(typed.strip()) if len(typed.strip()) >= 2 else []
        if not matches:
            return InvalidInput("client.not_found", "There is no client with number {client_id}.", client_id=typed)
        first = matches[0]
        if len(matches) == 1:
            return InvalidInput(
                "client.not_found_one_match",
                "There is no client with number {client_id}. Did you mean {number} ({name})?"
                " Choose that client, or type its number.",
                client_id=typed,
                number=first.client_id,
                name=first.name,
            )
        return InvalidInput(
            "client.not_found_matches",
            "There is no client with number {client_id}, but {count} clients match it, such as {number}"
            " ({name}). Choose the right one, or type its number.",
            client_id=typed,
            count=len(matches),
            number=first.client_id,
            name=first.name,
        )

    def _identified(self, text: str, actor: Actor) -> builtins.list[ClientRecord]:
        """Return the client numbered ``text`` and those whose whole identifier it is (a BSN: for who may see it)."""
        kinds = (
            ("bsn", "kvk", "vat", "iban", "email")
            if allows(actor, Permission.SEE_BSN)
            else ("kvk", "vat", "iban", "email")
        )
        registry = self.registry()
        number = registry.by_client_number(text)
        ids = ([number] if number else []) + sorted({c for kind in kinds for c in registry.with_identifier(kind, text)})
        return [registry.clients[client_id] for client_id in dict.fromkeys(ids)]

    def reveal_bsn(self, client_id: str, actor: Actor) -> str | None:
        """Return a client's BSN in full to someone allowed to see it; audited. Raises NotFound."""
        require(actor, Permission.SEE_BSN)
        client = self.get(client_id)
        if client is None:
            raise NotFound("client.not_found", "There is no client with number {client_id}.", client_id=client_id)
        self._record_audit(actor, "reveal_bsn", client_id, {"what": "client"})
        return client.bsn

    # -- changes ---------------------------------------------------------------

    def add(self, values: dict, actor: Actor = SYSTEM) -> ClientRecord:
        """Add a client; raise InvalidInput for a bad value, Conflict when the number exists."""
        require(actor, Permission.MANAGE_CLIENTS)
        record = _validated(values)
        with self._db.atomic() as conn:
            if clients_repo.get_client(conn, record.client_id) is not None:
                raise Conflict(
                    "client.exists", "There already is a client with number {client_id}.", client_id=record.client_id
                )
            clients_repo.insert_client(conn, asdict(record), self._now())
            self._record_audit(actor, "client_added", record.client_id)
        self._invalidate()
        return record

    def update(self, client_id: str, values: dict, actor: Actor = SYSTEM) -> ClientRecord:
        """Change a client's details; raise NotFound, or InvalidInput for a bad value."""
        require(actor, Permission.MANAGE_CLIENTS)
        current = self.get(client_id)
        if current is not None and current.bsn and values.get("bsn") == mask_bsn(current.bsn):
            values = {**values, "bsn": current.bsn}  # the form showed it masked and it was left as it was
        record = _validated({**values, "client_id": client_id})
        with self._db.atomic() as conn:
            before = clients_repo.get_client(conn, record.client_id)
            if before is None:
                raise NotFound("client.not_found", "There is no client with number {client_id}.", client_id=client_id)
            if _record(before) != record:
                clients_repo.update_client(conn, asdict(record), self._now())
                changed = [name for name in CLIENT_FIELDS if getattr(_record(before), name) != getattr(record, name)]
                self._record_audit(actor, "client_changed", record.client_id, {"fields": changed})
        self._invalidate()
        return record

    def import_csv(self, path: Path, actor: Actor = SYSTEM) -> ImportReport:
        """Import a registry CSV (header row; DESIGN.md columns); return what was added, updated, refused."""
        require(actor, Permission.MANAGE_CLIENTS)
        report = ImportReport()
        rows = _read_csv(Path(path), report)
        with self._db.atomic() as conn:
            for _line, record in rows:
                existing = clients_repo.get_client(conn, record.client_id)
                if existing is None:
                    clients_repo.insert_client(conn, asdict(record), self._now())
                    report.added += 1
                elif _record(existing) != record:
                    clients_repo.update_client(conn, asdict(record), self._now())
                    report.updated += 1
                else:
                    report.unchanged += 1
            if report.added or report.updated or report.errors:
                self._record_audit(
                    actor,
                    "clients_imported",
                    None,
                    {
                        "file": Path(path).name,
                        "added": report.added,
                        "updated": report.updated,
                        "refused_lines": [line for line, _ in report.errors],
                    },
                )
        if report.added or report.updated:
            self._invalidate()
        return report

    # -- helpers ---------------------------------------------------------------

    def _invalidate(self) -> None:
        with self._lock:
            self._registry = None

    def _now(self) -> str:
        from datetime import datetime, timezone

        now = self._clock.now() if self._clock is not None else datetime.now(timezone.utc)
        return now.isoformat(timespec="seconds")

    def _record_audit(self, actor: Actor, action: str, client_id: str | None, details: dict | None = None) -> None:
        if self._audit is not None:
            self._audit.record(actor, action, client_id=client_id, details=details)


def _record(row) -> ClientRecord:
    return ClientRecord(**{name: row[name] for name in CLIENT_FIELDS})


def _validated(values: dict) -> ClientRecord:
    record, problems = validate_client({k: (None if v is None else str(v)) for k, v in values.items()})
    if record is None:
        raise InvalidInput("client.not_saved", "The client was not saved: {problems}", problems=tuple(problems))
    return record


def _read_csv(path: Path, report: ImportReport) -> list[tuple[int, ClientRecord]]:
    """Return the valid rows with their line numbers; put each bad row's problem in the report."""
    try:
        handle = open(path, newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise InvalidInput("clients_import.unreadable", "The file {path} cannot be read.", path=path) from exc
    with handle:
        sample = handle.read(4096)
        handle.seek(0)
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        reader = csv.DictReader(handle, delimiter=delimiter)
        header = [name.strip().lower() for name in (reader.fieldnames or [])]
        missing = {"client_id", "name"} - set(header)
        if missing:
            raise InvalidInput(
                "clients_import.column_missing",
                "The file has no column {column}; the first row must name the columns.",
                column=sorted(missing)[0],
            )
        unknown = [name for name in header if name not in CLIENT_FIELDS]
        if unknown:
            raise InvalidInput(
                "clients_import.unknown_column",
                "Unknown column '{column}'; known columns: {known}.",
                column=unknown[0],
                known=", ".join(CLIENT_FIELDS),
            )
        reader.fieldnames = header
        return _valid_rows(reader, report)


def _valid_rows(reader: csv.DictReader, report: ImportReport) -> list[tuple[int, ClientRecord]]:
    valid: list[tuple[int, ClientRecord]] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if None in row:
            report.errors.append((line, "The row has more fields than the header."))
            continue
        record, problems = validate_client(row)
        if record is None:
            report.errors.append((line, " ".join(map(str, problems))))
            continue
        if record.client_id in seen:
            report.errors.append(
                (line, f"The client number {record.client_id} already appears on line {seen[record.client_id]}.")
            )
            continue
        seen[record.client_id] = line
        valid.append((line, record))
    return valid
