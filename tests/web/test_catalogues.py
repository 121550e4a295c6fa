"""The gettext catalogues: up to date with the code, Dutch complete, blanks kept, every error class extracted."""

from __future__ import annotations

import configparser
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.catalogues import LANGUAGES, read_catalogue
from tests.documents import REPO

# The rooms `make messages` extracts from (the Makefile's SOURCES).
SOURCES = ("archive", "ingest", "search", "storage", "web")
HOW = "run `make messages`, then write the Dutch of each new entry in web/translations/nl/LC_MESSAGES/messages.po"


def _key(message) -> tuple[str | None, str]:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return message.context, msgid


def _blanks(text: str) -> set[str]:
    return set(re.findall(r"{(\w+)}", text))


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict:
    """Every message id in the code, as `make messages` extracts it."""
    from babel.messages.pofile import read_po

    pot = tmp_path_factory.mktemp("catalogue") / "messages.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run(
        [str(pybabel), "-q", "extract", "-F", "babel.cfg", "--no-location", "-o", str(pot), *SOURCES],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    with open(pot, "rb") as handle:
        return {_key(m): m for m in read_po(handle) if m.id}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_sentence_of_the_code_is_in_the_catalogue(extracted, language):
    known = {_key(m) for m in read_catalogue(language) if m.id}
    missing = sorted(set(extracted) - known, key=str)
    assert not missing, f"{len(missing)} message(s) not in the {language} catalogue ({HOW}): {missing[:5]}"


def test_every_dutch_entry_is_translated_with_the_same_blanks(extracted):
    problems = []
    for message in read_catalogue("nl"):
        if not message.id or _key(message) not in extracted:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        if message.fuzzy or not all(strings):
            problems.append(f"untranslated or fuzzy: {ids[0]!r}")
        # A plural form may leave out the {count} (Dutch "één document"), never another blank.
        elif any(_blanks(text) - {"count"} != set().union(*map(_blanks, ids)) - {"count"} for text in strings):
            problems.append(f"blanks differ: {ids[0]!r} -> {strings!r}")
    assert not problems, f"{len(problems)} Dutch entries need work ({HOW}): {problems[:5]}"


def test_every_error_class_is_an_extraction_keyword():
    """An error class left out of babel.cfg would keep its templates out of the catalogue unseen."""
    import archive.access.users  # noqa: F401
    import archive.backup.service  # noqa: F401  (the classes below are found as subclasses)
    from archive.errors import ArchiveError
    from ingest.errors import IngestError
    from search.errors import SearchError
    from storage.errors import StorageError

    def family(base: type) -> set[str]:
        return {base.__name__}.union(*(family(sub) for sub in base.__subclasses__()))

    parser = configparser.RawConfigParser()
    parser.read(REPO / "babel.cfg")
    keywords = {word.split(":")[0] for word in parser.get("python: **.py", "keywords").split()}
    classes = set().union(*(family(base) for base in (ArchiveError, IngestError, SearchError, StorageError)))
    assert classes - keywords == set(), "add these error classes to the keywords of babel.cfg"
