"""A document-type classifier learned from clerks' corrections (TF-IDF + logistic regression)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from ingest.facts.text import fold

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline


class TypeClassifier:
    """Predicts type probabilities from text; trained on (text, corrected type) pairs."""

    def __init__(self, pipeline: "Pipeline", classes: tuple[str, ...]) -> None:
        self._pipeline = pipeline
        self.classes = classes

    @classmethod
    def train(cls, samples: Iterable[tuple[str, str]], min_samples: int = 1) -> "TypeClassifier | None":
        """Return a trained classifier, or None when there are too few samples or types to learn from."""
        pairs = [(fold(text), label) for text, label in samples if text and text.strip() and label]
        labels = {label for _, label in pairs}
        if len(pairs) < max(min_samples, 2) or len(labels) < 2:
            return None
        # scikit-learn costs ~1.5 s and ~100 MB to import: only archives that learn pay it.
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline

        pipeline = make_pipeline(
            # Character n-grams survive OCR misspellings.
            TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=1, max_features=50000),
            LogisticRegression(max_iter=1000, C=5.0, class_weight="balanced"),
        )
        pipeline.fit([text for text, _ in pairs], [label for _, label in pairs])
        return cls(pipeline, tuple(str(c) for c in pipeline.classes_))

    def probabilities(self, text: str) -> dict[str, float]:
        """Return the probability of each learned type for this text."""
        probs = self._pipeline.predict_proba([fold(text)])[0]
        return {label: float(p) for label, p in zip(self.classes, probs)}
