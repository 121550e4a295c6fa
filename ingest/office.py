"""Office files and plain text: a PDF viewing copy by LibreOffice (headless), and its text.

The one wrapper around the ``soffice`` program. Each conversion runs with a timeout in
a process group of its own (killed whole on timeout) and with the archive's own
LibreOffice profile, never a person's: a second soffice on the same profile would hand
its work to the first and return at once, so conversions on one profile take turns.

Files with macros are refused, as are password-protected ones: opening them is what
such files are made for, and a record copy must not depend on running code.
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
import shutil
import signal
import subprocess
import tempfile
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import msoffcrypto
import olefile
import psutil

from ingest.containers import DOC, DOCX, ENCRYPTED_OOXML, ODS, ODT, XLS, XLSX, container_kind
from ingest.errors import DamagedDocument, EmptyDocument, EncryptedDocument, IngestError, Phrase, RefusedOfficeFile

log = logging.getLogger(__name__)

RTF = "rtf"
TXT = "txt"
MIME_TYPES = {
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ODT: "application/vnd.oasis.opendocument.text",
    ODS: "application/vnd.oasis.opendocument.spreadsheet",
    DOC: "application/msword",
    XLS: "application/vnd.ms-excel",
    RTF: "application/rtf",
    TXT: "text/plain",
}
KINDS_BY_MIME = {mime: kind for kind, mime in MIME_TYPES.items()}
# Each kind with its demonstrative, so that every language can start a sentence with it.
_WORD = Phrase("office.this_word", "This Word document")
_EXCEL = Phrase("office.this_excel", "This Excel workbook")
_THIS = {
    DOCX: _WORD,
    DOC: _WORD,
    XLSX: _EXCEL,
    XLS: _EXCEL,
    ODT: Phrase("office.this_odt", "This OpenDocument text"),
    ODS: Phrase("office.this_ods", "This OpenDocument spreadsheet"),
    RTF: Phrase("office.this_rtf", "This rich-text document"),
    TXT: Phrase("office.this_txt", "This text file"),
}
_THIS_FILE = Phrase("office.this_file", "This office file")
_SOFFICE = "soffice"
_TEXT_ENCODINGS = ("utf-8-sig", "cp1252")


@dataclass(frozen=True)
class OfficeSettings:
    """How LibreOffice is run."""

    timeout_seconds: float = 120.0
    program: str = _SOFFICE


def process_profile(base: Path) -> Path:
    """This process's own LibreOffice profile under `base`; profiles of processes gone are removed.

    One per process: a LibreOffice left running by a process that was killed would
    otherwise take over (and drop) the next conversion on the same profile.
    """
    for folder in base.glob("[0-9]*") if base.is_dir() else ():
        if folder.name.isdigit() and int(folder.name) != os.getpid() and not psutil.pid_exists(int(folder.name)):
            shutil.rmtree(folder, ignore_errors=True)
    return base / str(os.getpid())


def office_kind(path: Path, head: bytes) -> str | None:
    """Return the office format of a file by its bytes (DOCX, XLSX, ODT, ODS, DOC, XLS, RTF), else None."""
    if head.startswith(b"{\\rtf"):
        return RTF
    kind = container_kind(path, head)
    return kind if kind in MIME_TYPES or kind == ENCRYPTED_OOXML else None


def check_office_file(path: Path, kind: str) -> None:
    """Raise EncryptedDocument or RefusedOfficeFile for a file the archive must not open."""
    if kind == ENCRYPTED_OOXML:
        raise EncryptedDocument(
            "office.encrypted_ooxml",
            "This Office file is protected with a password; save it without a password and file it again.",
        )
    if kind in (DOCX, XLSX, ODT, ODS):
        _check_zip(path, kind)
    elif kind in (DOC, XLS):
        _check_ole(path, kind)


def decode_text(data: bytes) -> str:
    """Return a plain-text file's text: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in _TEXT_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def convert_to_pdf(path: Path, kind: str, work_dir: Path, profile_dir: Path, settings: OfficeSettings) -> Path:
    """Make the PDF viewing copy of an office or text file in `work_dir`; raise IngestError."""
    check_office_file(path, kind)
    work_dir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="office-", dir=work_dir))
    try:
        source = _prepared_source(path, kind, scratch)
        produced = _run_soffice(source, kind, scratch / "out", profile_dir, settings)
        target = work_dir / f"{scratch.name}.pdf"
        shutil.move(produced, target)
        return target
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def soffice_command(program: str, profile_dir: Path, source: Path, out_dir: Path, kind: str) -> list[str]:
    """The command line of one conversion (pure)."""
    command = [
        program,
        f"-env:UserInstallation={profile_dir.resolve().as_uri()}",
        "--headless",
        "--invisible",
        "--norestore",
        "--nologo",
        "--nodefault",
        "--nolockcheck",
        "--nofirststartwizard",
    ]
    if kind == TXT:
        command.append("--infilter=Text (encoded):UTF8,LF,,")
    return command + ["--convert-to", "pdf", "--outdir", str(out_dir), str(source)]


