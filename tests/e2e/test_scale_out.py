"""Scale-out on loopback: PostgreSQL with procrastinate's queue, two web nodes and two reading
workers as separate processes, one worker killed in the middle of a job.

Two "machines" share the home (the store) and the database; each runs `archive serve`
and `archive worker` with its own index folder, as the README's set-up does. 200
born-digital PDFs are uploaded through both nodes' API in turn; machine 1's worker is
SIGKILLed (with its reading process) while it reads one. Every document must be filed
exactly once, found through both nodes within 2 s of its filing, and `archive verify`
must be clean.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import pytest

from tests.cluster import Machine, Processes, archive_program, machine, machine_environment
from tests.documents import text_pdf

# Its 2 s from filing to found is a promise of time: run alone, not beside another test.
pytestmark = [pytest.mark.postgresql, pytest.mark.slow, pytest.mark.alone]

DOCUMENTS = 200
SEARCHABLE_WITHIN = 2.0


def _prepare_home(home: Path, first: Machine) -> str:
    """Create the home on the shared database (as `archive init` does) and a clerk's API token."""
    from archive.access.actors import SYSTEM
    from archive.config import load_config
    from archive.service import Archive

    with Archive.open(load_config(first.config, home=home), create=True) as archive:
        archive.initialise()
        archive.users.add("balie", "clerk", "Tulpen-in-de-Wind-42", SYSTEM)
        return archive.users.new_token("balie", SYSTEM)


def _documents(folder: Path) -> list[Path]:
    folder.mkdir()
    return [
        text_pdf(
            folder / f"factuur-{n:03d}.pdf",
            [f"Factuur 2024-{n:04d}\nBetreft: onderhoud zonnepanelen Vlieland\nKenmerk {_word(n)}"],
        )
        for n in range(DOCUMENTS)
    ]


