"""Words for the codes the archive stores: roles, review reasons, fact names, audit actions.

The archive keeps stable codes (``records_manager``, ``no_client``, ``hold_add``);
each table here maps a code to the English message id of its word, translated when
shown. An unknown code (a newer release's, or a typo in old data) is shown as it
is rather than guessed at.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Mapping

from archive.errors import Templated, is_templated
from web.i18n import N_, gettext, sentence

# Named for the job: the receptionist at the desk is ``staff`` (reads only), the one who
# files and corrects is the ``clerk`` — an admin choosing by the word must not mix them up.
ROLES = {
    "clerk": N_("archive clerk"),
    "staff": N_("front-desk staff"),
    "records_manager": N_("records manager"),
    "auditor": N_("auditor"),
    "admin": N_("administrator"),
}

# One line per role, where a role is chosen.
ROLE_DESCRIPTIONS = {
    "clerk": N_("Uploads and files documents, corrects their facts, works the review queue; may reveal a BSN."),
    "staff": N_("Searches, opens and downloads documents at the desk; changes nothing and sees BSNs masked."),
    "records_manager": N_("Keeps the retention schedule, places legal holds and approves destruction."),
    "auditor": N_("Reads everything and the audit trail, checks the archive, exports evidence; changes nothing."),
    "admin": N_("Manages users, roles and second factors; sees who read what."),
}

# A client's fields, worded as the client form labels them.
CLIENT_FIELDS = {
    "client_id": N_("Client number"),
    "name": N_("Name"),
    "kind": N_("Kind"),
    "kvk": N_("KvK"),
    "vat": N_("VAT id"),
    "iban": N_("IBAN"),
    "bsn": N_("BSN"),
    "email": N_("E-mail"),
    "street": N_("Street"),
    "house_number": N_("House number"),
    "postcode": N_("Postcode"),
    "city": N_("City"),
}

CLIENT_KINDS = {"person": N_("person"), "company": N_("company")}

REVIEW_REASONS = {
    "no_client": N_("no client recognised"),
    "ambiguous_client": N_("several clients possible"),
    "unsure_client": N_("client unsure"),
    "no_type": N_("type not recognised"),
    "unsure_type": N_("type unsure"),
    "no_date": N_("no date found"),
    "unsure_date": N_("date unsure"),
    "no_amount": N_("no amount found"),
    "unsure_amount": N_("amount unsure"),
    "conflicting_totals": N_("totals disagree"),
    "low_ocr_confidence": N_("scan hard to read"),
    "no_text": N_("no text found"),
    "no_ocr": N_("not read"),
    "client_contradicted": N_("the client given at upload is not the one the document names"),
}

# What was seen of a candidate client on the page.
EVIDENCE_KINDS = {
    "client_number": N_("client number"),
    "client_code": N_("client code"),
    "bsn": N_("BSN"),
    "kvk": N_("KvK number"),
    "vat": N_("VAT id"),
    "iban": N_("IBAN"),
    "email": N_("e-mail address"),
    "name": N_("name"),
    "postcode": N_("postcode"),
    "street": N_("street and number"),
}

FACTS = {
    "client_id": N_("client"),
    "document_type": N_("type"),
    "document_date": N_("date"),
    "amount": N_("amount"),
    "currency": N_("currency"),
    "iban": N_("IBAN"),
    "reference": N_("reference"),
    "bsn": N_("BSN"),
    "title": N_("title"),
}

FACT_ORIGINS = {"extracted": N_("extracted"), "given": N_("given"), "corrected": N_("corrected")}

RETENTION_STARTS = {
    "document_date": N_("document date"),
    "end_of_year": N_("end of the year"),
    "event": N_("event"),
    "last_change": N_("last change of the dossier"),
}

# Retention events are named in the schedule ([retention.*] event); these are the ones it ships with.
RETENTION_EVENTS = {
    "employment_ended": N_("employment ended"),
    "dossier_closed": N_("dossier closed"),
}

# How a person proved who they are when logging in.
LOGIN_METHODS = {
    "password": N_("password"),
    "password+totp": N_("password and code from the app"),
}

# Why a log-in was refused, as the archive records it (in English, for the log).
LOGIN_FAILURES = {
    "unknown or disabled user": N_("unknown or disabled user"),
    "wrong password": N_("wrong password"),
    "wrong second-factor code": N_("wrong code from the app"),
    "second-factor code used before": N_("code from the app already used"),
    "wrong current password when changing it": N_("wrong current password when changing it"),
}

# Why the audit trail's keys were named anew.
# Why a document chosen for destruction was left alone (``archive.records.disposition``).
DISPOSAL_SKIPS = {
    "on legal hold": N_("on legal hold"),
    "not yet due": N_("not yet due"),
    "no longer filed": N_("already destroyed"),
    "facts not confirmed": N_("type or date not confirmed"),
}

KEY_REASONS = {
    "new home": N_("new archive"),
    "new seal key": N_("new seal key"),
    "upgrade": N_("upgrade to a newer release"),
}

FACETS = {"document_type": N_("Type"), "client_id": N_("Client"), "year": N_("Year")}

ACTIONS = {
    "init": N_("archive created"),
    "receive": N_("received"),
    "file": N_("filed"),
    "duplicate": N_("duplicate received"),
    "ingest_failed": N_("filing failed"),
    "inbox_retry": N_("failed file tried again"),
    "view": N_("viewed"),
    "thumbnail": N_("thumbnail viewed"),
    "client_list": N_("clients looked up"),
    "records_view": N_("disposal list viewed"),
    "analysis": N_("analysis viewed"),
    "download": N_("downloaded"),
    "search": N_("searched"),
    "change": N_("changed"),
    "reveal_bsn": N_("BSN shown"),
    "review_confirmed": N_("confirmed"),
    "hold_add": N_("hold placed"),
    "hold_remove": N_("hold released"),
    "retention_event": N_("event recorded"),
    "retention_recomputed": N_("retention dates recomputed"),
    "dispose": N_("destroyed"),
    "dispose_approve": N_("disposal approved"),
    "export": N_("evidence exported"),
    "verify": N_("fixity checked"),
    "derivative_rebuilt": N_("altered copy rebuilt"),
    "derivative_lost": N_("altered copy not rebuilt"),
    "audit_verify": N_("audit trail checked"),
    "audit_read": N_("audit trail read"),
    "audit_report": N_("access report made"),
    "reindex": N_("search index rebuilt"),
    "backup": N_("backup made"),
    "restore": N_("restored from a backup"),
    "client_added": N_("client added"),
    "client_changed": N_("client changed"),
    "clients_imported": N_("clients imported"),
    "login": N_("logged in"),
    "login_failed": N_("log-in refused"),
    "logout": N_("logged out everywhere"),
    "user_add": N_("user added"),
    "user_role": N_("role changed"),
    "user_enable": N_("user enabled"),
    "user_disable": N_("user disabled"),
    "user_password": N_("password changed"),
    "user_totp_reset": N_("second factor renewed"),
    "token_add": N_("API token made"),
    "token_revoke": N_("API token revoked"),
    "tag_add": N_("tag added"),
    "tag_remove": N_("tag removed"),
    "note_add": N_("note written"),
    "note_edit": N_("note changed"),
    "title_change": N_("title changed"),
    "inbox_remove": N_("failed file removed"),
    "saved_search_add": N_("search saved"),
    "saved_search_delete": N_("saved search deleted"),
    "bulk_change": N_("changed in bulk"),
    "checkpoint": N_("audit trail checkpoint signed"),
    "audit_keys": N_("audit trail keys made"),
}

CHANNELS = {
    "inbox": N_("inbox"),
    "upload": N_("upload"),
    "api": N_("API"),
    "cli": N_("command line"),
    "mail": N_("e-mail"),
}


def label(table: Mapping[str, str | Templated], code: object) -> str:
    """Return the word for a code from one of the tables above; the code itself when it has none."""
    if code is None or code == "":
        return ""
    word = table.get(str(code))
    if word is None:
        return str(code)
    return sentence(word) if is_templated(word) else gettext(word)  # type: ignore[arg-type]


def fact_source(fact: Mapping[str, object]) -> str:
    """Return where a fact was read; a client's begins with what was seen of it, worded ("klantnummer: …").

    The reader stores that as its code (``client_number: Aan: …``), which no clerk should meet.
    """
    text = str(fact.get("source_text") or "")
    kind, colon, rest = text.partition(": ")
    if fact.get("name") == "client_id" and colon and kind in EVIDENCE_KINDS:
        return f"{label(EVIDENCE_KINDS, kind)}: {rest}"
    return text


def filters() -> dict[str, Callable[[str | None], str]]:
    """Return the template filters that turn codes into words: ``{{ user.role|role }}``."""
    tables: dict[str, Mapping[str, str | Templated]] = {
        "role": ROLES,
        "role_description": ROLE_DESCRIPTIONS,
        "client_kind": CLIENT_KINDS,
        "review_reason": REVIEW_REASONS,
        "fact": FACTS,
        "fact_origin": FACT_ORIGINS,
        "retention_start": RETENTION_STARTS,
        "facet": FACETS,
        "action": ACTIONS,
        "channel": CHANNELS,
        "evidence_kind": EVIDENCE_KINDS,
        "retention_event": RETENTION_EVENTS,
    }
    return {name: functools.partial(label, table) for name, table in tables.items()}


def codes_for(table: Mapping[str, str], typed: str, translate) -> list[str]:
    """Return the codes a person may mean by a typed word: the code itself, or its word in either language.

    ``translate`` turns a message id into the current language's word. Case, accents
    and surrounding spaces do not matter; a word that is part of exactly one label
    (``zoek`` in *gezocht*) counts too.
    """
    wanted = _folded(typed)
    if not wanted:
        return []
    exact = [
        code for code, msgid in table.items() if wanted in (_folded(code), _folded(msgid), _folded(translate(msgid)))
    ]
    if exact:
        return exact
    # A verb as typed ("zoeken", "downloaden") finds the label by its stem ("zoekopdracht", "gedownload").
    stem = re.sub(r"(?<=\w{3})(?:en|n)$", "", wanted)
    return [
        code
        for code, msgid in table.items()
        if any(stem in word for word in (_folded(msgid), _folded(translate(msgid)), _folded(code)))
    ]


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip().lower()