def _prepared_source(path: Path, kind: str, scratch: Path) -> Path:
    """A copy under a plain name with the right extension: LibreOffice picks its filter by it."""
    source = scratch / f"document.{kind}"
    if kind == TXT:
        text = decode_text(path.read_bytes())
        if not text.strip():
            raise EmptyDocument("office.text_empty", "This text file is empty.")
        source.write_text(text.replace("\r\n", "\n"), encoding="utf-8")
    else:
        shutil.copyfile(path, source)
    return source


def _run_soffice(source: Path, kind: str, out_dir: Path, profile_dir: Path, settings: OfficeSettings) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    command = soffice_command(settings.program, profile_dir, source, out_dir, kind)
    env = {**os.environ, "SAL_USE_VCLPLUGIN": "svp", "HOME": str(profile_dir)}
    with _profile_lock(profile_dir):
        try:
            process = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True
            )
        except OSError as exc:
            raise IngestError(
                "office.no_libreoffice", "LibreOffice is not installed, so office files cannot be read here."
            ) from exc
        try:
            _out, err = process.communicate(timeout=settings.timeout_seconds)
        except subprocess.TimeoutExpired as exc:
            _kill_group(process)
            raise DamagedDocument(
                "office.timeout",
                "LibreOffice took longer than {timeout_seconds:.0f} seconds on "
                "this file; save it again (or as PDF) and file it again.",
                timeout_seconds=settings.timeout_seconds,
            ) from exc
    produced = out_dir / f"{source.stem}.pdf"
    if process.returncode != 0 or not produced.is_file() or produced.stat().st_size == 0:
        log.warning(
            "soffice failed on a %s (exit %s): %s",
            kind,
            process.returncode,
            err.decode("utf-8", "replace").strip()[-500:],
        )
        raise DamagedDocument(
            "office.damaged_save_again",
            "{file} is damaged and cannot be opened; save it again (or as PDF) and file it again.",
            file=_THIS.get(kind, _THIS_FILE),
        )
    return produced


@contextmanager
def _profile_lock(profile_dir: Path) -> Iterator[None]:
    profile_dir.mkdir(parents=True, exist_ok=True)
    with open(profile_dir / ".archive-lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.communicate()


_MACRO_TYPES = re.compile(rb"macroEnabled|vbaProject|vnd\.ms-office\.activeX", re.IGNORECASE)


def _check_zip(path: Path, kind: str) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if kind in (DOCX, XLSX):
                types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
                macros = _MACRO_TYPES.search(types) or any(name.lower().endswith("vbaproject.bin") for name in names)
                encrypted = False
            else:
                manifest = archive.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else b""
                encrypted = b"encryption-data" in manifest
                macros = any(name.startswith(("Basic/", "Scripts/")) and not name.endswith("/") for name in names)
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError) as exc:
        raise DamagedDocument("office.damaged", "{file} is damaged and cannot be opened.", file=_THIS[kind]) from exc
    if encrypted:
        raise EncryptedDocument(
            "office.encrypted",
            "{file} is protected with a password; save it without a password and file it again.",
            file=_THIS[kind],
        )
    if macros:
        raise _macros(kind)


def _check_ole(path: Path, kind: str) -> None:
    try:
        with open(path, "rb") as handle:
            encrypted = msoffcrypto.OfficeFile(handle).is_encrypted()
        with olefile.OleFileIO(str(path)) as ole:
            macros = ole.exists("Macros") or ole.exists("_VBA_PROJECT_CUR")
    except Exception as exc:  # msoffcrypto raises its own and bare errors on odd files
        log.info("could not look inside a %s: %r", kind, exc)
        raise DamagedDocument("office.damaged", "{file} is damaged and cannot be opened.", file=_THIS[kind]) from exc
    if encrypted:
        raise EncryptedDocument(
            "office.encrypted",
            "{file} is protected with a password; save it without a password and file it again.",
            file=_THIS[kind],
        )
    if macros:
        raise _macros(kind)


def _macros(kind: str) -> RefusedOfficeFile:
    return RefusedOfficeFile(
        "office.macros",
        "{file} contains macros (programs); the archive does not open files with macros. Save it "
        "without macros (for example as PDF) and file it again.",
        file=_THIS[kind],
    )
