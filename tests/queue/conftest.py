"""The nodes' tests run on both engines, with the storage tests' fixtures."""

from tests.storage.conftest import database, engine, target  # noqa: F401  (fixtures used by name)
