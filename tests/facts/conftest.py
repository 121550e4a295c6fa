"""Fixtures for extraction: the settings from config.toml, a generated registry and documents."""

from __future__ import annotations

import pytest

from archive.config import load_config
from ingest.facts import ClientRegistry, ExtractionSettings
from tests.facts.generator import generate


@pytest.fixture(scope="session")
def settings() -> ExtractionSettings:
    """The extraction settings of the repository's config.toml (cue words included)."""
    return load_config().extraction


@pytest.fixture(scope="session")
def generated():
    """A registry (with look-alike clients) and 96 labelled documents, both languages, six types."""
    clients, docs = generate(seed=2026, count=96)
    return ClientRegistry(clients), docs
