"""An audit entry's details as a person reads them: before → after, in the page's language.

The trail stores details as JSON with stable keys (``fact``, ``before``, ``after``,
``query``…). A page shows them as short labelled phrases — a change as *date:
12 maart 2024 → 14 maart 2024*, a search as its words — never as raw JSON. Keys this
module does not know are shown as ``key: value``, so nothing recorded is hidden.
"""

from __future__ import annotations

from collections.abc import Mapping

from archive.errors import Message
from archive.typed import spaced_iban
from web import i18n, labels
from web.i18n import N_, gettext, sentence

_KEYS = {
    "query": N_("query"),
    "total": N_("found"),
    "found": N_("found"),
    "rendition": N_("file"),
    "preview": N_("preview"),
    "from_search": N_("opened from the search results"),
    "reason": N_("reason"),
    "case_reference": N_("case"),
    "document_type": N_("type"),
    "retention_until": N_("keep until"),
    "rule": N_("rule"),
    "approved_by": N_("approved by"),
    "approvals": N_("approvals"),
    "required": N_("required"),
    "channel": N_("channel"),
    "filename": N_("file name"),
    "pages": N_("pages"),
    "user": N_("user"),
    "role": N_("role"),
    "method": N_("how"),
    "entries": N_("entries"),
    "documents": N_("documents"),
    "fields": N_("fields"),
    "review_reasons": N_("why it waits"),
    "reasons": N_("reasons"),
    "needs_review": N_("to review"),
    "without_client": N_("confirmed without a client"),
    "problems": N_("problems"),
    "temporary": N_("temporary"),
    "own": N_("own"),
    "what": N_("what"),
    "os_user": N_("server account"),
    "tag": N_("tag"),
    "note": N_("note"),
    "name": N_("name"),
    "hold": N_("hold"),
    "case": N_("case"),
    "tokens": N_("tokens"),
    "text": N_("text"),
    "shared_role": N_("shared with"),
    "schedule": N_("schedule"),
    "previous": N_("previous"),
    "number": N_("number"),
    "mail_message_id": N_("e-mail message"),
    "happened_on": N_("happened on"),
    "file": N_("file"),
    "event": N_("event"),
    "due": N_("due"),
    "derivative": N_("derived file"),
    "checked": N_("checked"),
    "by": N_("by"),
    "account": N_("mail account"),
    "accesses": N_("accesses"),
    "checkpoint_key": N_("checkpoint key"),
    "checkpoint_key_fingerprint": N_("fingerprint of the checkpoint key"),
    "disposed_at": N_("destroyed at"),
    "document_id": N_("document"),
    "failed_because": N_("failed because"),
    "key": N_("key"),
    "mail_from": N_("sender"),
    "mail_subject": N_("subject"),
    "parts": N_("parts"),
    "released_by": N_("released by"),
    "removed_because": N_("removed because"),
    "replayed_entry": N_("replayed entry"),
    "replayed_from": N_("replayed from"),
    "seal_key": N_("seal key"),
    "set_by_person": N_("set by a person"),
    "size": N_("size"),
    "skipped": N_("skipped"),
    "stack_id": N_("stack"),
    "stack_pages": N_("pages of the stack"),
    "status": N_("status"),
}
# Keys whose value says nothing a reader needs (hashes, internal paths).
_QUIET = frozenset({"sha256", "hash", "home", "ocr", "out", "files", "client_id"})
_RENDITIONS = {"original": N_("original"), "pdf": N_("searchable PDF")}
# How the analysis page grouped its figures (archive.analysis.period.GROUPINGS).
_GROUPINGS = {"day": N_("per day"), "week": N_("per week"), "month": N_("per month")}
# Keys whose value is a code with a word of its own.
_WORDED = {"method": labels.LOGIN_METHODS, "event": labels.RETENTION_EVENTS}


