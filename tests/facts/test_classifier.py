"""The classifier learns document types from clerks' corrections and joins the rules."""

from ingest.facts import ClientRegistry, TypeClassifier, extract_facts

# A practice-specific kind of document the rules call a letter: the clerks file these
# "Verwijsbrief" notes as forms, again and again.
REFERRALS = [
    f"Verwijsbrief fysiotherapie\nPatiënt nummer {n}\nIndicatie: rugklachten\nGeachte collega,\nMet vriendelijke groet"
    for n in range(12)
]
OTHERS = [f"Geachte heer {n},\nWij bevestigen uw afspraak.\nMet vriendelijke groet" for n in range(12)]


def test_too_few_corrections_train_nothing():
    assert TypeClassifier.train([("factuur", "invoice")], min_samples=30) is None
    assert TypeClassifier.train([("a", "letter")] * 40, min_samples=30) is None  # one type only


def test_learned_type_overrides_the_rules(settings):
    samples = [(text, "form") for text in REFERRALS] + [(text, "letter") for text in OTHERS]
    classifier = TypeClassifier.train(samples, min_samples=20)
    assert classifier is not None
    new = "Verwijsbrief fysiotherapie\nPatiënt nummer 99\nIndicatie: knie\nGeachte collega,\nMet vriendelijke groet"
    registry = ClientRegistry([])
    assert extract_facts([new], registry, settings).document_type == "letter"
    assert extract_facts([new], registry, settings, classifier=classifier).document_type == "form"
    assert extract_facts([OTHERS[0]], registry, settings, classifier=classifier).document_type == "letter"
