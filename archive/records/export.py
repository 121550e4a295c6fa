"""Evidence export: a client's or a query's documents as a BagIt bag an auditor can check.

The bag (sha256 and sha512 manifests) holds per document the original, the
searchable PDF when there is one, a metadata JSON and MDTO records; the audit
entries about those documents with a fresh signed checkpoint and its public key;
and VERIFY.md saying how to check all of it. The export is itself audited.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import bagit

from archive.access.actors import SYSTEM, Actor
from archive.access.permissions import Permission, mask_bsn, require
from archive.audit.checkpointing import Checkpointer
from archive.audit.report import entry_dict
from archive.clients import ClientService
from archive.clock import iso
from archive.core import Core
from archive.errors import InvalidInput, NotFound
from archive.records import mdto
from search import SearchRequest, SearchResults
from storage import documents_repo
from storage import records_repo as repo
from storage.filestore import hash_file


class DocumentSource(Protocol):
    """What an export reads of the documents: views, searchable PDFs, searches (all checked and audited)."""

    def document(self, document_id: int, actor: Actor, audit: bool = True, from_search: bool = False) -> Any: ...

    def rendition_path(self, document_id: int, actor: Actor) -> Path: ...

    def search(self, request: SearchRequest, actor: Actor) -> SearchResults: ...


_EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/tiff": ".tif",
    "image/webp": ".webp",
    "image/bmp": ".bmp",
}
_PAGE = 200


@dataclass(frozen=True)
class ExportResult:
    path: Path
    documents: list[int]
    files: int

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "documents": self.documents, "files": self.files}


class Exporter:
    """Writes evidence bags of one archive's documents."""

    def __init__(
        self, core: Core, documents: DocumentSource, checkpointer: Checkpointer, clients: ClientService
    ) -> None:
        self._core = core
        self._documents = documents
        self._checkpointer = checkpointer
        self._clients = clients

    def _select(self, actor: Actor, client_id: str | None, query: str | None) -> list[int]:
        """Return the ids of the filed documents of a client, or matching a search query."""
        if (client_id is None) == (query is None):
            raise InvalidInput(
                "export.client_or_query",
                "Export either a client's documents (--client) or a search (--query), not both.",
            )
        if client_id is not None:
            return repo.client_document_ids(self._core.db.read(), client_id)
        ids: list[int] = []
        page = 1
        while True:
            request = SearchRequest(
                query=query or "", page=page, page_size=_PAGE, with_facets=False, with_highlights=False
            )
            results = self._documents.search(request, actor)
            ids += [hit.id for hit in results.hits]
            if len(ids) >= results.total or not results.hits:
                return sorted(set(ids))
            page += 1

    def bag(
        self,
        actor: Actor,
        out_dir: Path,
        client_id: str | None,
        query: str | None,
        progress: Callable[[int, int], None] | None = None,
    ) -> ExportResult:
        """Write the evidence bag into ``out_dir`` (new or empty); return what it holds.

        ``progress`` is told (documents written, documents in all) after each document.
        """
        require(actor, Permission.EXPORT)
        if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
            raise InvalidInput(
                "export.folder_not_empty",
                "The export folder {out_dir} is not empty; choose a new folder.",
                out_dir=out_dir,
            )
        ids = self._select(actor, client_id, query)
        if not ids:
            raise NotFound("export.nothing", "No filed documents match; there is nothing to export.")
        out_dir.mkdir(parents=True, exist_ok=True)
        files = 0
        for done, document_id in enumerate(ids, start=1):
            files += self._write_document(actor, out_dir / "documents" / f"{document_id:08d}", document_id)
            if progress:
                progress(done, len(ids))
        # Signed after the documents were read, so every entry in the excerpt lies within it.
        checkpoint = self._checkpointer.checkpoint(SYSTEM)
        self._write_audit(out_dir / "audit", ids, client_id, checkpoint.to_json())
        (out_dir / "VERIFY.md").write_text(VERIFY_TEXT, encoding="utf-8")
        bagit.make_bag(str(out_dir), self._bag_info(client_id, query, ids), checksums=["sha256", "sha512"])
        self._core.audit.record(
            actor,
            "export",
            client_id=client_id,
            details={"query": query, "documents": ids, "files": files, "out": str(out_dir)},
        )
        return ExportResult(out_dir, ids, files)

    def bag_as_zip(
        self,
        actor: Actor,
        zip_path: Path,
        client_id: str | None,
        query: str | None,
        progress: Callable[[int, int], None] | None = None,
    ) -> ExportResult:
        """Write the evidence bag as one zip file (the bag's folder at its root); return what it holds."""
        work = self._core.store.temp_dir()
        try:
            bag_dir = work / zip_path.stem
            result = self.bag(actor, bag_dir, client_id, query, progress)
            zip_path.parent.mkdir(parents=True, exist_ok=True)
            with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as bundle:
                for path in sorted(bag_dir.rglob("*")):
                    if path.is_file():
                        bundle.write(path, Path(bag_dir.name) / path.relative_to(bag_dir))
            return ExportResult(zip_path, result.documents, result.files)
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def _write_document(self, actor: Actor, folder: Path, document_id: int) -> int:
        row = documents_repo.get_document(self._core.db.read(), document_id)
        if row is None:
            raise NotFound("document.not_found", "There is no document {document_id}.", document_id=document_id)
        folder.mkdir(parents=True)
        original = "original" + _EXTENSIONS.get(row["mime_type"] or "", ".bin")
        records = [
            self._copy(
                folder,
                original,
                "original",
                self._core.store.existing_original(row["sha256"]),
                row["mime_type"] or "application/octet-stream",
            )
        ]
        if row["has_rendition"]:
            rendition = self._documents.rendition_path(document_id, actor)
            records.append(self._copy(folder, "searchable.pdf", "searchable_pdf", rendition, "application/pdf"))
        view = self._documents.document(document_id, actor, audit=False).to_json()
        view["bsn"] = mask_bsn(view.get("bsn"))  # the bag leaves the archive: never a full BSN in its metadata
        view["files"] = [vars(r) for r in records]
        (folder / "metadata.json").write_text(json.dumps(view, ensure_ascii=False, indent=2, default=str), "utf-8")
        self._write_mdto(folder, dict(row), records)
        return len(records)

    @staticmethod
    def _copy(folder: Path, name: str, role: str, source: Path, mime_type: str) -> mdto.FileRecord:
        target = folder / name
        shutil.copyfile(source, target)
        sha256, size = hash_file(target)
        return mdto.FileRecord(name=name, role=role, size=size, mime_type=mime_type, sha256=sha256)

    def _write_mdto(self, folder: Path, row: dict[str, Any], records: list[mdto.FileRecord]) -> None:
        name = str(self._core.config.home.name or self._core.config.home)
        types = self._core.config.extraction.types
        kind = types.get(row["document_type"] or "")
        client = self._clients.get(row["client_id"]) if row["client_id"] else None
        rule = self._core.config.records.retention.get(row["retention_rule"] or "")
        xml = mdto.informatieobject(
            row, records, name, rule, kind.label_nl if kind else None, client.name if client else None
        )
        (folder / "mdto-informatieobject.xml").write_bytes(xml)
        checked = iso(self._core.clock.now())
        for record in records:
            (folder / f"mdto-bestand-{record.role}.xml").write_bytes(mdto.bestand(record, row, name, checked))

    def _write_audit(self, folder: Path, ids: list[int], client_id: str | None, checkpoint: dict[str, Any]) -> None:
        folder.mkdir(parents=True)
        conn = self._core.db.read()
        entries = [entry_dict(row) for row in repo.audit_for_documents(conn, ids)]
        if client_id:
            seen = {e["seq"] for e in entries}
            entries += [
                entry_dict(r) for r in repo.filter_audit(conn, {"client_id": client_id}, None) if r["seq"] not in seen
            ]
            entries.sort(key=lambda e: e["seq"])
        # Details are kept exactly as stored (JSON text) so each entry's hash can be recomputed.
        for entry in entries:
            entry["details"] = json.dumps(entry["details"], ensure_ascii=False, sort_keys=True)
        (folder / "entries.json").write_text(json.dumps(entries, ensure_ascii=False, indent=2), "utf-8")
        (folder / "checkpoint.json").write_text(json.dumps(checkpoint, indent=2), "utf-8")

    def _bag_info(self, client_id: str | None, query: str | None, ids: list[int]) -> dict[str, str]:
        chosen = f"client {client_id}" if client_id else f"search query {query!r}"
        return {
            "Source-Organization": str(self._core.config.home.name or self._core.config.home),
            "External-Description": f"Evidence export of {len(ids)} document(s): {chosen}.",
            "External-Identifier": f"export-{iso(self._core.clock.now())}",
            "Bag-Software-Agent": "Front Office Archive",
        }


