"""Dutch and English notation of dates, times and amounts (Babel), and the catalogue's lookups."""

from __future__ import annotations

from datetime import date

from web.i18n import format_amount, format_date, format_datetime, format_number, format_percent, format_size


def test_dates():
    assert format_date("2024-03-12", "nl") == "12 maart 2024"
    assert format_date(date(2024, 3, 12), "en") == "12 March 2024"
    assert format_date(None, "nl") == ""


def test_times_are_shown_in_dutch_local_time():
    assert format_datetime("2024-07-01T12:05:00.000000Z", "nl") == "1 juli 2024 14:05"
    assert format_datetime("2024-01-01T12:05:00Z", "en") == "1 January 2024 13:05"


def test_amounts():
    assert format_amount("1234.56", "nl") == "€\u00a01.234,56"
    assert format_amount("1234567.5", "nl") == "€\u00a01.234.567,50"
    assert format_amount("-99", "nl") == "€\u00a0-99,00"
    assert format_amount("1234.56", "en") == "€1,234.56"
    assert format_amount("-99", "en") == "-€99.00"
    assert format_amount("10", "nl", "USD") == "US$\u00a010,00"
    assert format_amount(None, "nl") == ""


def test_numbers_shares_and_sizes():
    assert format_number(1234.5, "nl") == "1.234,5" and format_number(1234.5, "en") == "1,234.5"
    assert format_number(2, "nl", 1) == "2,0"
    assert format_percent(0.125, "nl", 1) == "12,5%" and format_percent(0.125, "en") == "12%"
    assert format_size(1536, "nl") == "1,5 kB" and format_size(1536, "en") == "1.5 kB"
    assert format_size(12, "nl") == "12 B"


def test_a_message_is_worded_by_its_code_and_template(app):
    from flask import g

    from archive.errors import InvalidInput
    from web.i18n import sentence

    error = InvalidInput("query.bad_page", "Page numbers run from 1 to {pages}.", pages=50)
    worded = {}
    for language in ("nl", "en"):
        with app.test_request_context():
            g.lang = language
            worded[language] = sentence(error)
    assert worded == {"nl": "Paginanummers lopen van 1 tot en met 50.", "en": "Page numbers run from 1 to 50."}


def test_a_phrase_and_a_role_inside_a_sentence_are_worded_too(app, tmp_path):
    import pytest
    from flask import g

    from archive.access.actors import Actor
    from archive.access.permissions import Permission, require
    from archive.errors import PermissionDenied
    from ingest.errors import UnsupportedFormat
    from ingest.formats import detect_format
    from web.i18n import sentence

    with pytest.raises(PermissionDenied) as refusal:
        require(Actor("sam", "staff"), Permission.HOLD)
    old_office = tmp_path / "scan.pdf"  # GIF images are read now; an old-style Office file is not
    old_office.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(UnsupportedFormat) as unsupported:
        detect_format(old_office)
    with app.test_request_context():
        g.lang = "nl"
        assert sentence(refusal.value) == (
            "Gebruiker 'sam' (medewerker) heeft geen recht om juridische bewaringen te plaatsen en op te heffen."
        )
        assert sentence(unsupported.value).startswith(
            "Dit bestand is een Office-document in het oude formaat (.doc/.xls)"
        )
    assert str(unsupported.value).startswith("This file is an old-style Office document (.doc/.xls)")


def test_every_detail_key_the_archive_records_is_worded_in_dutch() -> None:
    """A history line on a Dutch page names each detail in Dutch, never by its stored key."""
    import re
    from pathlib import Path

    from web import audit_text

    recorded = set()
    for source in (Path(__file__).resolve().parents[2] / "archive").rglob("*.py"):
        for details in re.findall(r"details=\{[^}]*\}", source.read_text(encoding="utf-8")):
            recorded.update(re.findall(r'"([a-z_]+)":', details))
    # fact, before, after and message are worded as a whole change or reason, not key by key
    known = set(audit_text._KEYS) | audit_text._QUIET | {"fact", "before", "after", "message", "id"}
    assert sorted(recorded - known) == []


def test_every_reading_the_trail_records_has_a_name_in_dutch(app):
    from archive.audit.trail import RELAXED_ACTIONS
    from web import labels

    assert set(labels.ACTIONS) >= RELAXED_ACTIONS  # else a history shows "thumbnail" among Dutch words
    with app.test_request_context(headers={"Accept-Language": "nl"}):
        from web.i18n import gettext

        assert gettext(labels.ACTIONS["thumbnail"]) == "miniatuur bekeken"
