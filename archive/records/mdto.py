"""MDTO 1.0.2 records (Nationaal Archief) for an evidence export (pure; lxml only).

One ``informatieobject`` per document (identification, name, type, events,
appraisal and retention period, the files that represent it, the archive that
formed it, the client concerned) and one ``bestand`` per stored file (size,
format, SHA-256 checksum). Element order follows the XSD's sequences.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lxml import etree

from archive.config import RetentionRule
from archive.records.retention import period_start

NAMESPACE = "https://www.nationaalarchief.nl/mdto"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_SCHEMA_LOCATION = f"{NAMESPACE} https://www.nationaalarchief.nl/mdto/MDTO-XML1.0.2.xsd"
SOURCE = "Front Office Archive"
_LISTS = {
    "aggregatie": "Begrippenlijst Aggregatieniveaus MDTO",
    "event": "Begrippenlijst EventTypeLijst MDTO",
    "waardering": "Begrippenlijst Waarderingen MDTO",
    "checksum": "Begrippenlijst ChecksumAlgoritme MDTO",
    "types": "Documentsoorten Front Office Archive",
    "termijn": "Bewaartermijnen Front Office Archive (records.retention)",
    "relatie": "Betrokkenheden Front Office Archive",
    "beperking": "Beperkingen Front Office Archive",
    "formaat": "IANA Media Types",
}


@dataclass(frozen=True)
class FileRecord:
    """One stored file of a document, as it is written into the bag."""

    name: str  # the file's name inside the bag
    role: str  # original | searchable_pdf
    size: int
    mime_type: str
    sha256: str


def _el(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    child = etree.SubElement(parent, f"{{{NAMESPACE}}}{name}")
    if text is not None:
        child.text = text
    return child


def _begrip(parent: etree._Element, name: str, label: str, lijst: str, code: str | None = None) -> None:
    node = _el(parent, name)
    _el(node, "begripLabel", label)
    if code:
        _el(node, "begripCode", code)
    _el(_el(node, "begripBegrippenlijst"), "verwijzingNaam", lijst)


def _verwijzing(
    parent: etree._Element, name: str, label: str, kenmerk: str | None = None, bron: str | None = None
) -> None:
    node = _el(parent, name)
    _el(node, "verwijzingNaam", label)
    if kenmerk:
        ident = _el(node, "verwijzingIdentificatie")
        _el(ident, "identificatieKenmerk", kenmerk)
        _el(ident, "identificatieBron", bron or SOURCE)


def _identificatie(parent: etree._Element, kenmerk: str, bron: str) -> None:
    node = _el(parent, "identificatie")
    _el(node, "identificatieKenmerk", kenmerk)
    _el(node, "identificatieBron", bron)


def _root() -> etree._Element:
    root = etree.Element(f"{{{NAMESPACE}}}MDTO", nsmap={None: NAMESPACE, "xsi": _XSI})
    root.set(f"{{{_XSI}}}schemaLocation", _SCHEMA_LOCATION)
    return root


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def document_name(document: Mapping[str, object]) -> str:
    """Return the name MDTO shows for a document: its title, else its file name."""
    return str(document.get("title") or document.get("original_filename") or f"Document {document['id']}")


def informatieobject(
    document: Mapping[str, object],
    files: Sequence[FileRecord],
    archive_name: str,
    rule: RetentionRule | None,
    type_label: str | None,
    client_name: str | None,
) -> bytes:
    """Return the MDTO ``informatieobject`` XML of one document."""
    root = _root()
    obj = _el(root, "informatieobject")
    _identificatie(obj, str(document["id"]), f"{SOURCE}: {archive_name}")
    _el(obj, "naam", document_name(document))
    _begrip(obj, "aggregatieniveau", "Archiefstuk", _LISTS["aggregatie"])
    if document.get("document_type"):
        _begrip(
            obj,
            "classificatie",
            type_label or str(document["document_type"]),
            _LISTS["types"],
            str(document["document_type"]),
        )
    _events(obj, document)
    _appraisal(obj, document, rule)
    for record in files:
        _verwijzing(obj, "heeftRepresentatie", record.name, record.sha256, "SHA-256")
    _verwijzing(obj, "archiefvormer", archive_name)
    if document.get("client_id"):
        betrokkene = _el(obj, "betrokkene")
        _begrip(betrokkene, "betrokkeneTypeRelatie", "Cliënt", _LISTS["relatie"])
        _verwijzing(
            betrokkene,
            "betrokkeneActor",
            client_name or str(document["client_id"]),
            str(document["client_id"]),
            f"{SOURCE}: cliëntenregister",
        )
    beperking = _el(obj, "beperkingGebruik")
    _begrip(beperking, "beperkingGebruikType", "Vertrouwelijk", _LISTS["beperking"])
    _el(
        beperking,
        "beperkingGebruikNadereBeschrijving",
        "Bevat persoonsgegevens (AVG); alleen voor wie er beroepsmatig toegang toe heeft.",
    )
    return _serialise(root)


def _events(obj: etree._Element, document: Mapping[str, object]) -> None:
    if document.get("document_date"):
        event = _el(obj, "event")
        _begrip(event, "eventType", "Creatie", _LISTS["event"])
        _el(event, "eventTijd", str(document["document_date"]))
    event = _el(obj, "event")
    _begrip(event, "eventType", "Ontvangst", _LISTS["event"])
    _el(event, "eventTijd", str(document["created_at"]))
    if document.get("created_by"):
        _verwijzing(event, "eventVerantwoordelijkeActor", str(document["created_by"]))


def _appraisal(obj: etree._Element, document: Mapping[str, object], rule: RetentionRule | None) -> None:
    until = document.get("retention_until")
    if rule is None:
        _begrip(obj, "waardering", "Nog niet bepaald", _LISTS["waardering"])
        return
    _begrip(obj, "waardering", "Tijdelijk te bewaren", _LISTS["waardering"], "V")
    termijn = _el(obj, "bewaartermijn")
    trigger = {
        "document_date": "Documentdatum",
        "end_of_year": "Einde kalenderjaar van de documentdatum",
        "event": f"Einde kalenderjaar van gebeurtenis {rule.event}",
    }[rule.start]
    _begrip(termijn, "termijnTriggerStartLooptijd", trigger, _LISTS["termijn"])
    start = period_start(document, rule)
    if start:
        _el(termijn, "termijnStartdatumLooptijd", start.isoformat())
    _el(termijn, "termijnLooptijd", f"P{rule.years}Y")
    if until:
        _el(termijn, "termijnEinddatum", str(until))


def bestand(record: FileRecord, document: Mapping[str, object], archive_name: str, checked_at: str) -> bytes:
    """Return the MDTO ``bestand`` XML of one stored file of a document."""
    root = _root()
    node = _el(root, "bestand")
    _identificatie(node, record.sha256, "SHA-256")
    _el(node, "naam", record.name)
    _el(node, "omvang", str(record.size))
    _begrip(node, "bestandsformaat", record.mime_type, _LISTS["formaat"])
    checksum = _el(node, "checksum")
    _begrip(checksum, "checksumAlgoritme", "SHA-256", _LISTS["checksum"])
    _el(checksum, "checksumWaarde", record.sha256)
    _el(checksum, "checksumDatum", checked_at)
    _verwijzing(node, "isRepresentatieVan", document_name(document), str(document["id"]), f"{SOURCE}: {archive_name}")
    return _serialise(root)
