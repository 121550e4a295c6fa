"""Errors of the storage room."""

from __future__ import annotations


class StorageError(Exception):
    """The file store or the database could not do what was asked; str() is a sentence."""


class StoredFileMissing(StorageError):
    """A stored original or derivative is not where it should be."""


class MigrationError(StorageError):
    """The database schema could not be brought up to date."""
