"""Page images prepared for Tesseract where that measurably helps."""

from __future__ import annotations

# Bumped whenever preparation changes what Tesseract is given (evaluation caches key on it).
PREPARATION_VERSION = 0
