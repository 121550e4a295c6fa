"""Fixity: re-hash every stored original and compare with what was recorded."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from storage.filestore import FileStore, hash_file


@dataclass(frozen=True)
class FixityProblem:
    document_id: int
    sha256: str
    problem: str  # missing | altered

    def sentence(self) -> str:
        if self.problem == "missing":
            return f"Document {self.document_id}: its original is missing from the store."
        return f"Document {self.document_id}: its original was altered (the bytes no longer match)."


@dataclass(frozen=True)
class FixityReport:
    checked: int
    problems: tuple[FixityProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_originals(
    store: FileStore, expected: Iterable[tuple[int, str, str]], progress: Callable[[int], None] | None = None
) -> FixityReport:
    """Return which of the expected (id, sha256, state) originals are missing or altered."""
    checked, problems = 0, []
    for document_id, sha256, _state in expected:
        path = store.path_for(sha256)
        checked += 1
        if not path.exists():
            problems.append(FixityProblem(document_id, sha256, "missing"))
        elif hash_file(path)[0] != sha256:
            problems.append(FixityProblem(document_id, sha256, "altered"))
        if progress:
            progress(1)
    return FixityReport(checked=checked, problems=tuple(problems))
