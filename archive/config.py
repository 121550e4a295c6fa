"""Configuration: read once from TOML into frozen dataclasses, handed down by section.

The defaults live in the repository's ``config.toml``; a deployment points
``ARCHIVE_CONFIG`` at its own file, which overrides only the keys it names. An
unknown key or a value of the wrong kind stops start-up with a message naming it.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
import typing
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any

from archive.errors import ConfigError
from ingest.facts.settings import ExtractionSettings
from ingest.settings import IngestSettings, MailSettings, OcrSettings
from search.settings import SearchSettings

DEFAULT_CONFIG_FILE = Path(__file__).resolve().parent.parent / "config.toml"


# How a retention period starts: at the document date, at the end of its (book) year, at
# the end of the year of a later event, or at the last change of the client's dossier.
START_KINDS = ("document_date", "end_of_year", "event", "last_change")


@dataclass(frozen=True)
class RetentionRule:
    """How long one document type is kept, and from when the period runs."""

    years: int
    start: str = "document_date"  # one of START_KINDS
    event: str = ""
    citation: str = ""


@dataclass(frozen=True)
class RecordsSettings:
    """Retention schedule, legal hold and disposition."""

    disposition_approvals: int = 1
    checkpoint_key_file: str = "keys/checkpoint.key"
    checkpoint_folder: str = "checkpoints"
    retention: dict[str, RetentionRule] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditSettings:
    """The audit trail's seals, checkpoints and witness."""

    seal_key_file: str = "keys/audit.key"
    head_file: str = "checkpoints/head.seal"
    checkpoint_minutes: float = 15.0
    checkpoint_entries: int = 1000
    witness_dir: str = ""
    witness_command: str = ""


@dataclass(frozen=True)
class WebSettings:
    """The web server and its sessions."""

    host: str = "127.0.0.1"
    port: int = 8000
    default_language: str = "nl"
    secret_key_file: str = "keys/web-secret.key"
    session_hours: int = 10
    secure_cookies: bool = False
    max_upload_mb: int = 200
    threads: int = 8
    password_min_length: int = 10
    login_window_minutes: int = 15
    login_free_failures_account: int = 5
    login_free_failures_address: int = 20
    login_max_wait_seconds: int = 900
    password_hash_time_cost: int = 3
    password_hash_memory_kib: int = 65536


@dataclass(frozen=True)
class QueueSettings:
    """Where received documents are read: in the process that received them, or by `archive worker`s."""

    backend: str = "in-process"  # or "procrastinate": jobs in the PostgreSQL database of [database] url
    sweep_seconds: float = 60.0
    heartbeat_seconds: float = 10.0
    stalled_seconds: float = 30.0


@dataclass(frozen=True)
class NodeSettings:
    """What is this node's own when several share one database and home."""

    index_dir: str = ""  # "": the home's index/ (one machine); else a local folder of this node
    follow_seconds: float = 0.5  # how often the index reads the database's change feed


@dataclass(frozen=True)
class DatabaseSettings:
    """Where the metadata lives: the home's SQLite file, or a PostgreSQL server (scale-out)."""

    url: str = ""
    pool_size: int = 10


@dataclass(frozen=True)
class KeepRule:
    """How many snapshots pruning keeps: the newest of each of the last N days, weeks, months."""

    daily: int = 7
    weekly: int = 4
    monthly: int = 12


# How far a backup stands back for the front desk, most first: `[backup] priority`.
BACKUP_PRIORITIES = ("idle", "low", "normal")


@dataclass(frozen=True)
class BackupSettings:
    """Scheduled backups (taken by `archive run`) and the pruning rule of every backup."""

    destination: str = ""
    at: str = "02:30"
    encrypt: bool = False
    passphrase_file: str = ""
    private_keys: bool = False
    keep_daily: int = 7
    keep_weekly: int = 4
    keep_monthly: int = 12
    missed_after_hours: float = 26.0
    # How far a backup stands back for the front desk (archive.backup.priority says how).
    priority: str = "idle"

    @property
    def keep(self) -> KeepRule:
        return KeepRule(self.keep_daily, self.keep_weekly, self.keep_monthly)

    @property
    def at_time(self) -> time:
        hours, minutes = self.at.split(":")
        return time(int(hours), int(minutes))


# What a custom field holds: free text, a date, an amount, or one of a list of choices.
CUSTOM_KINDS = ("text", "date", "amount", "choice")


@dataclass(frozen=True)
class CustomField:
    """A field an administrator adds to documents of some types (all types when ``types`` is empty)."""

    label_nl: str = ""
    label_en: str = ""
    kind: str = "text"
    types: list[str] = field(default_factory=list)
    choices: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DeskSettings:
    """The daily desk: the custom fields of documents, by name (the name is also its search field)."""

    fields: dict[str, CustomField] = field(default_factory=dict)


