"""The reader's OCR fixtures, shared with tests/ingest."""

from tests.ingest.conftest import ocr_runner, ocr_settings  # noqa: F401
