"""The archive's exception tree, translated only by the CLI and the web error handlers.

    ArchiveError               code, template, values; str() is the English sentence
     ├── ConfigError            a setting is unknown or wrong; start-up stops
     ├── NotFound               no such document / client / user (or not visible)
     ├── PermissionDenied       the acting user's role may not do this
     ├── InvalidInput           a value a person typed is not acceptable
     ├── Conflict               the action clashes with the record's state (hold, disposed…)
     ├── IntegrityFailure       stored bytes or the audit trail are not what they were
     ├── SearchUnavailable      the index is busy or damaged; searching fails for now
     ├── StorageFailure         the store or the database cannot do what was asked
     │    └── UpgradeFailed     the home's database could not be brought up to this release
     └── BackupFailed           a backup could not be written, or a restore not completed

Every error carries a stable ``code`` (``hold.reason_missing``), an English
``template`` with ``{named}`` blanks and the ``values`` for them. The borders word it
in the person's language from the gettext catalogue (the code is the message context,
the template its id) and fill in the values; nobody branches on, or looks up, the
finished sentence. The leaves raise their own errors of the same shape
(``ingest.errors``, ``storage.errors``, ``search.errors``); ``archive`` re-raises
them as one of these with ``ArchiveError.wrapping`` and keeps their words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import ClassVar, Protocol


class ExitCode(IntEnum):
    """What the ``archive`` command's exit status means (listed in the README)."""

    OK = 0
    FAILURE = 1  # an error not named below; `archive ingest`: a file was not filed
    USAGE = 2  # a wrong option or argument (click's own code)
    NOT_FOUND = 3
    PERMISSION_DENIED = 4
    INVALID_INPUT = 5
    CONFLICT = 6
    SEARCH_UNAVAILABLE = 7
    INTEGRITY_FAILURE = 8  # `verify`, `audit verify`, `backup verify`: something was altered or lost
    CONFIG = 9
    STORAGE = 10
    INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT


class Templated(Protocol):
    """Anything worded as a message: an archive error, a leaf's error, a stored failure reason."""

    # Read-only members: a frozen Message and an exception's attributes both qualify.
    @property
    def code(self) -> str: ...

    @property
    def template(self) -> str: ...

    @property
    def values(self) -> Mapping[str, object]: ...


@dataclass(frozen=True)
class Message:
    """A sentence kept apart from its values, so that each language can word it: str() is English."""

    code: str
    template: str
    values: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return render(self)

    def as_json(self) -> dict[str, object]:
        """Return the message as it is stored (audit details, failure notes): JSON values only."""
        return {
            "code": self.code,
            "template": self.template,
            "values": {name: _stored(value) for name, value in self.values.items()},
        }

    @classmethod
    def of(cls, source: Templated) -> Message:
        """Return the message any templated error or object carries."""
        return cls(source.code, source.template, dict(source.values))

    @classmethod
    def from_json(cls, data: object) -> Message | None:
        """Return a stored message, or None when ``data`` is not one."""
        if not isinstance(data, Mapping) or not isinstance(data.get("template"), str):
            return None
        values = data.get("values")
        values = values if isinstance(values, Mapping) else {}
        return cls(
            str(data.get("code") or ""), data["template"], {name: _restored(value) for name, value in values.items()}
        )


def _restored(value: object) -> object:
    if isinstance(value, list):
        return tuple(_restored(part) for part in value)
    return Message.from_json(value) or value


