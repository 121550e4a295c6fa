"""Security headers on every response, and safe file downloads."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import quote

from flask import Flask, Response, send_file

# No inline script or style anywhere: everything comes from /static.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; frame-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# The searchable PDF is shown inside the document page, so that response may be framed by us.
FRAMEABLE_CSP = "default-src 'none'; frame-ancestors 'self'"


def init_app(app: Flask) -> None:
    """Add the security headers to every response."""

    @app.after_request
    def secure(response: Response) -> Response:
        frameable = getattr(response, "frameable", False)
        response.headers.setdefault("Content-Security-Policy", FRAMEABLE_CSP if frameable else CSP)
        response.headers["X-Frame-Options"] = "SAMEORIGIN" if frameable else "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers.setdefault("Cache-Control", "no-store")
        return response


def safe_filename(name: str, fallback: str = "document") -> str:
    """Return a file name with no path, control characters or quotes (Unicode letters kept)."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r'["<>:|?*;]', "_", name).strip(" .")
    if len(name) > 150:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[:140] + dot + suffix[:9]) if dot and len(suffix) <= 9 else name[:150]
    return name or fallback


def content_disposition(name: str, inline: bool = False) -> str:
    """Return an RFC 6266 Content-Disposition with an ASCII fallback and a UTF-8 filename*."""
    clean = safe_filename(name)
    ascii_name = unicodedata.normalize("NFKD", clean).encode("ascii", "ignore").decode() or "document"
    ascii_name = ascii_name.replace("\\", "_").replace('"', "_")
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(clean, safe='')}"


def send_stored(path: Path, download_name: str, mime_type: str | None, inline: bool = False) -> Response:
    """Send a stored file's exact bytes with a sanitised Content-Disposition."""
    response = send_file(path, mimetype=mime_type or "application/octet-stream", conditional=True, max_age=0)
    response.headers["Content-Disposition"] = content_disposition(download_name, inline)
    response.headers["Cache-Control"] = "private, no-store"
    if inline:
        response.frameable = True  # type: ignore[attr-defined]
    return response
