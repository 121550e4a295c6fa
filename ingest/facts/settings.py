"""Settings of fact extraction (document types and their cue words)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TypeRule:
    """Cue words and phrases (both languages) with a weight, for one document type."""

    label_nl: str = ""
    label_en: str = ""
    aliases: list[str] = field(default_factory=list)
    cues: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class ExtractionSettings:
    """How facts are recognised and when a document is sent to review."""

    types: dict[str, TypeRule] = field(default_factory=dict)
    min_client_confidence: float = 0.85
    min_type_confidence: float = 0.5
    min_ocr_confidence: float = 60.0
    classifier_min_corrections: int = 30