@dataclass(frozen=True)
class Config:
    """The whole configuration of one archive home."""

    home: Path
    ocr: OcrSettings
    ingest: IngestSettings
    extraction: ExtractionSettings
    search: SearchSettings
    records: RecordsSettings
    web: WebSettings
    mail: MailSettings = field(default_factory=MailSettings)
    audit: AuditSettings = field(default_factory=AuditSettings)
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    backup: BackupSettings = field(default_factory=BackupSettings)
    desk: DeskSettings = field(default_factory=DeskSettings)
    # The deployment's own file (ARCHIVE_CONFIG) on top of the defaults, if any: backups keep a copy.
    source: Path | None = None
    queue: QueueSettings = field(default_factory=QueueSettings)
    node: NodeSettings = field(default_factory=NodeSettings)

    @property
    def database_path(self) -> Path:
        return self.home / "archive.sqlite3"

    @property
    def database_target(self) -> str:
        """What ``Database.open`` is given: the server URL, else the SQLite file's path."""
        return self.database.url or str(self.database_path)

    @property
    def on_server(self) -> bool:
        """Whether the database is a PostgreSQL server rather than the home's SQLite file."""
        return bool(self.database.url)

    @property
    def store_path(self) -> Path:
        return self.home / "store"

    @property
    def index_path(self) -> Path:
        """The search index: the home's, or this node's own folder when several nodes share the home."""
        return Path(self.node.index_dir).expanduser() if self.node.index_dir else self.home / "index"

    @property
    def inbox_path(self) -> Path:
        return self.home / self.ingest.folder

    def with_home(self, home: Path) -> "Config":
        """Return the same configuration for another home folder."""
        return dataclasses.replace(self, home=Path(home).resolve())


_SECTIONS: dict[str, type] = {
    "ocr": OcrSettings,
    "ingest": IngestSettings,
    "extraction": ExtractionSettings,
    "search": SearchSettings,
    "records": RecordsSettings,
    "web": WebSettings,
    "mail": MailSettings,
    "audit": AuditSettings,
    "database": DatabaseSettings,
    "backup": BackupSettings,
    "queue": QueueSettings,
    "node": NodeSettings,
    "desk": DeskSettings,
}


def load_config(path: Path | None = None, home: Path | str | None = None) -> Config:
    """Return the configuration: defaults, then ``path`` (or $ARCHIVE_CONFIG) on top.

    Raises ConfigError naming the key when a file is unreadable, a key unknown or a
    value of the wrong kind.
    """
    raw = _read_toml(DEFAULT_CONFIG_FILE)
    override_path = path or (Path(os.environ["ARCHIVE_CONFIG"]) if os.environ.get("ARCHIVE_CONFIG") else None)
    if override_path is not None:
        raw = _merge(raw, _renamed(_read_toml(Path(override_path))))
    config = _build_config(raw, home)
    return dataclasses.replace(config, source=Path(override_path).resolve()) if override_path else config


# Settings that were renamed: a deployment file written for an older release keeps working.
_RENAMED = {("web", "language"): "default_language"}


def _renamed(raw: dict[str, Any]) -> dict[str, Any]:
    """Return a deployment's settings with old names replaced by their new ones (a new name wins)."""
    result = dict(raw)
    for (section, old), new in _RENAMED.items():
        table = result.get(section)
        if isinstance(table, dict) and old in table:
            table = dict(table)
            value = table.pop(old)
            table.setdefault(new, value)
            result[section] = table
    return result


def _build_config(raw: dict[str, Any], home: Path | str | None) -> Config:
    unknown = set(raw) - set(_SECTIONS) - {"data_dir"}
    if unknown:
        raise ConfigError(
            "config.unknown_setting", "Unknown setting '{setting}' in the configuration.", setting=sorted(unknown)[0]
        )
    chosen_home = home or os.environ.get("ARCHIVE_HOME") or raw.get("data_dir", "./data")
    sections = {name: _build_section(cls, raw.get(name, {}), name) for name, cls in _SECTIONS.items()}
    config = Config(home=Path(chosen_home).resolve(), **sections)
    _check_values(config)
    return config


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise ConfigError("config.file_missing", "The configuration file {path} does not exist.", path=path) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            "config.not_toml", "The configuration file {path} is not valid TOML: {exc}.", path=path, exc=exc
        ) from exc


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _build_section(cls: type, table: Any, where: str) -> Any:
    if not isinstance(table, dict):
        raise ConfigError("config.not_a_table", "Setting '{where}' must be a table.", where=where)
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    values = {}
    for key, value in table.items():
        if key not in names:
            raise ConfigError(
                "config.unknown_key", "Unknown setting '{where}.{key}' in the configuration.", where=where, key=key
            )
        values[key] = _coerce(hints[key], value, f"{where}.{key}")
    return cls(**values)


