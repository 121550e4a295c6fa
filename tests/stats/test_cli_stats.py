"""`archive stats` on a real archive home holding the known history."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from archive.access.actors import SYSTEM
from archive.cli import main
from archive.config import load_config
from storage.database import Database
from tests.stats.conftest import seed_known_history


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    from archive.service import Archive

    config = load_config(home=tmp_path_factory.mktemp("stats") / "home")
    with Archive.open(config, create=True) as archive:
        archive.users.add("olga", "auditor", "Tulpen-in-de-Wind-42", SYSTEM)
        archive.users.add("sam", "staff", "Tulpen-in-de-Wind-42", SYSTEM)
    db = Database.open(config.database_path)
    seed_known_history(db)
    db.close()
    return config.home


def run(home, *args: str):
    return CliRunner().invoke(main, ["--home", str(home), "stats", *args])


def test_json_has_every_agreed_figure(home):
    result = run(home, "--json", "--since", "2026-11-01", "--until", "2026-11-06")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    for key in (
        "filed",
        "pages",
        "by_type",
        "by_clerk",
        "by_channel",
        "arrival_to_filed_seconds",
        "auto_filed_rate",
        "correction_rate",
        "review_queue",
        "failed_by_reason",
        "duplicates",
        "searches",
    ):
        assert key in figures
    assert (figures["filed"], figures["pages"], figures["duplicates"]) == (6, 12, 1)
    assert figures["arrival_to_filed_seconds"] == {"count": 6, "p50": 60.0, "p90": 300.0}
    assert figures["correction_rate"] == {"client": 0.1667, "type": 0.1667, "date": 0.0, "amount": 0.1667}
    assert figures["review_queue"]["size"] == 1
    assert figures["searches"]["total"] == 3


def test_period_filter_and_weeks(home):
    figures = json.loads(run(home, "--json", "--since", "2026-11-03", "--until", "2026-11-04").output)
    assert (figures["filed"], figures["pages"]) == (2, 5)
    weeks = json.loads(run(home, "--json", "--since", "2026-11-01", "--until", "2026-11-08", "--by", "week").output)
    assert [(row["period"], row["filed"]) for row in weeks["series"]] == [("2026-W44", 0), ("2026-W45", 6)]


def test_text_summary_and_csv(home):
    text = run(home, "--since", "2026-11-01", "--until", "2026-11-06").output
    assert "Filed               6 documents, 12 pages" in text
    assert "Arrival to filed    p50 1.0 min, p90 5.0 min" in text
    rows = list(csv.reader(io.StringIO(run(home, "--csv", "--since", "2026-11-01", "--until", "2026-11-06").output)))
    assert rows[0] == ["figure", "breakdown", "value"]
    assert ["filed", "", "6"] in rows and ["filed", "2026-11-02", "3"] in rows
    assert ["by_type.letter", "2026-11-02", "1"] in rows
    assert ["filed", "clerk=anna", "3"] in rows and ["correction_rate", "amount", "0.1667"] in rows


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "yesterday"], "is not a date; write it like 12-03-2024"),
        (["--since", "2026-11-05", "--until", "2026-11-01"], "starts"),
    ],
)
def test_bad_dates_are_one_sentence(home, args, message):
    result = run(home, *args)
    assert result.exit_code == 5 and message in result.output and "Traceback" not in result.output


def test_auditors_may_and_staff_may_not(home):
    allowed = CliRunner().invoke(main, ["--home", str(home), "--user", "olga", "stats", "--json"])
    assert allowed.exit_code == 0 and "filed" in json.loads(allowed.output)
    refused = CliRunner().invoke(main, ["--home", str(home), "--user", "sam", "stats"])
    assert refused.exit_code == 4 and "may not see the front-office analysis" in refused.output


def test_help_has_an_example():
    result = CliRunner().invoke(main, ["stats", "--help"])
    assert result.exit_code == 0 and "Example: archive" in result.output
