"""Nodes sharing one database: one inbox watcher at a time (a lease), and the documents' change feed."""

from __future__ import annotations

import threading
from datetime import datetime, timezone

from archive.clock import FixedClock
from archive.inbox.lease import Lease
from storage import nodes_repo

START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def test_a_second_watcher_waits_for_the_lease_and_takes_over_when_it_expires(database) -> None:
    clock = FixedClock(START)
    first = Lease(database, clock, holder="node1:10", seconds=30)
    second = Lease(database, clock, holder="node2:20", seconds=30)
    assert first.take() and not second.take()
    assert second.holder_now() == "node1:10"
    clock.advance(seconds=20)
    assert first.take()  # renewed: good for another 30 s from now
    clock.advance(seconds=20)
    assert not second.take()
    clock.advance(seconds=11)  # node1 stopped renewing
    assert second.take() and not first.take()


def test_a_released_lease_is_taken_at_once_and_a_stopped_wait_gives_up(database) -> None:
    clock = FixedClock(START)
    first = Lease(database, clock, holder="node1:10")
    second = Lease(database, clock, holder="node2:20", seconds=0.3)
    assert first.take()
    stop = threading.Event()
    stop.set()
    assert second.wait(stop) is False
    first.release()
    assert second.wait(threading.Event()) is True and second.holder_now() == "node2:20"


def test_every_change_of_a_document_row_enters_the_feed_in_order(database) -> None:
    with database.atomic() as conn:
        conn.execute(
            "INSERT INTO documents (sha256, size, original_filename, state, created_by, created_at,"
            " updated_at) VALUES ('a', 1, 'a.pdf', 'received', 'x', 't', 't')"
        )
        conn.execute(
            "INSERT INTO documents (sha256, size, original_filename, state, created_by, created_at,"
            " updated_at) VALUES ('b', 1, 'b.pdf', 'received', 'x', 't', 't')"
        )
    ids = [row[0] for row in database.read().execute("SELECT id FROM documents ORDER BY id")]
    with database.atomic() as conn:
        conn.execute("UPDATE documents SET state = 'filed' WHERE id = ?", (ids[1],))
    changes = nodes_repo.changes_after(database.read(), 0)
    assert [document for _, document in changes] == [ids[0], ids[1], ids[1]]
    assert nodes_repo.last_change(database.read()) == changes[-1][0]
    assert nodes_repo.changes_after(database.read(), changes[0][0]) == changes[1:]


def test_a_document_filed_through_one_node_is_found_through_the_other_within_2_s(tmp_path, request) -> None:
    """Two nodes: one database, one home, each its own index following the change feed."""
    import dataclasses
    import time

    from archive.access.actors import Actor
    from archive.service import Archive
    from search import SearchRequest
    from tests.conftest import home_config, on_engine
    from tests.documents import text_pdf

    base = on_engine(home_config(tmp_path), "postgresql", request)
    nodes = [
        dataclasses.replace(base, node=dataclasses.replace(base.node, index_dir=str(tmp_path / f"index-{n}")))
        for n in (1, 2)
    ]
    first = Archive.open(nodes[0], create=True)
    second = Archive.open(nodes[1])
    try:
        clerk = Actor("rita", "records_manager")
        pdf = text_pdf(tmp_path / "brief.pdf", ["Factuur zonnepanelen Vlieland\nBetreft: onderhoud"])
        assert first.ingest(pdf).status == "filed"
        filed = time.monotonic()
        while second.search(SearchRequest(query="zonnepanelen"), clerk).total == 0:
            assert time.monotonic() - filed < 2.0, f"not found through the second node: {second.index_lag()}"
            time.sleep(0.05)
        assert second.index_lag()["changes_behind"] == 0
        assert first.search(SearchRequest(query="zonnepanelen"), clerk).total == 1
    finally:
        second.close()
        first.close()


def test_archive_status_on_a_node_says_how_far_its_index_is_behind(tmp_path, request) -> None:
    """The follower notes its position in the node's index folder; `archive status` there reads it."""
    import dataclasses
    import json
    import time

    from click.testing import CliRunner

    from archive.cli import main
    from archive.service import Archive
    from tests.conftest import home_config, on_engine
    from tests.documents import text_pdf

    base = on_engine(home_config(tmp_path), "postgresql", request)
    second = dataclasses.replace(
        base, node=dataclasses.replace(base.node, index_dir=str(tmp_path / "index-2"), follow_seconds=0.05)
    )
    settings = tmp_path / "node-2.toml"
    settings.write_text(f'[database]\nurl = "{base.database.url}"\n[node]\nindex_dir = "{second.node.index_dir}"\n')

    def status() -> tuple[dict, str]:
        runner = CliRunner(mix_stderr=False)
        env = {"ARCHIVE_CONFIG": str(settings)}
        figures = runner.invoke(main, ["--home", str(base.home), "status", "--json"], env=env)
        text = runner.invoke(main, ["--home", str(base.home), "status"], env=env)
        assert figures.exit_code == 0 and text.exit_code == 0, figures.stderr + text.stderr
        return json.loads(figures.stdout)["index"], text.stdout

    with Archive.open(second, create=True) as node:
        assert status()[0] is None or status()[0]["behind"] is False
        deadline = time.monotonic() + 10
        while status()[0] is None:  # the follower's first round writes its position down
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert "Search index     up to date" in status()[1]
    # Node 2 stopped; a document is filed through node 1 meanwhile.
    first = dataclasses.replace(base, node=dataclasses.replace(base.node, index_dir=str(tmp_path / "index-1")))
    with Archive.open(first) as node:
        assert node.ingest(text_pdf(tmp_path / "brief.pdf", ["Factuur 12\nBetreft: dakgoot"])).status == "filed"
    lag, text = status()
    assert lag["behind"] is True and lag["changes_behind"] >= 1
    assert f"{lag['changes_behind']} changes behind the database" in text
