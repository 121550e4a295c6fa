"""Checking an e-invoice's XML against its schema: UBL 2.1 (shipped here) or Factur-X CII.

The UBL 2.1 schemas are the OASIS release, kept beside this module (see
``schemas/ORIGIN.md``); the Cross Industry Invoice schemas of each Factur-X level come
with the ``factur-x`` library, which checks them itself.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import cache
from pathlib import Path

from lxml import etree

from ingest.einvoice.model import CII, UBL_CREDIT_NOTE, UBL_INVOICE
from ingest.errors import InvalidEInvoice

log = logging.getLogger(__name__)

SCHEMA_DIR = Path(__file__).with_name("schemas") / "ubl-2.1"
_UBL_SCHEMAS = {
    UBL_INVOICE: SCHEMA_DIR / "maindoc" / "UBL-Invoice-2.1.xsd",
    UBL_CREDIT_NOTE: SCHEMA_DIR / "maindoc" / "UBL-CreditNote-2.1.xsd",
}
_PREFIXES = {
    "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2": "cbc",
    "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2": "cac",
    "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2": "ext",
    "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2": "",
    "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2": "",
}
_QUALIFIED = re.compile(r"\{([^}]*)\}(\w+)")
# lxml's schema objects may not be shared by threads validating at once; a check
# takes well under a millisecond, so one lock costs nothing.
_LOCK = threading.Lock()


@cache
def _ubl_schema(syntax: str) -> etree.XMLSchema:
    """The compiled schema (about 0.1 s, once per process); the files never reach the network."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(_UBL_SCHEMAS[syntax]), parser))


def validate(root: etree._Element, syntax: str) -> None:
    """Raise InvalidEInvoice, saying where, when the XML breaks its schema."""
    if syntax == CII:
        _validate_cii(root)
        return
    schema = _ubl_schema(syntax)
    with _LOCK:
        try:
            valid = schema.validate(root)
        except etree.XMLSchemaValidateError as exc:  # libxml2 gives up on odd trees
            raise InvalidEInvoice(
                "einvoice.schema_check_failed", "This XML could not be checked against the UBL 2.1 schema."
            ) from exc
        error = schema.error_log.last_error
    if not valid:
        problem = describe_error(error.line, error.message)
        if syntax == UBL_CREDIT_NOTE:
            raise InvalidEInvoice(
                "einvoice.invalid_ubl_credit_note",
                "This XML is not a valid UBL 2.1 credit note: {problem}; ask the sender for a corrected e-invoice.",
                problem=problem,
            )
        raise InvalidEInvoice(
            "einvoice.invalid_ubl_invoice",
            "This XML is not a valid UBL 2.1 invoice: {problem}; ask the sender for a corrected e-invoice.",
            problem=problem,
        )


def describe_error(line: int | None, message: str) -> str:
    """Return a schema error as a short phrase with namespace prefixes instead of URNs (pure)."""

    def short(match: re.Match[str]) -> str:
        prefix = _PREFIXES.get(match.group(1))
        return f"{prefix}:{match.group(2)}" if prefix else match.group(2)

    text = _QUALIFIED.sub(short, message).rstrip(". ")
    return f"line {line}: {text}" if line else text


def _validate_cii(root: etree._Element) -> None:
    import facturx  # here: half a second to import, for the few documents that are e-invoices

    try:
        level = facturx.get_level(root, "factur-x")
    except ValueError:
        level = "en16931"  # a CII invoice naming another guideline (XRechnung CII) is EN 16931
    try:
        facturx.xml_check_xsd(root, flavor="factur-x", level=level)
    except Exception as exc:  # the library raises bare Exceptions with the schema's message
        log.info("CII schema check failed: %s", exc)
        raise InvalidEInvoice(
            "einvoice.invalid_cii",
            "This XML is not a valid Factur-X/ZUGFeRD invoice ({level} level): "
            "{problem}; ask the sender for a corrected e-invoice.",
            level=level,
            problem=_first_line(exc),
        ) from exc


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return (text[-1] if text else "the schema check failed")[:200].rstrip(". ")
