"""`archive show` for a person: every line a word and a value, never a stored code or a raw key."""

from __future__ import annotations

from typing import Any

from archive.typed import spaced_iban

_STATES = {"received": "received, not yet filed", "filed": "filed", "disposed": "destroyed"}
_REASONS = {
    "no_client": "no client recognised",
    "ambiguous_client": "several clients possible",
    "unsure_client": "client unsure",
    "no_type": "type not recognised",
    "unsure_type": "type unsure",
    "no_date": "no date found",
    "unsure_date": "date unsure",
    "no_amount": "no amount found",
    "unsure_amount": "amount unsure",
    "conflicting_totals": "totals disagree",
    "low_ocr_confidence": "scan hard to read",
    "no_text": "no text found",
    "no_ocr": "not read",
    "client_contradicted": "the client given is not the one the document names",
}


def _yes_no(value: object) -> str:
    return "yes" if value else "no"


def _words(code: str, table: dict[str, str]) -> str:
    # A code of a newer release is shown with spaces rather than guessed at.
    return table.get(code, code.replace("_", " "))


def document_lines(view: Any) -> list[str]:
    """Return the document's facts, holds and, for a destroyed one, its tombstone as labelled lines."""
    amount = view.amount and f"{view.currency or ''} {view.amount}".strip()
    rows: list[tuple[str, object]] = [
        ("Document", f"#{view.id} ({_words(view.state, _STATES)})"),
        ("Title", view.title),
        ("File", view.original_filename),
        ("Type", view.document_type),
        ("Client", view.client_id),
        ("Date", view.document_date),
        ("Amount", amount),
        ("IBAN", spaced_iban(view.iban)),
        ("Reference", view.reference),
        ("Pages", view.pages),
        ("Read by OCR", _yes_no(view.ocr)),
        ("To review", ", ".join(_words(r, _REASONS) for r in view.review_reasons) or "no"),
        ("Keep until", view.retention_until),
        ("Legal hold", _yes_no(view.legal_hold)),
        ("SHA-256", view.sha256),
    ]
    lines = [f"{label:<12} {value if value not in (None, '') else '-'}" for label, value in rows]
    lines += [_hold_line(hold) for hold in view.holds if not hold.get("released_at")]
    if view.tombstone:
        lines += _tombstone_lines(view.tombstone)
    return lines


def _hold_line(hold: dict[str, Any]) -> str:
    case = f", case {hold['case_reference']}" if hold.get("case_reference") else ""
    return f"{'Hold':<12} {hold.get('reason', '')}{case} (placed by {hold.get('placed_by')} at {hold.get('placed_at')})"


def _tombstone_lines(tombstone: dict[str, Any]) -> list[str]:
    rows = [
        ("Destroyed", tombstone.get("disposed_at")),
        ("Approved by", ", ".join(tombstone.get("approved_by") or []) or None),
        ("Under rule", tombstone.get("citation") or tombstone.get("retention_rule")),
        ("Certificate", tombstone.get("certificate_id") and f"no. {tombstone['certificate_id']}"),
    ]
    return [f"{label:<12} {value if value not in (None, '') else '-'}" for label, value in rows]
