"""Registered clients and the in-memory lookups that recognise them in a text."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, fields, replace
from typing import Iterable

from stdnum.exceptions import ValidationError
from stdnum.nl import postcode as std_postcode

from ingest.errors import Phrase
from ingest.facts.identifiers import compact, typed_iban, valid_bsn, valid_kvk, valid_vat
from ingest.facts.names import PREFIXES, CompanyName, PersonName, parse_company, parse_person
from ingest.facts.repairs import RepairIndex

KINDS = ("person", "company")


@dataclass(frozen=True)
class ClientRecord:
    """One client of the office, as registered (identifiers already normalised)."""

    client_id: str
    name: str
    kind: str = "person"
    kvk: str | None = None
    vat: str | None = None
    iban: str | None = None
    bsn: str | None = None
    email: str | None = None
    street: str | None = None
    house_number: str | None = None
    postcode: str | None = None
    city: str | None = None


CLIENT_FIELDS = tuple(f.name for f in fields(ClientRecord))


def normalise_client_id(text: str) -> str:
    """Return a client number as compared: upper case, without spaces, dots and dashes."""
    return re.sub(r"[\s.\-_/]", "", text).upper()


def normalise_postcode(text: str) -> str | None:
    """Return a Dutch postcode as ``1234 AB``, else None."""
    try:
        value = std_postcode.validate(text)
    except ValidationError:
        return None
    value = value.replace(" ", "")
    return f"{value[:4]} {value[4:]}"


def validate_client(raw: dict[str, str | None]) -> tuple[ClientRecord | None, list[Phrase]]:
    """Return the normalised record and a list of problems (one sentence each)."""
    value = {key: (raw.get(key) or "").strip() or None for key in CLIENT_FIELDS}
    problems: list[Phrase] = []
    if not value["client_id"]:
        problems.append(Phrase("client.number_missing", "The client number is missing."))
    if not value["name"]:
        problems.append(Phrase("client.name_missing", "The name is missing."))
    kind = (value["kind"] or "person").lower()
    if kind not in KINDS:
        problems.append(
            Phrase("client.kind_invalid", "The kind must be person or company, not '{kind}'.", {"kind": value["kind"]})
        )
    checks = {
        "kvk": valid_kvk,
        "vat": valid_vat,
        "iban": typed_iban,  # typed or exported by a person: strict, no OCR repair
        "bsn": _strict_bsn,
        "postcode": normalise_postcode,
    }
    for key, check in checks.items():
        given = value[key]
        if given is not None:
            normalised = check(given)
            if normalised is None:
                problems.append(_invalid(key, given))
            value[key] = normalised
    email = value["email"]
    if email is not None:
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
            problems.append(
                Phrase("client.email_invalid", "The e-mail address '{value}' is not valid.", {"value": email})
            )
        value["email"] = email.lower()
    if problems:
        return None, problems
    value["kind"] = kind
    value["client_id"] = (value["client_id"] or "").upper()
    return ClientRecord(**value), []  # type: ignore[arg-type]  # client_id and name were checked above


def _invalid(key: str, text: str) -> Phrase:
    # A BSN is never repeated in full in a message that may reach a log.
    if key == "bsn":
        return Phrase("client.bsn_invalid", "The BSN '{value}' is not valid.", {"value": "*****" + text[-4:]})
    sentences = {
        "kvk": Phrase("client.kvk_invalid", "The KvK number '{value}' is not valid."),
        "vat": Phrase("client.vat_invalid", "The VAT id '{value}' is not valid."),
        "iban": Phrase("client.iban_invalid", "The IBAN '{value}' is not valid."),
        "postcode": Phrase("client.postcode_invalid", "The postcode '{value}' is not valid."),
    }
    return replace(sentences[key], values={"value": text})


def _strict_bsn(text: str) -> str | None:
    return valid_bsn(text) if len(compact(text)) == 9 else None


class ClientRegistry:
    """Pure in-memory lookups over the registered clients; built once, reused."""

    def __init__(self, clients: Iterable[ClientRecord]) -> None:
        self.clients: dict[str, ClientRecord] = {}
        self.by_number: dict[str, str] = {}
        self.by_identifier: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.by_postcode: dict[str, set[str]] = defaultdict(set)
        self.names: dict[str, PersonName | CompanyName] = {}
        # The words that find a client's name in a text: a person's surname words, a
        # company's distinctive words. Thousands share a first name, so given names never
        # put a client in the running.
        self.by_token: dict[str, set[str]] = defaultdict(set)
        for client in clients:
            self._add(client)
        self.vocabulary: list[str] = sorted(self.by_token)
        self.repairs = RepairIndex(
            [("client", client.client_id, client.client_id) for client in self.clients.values()]
            + [
                (kind, getattr(client, kind), client.client_id)
                for client in self.clients.values()
                for kind in ("iban", "bsn", "kvk", "vat")
                if getattr(client, kind)
            ]
        )
        # Every name word under each one-letter deletion: a word one OCR slip away (a letter
        # changed, dropped or added) shares one of them (symmetric-delete lookup).
        self.by_deletion: dict[str, set[str]] = defaultdict(set)
        for word in self.vocabulary:
            if len(word) >= 5:
                for variant in deletions(word):
                    self.by_deletion[variant].add(word)

    def similar_words(self, word: str) -> set[str]:
        """Return the registered name words at most one letter away from ``word``."""
        found: set[str] = set()
        for variant in deletions(word):
            found |= self.by_deletion.get(variant, set())
        return found

    def _add(self, client: ClientRecord) -> None:
        self.clients[client.client_id] = client
        self.by_number[normalise_client_id(client.client_id)] = client.client_id
        for kind in ("kvk", "vat", "iban", "bsn", "email"):
            value = getattr(client, kind)
            if value:
                self.by_identifier[(kind, value.lower() if kind == "email" else compact(value))].add(client.client_id)
        if client.postcode:
            self.by_postcode[client.postcode.replace(" ", "")].add(client.client_id)
        name = parse_person(client.name) if client.kind == "person" else parse_company(client.name)
        self.names[client.client_id] = name
        words = name.surname if isinstance(name, PersonName) else name.words
        for word in words:
            if len(word) >= 2 and word not in PREFIXES:
                self.by_token[word].add(client.client_id)

    def __len__(self) -> int:
        return len(self.clients)

    def get(self, client_id: str) -> ClientRecord | None:
        """Return the client with this number, or None."""
        return self.clients.get(client_id)

    def by_client_number(self, text: str) -> str | None:
        """Return the client id a printed client number refers to, or None."""
        return self.by_number.get(normalise_client_id(text))

    def with_identifier(self, kind: str, value: str) -> set[str]:
        """Return the ids of clients registered with this identifier (kvk, vat, iban, bsn, email)."""
        key = value.lower() if kind == "email" else compact(value)
        return self.by_identifier.get((kind, key), set())


def deletions(word: str) -> set[str]:
    """Return the word and every form of it with one letter left out."""
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}
