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
    # Two clients whose evidence differs by less than this are not told apart.
    client_margin: float = 0.15
    # Lowest rapidfuzz ratio (0-100) at which a name in the text counts as a client's name.
    name_match_cutoff: float = 88.0
    # A cue found in a short heading line (the document's title) counts this many times.
    heading_weight: float = 2.0
    # Weight of the learned classifier against the rules once it is trained (0..1).
    classifier_weight: float = 0.5
    # Currency of an amount printed without any currency mark ("" = leave it empty).
    default_currency: str = "EUR"
    # Language of the generated title: "nl" or "en".
    title_language: str = "nl"
