"""Every odd and broken file of the shared corpus through `archive ingest`: filed, or refused with its own sentence."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import main

pytestmark = [pytest.mark.corpus, pytest.mark.slow]

# Sentences that say nothing about the file: no file of the corpus may end with one.
UNSPECIFIC = ("internal error", "went wrong", "unexpected problem", "traceback")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_each_corpus_file_is_filed_or_refused_with_a_sentence_and_its_bytes_kept(corpus: Path, tmp_path: Path):
    files = sorted((corpus / "robustness").iterdir())
    before = {path.name: _sha256(path) for path in files}
    home = tmp_path / "home"
    init = CliRunner().invoke(main, ["--home", str(home), "init"], env={"ARCHIVE_ADMIN_PASSWORD": "Kw1k-Zeer-Geheim!"})
    assert init.exit_code == 0, init.output
    result = CliRunner(mix_stderr=False).invoke(main, ["--home", str(home), "ingest", *map(str, files), "--json"])
    assert result.exit_code in (0, 1), result.stderr
    outcomes = {Path(o["source"]).name: o for o in map(json.loads, result.stdout.splitlines())}
    assert set(outcomes) == set(before)  # one result per file, none hidden by another's failure
    store = home / "store"
    for name, outcome in outcomes.items():
        assert outcome["status"] in ("filed", "failed"), (name, outcome)
        if outcome["status"] == "failed":
            error = outcome["error"] or ""
            assert error.endswith(".") and not any(word in error.lower() for word in UNSPECIFIC), (name, error)
        if outcome.get("sha256"):  # kept in the store: the original bytes, unchanged
            digest = outcome["sha256"]
            assert _sha256(store / "originals" / digest[:2] / digest[2:4] / digest) == before[name], name
    assert {path.name: _sha256(path) for path in files} == before  # the corpus is never changed
    for name in ("paperless-simple.pdf", "paperless-rotated.pdf", "ocrmypdf-linn.txt"):
        assert outcomes[name]["status"] == "filed", outcomes[name]
    assert "password" in outcomes["paperless-password-is-test.pdf"]["error"]