def _coerce(hint: Any, value: Any, where: str) -> Any:
    origin = typing.get_origin(hint)
    if origin is dict:
        value_type = typing.get_args(hint)[1]
        if not isinstance(value, dict):
            raise ConfigError("config.not_a_table", "Setting '{where}' must be a table.", where=where)
        return {str(k): _coerce(value_type, v, f"{where}.{k}") for k, v in value.items()}
    if origin in (list, tuple):
        if not isinstance(value, list):
            raise ConfigError("config.not_a_list", "Setting '{where}' must be a list.", where=where)
        item_type = typing.get_args(hint)[0]
        items = [_coerce(item_type, v, f"{where}[{i}]") for i, v in enumerate(value)]
        return tuple(items) if origin is tuple else items
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _build_section(hint, value, where)
    return _coerce_scalar(hint, value, where)


def _coerce_scalar(hint: Any, value: Any, where: str) -> Any:
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if hint is bool and not isinstance(value, bool):
        raise ConfigError(
            "config.not_a_bool", "Setting '{where}' must be true or false, not {typed!r}.", where=where, typed=value
        )
    if hint is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise ConfigError(
            "config.not_an_integer",
            "Setting '{where}' must be a whole number, not {typed!r}.",
            where=where,
            typed=value,
        )
    if hint in (str, float) and not isinstance(value, hint):
        raise ConfigError(
            "config.wrong_kind",
            "Setting '{where}' must be a {kind}, not {typed!r}.",
            where=where,
            kind=hint.__name__,
            typed=value,
        )
    return value


def _check_values(config: Config) -> None:
    if config.records.disposition_approvals not in (1, 2):
        raise ConfigError("config.disposition_approvals", "Setting 'records.disposition_approvals' must be 1 or 2.")
    for name, rule in config.records.retention.items():
        if rule.start not in START_KINDS:
            raise ConfigError(
                "config.retention_start",
                "Setting 'records.retention.{name}.start' must be one of {starts}.",
                name=name,
                starts=", ".join(START_KINDS),
            )
        if rule.years < 0:
            raise ConfigError(
                "config.retention_years", "Setting 'records.retention.{name}.years' must not be negative.", name=name
            )
    if config.web.default_language not in ("nl", "en"):
        raise ConfigError("config.language", 'Setting \'web.default_language\' must be "nl" or "en".')
    if config.audit.checkpoint_minutes <= 0 or config.audit.checkpoint_entries < 1:
        raise ConfigError(
            "config.checkpoint_interval",
            "Settings 'audit.checkpoint_minutes' and 'audit.checkpoint_entries' must be above 0.",
        )
    _check_backup(config.backup)
    if not 0 < config.web.port < 65536:
        raise ConfigError("config.web_port", "Setting 'web.port' must be between 1 and 65535.")
    if config.ingest.settle_seconds < 0:
        raise ConfigError("config.settle_negative", "Setting 'ingest.settle_seconds' must not be negative.")
    if config.ingest.reading_memory_mb < 256:
        raise ConfigError("config.reading_memory", "Setting 'ingest.reading_memory_mb' must be at least 256.")
    if config.ingest.reading_timeout_seconds <= 0 or config.ingest.reading_attempts < 1:
        raise ConfigError(
            "config.reading_limits",
            "Settings 'ingest.reading_timeout_seconds' and 'ingest.reading_attempts' must be positive.",
        )
    _check_mail(config.mail)
    _check_custom_fields(config)
    if config.database.url and not config.database.url.startswith(("postgresql://", "postgres://")):
        raise ConfigError(
            "config.database_url", "Setting 'database.url' must be empty (SQLite in the home) or a postgresql:// URL."
        )
    if config.database.pool_size < 2:
        raise ConfigError("config.pool_size", "Setting 'database.pool_size' must be at least 2.")
    _check_queue(config.queue, config.database)
    if config.node.follow_seconds <= 0:
        raise ConfigError("config.follow_seconds", "Setting 'node.follow_seconds' must be more than 0.")


