"""Client records: validation of every identifier, and the registry's lookups."""

from ingest.facts import ClientRecord, ClientRegistry, normalise_client_id, normalise_postcode, validate_client


def test_valid_row_is_normalised():
    record, problems = validate_client(
        {
            "client_id": "k-10023",
            "name": " Jansen B.V. ",
            "kind": "Company",
            "kvk": "24.330.087",
            "vat": "nl810433941b01",
            "iban": "nl91 abna 0417 1643 00",
            "email": "Info@Jansen.NL",
            "postcode": "1234ab",
        }
    )
    assert problems == []
    assert (record.client_id, record.name, record.kind) == ("K-10023", "Jansen B.V.", "company")
    assert (record.kvk, record.vat, record.iban) == ("24330087", "NL810433941B01", "NL91ABNA0417164300")
    assert (record.email, record.postcode) == ("info@jansen.nl", "1234 AB")


def test_every_bad_identifier_is_named():
    record, problems = validate_client(
        {
            "client_id": "K-1",
            "name": "X",
            "kvk": "123",
            "vat": "NL123",
            "iban": "NL00",
            "bsn": "123456789",
            "email": "nope",
            "postcode": "12345",
        }
    )
    assert record is None
    assert [p.code for p in problems] == [
        "client.kvk_invalid",
        "client.vat_invalid",
        "client.iban_invalid",
        "client.bsn_invalid",
        "client.postcode_invalid",
        "client.email_invalid",
    ]
    assert str(problems[0]) == "The KvK number '123' is not valid."
    assert not any("123456789" in str(p) for p in problems)  # a BSN is never repeated in a message


def test_registry_lookups():
    registry = ClientRegistry(
        [
            ClientRecord("K-10023", "Jansen B.V.", "company", kvk="24330087", email="info@jansen.nl"),
            ClientRecord("K-10024", "Pieter Bakker", bsn="111222333"),
        ]
    )
    assert len(registry) == 2
    assert registry.by_client_number("k 10023") == "K-10023"
    assert registry.with_identifier("kvk", "24 330 087") == {"K-10023"}
    assert registry.with_identifier("bsn", "111222333") == {"K-10024"}
    assert registry.with_identifier("email", "INFO@jansen.nl") == {"K-10023"}
    # A person is found by surname, a company by its distinctive words (not its legal form).
    assert registry.by_token["bakker"] == {"K-10024"} and "pieter" not in registry.by_token
    assert registry.by_token["jansen"] == {"K-10023"} and "bv" not in registry.by_token


def test_normalisers():
    assert normalise_client_id("k-100.23") == "K10023"
    assert normalise_postcode("1234 ab") == "1234 AB" and normalise_postcode("0123 AB") is None
