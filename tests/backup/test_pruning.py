"""Pruning: which snapshots a rule keeps, and that chunks go only when no kept snapshot needs them."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from archive.backup.destination import Destination
from archive.backup.pruning import KeepRule, snapshots_to_keep
from archive.backup.reading import read_manifest
from archive.backup.service import verify
from tests.backup.conftest import service_for, take
from tests.records.conftest import RITA, file_document

DAY = timedelta(days=1)
T0 = datetime(2026, 1, 5, 2, 30, tzinfo=timezone.utc)  # a Monday


def _daily(count: int, start: datetime = T0) -> list[tuple[int, datetime]]:
    return [(number, start + (number - 1) * DAY) for number in range(1, count + 1)]


@pytest.mark.parametrize(
    "snapshots, rule, kept",
    [
        ([], KeepRule(7, 4, 12), set()),
        (_daily(1), KeepRule(0, 0, 0), {1}),  # the newest always stays
        (_daily(10), KeepRule(0, 0, 0), {10}),
        (_daily(10), KeepRule(3, 0, 0), {8, 9, 10}),
        # Two a day: only the newest of each day counts as that day's.
        ([(1, T0), (2, T0 + timedelta(hours=5)), (3, T0 + DAY)], KeepRule(7, 0, 0), {2, 3}),
        # 21 days from a Monday: weeks end on Sundays 11 Jan (7), 18 Jan (14), and 21 is the newest.
        (_daily(21), KeepRule(0, 3, 0), {7, 14, 21}),
        (_daily(21), KeepRule(2, 2, 0), {14, 20, 21}),
        # Monthly: the last of January (27 = 31 Jan) and of February (55 = 28 Feb).
        (_daily(60), KeepRule(0, 0, 3), {27, 55, 60}),
        # Gaps do not count: the last 3 days *that have a snapshot*.
        ([(1, T0), (2, T0 + 10 * DAY), (3, T0 + 20 * DAY)], KeepRule(3, 0, 0), {1, 2, 3}),
    ],
)
def test_keep_rule(snapshots, rule: KeepRule, kept: set[int]) -> None:
    assert snapshots_to_keep(snapshots, rule) == kept


def test_default_rule_keeps_a_year_of_monthlies() -> None:
    kept = snapshots_to_keep(_daily(400), KeepRule())
    assert set(range(394, 401)) <= kept  # the last seven days
    assert len(kept) <= 7 + 4 + 12  # buckets overlap: the newest is also this week's and month's
    # Twelve months, this one (February 2027) included: the oldest is the last of March 2026.
    assert (T0 + (min(kept) - 1) * DAY).date() == date(2026, 3, 31)


def test_pruning_keeps_every_chunk_a_kept_snapshot_needs(home, clock, tmp_path: Path) -> None:
    service = service_for(home, clock, keep_daily=1, keep_weekly=0, keep_monthly=0)
    dest = tmp_path / "dest"
    old = file_document(home, tmp_path, "invoice", date(2024, 6, 1))
    take(service, dest)
    clock.advance(days=1)
    file_document(home, tmp_path, "letter", date(2025, 6, 1))
    second = take(service, dest)
    assert second.pruned == [1] and second.files_reused > 0
    opened = Destination.open(dest)
    assert opened.snapshot_numbers() == [2]
    # The original of the first document was written by snapshot 1; snapshot 2 still has it.
    sha256 = home.document(old, RITA).sha256
    assert read_manifest(opened, 2).entry(f"store/originals/{sha256[:2]}/{sha256[2:4]}/{sha256}") is not None
    assert opened.has_object(sha256)
    assert verify(dest, deep=True).ok


def test_a_disposed_document_leaves_the_backups_with_the_last_snapshot_that_held_it(
    home, clock, tmp_path: Path
) -> None:
    service = service_for(home, clock, keep_daily=2, keep_weekly=0, keep_monthly=0)
    dest = tmp_path / "dest"
    doomed = file_document(home, tmp_path, "invoice", date(2015, 6, 1))
    keeper = file_document(home, tmp_path, "invoice", date(2025, 6, 1))
    sha256 = home.document(doomed, RITA).sha256
    text = home.document(doomed, RITA).text.split("\n")[0].encode()
    take(service, dest)  # 1: holds the document
    clock.advance(days=1)
    assert home.records.dispose(RITA, approve=True).destroyed == [doomed]
    after = take(service, dest)  # 2: taken after the disposal
    manifest = read_manifest(Destination.open(dest), after.number)
    assert not any(sha256 in entry.path for entry in manifest.files)
    assert any(sha256 in path for path in manifest.removed)
    assert (doomed, max(seq for _, seq in manifest.disposed)) in manifest.disposed
    assert Destination.open(dest).has_object(sha256)  # snapshot 1 is still kept (keep_daily = 2)
    clock.advance(days=1)
    take(service, dest)  # 3: now snapshot 1 falls out of the rule
    opened = Destination.open(dest)
    assert opened.snapshot_numbers() == [2, 3]
    assert not opened.has_object(sha256)
    # Nothing on the destination holds the document's bytes or its page text any more.
    for path in dest.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert text not in content, path
    assert home.document(keeper, RITA).state == "filed"
    assert verify(dest, deep=True).ok