def _check_queue(queue: QueueSettings, database: DatabaseSettings) -> None:
    if queue.backend not in ("in-process", "procrastinate"):
        raise ConfigError("config.queue_backend", 'Setting \'queue.backend\' must be "in-process" or "procrastinate".')
    if queue.backend == "procrastinate" and not database.url:
        raise ConfigError(
            "config.queue_needs_database",
            "Setting 'queue.backend' = \"procrastinate\" keeps its jobs in PostgreSQL: set [database] url as well.",
        )
    for name in ("sweep_seconds", "heartbeat_seconds", "stalled_seconds"):
        if getattr(queue, name) <= 0:
            raise ConfigError("config.queue_seconds", "Setting 'queue.{name}' must be more than 0.", name=name)
    if queue.stalled_seconds <= queue.heartbeat_seconds:
        raise ConfigError(
            "config.queue_stalled", "Setting 'queue.stalled_seconds' must be longer than 'queue.heartbeat_seconds'."
        )


def _check_custom_fields(config: Config) -> None:
    from search.query import FIELD_NAMES

    for name, custom in config.desk.fields.items():
        where = f"desk.fields.{name}"
        if not re.fullmatch(r"[a-z][a-z0-9_]{1,39}", name) or name in FIELD_NAMES:
            raise ConfigError(
                "config.field_name",
                "Setting '{where}': a field's name is 2 to 40 lower-case "
                "letters, digits or _, and not one the search already knows (client, type, date …).",
                where=where,
            )
        if custom.kind not in CUSTOM_KINDS:
            raise ConfigError(
                "config.field_kind",
                "Setting '{where}.kind' must be one of {kinds}.",
                where=where,
                kinds=", ".join(CUSTOM_KINDS),
            )
        if custom.kind == "choice" and not custom.choices:
            raise ConfigError(
                "config.field_choices",
                "Setting '{where}.choices' must list the choices of a choice field.",
                where=where,
            )
        unknown = [t for t in custom.types if t not in config.extraction.types]
        if unknown:
            raise ConfigError(
                "config.field_types",
                "Setting '{where}.types' names an unknown document type: {type}.",
                where=where,
                type=unknown[0],
            )


def _check_mail(mail: MailSettings) -> None:
    names = [account.name for account in mail.accounts]
    for number, account in enumerate(mail.accounts):
        where = f"mail.accounts[{number}]"
        if not account.name or not account.host or not account.user:
            raise ConfigError(
                "config.mail_account_incomplete", "Setting '{where}' needs a name, a host and a user.", where=where
            )
        if names.count(account.name) > 1:
            raise ConfigError(
                "config.mail_name_twice",
                "Setting '{where}.name': two mail accounts are called '{name}'.",
                where=where,
                name=account.name,
            )
        if account.tls not in ("ssl", "starttls", "none"):
            raise ConfigError("config.mail_tls", "Setting '{where}.tls' must be ssl, starttls or none.", where=where)
        if account.after not in ("move", "mark_read"):
            raise ConfigError("config.mail_after", "Setting '{where}.after' must be move or mark_read.", where=where)
        if not (account.password_env or account.password_file):
            raise ConfigError(
                "config.mail_password_source",
                "Setting '{where}' needs password_env or password_file (never the password itself).",
                where=where,
            )
        if not 0 < account.port < 65536:
            raise ConfigError("config.mail_port", "Setting '{where}.port' must be between 1 and 65535.", where=where)
    if mail.poll_seconds <= 0:
        raise ConfigError("config.mail_poll", "Setting 'mail.poll_seconds' must be more than 0.")


_AT = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def _check_backup(settings: BackupSettings) -> None:
    if not _AT.match(settings.at):
        raise ConfigError(
            "config.backup_at",
            "Setting 'backup.at' must be a time of day as HH:MM (24 hours), not {typed!r}.",
            typed=settings.at,
        )
    for name in ("keep_daily", "keep_weekly", "keep_monthly"):
        if getattr(settings, name) < 0:
            raise ConfigError("config.backup_keep_negative", "Setting 'backup.{name}' must not be negative.", name=name)
    if settings.missed_after_hours <= 0:
        raise ConfigError("config.backup_missed_after", "Setting 'backup.missed_after_hours' must be more than 0.")
    if settings.priority not in BACKUP_PRIORITIES:
        raise ConfigError(
            "config.backup_priority",
            'Setting \'backup.priority\' must be "idle", "low" or "normal", not {typed!r}.',
            typed=settings.priority,
        )
    if settings.destination and not Path(settings.destination).is_absolute():
        raise ConfigError(
            "config.backup_destination",
            "Setting 'backup.destination' must be an absolute path: a "
            "folder on another disk, a USB disk or a network share, not {typed!r}.",
            typed=settings.destination,
        )
    if settings.encrypt and settings.destination and not settings.passphrase_file:
        raise ConfigError(
            "config.backup_passphrase_file",
            "Setting 'backup.passphrase_file' is needed when "
            "'backup.encrypt' is true: the daily backup runs unattended.",
        )
