"""The archive's exception tree, translated only by the CLI and the web error handlers.

    ArchiveError
     ├── ConfigError            a setting is unknown or wrong; start-up stops
     ├── NotFound               no such document / client / user (or not visible)
     ├── PermissionDenied       the acting user's role may not do this
     ├── InvalidInput           a value a person typed is not acceptable
     ├── Conflict               the action clashes with the record's state (hold, disposed…)
     ├── IntegrityFailure       stored bytes or the audit trail are not what they were
     └── SearchUnavailable      the index is busy or damaged; searching fails for now

The leaves raise their own errors (ingest.errors, storage.errors, search.errors);
``archive`` turns them into a result or re-raises them as one of these.
"""

from __future__ import annotations


class ArchiveError(Exception):
    """Base of every error the archive reports to a person; str() is the sentence."""

    exit_code = 1


class ConfigError(ArchiveError):
    exit_code = 2


class NotFound(ArchiveError):
    exit_code = 3


class PermissionDenied(ArchiveError):
    exit_code = 4


class InvalidInput(ArchiveError):
    exit_code = 5


class Conflict(ArchiveError):
    exit_code = 6


class IntegrityFailure(ArchiveError):
    exit_code = 1


class SearchUnavailable(ArchiveError):
    exit_code = 7