def _stored(value: object) -> object:
    """Return a value as JSON keeps it: a phrase as a message, numbers as numbers, anything else as text."""
    if is_templated(value):
        return Message.of(value).as_json()  # type: ignore[arg-type]
    if isinstance(value, (list, tuple)):
        return [_stored(part) for part in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def is_templated(value: object) -> bool:
    """True when ``value`` is worded like a message (an error, a stored reason, a phrase inside a sentence)."""
    return isinstance(getattr(value, "template", None), str) and isinstance(getattr(value, "values", None), Mapping)


def render(message: Templated, template: str | None = None, shown: Callable[[object], object] | None = None) -> str:
    """Return the message's sentence: its template (or a translation of it) with the values filled in.

    A value that is itself a message (a phrase such as "a Word document (.docx)") is
    worded the same way: in English here, or by ``shown``, which the web app passes to
    word every value in the page's language.
    """
    text = message.template if template is None else template
    if not message.values:
        return text
    show = shown or _english
    values = {name: _worded(value, show) for name, value in message.values.items()}
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError):
        # A translation whose blanks do not match its values: the English sentence beats a crash.
        return message.template.format(**values)


def _worded(value: object, show: Callable[[object], object]) -> object:
    # Several sentences in one blank (every problem of a form): each worded, then joined.
    if isinstance(value, (list, tuple)) and value and all(map(is_templated, value)):
        return " ".join(str(show(part)) for part in value)
    return show(value)


def _english(value: object) -> object:
    return render(value) if is_templated(value) else value  # type: ignore[arg-type]


class ArchiveError(Exception):
    """Base of every error the archive reports to a person; str() is the English sentence."""

    exit_code: ClassVar[ExitCode] = ExitCode.FAILURE

    def __init__(self, code: str, template: str | None = None, /, **values: object) -> None:
        if template is None:  # an older call with only a sentence: no code, nothing to fill in
            code, template, values = "", code, {}
        self.code = code
        self.template = template
        self.values: Mapping[str, object] = values
        super().__init__(render(self))

    @property
    def message(self) -> Message:
        return Message.of(self)

    @classmethod
    def wrapping(cls, source: Templated) -> ArchiveError:
        """Return this kind of archive error worded as a leaf's error (raise it ``from`` the leaf's)."""
        return cls(source.code, source.template, **source.values)


class ConfigError(ArchiveError):
    exit_code = ExitCode.CONFIG


class NotFound(ArchiveError):
    exit_code = ExitCode.NOT_FOUND


class PermissionDenied(ArchiveError):
    exit_code = ExitCode.PERMISSION_DENIED


class InvalidInput(ArchiveError):
    exit_code = ExitCode.INVALID_INPUT


class Conflict(ArchiveError):
    exit_code = ExitCode.CONFLICT


class IntegrityFailure(ArchiveError):
    exit_code = ExitCode.INTEGRITY_FAILURE


class SearchUnavailable(ArchiveError):
    exit_code = ExitCode.SEARCH_UNAVAILABLE


class StorageFailure(ArchiveError):
    exit_code = ExitCode.STORAGE


class UpgradeFailed(StorageFailure):
    """A schema migration failed (the home was left as it was), or the home is newer than this release."""


class BackupFailed(ArchiveError):
    """A backup could not be written, or a restore not completed; str() says why."""

    exit_code = ExitCode.FAILURE


def as_archive_error(exc: BaseException) -> ArchiveError | None:
    """Return a leaf's error as the archive error a person is told, or None for anything else.

    The borders' last net: a leaf's error that no service caught still reaches the
    person as its own sentence, with the exit code and status of its kind.
    """
    if isinstance(exc, ArchiveError):
        return exc
    # Imported here: the leaves' error modules are tiny, but their packages are not.
    from ingest.errors import IngestError
    from search.errors import IndexBusy, IndexDamaged, QuerySyntaxError, SearchError
    from storage.errors import MigrationError, StorageError, StoredFileMissing

    kinds: tuple[tuple[type[BaseException], type[ArchiveError]], ...] = (
        (QuerySyntaxError, InvalidInput),
        (IndexBusy, SearchUnavailable),
        (IndexDamaged, SearchUnavailable),
        (SearchError, SearchUnavailable),
        (StoredFileMissing, IntegrityFailure),
        (MigrationError, UpgradeFailed),
        (StorageError, StorageFailure),
        (IngestError, InvalidInput),
    )
    for leaf, kind in kinds:
        if isinstance(exc, leaf):
            return kind.wrapping(exc)  # type: ignore[arg-type]
    return None
