"""Errors of the storage room."""

from __future__ import annotations


class StorageError(Exception):
    """The file store or the database could not do what was asked.

    Like every error a person may read, it carries a stable ``code``, an English
    ``template`` with ``{named}`` blanks and their ``values``, so that the archive can
    word it in the office's language; str() is the English sentence.
    """

    def __init__(self, code: str, template: str | None = None, /, **values: object) -> None:
        if template is None:  # an older call with only a sentence: no code, nothing to fill in
            code, template, values = "", code, {}
        self.code = code
        self.template = template
        self.values = values
        super().__init__(template.format(**values) if values else template)


class StoredFileMissing(StorageError):
    """A stored original or derivative is not where it should be."""


class MigrationError(StorageError):
    """The database schema could not be brought up to date."""
