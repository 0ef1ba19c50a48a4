"""Run the witnesses on one PDF and merge what they found into one report."""
from __future__ import annotations

import io
import logging

from ..layout import Layout
from .expected import Expected, expected_print
from .findings import Finding
from .glyphs import GlyphTruth, Pinned
from .paint import paint_pages
from .text import PageFrame, text_findings

logging.getLogger("pypdf").setLevel(logging.ERROR)  # findings are reported by us, once, not as log noise


def prove(data: bytes, layout: Layout, proof: bool = False, exact: bool = True) -> list[Finding]:
    """Every way `data` differs from the approved edition `layout` as it must print.
    `exact`: the PDF is our own, so its glyph outlines must equal the pinned ones
    point for point; otherwise they may be re-encoded and are compared as shapes."""
    from .. import verify as legacy  # print-state checks, until they have a module of their own

    if b"%PDF-" not in data[:1024]:
        return [Finding("this file is not a PDF (no %PDF- header)")]
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return [Finding("the PDF is encrypted; a print file must not be — ask for the unencrypted file")]
        pages = list(reader.pages)
    except Exception as exc:  # noqa: BLE001 - any failure to parse means: not a PDF we can read
        return [Finding(f"the PDF is truncated or damaged and cannot be read ({exc or type(exc).__name__})")]
    expected = expected_print(layout, proof)
    legacy_pages = [legacy._Page({}, page) for page in pages]
    findings = [] if proof else [Finding(f.what, None if f.where == "document" else int(f.where.split()[1]) - 1,
                                         witness="print")
                                 for f in legacy._pdfx(reader) + legacy._page_geometry(legacy_pages, layout)]
    findings += [Finding(f.what, int(f.where.split()[1]) - 1, witness="print") for f in legacy._fonts(legacy_pages)]
    painted = paint_pages(reader)
    truth = GlyphTruth({name: Pinned(source.path, source.index) for name, source in expected.faces.items()},
                       _characters(expected), exact)
    findings += text_findings(painted, [_frame(page) for page in pages], expected, truth.identify)
    findings += truth.findings(painted)
    return findings


def _frame(page) -> PageFrame:
    trim = page.trimbox if "/TrimBox" in page else page.mediabox
    media = page.mediabox
    return PageFrame(tuple(float(v) for v in (trim.left, trim.bottom, trim.right, trim.top)),
                     tuple(float(v) for v in (media.left, media.bottom, media.right, media.top)))


def _characters(expected: Expected) -> dict[str, set[str]]:
    """Per face, every character the edition sets in it: what a glyph may be identified as."""
    chars: dict[str, set[str]] = {}
    for lines in expected.text.values():
        for line in lines:
            for setting in line:
                chars.setdefault(setting.face, set()).add(setting.char)
    for marks in expected.watermarks.values():
        for setting in marks:
            chars.setdefault(setting.face, set()).add(setting.char)
    return chars
