"""The certificate of destruction (verklaring van vernietiging): what was destroyed,
under which rule, how and when — as JSON for machines and HTML for people (pure)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

METHOD = (
    "The original file and every derivative (searchable PDF, thumbnail) were removed from the "
    "archive's file store; the page texts, the fact evidence and the search-index entry were deleted "
    "from the database and the index. Kept: this certificate and a tombstone per document "
    "(number, SHA-256 of the original, type, client, dates, rule, approvers)."
)
METHOD_NL = (
    "Het originele bestand en alle afgeleiden (doorzoekbare PDF, miniatuur) zijn uit de bestandsopslag "
    "van het archief verwijderd; de paginateksten, de gegevensbron van de kenmerken en de ingang in de "
    "zoekindex zijn verwijderd. Bewaard blijven deze verklaring en per document een grafsteen "
    "(nummer, SHA-256 van het origineel, soort, cliënt, data, regel, fiattering)."
)
_TOMBSTONE_FIELDS = (
    "document_id",
    "sha256",
    "size",
    "original_filename",
    "mime_type",
    "document_type",
    "client_id",
    "document_date",
    "filed_at",
    "retention_until",
    "retention_rule",
    "citation",
    "approved_by",
    "disposed_at",
)


def build_certificate(
    number: int, created_at: str, archive_name: str, tombstones: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """Return the certificate as a JSON-ready dict for these tombstones."""
    documents = [{name: stone[name] for name in _TOMBSTONE_FIELDS} for stone in tombstones]
    for entry in documents:
        entry["approved_by"] = (
            json.loads(entry["approved_by"]) if isinstance(entry["approved_by"], str) else list(entry["approved_by"])
        )
    approvers = sorted({name for entry in documents for name in entry["approved_by"]})
    return {
        "kind": "certificate_of_destruction",
        "title_nl": "Verklaring van vernietiging",
        "title_en": "Certificate of destruction",
        "number": number,
        "created_at": created_at,
        "archive": archive_name,
        "approved_by": approvers,
        "method": METHOD,
        "method_nl": METHOD_NL,
        "documents": documents,
    }


def certificate_json(certificate: Mapping[str, Any]) -> str:
    """Return the certificate as stable, readable JSON text."""
    return json.dumps(certificate, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def certificate_html(certificate: Mapping[str, Any]) -> str:
    """Return the certificate as a self-contained, printable HTML page."""
    rows = "\n".join(_row(entry) for entry in certificate["documents"])
    return f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Verklaring van vernietiging nr. {certificate["number"]}</title>
<style>body{{font-family:sans-serif;margin:2em 1em;overflow-wrap:anywhere}}table{{border-collapse:collapse}}
td,th{{border:1px solid #999;padding:4px 6px;font-size:90%;vertical-align:top}}
code{{font-size:85%;word-break:break-all}}.wide{{overflow-x:auto}}</style>
</head><body>
<h1>Verklaring van vernietiging nr. {certificate["number"]}</h1>
<p><em>Certificate of destruction no. {certificate["number"]}</em></p>
<p>Archief / archive: {escape(str(certificate["archive"]))}<br>
Datum en tijd (UTC) / date and time: {escape(certificate["created_at"])}<br>
Gefiatteerd door / approved by: {escape(", ".join(certificate["approved_by"]))}</p>
<h2>Wijze van vernietiging / method</h2>
<p>{escape(certificate["method_nl"])}</p><p><em>{escape(certificate["method"])}</em></p>
<h2>Vernietigde documenten / documents destroyed ({len(certificate["documents"])})</h2>
<div class="wide" tabindex="0" role="region" aria-label="Vernietigde documenten">
<table><tr><th>Nr.</th><th>Bestand / file</th><th>Soort / type</th><th>Cliënt / client</th>
<th>Documentdatum</th><th>Bewaren tot / kept until</th><th>Regel / rule</th><th>Gefiatteerd / approved</th>
<th>Vernietigd / destroyed</th><th>SHA-256</th></tr>
{rows}
</table></div>
</body></html>
"""


def _row(entry: Mapping[str, Any]) -> str:
    cells = [
        entry["document_id"],
        entry["original_filename"],
        entry["document_type"],
        entry["client_id"],
        entry["document_date"],
        entry["retention_until"],
        f"{entry['retention_rule'] or '-'}: {entry['citation'] or ''}",
        ", ".join(entry["approved_by"]),
        entry["disposed_at"],
    ]
    tds = "".join(f"<td>{escape(str(c)) if c is not None else '-'}</td>" for c in cells)
    return f"<tr>{tds}<td><code>{escape(entry['sha256'])}</code></td></tr>"
