"""Whether a password is good enough: long enough, not too long, and not quickly guessed.

Guessability is zxcvbn's estimate (sequences, keyboard walks, repeats, dates, l33t,
dictionary words) with Dutch added: the most frequent Dutch words (wordfreq) ranked
by how often they are written, and the common passwords list shipped here. One rule
zxcvbn does not make: a single word with only digits or signs added ("Welkom2024?")
is among the first things any cracker tries, whatever its estimated score.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from archive.errors import Message

_COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent / "common_passwords.txt"
# Long passphrases are welcome, but an argon2 hash of a 100 KB "password" on every
# log-in is a way to keep the server busy.
MAX_LENGTH = 128
# zxcvbn looks at this many characters (its own limit); a longer one is judged on them.
_ESTIMATED_CHARS = 72
# zxcvbn's scale: 3 means about 10^8 guesses or more (safely unguessable online).
MIN_SCORE = 3
_DUTCH_WORDS = 30000


@lru_cache(maxsize=1)
def common_passwords() -> tuple[str, ...]:
    """Return the passwords too common to allow (lower case), most common first."""
    lines = _COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def _estimator() -> Any:
    """Return zxcvbn with the Dutch word and password lists added (once per process: ~0.5 s)."""
    from wordfreq import top_n_list
    from zxcvbn import zxcvbn
    from zxcvbn.matching import add_frequency_lists

    dutch = [word for word in top_n_list("nl", _DUTCH_WORDS) if word.isalpha()]
    add_frequency_lists({"nl_words": dutch, "nl_passwords": list(common_passwords())})
    return zxcvbn


def password_problem(name: str, password: str, min_length: int) -> Message | None:
    """Return why a password is not acceptable, or None when it is."""
    if len(password) < min_length:
        return Message("password.too_short", "A password needs at least {count} characters.", {"count": min_length})
    if len(password) > MAX_LENGTH:
        return Message("password.too_long", "A password may be at most {count} characters long.", {"count": MAX_LENGTH})
    lowered = password.lower()
    common = set(common_passwords())
    if lowered in common or lowered.rstrip("0123456789!@#?.") in common:
        return Message("password.common", "This password is one of the most common ones; choose another.")
    if name and name.lower() in lowered:
        return Message("password.contains_name", "A password must not contain the user name.")
    if len(set(password)) < 4:
        return Message("password.too_few_characters", "A password needs more different characters.")
    return _guessable(name, password)


# Why zxcvbn finds a password guessable, by the pattern it matched (first match wins).
_PATTERN_MESSAGES = (
    (
        "sequence",
        Message("password.sequence", "Sequences such as abcd or 1234 are guessed at once; choose another password."),
    ),
    (
        "spatial",
        Message("password.keyboard", "Rows of keys such as qwerty are guessed at once; choose another password."),
    ),
    (
        "repeat",
        Message("password.repeat", "Repeated characters or words are guessed quickly; choose another password."),
    ),
    ("date", Message("password.date", "Dates and years are guessed quickly; choose another password.")),
    ("regex", Message("password.date", "Dates and years are guessed quickly; choose another password.")),
)


def _guessable(name: str, password: str) -> Message | None:
    result = _estimator()(password[:_ESTIMATED_CHARS], user_inputs=[name, "archief", "archive", "front office"])
    sequence = result["sequence"]
    words = [match for match in sequence if match["pattern"] == "dictionary"]
    rest = "".join(match["token"] for match in sequence if match["pattern"] != "dictionary")
    if len(words) == 1 and not any(character.isalpha() for character in rest):
        return Message(
            "password.one_word",
            "One word with digits or signs added is among the first things "
            "tried; use a few words, like a short sentence.",
        )
    if result["score"] >= MIN_SCORE:
        return None
    patterns = {match["pattern"] for match in sequence}
    for pattern, message in _PATTERN_MESSAGES:
        if pattern in patterns:
            return message
    return Message("password.guessable", "This password is too easy to guess; make it longer, for example a few words.")