def _request(base: str, path: str, token: str, body: bytes | None = None, headers: dict | None = None) -> dict:
    request = urllib.request.Request(
        base + path, data=body, headers={"Authorization": f"Bearer {token}", **(headers or {})}
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.loads(answer.read())


def _upload(base: str, token: str, pdf: Path) -> dict:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{pdf.name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + pdf.read_bytes()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return _request(base, "/api/documents", token, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})


def _word(n: int) -> str:
    """A made-up word only document ``n`` holds, so a search for it finds that one alone."""
    return "zq" + _LETTERS[n // len(_LETTERS)] + _LETTERS[n % len(_LETTERS)] + "x"


_LETTERS = "bcdfghjklmnpqrstvwz"


class Sighting(threading.Thread):
    """Searches one node for the documents filed but not yet found there, by their own words, every 0.2 s.

    A document counts as found from the moment the search that found it was sent.
    """

    def __init__(self, base: str, token: str, url: str) -> None:
        super().__init__(daemon=True)
        self._base, self._token, self._url = base, token, url
        self.first_seen: dict[int, float] = {}
        self.errors: list[str] = []
        self.halt = threading.Event()

    def run(self) -> None:
        while not self.halt.wait(0.2):
            filed = _rows(self._url, "SELECT id, original_filename FROM documents WHERE state = 'filed'")
            unseen = {i: int(name.split("-")[1].split(".")[0]) for i, name in filed if i not in self.first_seen}
            if not unseen:
                continue
            batch = sorted(unseen)[:50]
            query = urllib.parse.urlencode({"q": " OR ".join(_word(unseen[i]) for i in batch), "size": len(batch)})
            sent = time.time()
            try:
                body = _request(self._base, f"/api/search?{query}", self._token)
            except OSError as exc:  # said in the assertion if a document is then missing
                self.errors.append(repr(exc))
                continue
            for hit in body["hits"]:
                self.first_seen.setdefault(hit["id"], sent)


def _rows(url: str, sql: str, params: tuple = ()) -> list[tuple]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(sql, params).fetchall()


def _kill_while_reading(url: str, processes: Processes, name: str) -> int:
    """SIGKILL worker ``name`` while it reads a document (its claim in the row); return that document."""
    pid = processes.started[name].pid
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        os.killpg(pid, signal.SIGSTOP)  # held still, so what the row says is what it is doing
        reading = _rows(
            url, "SELECT id FROM documents WHERE state = 'received' AND reading_by LIKE %s", (f"%|{pid}|%",)
        )
        if reading:
            processes.kill(name)
            [(state,)] = _rows(url, "SELECT state FROM documents WHERE id = %s", (reading[0][0],))
            assert state == "received"  # killed in the middle of reading it
            return reading[0][0]
        os.killpg(pid, signal.SIGCONT)
        time.sleep(0.05)
    raise AssertionError(f"{name} never read a document:\n{processes.log(name)}")


def _wait_until_filed(url: str, processes: Processes, at_least: int = DOCUMENTS, timeout: float = 240.0) -> None:
    """Wait until ``at_least`` documents are filed (and, for all of them, none is left waiting)."""
    deadline = time.monotonic() + timeout
    while True:
        [(filed, waiting)] = _rows(
            url,
            "SELECT count(*) FILTER (WHERE state = 'filed'),"
            " count(*) FILTER (WHERE state = 'received' AND failed_at IS NULL) FROM documents",
        )
        if filed >= at_least and (at_least < DOCUMENTS or waiting == 0):
            return
        assert time.monotonic() < deadline, f"{filed} filed, {waiting} waiting:\n{processes.log('worker-2')}"
        time.sleep(0.2)


def _filed_at(value: str) -> float:
    return datetime.fromisoformat(value).timestamp()


def test_two_nodes_and_two_workers_file_every_upload_once_through_a_killed_worker(
    tmp_path: Path, postgres_server
) -> None:
    url = postgres_server.new_database()
    home = tmp_path / "home"
    machines = [machine(tmp_path / "machines", f"machine-{n}", url) for n in (1, 2)]
    token = _prepare_home(home, machines[0])
    processes = Processes(home, tmp_path / "logs")
    sightings: list[Sighting] = []
    try:
        bases = [processes.serve(f"web-{n}", at) for n, at in enumerate(machines, 1)]
        for n, at in enumerate(machines, 1):
            processes.worker(f"worker-{n}", at)
        pdfs = _documents(tmp_path / "post")  # made while the processes start
        for n, base in enumerate(bases, 1):
            processes.wait_until_up(f"web-{n}", base)
        sightings = [Sighting(base, token, url) for base in bases]
        for sighting in sightings:
            sighting.start()
        with ThreadPoolExecutor(4) as uploads:
            sent = [uploads.submit(_upload, bases[n % 2], token, pdfs[n]) for n in range(DOCUMENTS)]
            _wait_until_filed(url, processes, at_least=DOCUMENTS // 4)
            victim = _kill_while_reading(url, processes, "worker-1")
            answers = [future.result() for future in sent]
        assert {a["status"] for a in answers} == {"queued"}, answers[:3]
        uploaded = {a["id"] for a in answers}
        assert len(uploaded) == DOCUMENTS
        _wait_until_filed(url, processes)
        # When each was filed: its `file` entry in the audit trail, written in the filing's own transaction.
        filed = dict(_rows(url, "SELECT document_id, at FROM audit_log WHERE action = 'file'"))
        deadline = time.monotonic() + SEARCHABLE_WITHIN + 1
        while any(set(filed) - set(s.first_seen) for s in sightings) and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        for sighting in sightings:
            sighting.halt.set()
        processes.stop()
    for sighting in sightings:
        sighting.join(timeout=10)

    # Filed exactly once: one row per upload, one `file` entry in the audit trail each.
    assert {i for (i,) in _rows(url, "SELECT id FROM documents WHERE state = 'filed'")} == uploaded
    filings = dict(_rows(url, "SELECT document_id, count(*) FROM audit_log WHERE action = 'file' GROUP BY document_id"))
    assert filings == dict.fromkeys(uploaded, 1)
    assert victim in filed  # the killed worker's document, read again by the other
    # Found through both nodes within 2 s of its filing.
    for n, sighting in enumerate(sightings, 1):
        missing = set(filed) - set(sighting.first_seen)
        assert not missing, f"web-{n} never found {sorted(missing)[:10]}; {sighting.errors[-3:]}"
        late = {i: round(sighting.first_seen[i] - _filed_at(filed[i]), 2) for i in filed}
        late = {i: s for i, s in late.items() if s > SEARCHABLE_WITHIN}
        assert not late, f"web-{n} found these only after more than {SEARCHABLE_WITHIN} s: {late}"
    verify = subprocess.run(
        [archive_program(), "--home", str(home), "verify", "--json"],
        env=machine_environment(machines[0]),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verify.returncode == 0, verify.stdout[-2000:] + verify.stderr[-2000:]
    assert json.loads(verify.stdout)["ok"] is True
