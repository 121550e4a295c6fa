"""Which parts of a message are documents."""

from __future__ import annotations

from ingest.mail import parse_eml, select_documents
from ingest.mail.select import EMPTY, INLINE_IMAGE, NOT_A_DOCUMENT, SMALL_IMAGE, SelectionRules
from tests.mail.messages import build_message, page_png, pdf_bytes, png_bytes


def test_an_inline_page_sized_image_below_the_inline_size_is_layout(tmp_path):
    message = build_message(html='<img src="cid:scan@x">', inline=[("scan@x", page_png("Kop"), "image/png")])
    [(part, reason)] = select_documents(parse_eml(message.as_bytes())).skipped
    assert reason == INLINE_IMAGE and part.size < 200_000


def test_logos_signatures_and_cards_are_left_out(tmp_path):
    message = build_message(
        html='<p>Zie bijlage</p><img src="cid:logo@x"><img src="cid:photo@x">',
        inline=[("logo@x", png_bytes(40_000), "image/png"), ("photo@x", png_bytes(0, seed=2, side=600), "image/png")],
        attachments=[
            ("factuur.pdf", pdf_bytes(tmp_path, "Factuur"), "application/pdf"),
            ("smime.p7s", b"0\x82\x05" * 100, "application/pkcs7-signature"),
            ("jan.vcf", b"BEGIN:VCARD\nEND:VCARD", "text/vcard"),
            ("bon.jpg", page_png("Kassabon\nTotaal 12,50", seed=3), "image/png"),
            ("pixel.gif", b"GIF89a" + b"\0" * 30, "image/gif"),
            ("afspraak.ics", b"BEGIN:VCALENDAR", "text/calendar"),
        ],
    )
    selection = select_documents(parse_eml(message.as_bytes()))
    assert sorted(p.filename for p in selection.documents) == ["bijlage-2.png", "bon.jpg", "factuur.pdf"]
    reasons = {part.filename: reason for part, reason in selection.skipped}
    assert reasons["smime.p7s"] == reasons["jan.vcf"] == reasons["afspraak.ics"] == NOT_A_DOCUMENT
    assert reasons["pixel.gif"] == SMALL_IMAGE
    assert reasons["bijlage-1.png"] == SMALL_IMAGE  # a logo shown in the body


def test_an_attached_photo_counts_and_rules_are_settings(tmp_path):
    sparse = page_png("Bijlage 3")  # a nearly empty page: few bytes, many pixels
    message = build_message(attachments=[("scan.png", sparse, "image/png"), ("leeg.pdf", b"", "application/pdf")])
    parsed = parse_eml(message.as_bytes())
    assert [p.filename for p in select_documents(parsed).documents] == ["scan.png"]
    assert {p.filename: r for p, r in select_documents(parsed).skipped} == {"leeg.pdf": EMPTY}
    strict = select_documents(parsed, SelectionRules(min_image_pixels=2_000_000))
    assert not strict.documents
