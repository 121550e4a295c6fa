"""Office files written by hand, part by part, as Word, Excel and LibreOffice save them."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="{target}"/>
</Relationships>"""
_DOCX_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
{extra}<Override PartName="/word/document.xml" ContentType="{main}"/>
</Types>"""
_DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"


def docx(path: Path, paragraphs: list[str], macros: bool = False) -> Path:
    """A Word document (a .docm with a VBA project when `macros`)."""
    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{escape(p)}</w:t></w:r></w:p>' for p in paragraphs)
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    extra = '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>\n' if macros else ""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml", _DOCX_TYPES.format(extra=extra, main=_DOCM_MAIN if macros else _DOCX_MAIN)
        )
        archive.writestr("_rels/.rels", _RELS.format(target="word/document.xml"))
        archive.writestr("word/document.xml", document)
        if macros:
            archive.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    return path


def xlsx(path: Path, rows: list[list[str]]) -> Path:
    """An Excel workbook of one sheet, cells as inline strings."""

    def cell(r: int, c: int, text: str) -> str:
        return f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'

    sheet_rows = "".join(
        f'<row r="{r}">' + "".join(cell(r, c, t) for c, t in enumerate(row)) + "</row>"
        for r, row in enumerate(rows, start=1)
    )
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel_ns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            """<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
</Types>""",
        )
        archive.writestr("_rels/.rels", _RELS.format(target="xl/workbook.xml"))
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook {ns} {rel_ns}><sheets>'
            '<sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            """<?xml version="1.0"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
</Relationships>""",
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<?xml version="1.0"?><worksheet {ns}><sheetData>{sheet_rows}</sheetData></worksheet>',
        )
    return path


def odf(path: Path, kind: str, lines: list[str], encrypted: bool = False, macros: bool = False) -> Path:
    """An OpenDocument text ("odt") or spreadsheet ("ods")."""
    mime = {"odt": "application/vnd.oasis.opendocument.text", "ods": "application/vnd.oasis.opendocument.spreadsheet"}[
        kind
    ]
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    )
    if kind == "odt":
        body = "<office:text>" + "".join(f"<text:p>{escape(line)}</text:p>" for line in lines) + "</office:text>"
    else:
        cells = "".join(
            f"<table:table-row><table:table-cell><text:p>{escape(line)}</text:p></table:table-cell></table:table-row>"
            for line in lines
        )
        body = f'<office:spreadsheet><table:table table:name="Blad1">{cells}</table:table></office:spreadsheet>'
    content = f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.3"><office:body>{body}</office:body></office:document-content>'
    encryption = (
        (
            '<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x">'
            '<manifest:algorithm manifest:algorithm-name="Blowfish CFB" manifest:initialisation-vector="x"/>'
            "</manifest:encryption-data>"
        )
        if encrypted
        else ""
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mime}"/>'
        f'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">{encryption}</manifest:file-entry>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mime)  # first and stored, as ODF requires
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        if macros:
            archive.writestr("Basic/Standard/Module1.xml", "<script:module/>", zipfile.ZIP_DEFLATED)
    return path


def rtf(path: Path, lines: list[str]) -> Path:
    """A rich-text document (accented letters as RTF escapes)."""

    def escaped(line: str) -> str:
        return "".join(
            ch if ord(ch) < 128 else f"\\'{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch)}?" for ch in line
        )

    body = "\\par\n".join(escaped(line) for line in lines)
    path.write_text(
        "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Arial;}}\\f0\\fs22 " + body + "\\par\n}", encoding="ascii"
    )
    return path
