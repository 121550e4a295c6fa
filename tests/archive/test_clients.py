"""The client service: CSV import (line-numbered refusals, idempotent), add/update, the cached registry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.access.actors import Actor
from archive.cli import main
from archive.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from ingest.facts import extract_facts

HEADER = "client_id,name,kind,kvk,vat,iban,bsn,email,street,house_number,postcode,city\n"
GOOD = (
    "K-10023,Jansen Installatietechniek B.V.,company,12345678,NL810433941B01,NL91ABNA0417164300,,info@jansen.nl,"
    "Molenweg,12,1234 AB,Utrecht\n"
    "K-10024,Janssen Installaties,company,87654321,,,,,Kerkstraat,3,5678 CD,Zwolle\n"
    "K-10025,Pieter Bakker,person,,,NL20INGB0001234567,111222333,p.bakker@example.nl,Julianalaan,7,2511 CV,Den Haag\n"
)


def write(tmp_path: Path, text: str, name: str = "klanten.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_adds_clients_and_a_second_import_changes_nothing(archive, tmp_path):
    path = write(tmp_path, HEADER + GOOD)
    first = archive.clients.import_csv(path)
    second = archive.clients.import_csv(path)
    assert (first.added, first.updated, first.unchanged, first.errors) == (3, 0, 0, [])
    assert (second.added, second.updated, second.unchanged) == (0, 0, 3)
    assert archive.clients.get("K-10025").iban == "NL20INGB0001234567"
    assert archive.clients.get("K-10023").postcode == "1234 AB"


def test_bad_rows_are_reported_by_line_and_nothing_of_them_is_imported(archive, tmp_path):
    bad = (
        "K-1,Goede Klant,person,,,,,,,,,\n"
        "K-2,Foute BSN,person,,,,123456789,,,,,\n"  # fails the 11-check
        "K-3,Foute IBAN,person,,,NL91ABNA0417164301,,,,,,\n"  # fails mod 97
        "K-4,,person,,,,,,,,,\n"  # no name
        "K-5,Foute postcode,person,,,,,,,,0123 AB,\n"
        "K-6,Fout soort,robot,,,,,,,,,\n"
    )
    report = archive.clients.import_csv(write(tmp_path, HEADER + bad))
    assert report.added == 1
    assert [line for line, _ in report.errors] == [3, 4, 5, 6, 7]
    assert "BSN" in report.errors[0][1] and "123456789" not in report.errors[0][1]
    assert "IBAN" in report.errors[1][1]
    assert [c.client_id for c in archive.clients.list()] == ["K-1"]


def test_changed_row_is_updated_and_the_registry_sees_it(archive, tmp_path):
    archive.clients.import_csv(write(tmp_path, HEADER + GOOD))
    assert archive.clients.registry().get("K-10024").city == "Zwolle"
    changed = GOOD.replace("5678 CD,Zwolle", "5678 CD,Kampen")
    report = archive.clients.import_csv(write(tmp_path, HEADER + changed, "v2.csv"))
    assert (report.added, report.updated, report.unchanged) == (0, 1, 2)
    assert archive.clients.registry().get("K-10024").city == "Kampen"


def test_add_and_update_validate_and_audit(archive):
    clerk = Actor("clara", "clerk")
    added = archive.clients.add({"client_id": "k-9", "name": "Sanne Mulder", "bsn": "111222333"}, clerk)
    assert added.client_id == "K-9" and added.kind == "person"
    with pytest.raises(Conflict):
        archive.clients.add({"client_id": "K-9", "name": "Iemand anders"}, clerk)
    with pytest.raises(InvalidInput, match="IBAN"):
        archive.clients.update("K-9", {"name": "Sanne Mulder", "iban": "NL00XXXX"}, clerk)
    with pytest.raises(NotFound):
        archive.clients.update("K-404", {"name": "Niemand"}, clerk)
    archive.clients.update("K-9", {"name": "Sanne Mulder", "city": "Delft"}, clerk)
    assert archive.clients.get("K-9").city == "Delft"
    with pytest.raises(PermissionDenied):
        archive.clients.add({"client_id": "K-10", "name": "X"}, Actor("sam", "staff"))


def test_a_name_typed_for_a_client_number_names_the_clients_it_matches(archive):
    # A clerk types "garage" where the number belongs: told which client that is, never filed under it.
    system = Actor("system", "system")
    for number, name in (("K-8", "Garage Smit"), ("K-9", "Drukkerij Jansen"), ("K-10", "Jansen & Zn")):
        archive.clients.add({"client_id": number, "name": name}, system)
    one = archive.clients.unknown_number("garage")
    assert (one.code, one.values["number"], one.values["name"]) == ("client.not_found_one_match", "K-8", "Garage Smit")
    assert str(one) == (
        "There is no client with number garage. Did you mean K-8 (Garage Smit)? Choose that client, or type its number."
    )
    two = archive.clients.unknown_number("jansen")
    assert (two.code, two.values["count"]) == ("client.not_found_matches", 2)
    assert archive.clients.unknown_number("K-404").code == "client.not_found"
    with pytest.raises(InvalidInput) as refused:
        archive.check_fact("client_id", "garage")  # what every facts form asks first
    assert refused.value.code == "client.not_found_one_match"


def test_missing_column_is_refused_with_a_sentence(archive, tmp_path):
    with pytest.raises(InvalidInput, match="client_id"):
        archive.clients.import_csv(write(tmp_path, "name,city\nJan,Delft\n"))


def test_registry_feeds_extraction(archive, tmp_path, config):
    archive.clients.import_csv(write(tmp_path, HEADER + GOOD))
    text = "Aan: Jansen Installatietechniek B.V.\nMolenweg 12\n1234 AB Utrecht\nFactuur F-1\nDatum: 3 maart 2025\n"
    facts = extract_facts([text], archive.clients.registry(), config.extraction)
    assert facts.client_id == "K-10023"


def test_cli_import_and_list(config, tmp_path):
    runner = CliRunner()
    home = ["--home", str(config.home)]
    assert runner.invoke(main, home + ["init"], env={"ARCHIVE_ADMIN_PASSWORD": "Kantoor-Archief-2026!"}).exit_code == 0
    result = runner.invoke(main, home + ["clients", "import", str(write(tmp_path, HEADER + GOOD)), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["added"] == 3
    listed = runner.invoke(main, home + ["clients", "list", "--json"])
    rows = json.loads(listed.output)
    assert [r["client_id"] for r in rows] == ["K-10023", "K-10024", "K-10025"]
    bad = runner.invoke(
        main, home + ["clients", "import", str(write(tmp_path, HEADER + "K-7,X,person,,,,999,,,,,\n", "b.csv"))]
    )
    assert bad.exit_code == 1 and "line 2" in bad.output


def test_fact_corrections_are_recorded_and_teach_the_classifier(archive, tmp_path, config):
    from archive.documents.corrections import corrections, train_classifier
    from tests.documents import text_pdf

    outcomes = [
        archive.ingest(
            text_pdf(
                tmp_path / f"v{n}.pdf", [f"Verwijsbrief fysiotherapie {n}\nGeachte collega,\nMet vriendelijke groet"]
            )
        )
        for n in range(3)
    ]
    clerk = Actor("clara", "clerk")
    for outcome in outcomes:
        archive.update_facts(outcome.id, {"document_type": "form"}, clerk)
    rows = corrections(archive.db.read())
    assert [(r["fact"], r["new_value"], r["actor"]) for r in rows] == [("document_type", "form", "clara")] * 3
    assert rows[0]["old_value"] == "letter" and rows[0]["at"]
    assert train_classifier(archive.db.read(), min_corrections=30) is None
    assert archive.reader.classifier() is None  # the configured minimum is not reached
    other = archive.ingest(text_pdf(tmp_path / "f.pdf", ["FACTUUR F-1\nFactuurdatum 3 maart 2025\nTotaal € 10,00"]))
    archive.update_facts(other.id, {}, clerk, confirm=True, without_client=True)  # confirms the rules' call
    learned = train_classifier(archive.db.read(), min_corrections=3)
    assert learned is not None and set(learned.classes) == {"form", "invoice"}


def test_filing_recognises_an_imported_client(archive, tmp_path):
    from tests.documents import text_pdf

    archive.clients.import_csv(write(tmp_path, HEADER + GOOD))
    letter = (
        "Gemeente Utrecht\nPostbus 16200\n3500 CE Utrecht\n\nDe heer P. Bakker\nJulianalaan 7\n2511 CV Den Haag\n\n"
        "Datum: 12 maart 2024\nOns kenmerk: 2024-0312-77\nBetreft: parkeervergunning\n\nGeachte heer Bakker,\n"
        "Uw aanvraag is toegekend.\nMet vriendelijke groet,"
    )
    look_alike = (
        "Aan: Janssen Installaties\nKerkstraat 3\n5678 CD Zwolle\n\nFACTUUR F-77\nFactuurdatum 1-2-2025\n"
        "Totaal te betalen € 50,00"
    )
    first = archive.ingest(text_pdf(tmp_path / "brief.pdf", [letter]))
    second = archive.ingest(text_pdf(tmp_path / "factuur.pdf", [look_alike]))
    assert (first.client_id, first.document_type, first.reference) == ("K-10025", "letter", "2024-0312-77")
    assert (second.client_id, second.amount) == ("K-10024", "50.00")
