"""The web app's gettext catalogues as the tests need them: compiled, and read as data."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from tests.documents import REPO

TRANSLATIONS = REPO / "web" / "translations"
LANGUAGES = ("nl", "en")


def po_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"


def read_catalogue(language: str) -> Catalog:
    """Return a language's .po file as Babel reads it."""
    with open(po_path(language), "rb") as handle:
        return read_po(handle, locale=language)


def compile_stale() -> None:
    """Compile each .po file whose .mo is missing or older (as `make install` would).

    A rebased worktree gets new sentences without running the install step again;
    written through a temporary name, since every test worker may do it at once.
    """
    for language in LANGUAGES:
        po = po_path(language)
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        catalogue = read_catalogue(language)
        handle, temp = tempfile.mkstemp(dir=mo.parent, prefix=".messages-", suffix=".mo")
        with os.fdopen(handle, "wb") as out:
            write_mo(out, catalogue)
        os.replace(temp, mo)
