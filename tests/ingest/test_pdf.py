"""The PDF text layer and the checks before reading it."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from ingest.errors import DamagedDocument, DocumentTooLarge, EncryptedDocument
from ingest.pdf import has_real_text, read_pdf_text
from ingest.settings import OcrSettings
from tests.ingest.conftest import encrypted_pdf, sha256


def test_real_text_is_kept() -> None:
    assert has_real_text("Factuurnummer F2024-0012, totaal € 109,00", 20)


@pytest.mark.parametrize(
    ("text", "real"),
    [
        ("a b c d e f g h i j k l m n o p q r s t", True),  # 20 visible: spaces do not count
        ("a b c d e f g h i j k l m n o p q r s", False),  # 19
        ("abcde_____-----", False),  # underscores are no letters
        ("abcdefghij__________", True),  # exactly half letters
        ("abcdefghi___________", False),
        ("Straße 12\u00a0\u2003Zürich  ½ ١٢٣ ok", True),  # other spaces; Unicode letters and digits
    ],
)
def test_real_text_counts_visible_characters_and_letters_or_digits(text: str, real: bool) -> None:
    assert has_real_text(text, 20) is real


@pytest.mark.parametrize(
    "junk",
    [
        '"7+%-',  # a TrueType subset without Unicode map
        "\ue000\ue001\ue002\ue003" * 10,  # private-use glyphs
        "#$%&'()*+ <=>?@[\\]^ !\"#$%&'()*+,-./0 ~`|" * 2,  # symbols and punctuation
        "Pagina 1",  # too little to be the page's text
    ],
)
def test_junk_or_too_little_text_is_not_real(junk: str) -> None:
    assert not has_real_text(junk, 20)


def test_every_kind_of_space_is_left_out_and_none_counts_as_a_letter() -> None:
    spaces = [c for c in map(chr, range(sys.maxunicode + 1)) if re.fullmatch(r"\s", c)]
    assert len(spaces) > 20  # tabs, line breaks, no-break and ideographic spaces…
    for space in spaces:
        assert has_real_text(space.join("abcdefghijklmnopqrst"), 20), hex(ord(space))
        assert not has_real_text(space.join("abcdefghijklmnopqrs") + space * 30, 20), hex(ord(space))
        assert not has_real_text("abcdefghij" + space * 40 + "__________-", 20), hex(ord(space))


def test_born_digital_pages_give_their_text(three_page_pdf: Path, work_dir: Path) -> None:
    layer = read_pdf_text(three_page_pdf, work_dir, OcrSettings())
    assert layer.page_count == 3
    assert "Pagina twee" in layer.texts[1]
    assert layer.source == three_page_pdf


def test_user_password_is_refused(born_digital_pdf: Path, tmp_path: Path, work_dir: Path) -> None:
    locked = encrypted_pdf(born_digital_pdf, tmp_path / "locked.pdf", "geheim", "eigenaar")
    with pytest.raises(EncryptedDocument, match="password"):
        read_pdf_text(locked, work_dir, OcrSettings())


def test_owner_restrictions_only_still_read(born_digital_pdf: Path, tmp_path: Path, work_dir: Path) -> None:
    restricted = encrypted_pdf(born_digital_pdf, tmp_path / "restricted.pdf", "", "eigenaar")
    layer = read_pdf_text(restricted, work_dir, OcrSettings())
    assert "parkeervergunning" in layer.texts[0]


def test_truncated_pdf_is_damaged(three_page_pdf: Path, tmp_path: Path, work_dir: Path) -> None:
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(three_page_pdf.read_bytes()[:400])
    with pytest.raises(DamagedDocument, match="damaged"):
        read_pdf_text(cut, work_dir, OcrSettings())


def test_too_many_pages_is_too_large(three_page_pdf: Path, work_dir: Path) -> None:
    with pytest.raises(DocumentTooLarge, match="3 pages"):
        read_pdf_text(three_page_pdf, work_dir, OcrSettings(max_pages=2))


def test_absurd_page_size_is_too_large(tmp_path: Path, work_dir: Path) -> None:
    banner = tmp_path / "banner.pdf"
    pdf = canvas.Canvas(str(banner), pagesize=(250 * 72, 10 * 72))
    pdf.drawString(72, 72, "Een heel lange pagina")
    pdf.save()
    with pytest.raises(DocumentTooLarge, match="250 inches"):
        read_pdf_text(banner, work_dir, OcrSettings(max_page_side_inches=200))


def test_junk_before_header_is_read_from_a_trimmed_copy(born_digital_pdf: Path, tmp_path: Path, work_dir: Path) -> None:
    prefixed = tmp_path / "prefixed.pdf"
    prefixed.write_bytes(b"\n\xa0\xa4\x03" + born_digital_pdf.read_bytes())
    before = sha256(prefixed)
    layer = read_pdf_text(prefixed, work_dir, OcrSettings())
    assert "parkeervergunning" in layer.texts[0]
    assert layer.source.parent == work_dir
    assert sha256(prefixed) == before
