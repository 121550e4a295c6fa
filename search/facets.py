"""Facet counts of a result set: by document type, client and year."""

from __future__ import annotations

import numpy as np

from search.columns import DocTable, Vocabulary, years


def count_facets(
    table: DocTable, vocabulary: Vocabulary, docnums: np.ndarray, limit: int
) -> dict[str, tuple[tuple[str, int], ...]]:
    """Return the facet counts of ``docnums``: types and clients by count, years newest first."""
    return {
        "document_type": _coded(table.type[docnums], vocabulary, limit),
        "client_id": _coded(table.client[docnums], vocabulary, limit),
        "year": _years(table, docnums),
    }


def _coded(codes: np.ndarray, vocabulary: Vocabulary, limit: int) -> tuple[tuple[str, int], ...]:
    counts = np.bincount(codes, minlength=1)
    counts[0] = 0  # documents without a value are not a facet
    present = np.flatnonzero(counts)
    values = vocabulary.values
    ranked = sorted(((values[c], int(counts[c])) for c in present), key=lambda item: (-item[1], item[0]))
    return tuple(ranked[:limit])


def _years(table: DocTable, docnums: np.ndarray) -> tuple[tuple[str, int], ...]:
    found, counts = np.unique(years(table, docnums), return_counts=True)
    return tuple((str(int(y)), int(n)) for y, n in sorted(zip(found, counts), reverse=True) if y)