VERIFY_TEXT = """# How to check this evidence package

This folder is a BagIt bag (RFC 8493) written by Front Office Archive.

1. **Nothing was changed or left out since the export.** Validate the bag; every file
   under `data/` is listed with its SHA-256 and SHA-512 in the manifests:

       python -m bagit --validate .        # or: sha256sum -c manifest-sha256.txt

2. **The originals are the ones the archive received.** Each `data/documents/NNNNNNNN/`
   folder holds `original.*` (the bytes as received), `searchable.pdf` when the original
   was a scan, `metadata.json`, and MDTO 1.0.2 records (`mdto-informatieobject.xml`,
   `mdto-bestand-*.xml`). The SHA-256 of `original.*` equals `sha256` in `metadata.json`
   and `checksumWaarde` in `mdto-bestand-original.xml`.

3. **The audit entries are genuine.** `data/audit/entries.json` holds every audit-trail
   entry about these documents (views, downloads, filing, holds, changes). Each entry's
   `hash` is sha256 over `prev_hash + "\\n" + body`, where body is the compact JSON list
   `[seq, at, actor, action, document_id, client_id, address, details]`:

       import hashlib, json
       for e in json.load(open("data/audit/entries.json")):
           body = json.dumps([e["seq"], e["at"], e["actor"], e["action"], e["document_id"],
                              e["client_id"], e["address"], e["details"]],
                             ensure_ascii=False, separators=(",", ":"))
           assert hashlib.sha256(f"{e['prev_hash']}\\n{body}".encode()).hexdigest() == e["hash"]

4. **The trail had this head when exported.** `data/audit/checkpoint.json` is a checkpoint
   of the whole audit chain (number, at, entries, head_seq, head_hash, previous, seal_key),
   signed with the archive's Ed25519 key. Check the signature over the bytes
   `front-office-archive audit checkpoint 2` + newline + the compact JSON list `[number, at,
   entries, head_seq, head_hash, previous, seal_key]` — with the key the archive's keeper
   holds (its fingerprint was printed when the archive was created; `keys/checkpoint.pub`
   in the archive home), never only the `public_key` given here, since a forger could sign
   with their own:

       from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
       c = json.load(open("data/audit/checkpoint.json"))
       body = [c["number"], c["at"], c["entries"], c["head_seq"], c["head_hash"], c["previous"], c["seal_key"]]
       payload = b"front-office-archive audit checkpoint 2\n" + json.dumps(body, separators=(",", ":")).encode()
       Ed25519PublicKey.from_public_bytes(bytes.fromhex(c["public_key"])).verify(
           bytes.fromhex(c["signature"]), payload)

   In the archive itself, `archive audit verify --pubkey KEYFILE` checks the whole chain, its
   seals and every checkpoint (and the witness's copies) against that key.
"""
