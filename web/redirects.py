"""Where a form's or a log-in's ``next`` may send the browser: a path on this site, nothing else."""

from __future__ import annotations

from urllib.parse import urlsplit

# Browsers drop tabs and line breaks from a URL before following it (WHATWG URL), so
# "/\t/evil.example" is "//evil.example" to them: another site. Any control character
# or backslash is refused outright rather than cleaned.
_REFUSED = frozenset(chr(code) for code in range(0x20)) | {"\x7f", "\\"}


def local_path(target: str | None) -> str | None:
    """Return ``target`` when it is a path on this site (``/...``), else None."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if any(character in _REFUSED for character in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
