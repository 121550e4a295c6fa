"""Names as registered and as printed: the variants that are one person, and those that are not."""

from __future__ import annotations

import pytest

from ingest.facts import ClientRecord, ClientRegistry
from ingest.facts.client_match import match_client
from ingest.facts.names import company_agreement, parse_company, parse_person, person_agreement, printed
from ingest.facts.text import split_lines

BERG = parse_person("Jan van den Berg")


@pytest.mark.parametrize("registered", ["Jan van den Berg", "J. van den Berg", "Berg, Jan van den", "Berg, J. van den"])
def test_a_registered_name_in_any_order_is_parsed_alike(registered: str) -> None:
    name = parse_person(registered)
    assert (name.initials, name.prefix, name.surname) == ("j", ("van", "den"), ("berg",))


@pytest.mark.parametrize(
    "seen, at_least",
    [
        ("Jan van den Berg", 0.95),
        ("JAN VAN DEN BERG", 0.95),
        ("Dhr. J. van den Berg", 0.75),
        ("Berg, J.M. van den", 0.75),
        ("BERG, J. VAN DEN", 0.75),
        ("De heer J.M. van den Berg", 0.75),
        ("Jan v.d. Berg", 0.9),
        ("Fam. van den Berg", 0.5),
        ("T.a.v. de heer J. van den Berg", 0.75),
    ],
)
def test_printed_variants_of_one_person_agree(seen: str, at_least: float) -> None:
    assert person_agreement(BERG, printed(seen)) >= at_least


@pytest.mark.parametrize(
    "seen",
    [
        "Kees van den Berg",  # another first name
        "P. van den Berg",  # another initial
        "J. van der Berg",  # another prefix
        "Van den Berg Bouw B.V.",  # a company
        "Bergen",  # another surname
    ],
)
def test_other_people_and_companies_do_not_agree(seen: str) -> None:
    assert person_agreement(BERG, printed(seen)) == 0.0


def test_dropped_diacritics_and_apostrophe_prefixes() -> None:
    assert person_agreement(parse_person("Zoë Müller"), printed("ZOE MULLER")) >= 0.95
    assert person_agreement(parse_person("Kees van 't Hof"), printed("K. van ’t Hof")) >= 0.75
    assert person_agreement(parse_person("Gert-Jan de Jong-van Dijk"), printed("G.J. de Jong-van Dijk")) >= 0.75


def test_a_company_is_its_words_whatever_its_legal_form() -> None:
    firm = parse_company("Jansen Installatietechniek B.V.")
    for seen in ("Jansen Installatietechniek BV", "JANSEN INSTALLATIETECHNIEK B.V."):
        assert company_agreement(firm, printed(seen)) >= 0.95
    # Without its legal form it is close, never the exact name: "Jansen Installatietechniek"
    # may be a one-man business beside the B.V.
    assert 0.8 <= company_agreement(firm, printed("Jansen lnstallatietechniek")) < 0.95
    assert 0.8 <= company_agreement(parse_company("Visser Bouw"), printed("Visser Bouw B.V.")) < 0.95
    assert company_agreement(firm, printed("Jansen Installatietechniek Groep B.V.")) == 0.0
    assert company_agreement(firm, printed("Dhr. Jansen")) == 0.0  # a person


PERSON = ClientRecord("K-1", "Willem Visser", street="Molenweg", house_number="3", postcode="3511 AB", city="Utrecht")
COMPANY = ClientRecord(
    "K-2", "Visser B.V.", "company", street="Havenkade", house_number="8", postcode="3511 AB", city="Utrecht"
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Aan: W. Visser\nMolenweg 3\n3511 AB Utrecht", "K-1"),
        ("Aan: Visser B.V.\nHavenkade 8\n3511 AB Utrecht", "K-2"),
    ],
)
def test_a_person_and_a_company_of_the_same_name_stay_apart(text: str, expected: str, settings) -> None:
    # Same surname, same postcode: the printed form (initial or legal form) and the street decide.
    registry = ClientRegistry([PERSON, COMPANY])
    assert match_client(split_lines([text]), registry, settings).client_id == expected


def test_a_surname_alone_needs_the_full_address(settings) -> None:
    registry = ClientRegistry([PERSON, COMPANY])
    assert match_client(split_lines(["Mr. Visser\nMolenweg 3\n3511 AB Utrecht"]), registry, settings).client_id == "K-1"
    assert match_client(split_lines(["Mr. Visser\n3511 AB Utrecht"]), registry, settings).client_id is None


@pytest.mark.parametrize(
    "seen",
    [
        "Dhr. en mevr. J. van den Berg",
        "De heer en mevrouw J. van den Berg",
        "Mr and Mrs J. van den Berg",
        "Mevrouw drs. J. van den Berg",
        "Dhr. ir. J.M. van den Berg",
    ],
)
def test_couples_and_academic_titles_are_titles(seen: str) -> None:
    assert person_agreement(BERG, printed(seen)) >= 0.75
