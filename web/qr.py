"""A second factor's enrolment as a person scans or types it: a QR code drawn on the server, and the key."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse

import segno
from markupsafe import Markup


@dataclass(frozen=True)
class Enrolment:
    """What the admin page shows once: the QR code (inline SVG) and the key in groups of four."""

    svg: Markup
    key: str
    uri: str


def enrolment(uri: str, label: str) -> Enrolment:
    """Return the QR code of an ``otpauth://`` URI (SVG, no script, no style) and its key, for showing."""
    secret = parse_qs(urlparse(uri).query).get("secret", [""])[0]
    # Segno writes plain SVG paths: nothing a Content-Security-Policy without inline style refuses.
    svg = segno.make(uri, error="m").svg_inline(scale=5, title=label, svgclass="qr", lineclass="qr-line")
    return Enrolment(
        Markup(svg.replace("<svg ", '<svg role="img" ', 1)),
        " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        uri,
    )