def describe(entry: Mapping, language: str, type_label) -> list[str]:
    """Return an entry's details as short readable phrases (empty when it has none)."""
    details = entry.get("details") or {}
    if not isinstance(details, Mapping):
        return [str(details)]
    stored = Message.from_json(details.get("message"))
    if stored is not None:
        # A reason kept as its message is worded for this reader; the English copy beside it is for the CSV.
        details = {**{k: v for k, v in details.items() if k != "message"}, "reason": sentence(stored)}
    if entry.get("action") == "audit_keys" and "reason" in details:
        # The archive's own reason is a code; one a person gave (a renewed key) is shown as typed.
        details = {**details, "reason": labels.label(labels.KEY_REASONS, details["reason"])}
    if entry.get("action") == "login_failed" and "reason" in details:
        details = {**details, "reason": labels.label(labels.LOGIN_FAILURES, details["reason"])}
    if entry.get("action") == "analysis" and details.get("since") and details.get("until"):
        return _analysis(details, language)
    if entry.get("action") == "change" and "fact" in details:
        fact = details["fact"]
        before = _fact(fact, details.get("before"), language, type_label)
        after = _fact(fact, details.get("after"), language, type_label)
        return [f"{labels.label(labels.FACTS, fact)}: {before} → {after}"]
    if "before" in details and "after" in details:  # a role changed, and the like
        shown = labels.label(labels.ROLES, details["before"]), labels.label(labels.ROLES, details["after"])
        who = f"{details['user']}: " if details.get("user") else ""
        return [f"{who}{shown[0]} → {shown[1]}"]
    return [
        phrase
        for key, value in details.items()
        if key not in _QUIET
        for phrase in [_phrase(key, value, language, type_label)]
        if phrase
    ]


def _phrase(key: str, value: object, language: str, type_label) -> str:
    if value in (None, "", [], {}) or value is False:  # a flag that is off says nothing ("to review: False")
        return ""
    name = gettext(_KEYS[key]) if key in _KEYS else key
    if value is True:
        return name
    if key == "document_type":
        return f"{name}: {type_label(str(value))}"
    if key == "rendition" or key == "preview":
        return f"{name}: {gettext(_RENDITIONS[value]) if value in _RENDITIONS else value}"
    if key in ("retention_until", "happened_on"):
        return f"{name}: {i18n.format_date(value, language)}"
    if key == "fields" and isinstance(value, list):  # a client's fields, named as its form names them
        return f"{name}: {', '.join(labels.label(labels.CLIENT_FIELDS, v) for v in value)}"
    if key in ("review_reasons", "reasons") and isinstance(value, list):
        return f"{name}: {', '.join(labels.label(labels.REVIEW_REASONS, r) for r in value)}"
    if key == "channel":
        return f"{name}: {labels.label(labels.CHANNELS, value)}"
    if key == "role":
        return f"{name}: {labels.label(labels.ROLES, value)}"
    if key in _WORDED:
        return f"{name}: {labels.label(_WORDED[key], value)}"
    if key == "query":
        return f"{name}: “{value}”"
    if isinstance(value, list):
        return f"{name}: {', '.join(str(v) for v in value)}"
    if isinstance(value, Mapping):
        return f"{name}: " + ", ".join(f"{k} {v}" for k, v in value.items())
    return f"{name}: {value}"


def _analysis(details: Mapping, language: str) -> list[str]:
    # "by: day, days: 30, since: 2026-11-05": the period read, in dates as the page writes them.
    start, end = (i18n.format_date(details[key], language) for key in ("since", "until"))
    shown = [gettext("period: {start} to {end}", start=start, end=end)]
    if details.get("by") in _GROUPINGS:
        shown.append(gettext(_GROUPINGS[details["by"]]))
    return shown


def _fact(fact: str, value: object, language: str, type_label) -> str:
    if value in (None, ""):
        return "—"
    if fact == "document_type":
        return type_label(str(value))
    if fact == "document_date":
        return i18n.format_date(value, language)
    if fact == "amount":
        return i18n.format_amount(value, language, None)
    if fact == "iban":  # in groups of four, as the facts table above the history shows it
        return spaced_iban(str(value)) or str(value)
    return str(value)
