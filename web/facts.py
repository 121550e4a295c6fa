"""The facts form of the document and review pages: values as people write them, errors beside each field.

The form shows a stored date as ``12-03-2024``, an amount as ``1.234,56`` (English:
``12/03/2024``, ``1,234.56``) and an IBAN in groups of four; what is typed is read by the archive's one rule, so
either notation works. A field the archive cannot read keeps exactly what was typed
and says beside it what to write instead; nothing is saved until every field reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from archive.errors import ArchiveError
from archive.typed import spaced_iban
from web.context import archive
from web.i18n import format_number, gettext, sentence
from web.templating import current_language, type_label

EDITABLE = ("client_id", "document_type", "document_date", "amount", "currency", "iban", "reference")


def shown_date(stored: str | None, language: str) -> str:
    """Return a stored ISO date as a person types it: ``12-03-2024`` (Dutch) or ``12/03/2024``."""
    if not stored:
        return ""
    try:
        day = date.fromisoformat(str(stored)[:10])
    except ValueError:
        return str(stored)
    return day.strftime("%d-%m-%Y" if language == "nl" else "%d/%m/%Y")


def shown_amount(stored: str | None, language: str) -> str:
    """Return a stored amount (``1234.56``) as a person writes it: ``1.234,56`` / ``1,234.56``."""
    if stored in (None, ""):
        return ""
    try:
        return format_number(float(stored), language, 2)
    except ValueError:
        return str(stored)


# The ticks by which a person says what a field left empty means.
_TICKS = ("without_client", "without_date", "date_after_today")

# Errors the archive gives on saving that belong to one field of the form.
_FIELD_OF_ERROR = {
    "review.client_missing": "client_id",
    "review.client_and_none": "client_id",
    "facts.date_emptied": "document_date",
    "facts.date_after_today": "document_date",
}


@dataclass
class FactForm:
    """What the facts form shows: a text per field, and per field what is wrong with it.

    ``shown`` is what the form showed when it was opened (sent back in hidden fields): a
    field left as shown is no change, so a form kept open while a colleague corrected the
    document does not put the old values back.
    """

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    changes: dict[str, str | None] = field(default_factory=dict)
    message: str | None = None  # an error that belongs to no one field
    ask_without_date: bool = False  # a date was emptied: the form asks whether the document has none
    ask_date_after_today: bool = False  # a date after today: the form asks whether it is right
    shown: dict[str, str] = field(default_factory=dict)
    # What the person said by a tick (update_facts' keywords): no client, no date, a date after today.
    said: dict[str, bool] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors and self.message is None

    @classmethod
    def of(cls, view) -> "FactForm":
        """The form filled with a document's (or review item's) stored facts."""
        values = _as_typed(view)
        return cls(values, shown=dict(values))

    @classmethod
    def posted(cls, form, view) -> "FactForm":
        """The form as typed, each field read by the archive's rule; only real changes are kept."""
        get = view.get if isinstance(view, dict) else lambda name: getattr(view, name, None)
        shown = {name: form[f"shown_{name}"] for name in EDITABLE if f"shown_{name}" in form}
        said = {tick: form.get(tick) == "1" for tick in _TICKS}
        result = cls({name: form.get(name, "") for name in EDITABLE if name in form}, shown=shown, said=said)
        for name, typed in result.values.items():
            try:
                value = archive().check_fact(name, typed)
            except ArchiveError as exc:
                result.errors[name] = sentence(exc)
                continue
            stored = get(name) or None
            if name in shown:
                was = _read_or(name, shown[name], stored)
                if value == was:
                    continue  # left as shown: what is stored now stays, whoever stored it
                if stored != was and value != stored:
                    result.errors[name] = _changed_meanwhile(name, view)
                    result.shown[name] = _as_typed(view)[name]  # sent again, the typed value counts
                    continue
            if value != stored:
                result.changes[name] = value
        return result

    def failed(self, exc: ArchiveError) -> "FactForm":
        """The same form with an error the archive gave on saving: beside its field, or above them all."""
        field_name = _FIELD_OF_ERROR.get(exc.code)
        self.ask_without_date = exc.code == "facts.date_emptied"
        self.ask_date_after_today = exc.code == "facts.date_after_today"
        if field_name:
            self.errors[field_name] = sentence(exc)
        else:
            self.message = sentence(exc)
        return self


def _as_typed(view) -> dict[str, str]:
    get = view.get if isinstance(view, dict) else lambda name: getattr(view, name, None)
    language = current_language()
    values = {name: str(get(name) or "") for name in EDITABLE}
    values["document_date"] = shown_date(get("document_date"), language)
    values["amount"] = shown_amount(get("amount"), language)
    values["iban"] = spaced_iban(get("iban"))
    return values


def _read_or(name: str, shown: str, stored: str | None) -> str | None:
    try:
        return archive().check_fact(name, shown)
    except ArchiveError:  # a client removed since the form was opened: compare with what is stored
        return stored


def _changed_meanwhile(name: str, view) -> str:
    typed = _as_typed(view)[name]
    now = (type_label(typed) if name == "document_type" else typed) or "—"
    return gettext(
        "Someone else changed this meanwhile, to {now}. Press save again to replace it with what you typed.",
        now=now,
    )
