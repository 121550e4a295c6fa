"""File names that are safe to send: no paths, no control characters, RFC 6266 both forms."""

from __future__ import annotations

from web.headers import content_disposition, safe_filename


def test_safe_filename_drops_paths_and_controls():
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("C:\\Users\\x\\scan.pdf") == "scan.pdf"
    assert safe_filename("a\r\nb\x00c.pdf") == "abc.pdf"
    assert safe_filename('fac"tuur;.pdf') == "fac_tuur_.pdf"
    assert safe_filename("..") == "document"
    assert safe_filename("café.pdf") == "café.pdf"
    assert len(safe_filename("x" * 400 + ".pdf")) <= 150 and safe_filename("x" * 400 + ".pdf").endswith(".pdf")


def test_content_disposition_has_ascii_and_utf8_names():
    header = content_disposition('één "rapport".pdf')
    assert header == "attachment; filename=\"een _rapport_.pdf\"; filename*=UTF-8''%C3%A9%C3%A9n%20_rapport_.pdf"
    assert content_disposition("a.pdf", inline=True).startswith("inline;")
