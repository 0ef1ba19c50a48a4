"""Run the witnesses on one PDF and merge what they found into one report."""
from __future__ import annotations

from pypdf import PageObject

from ..typeset.layout import Layout
from .expected import Expected, expected_print
from .findings import Finding
from .glyphs import GlyphTruth, Pinned
from .paint import paint_pages
from .printstate import print_spec, print_state_findings
from .reading import open_pdf
from .shapes import shape_findings
from .text import PageFrame, text_findings



def prove(data: bytes, layout: Layout, proof: bool = False, exact: bool = True) -> list[Finding]:
    """Every way `data` differs from the approved edition `layout` as it must print.
    `exact`: the PDF is our own, so its glyph outlines must equal the pinned ones
    point for point; otherwise they may be re-encoded and are compared as shapes."""
    reader, findings = open_pdf(data)
    if reader is None:
        return findings
    findings += print_state_findings(reader, print_spec(layout, proof))
    expected = expected_print(layout, proof)
    painted = paint_pages(reader, limit=len(layout.pages))  # more pages are a print-state finding
    truth = GlyphTruth({name: Pinned(source.path, source.index) for name, source in expected.faces.items()},
                       _characters(expected), exact)
    frames = [_frame(page) for page in reader.pages]
    findings += text_findings(painted, frames, expected, truth.identify)
    findings += shape_findings(painted, frames, expected)
    findings += truth.findings(painted)
    return findings


def _frame(page: PageObject) -> PageFrame:
    trim = page.trimbox if "/TrimBox" in page else page.mediabox
    media = page.mediabox
    return PageFrame((float(trim.left), float(trim.bottom), float(trim.right), float(trim.top)),
                     (float(media.left), float(media.bottom), float(media.right), float(media.top)))


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
