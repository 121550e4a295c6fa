"""OCR-misread identifiers: repaired when exactly one registered number explains them, never otherwise."""

from __future__ import annotations

import pytest

from ingest.facts import ClientRecord, ClientRegistry
from ingest.facts.client_match import match_client, misread_identifiers
from ingest.facts.repairs import RepairIndex, look_alike_key
from ingest.facts.text import split_lines

ANNA = ClientRecord("K-10023", "Anna de Boer", bsn="111222333", iban="NL91ABNA0417164300", postcode="3511 AB")
FIRMA = ClientRecord("K-10024", "Visser Bouw B.V.", "company", kvk="24330087", vat="NL810433941B01")


def match(text: str, registry: ClientRegistry, settings):
    return match_client(split_lines([text]), registry, settings)


@pytest.fixture(scope="module")
def registry() -> ClientRegistry:
    return ClientRegistry([ANNA, FIRMA])


def test_look_alikes_are_written_as_digits() -> None:
    assert look_alike_key("K-1OO23") == look_alike_key("K-10023") == "K10023"
    assert look_alike_key("NL91 A8NA O417 l643 OO") == look_alike_key("NL91ABNA0417164300")


@pytest.mark.parametrize(
    "printed, kind",
    [
        ("Klantnummer: K-1OO23", "client_number"),  # 0 read as O
        ("BSN: 1l1 222 333", "bsn"),  # 1 read as l
        ("Uw rekening NL91 ABNA 0417 l643 OO", "iban"),  # 1 read as l, 0 as O
        ("Uw rekening NL91 ABNA 0417 1648 00", "iban"),  # one digit misread: mod 97 fails, one registered IBAN fits
        ("BSN 111222383", "bsn"),  # one digit misread: the 11-check fails, one registered BSN fits
    ],
)
def test_a_misread_number_of_one_client_is_repaired(printed: str, kind: str, registry, settings) -> None:
    found = match(printed + "\nAnna de Boer", registry, settings)
    assert found.client_id == "K-10023"
    assert kind in found.evidence or found.evidence in ("bsn", "client_number", "iban")


def test_a_misread_kvk_and_vat_id_of_a_company_are_repaired(registry, settings) -> None:
    assert registry.repairs.repair("kvk", "2433OO87") == "K-10024"
    assert registry.repairs.repair("vat", "NL81O433941801") == "K-10024"


def test_a_valid_number_is_never_read_as_a_misreading(registry) -> None:
    # 111222345 passes the 11-check itself: it is someone else's BSN, not Anna's misread.
    assert registry.repairs.repair("bsn", "111222345") is None


def test_a_number_without_check_digits_is_not_repaired_digit_for_digit(registry) -> None:
    # KvK numbers have no check digit: one digit off is another company.
    assert registry.repairs.repair("kvk", "24330088") is None


def test_a_misreading_two_clients_explain_is_not_repaired(settings) -> None:
    # K-10023 and K-1OO23 are one key; so are two BSNs one digit apart from what was read.
    twins = ClientRegistry(
        [
            ClientRecord("K-10023", "Anna de Boer", bsn="111222333"),
            ClientRecord("K-1OO23", "Piet de Boer", bsn="111222310"),
        ]
    )
    assert twins.repairs.repair("client", "K-1O023") is None
    index = RepairIndex([("bsn", "111222333", "A"), ("bsn", "111222311", "B")])
    assert index.repair("bsn", "111222313") is None  # fails the 11-check; A and B both one digit away
    found = match("Klantnummer: K-1O023\nBetreft: uw brief", twins, settings)
    assert found.client_id is None


def test_identifier_shapes_with_look_alikes_are_found() -> None:
    kinds = {kind for kind, _ in misread_identifiers("BSN 11l 222 333, KvK 2433OO87, NL81O433941B01")}
    assert {"bsn", "kvk", "vat"} <= kinds
    assert misread_identifiers("Betreft: uw brief van maandag") == []
