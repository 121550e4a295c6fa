"""What a snapshot holds, chosen from a database copy so that files and database agree.

Taken: the database; every original the database expects in the store — documents,
scanned stacks kept whole, e-mail messages' own bytes — (and no other:
an original stored after the copy belongs to a later snapshot, a destroyed one to
none) and their derivatives, so a restored archive shows searchable PDFs and
thumbnails at once instead of drawing them again; the certificates of destruction and
signed checkpoints the database lists (a checkpoint signed after the copy would look
like a cut-off audit trail in the restored home); the public keys; the deployment's
configuration file; files set aside in inbox/failed/ (handed to the archive and not
filed, so the archive is their only keeper). Private keys only when asked, sealed.

Left out: the search index (rebuilt from the database on restore, always consistent
with it), the log, temporary files and files still waiting in the inbox (not yet
archived; the watcher takes them within seconds).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from archive.config import Config
from storage import backup_repo
from storage.filestore import FileStore

FAILED_FOLDER = "failed"


@dataclass(frozen=True)
class HomeLayout:
    """Where the parts of one archive home are (absolute paths)."""

    home: Path
    database: Path
    store: Path
    checkpoints: Path
    certificates: Path
    checkpoint_key: Path
    web_secret_key: Path
    failed_inbox: Path
    config_file: Path | None = None
    seal_key: Path | None = None  # the key that seals audit entries (keys/audit.key)

    @classmethod
    def of(cls, config: Config) -> "HomeLayout":
        home = config.home
        return cls(
            home=home,
            database=config.database_path,
            store=config.store_path,
            checkpoints=home / config.records.checkpoint_folder,
            certificates=home / "certificates",
            checkpoint_key=home / config.records.checkpoint_key_file,
            web_secret_key=home / config.web.secret_key_file,
            failed_inbox=config.inbox_path / FAILED_FOLDER,
            config_file=config.source,
            seal_key=home / config.audit.seal_key_file,
        )

    @property
    def public_keys(self) -> list[Path]:
        """The public halves of the signing keys: the current one and any retired ones."""
        current = self.checkpoint_key.with_suffix(".pub")
        retired = sorted((self.checkpoint_key.parent / "retired").glob("*.pub"))
        return [current, *retired]

    @property
    def private_keys(self) -> list[Path]:
        return [self.checkpoint_key, self.web_secret_key, *([self.seal_key] if self.seal_key else [])]

    def relative(self, path: Path | str) -> str | None:
        """Return ``path`` relative to the home (POSIX), or None when it lies outside it."""
        # Paths here are built from the (resolved) home, so comparing their text suffices:
        # no system call per file, and no path arithmetic, at tens of thousands of files.
        text, home = str(path), str(self.home)
        if text == home:
            return "."
        prefix = home.rstrip("/") + "/"
        return text[len(prefix) :] if text.startswith(prefix) else None


@dataclass(frozen=True)
class Source:
    """One file to put in a snapshot."""

    path: str  # relative to the home
    file: Path | str  # text for the store's files: tens of thousands of Path objects cost a backup seconds
    kind: str
    expected_sha256: str | None = None
    owner: str | None = None  # "Document 12", "Stack 3": whose original it is


CONFIG_PATH = "config.toml"


def select(layout: HomeLayout, copy: sqlite3.Connection) -> tuple[list[Source], list[str]]:
    """Return the files a snapshot of this database copy holds, and what could not be included."""
    store = FileStore(layout.store)
    sources, problems = [], []
    kept = backup_repo.kept_originals(copy)
    wanted: set[str] = set()
    for what, number, sha256 in kept:
        if sha256 not in wanted:  # a message kept as its own body document is one file
            sources.append(_source(layout, store.original_file(sha256), "original", sha256, f"{what} {number}"))
        wanted.add(sha256)
    sources += [_source(layout, path, "derivative") for sha256, path in store.iter_derivatives() if sha256 in wanted]
    for relative, sha256 in backup_repo.certificate_files(copy):
        sources.append(_source(layout, layout.home / relative, "certificate", sha256))
    sources += [_source(layout, layout.checkpoints / name, "checkpoint") for name in backup_repo.checkpoint_files(copy)]
    sources += [_source(layout, path, "public_key") for path in layout.public_keys if path.exists()]
    if layout.config_file is not None:
        sources.append(Source(CONFIG_PATH, layout.config_file, "config"))
    if layout.failed_inbox.is_dir():
        sources += [
            _source(layout, path, "set_aside")
            for path in sorted(layout.failed_inbox.iterdir())
            if path.is_file() and not path.name.startswith(".")
        ]
    chosen = []
    for source in sources:
        if source.path:
            chosen.append(source)
        else:
            problems.append(f"{source.file} lies outside the home and is not in the backup.")
    return chosen, problems


def private_key_sources(layout: HomeLayout) -> list[Source]:
    """Return the private key files present (sealed into a snapshot only when asked)."""
    return [_source(layout, path, "private_key") for path in layout.private_keys if path.exists()]


def _source(
    layout: HomeLayout, file: Path | str, kind: str, sha256: str | None = None, owner: str | None = None
) -> Source:
    return Source(layout.relative(file) or "", file, kind, sha256, owner)
