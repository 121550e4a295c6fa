"""Settings of the ingest room: reading files, OCR and the inbox watcher."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class OcrSettings:
    """How text is read from scans."""

    languages: str = "nld+eng"
    workers: int = 0  # 0 = one per core
    timeout_seconds: int = 180
    dpi: int = 300
    detect_orientation: bool = True
    orientation_check_below_confidence: float = 80.0
    orientation_min_confidence: float = 2.0
    max_pages: int = 2000
    max_page_side_inches: float = 200.0
    max_image_pixels: int = 120_000_000
    max_render_pixels: int = 40_000_000  # a page drawn or scaled for OCR has at most this many pixels
    min_text_chars_per_page: int = 20
    prepare_images: bool = True


@dataclass(frozen=True)
class IngestSettings:
    """How the watched inbox folder behaves (DESIGN names these `ingest.*`)."""

    folder: str = "inbox"
    settle_seconds: float = 2.0
    rescan_seconds: float = 60.0
    polling: bool = False
    workers: int = 0  # 0 = one per core
    reading_processes: int = 0  # reading worker processes at most; 0 = one per core
    incomplete_pdf_seconds: float = 300.0
    empty_file_seconds: float = 300.0
    queue_size: int = 0  # 0 = four per filing worker
    stop_grace_seconds: float = 10.0
    folder_types: dict[str, str] = field(default_factory=dict)
    drop_blank_pages: bool = False  # blank pages of a scanned stack (duplex backs) are left out
    find_separators: bool = True  # look for separator sheets in every multi-page scan
    office_timeout_seconds: float = 120.0  # one LibreOffice conversion, at most
    reading_memory_mb: int = 1024  # address space of one reading worker (and each Tesseract it starts)
    reading_timeout_seconds: float = 120.0  # a reading is stopped after this long without finishing a page
    reading_attempts: int = 2  # readings stopped (time, crash) before the document is set aside


@dataclass(frozen=True)
class MailAccountSettings:
    """One IMAP account (DESIGN `[[mail.accounts]]`); the password comes from the environment or a file."""

    name: str = ""
    host: str = ""
    port: int = 993
    tls: str = "ssl"  # ssl | starttls | none
    user: str = ""
    password_env: str = ""  # name of the environment variable holding the password
    password_file: str = ""  # or a file holding it (first line), relative to the archive home
    folder: str = "INBOX"
    after: str = "move"  # move | mark_read
    move_to: str = "Gearchiveerd"
    failed_folder: str = "Niet gearchiveerd"
    ca_file: str = ""  # a private CA for the server's certificate


@dataclass(frozen=True)
class MailSettings:
    """E-mail intake (DESIGN `mail.*`)."""

    accounts: list[MailAccountSettings] = field(default_factory=list)
    file_bodies: bool = False  # a message without document attachments is filed itself
    poll_seconds: float = 60.0
    min_image_bytes: int = 5_000
    min_image_pixels: int = 250_000
    inline_image_max_bytes: int = 200_000
    max_message_mb: int = 60
    timeout_seconds: float = 60.0
