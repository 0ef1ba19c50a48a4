"""Verify stage: read a PDF back with pypdf, independently of the code that
wrote it, and check it carries what the Edition says it must: page count,
page boxes, embedded fonts, every paragraph's text (citation numbers
included) on the right page, the reference list and the approval line.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.errors import PdfReadError
from reportlab.lib.units import mm

from .resolve import Edition, Para

BOX_TOLERANCE_MM = 0.5


@dataclass(frozen=True)
class Finding:
    """One way the PDF differs from what was approved."""

    where: str  # page and panel, or "document"
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


def squash(text: str) -> str:
    """Text with all white space removed: line breaks may fall anywhere."""
    return re.sub(r"\s+", "", text)


def expected_paras(edition: Edition) -> list[tuple[str, Para]]:
    """Every (story id, paragraph) the PDF must carry."""
    return [(story.id, para) for story in edition.all_stories() if story.id != "slug" for para in story.paras]


def verify_pdf(data: bytes, edition: Edition) -> list[Finding]:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        pages = list(reader.pages)
        texts = [squash(page.extract_text() or "") for page in pages]
    except (PdfReadError, ValueError, OSError, KeyError) as exc:
        return [Finding("document", f"not a readable PDF ({exc})")]
    findings = _page_geometry(pages, edition)
    findings += _fonts(pages)
    for story, para in expected_paras(edition):
        if not _found(squash(para.text), texts):
            findings.append(Finding(f"story '{story}' ({para.language})",
                                    f"text missing or altered: “{para.text[:80]}”"))
    return findings


def _found(wanted: str, texts: list[str]) -> bool:
    """Is `wanted` on one page, or begun on one page and finished on another?"""
    if any(wanted in text for text in texts):
        return True
    for k in range(len(wanted) - 1, 0, -1):
        head, tail = wanted[:k], wanted[k:]
        for i, text in enumerate(texts):
            if head in text and any(tail in other for j, other in enumerate(texts) if j != i):
                return True
    return False


def _page_geometry(pages, edition: Edition) -> list[Finding]:
    fmt = edition.leaflet.format
    findings = []
    if len(pages) != 2:
        findings.append(Finding("document", f"{len(pages)} pages; a folded leaflet has 2 (outside, inside)"))
    for i, page in enumerate(pages):
        where = f"page {i + 1}"
        trim = page.get("/TrimBox")
        bleed = page.get("/BleedBox")
        if trim is None or bleed is None:
            findings.append(Finding(where, "TrimBox or BleedBox is missing"))
            continue
        trim, bleed = page.trimbox, page.bleedbox
        size = (float(trim.width) / mm, float(trim.height) / mm)
        if any(abs(a - b) > BOX_TOLERANCE_MM for a, b in zip(size, fmt.trim_mm)):
            findings.append(Finding(where, f"trim is {size[0]:.1f} × {size[1]:.1f} mm, "
                                           f"expected {fmt.trim_mm[0]:g} × {fmt.trim_mm[1]:g} mm"))
        margins = [float(trim.left - bleed.left), float(trim.bottom - bleed.bottom),
                   float(bleed.right - trim.right), float(bleed.top - trim.top)]
        if any(abs(m / mm - fmt.bleed_mm) > BOX_TOLERANCE_MM for m in margins):
            findings.append(Finding(where, f"bleed is {', '.join(f'{m / mm:.1f}' for m in margins)} mm, "
                                           f"expected {fmt.bleed_mm:g} mm on every side"))
        media = page.mediabox
        if not (media.left <= bleed.left and media.bottom <= bleed.bottom and media.right >= bleed.right
                and media.top >= bleed.top):
            findings.append(Finding(where, "the BleedBox reaches outside the MediaBox"))
    return findings


def _fonts(pages) -> list[Finding]:
    findings = []
    for i, page in enumerate(pages):
        fonts = page.get("/Resources", {}).get_object().get("/Font", {})
        for key, ref in fonts.get_object().items():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            if font.get("/Subtype") == "/Type0":
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            embedded = descriptor is not None and any(
                k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            if not embedded:
                findings.append(Finding(f"page {i + 1}", f"font {font.get('/BaseFont')} is not embedded"))
    return findings
