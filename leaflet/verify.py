"""Verify stage: read a PDF back with pypdf — independently of the code that
wrote it — and prove it carries what the approved content says: page count,
page boxes, embedded fonts, and every paragraph (citation numbers included)
in reading order on the page and panel the layout puts it on, including the
reference list and the approval line.

The same code checks our own output before a build reports success, and any
PDF a printer or agency sends back (`leaflet verify`).
"""
from __future__ import annotations

import difflib
import io
import logging
import re
from dataclasses import dataclass

from reportlab.lib.units import mm

from .layout import Layout, panel_widths
from .linebreak import is_cjk
from .resolve import Para

PAGE_NAMES = ("outside", "inside")
logging.getLogger("pypdf").setLevel(logging.ERROR)  # findings are reported by us, once, not as log noise
BOX_TOLERANCE_MM = 0.5
CONTEXT = 12  # characters of context either side of a difference in a report


@dataclass(frozen=True)
class Finding:
    """One way the PDF differs from what was approved, and where."""

    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


def squash(text: str) -> str:
    """Text with all white space removed: line breaks may fall anywhere."""
    return re.sub(r"\s+", "", text)


class _Squashed:
    """A text without white space, remembering where each character came from,
    so a difference found in squashed text can be shown as the reader sees it."""

    def __init__(self, text: str):
        self.text = re.sub(r"\s+", " ", text)
        self.positions = [i for i, c in enumerate(self.text) if c != " "]
        self.s = "".join(self.text[i] for i in self.positions)

    def snippet(self, start: int, end: int) -> str:
        start, end = max(0, start), min(len(self.s), end)
        if start >= end:
            return ""
        return self.text[self.positions[start]: self.positions[end - 1] + 1]


# --- reading the PDF -----------------------------------------------------------------

@dataclass
class _Page:
    panels: dict[str, str]  # panel name -> text in content-stream order
    raw: object  # the pypdf page


def _read_pages(data: bytes, layout: Layout) -> tuple[object, list[_Page]]:
    from pypdf import PdfReader  # the reader is independent of the writer on purpose

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        raise ValueError("the PDF is encrypted")
    pages = []
    for index, page in enumerate(reader.pages):
        bounds = _panel_bounds(page, layout, index)
        texts: dict[str, list[str]] = {name: [] for name, _, _ in bounds}

        def visit(text, cm, tm, font, size, bounds=bounds, texts=texts):
            if not text:
                return
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            texts[_panel_at(x, bounds)].append(text)

        page.extract_text(visitor_text=visit)
        pages.append(_Page({name: "".join(parts) for name, parts in texts.items()}, page))
    return reader, pages


def _panel_bounds(page, layout: Layout, index: int) -> list[tuple[str, float, float]]:
    """Panel x ranges in the page's own coordinates, from its TrimBox and the fold geometry."""
    names = [n for n, p in layout.sheet.panels.items() if p.page == index] if index < 2 else []
    widths = panel_widths(layout.edition.leaflet.format)[index] if index < 2 else ()
    left = float(page.trimbox.left)
    bounds = []
    for name, width in zip(names, widths):
        bounds.append((name, left, left + width * mm))
        left += width * mm
    return bounds or [("page", float("-inf"), float("inf"))]


def _panel_at(x: float, bounds: list[tuple[str, float, float]]) -> str:
    for name, left, right in bounds:
        if left - 1 <= x < right - 1:  # text starts just right of a fold, never at it
            return name
    return bounds[0][0] if x < bounds[0][1] else bounds[-1][0]


# --- what the content says must be there ------------------------------------------------

@dataclass(frozen=True)
class _Fragment:
    """The part of one paragraph that the layout puts in one panel."""

    page: int
    panel: str
    story: str
    para: Para
    text: str


def _fragments(layout: Layout) -> list[_Fragment]:
    fragments: list[_Fragment] = []
    for index, page in enumerate(layout.pages):
        for placed in page.lines:
            last = fragments[-1] if fragments else None
            if last and last.page == index and last.panel == placed.panel and last.para is placed.para:
                fragments[-1] = _Fragment(index, placed.panel, placed.story, placed.para,
                                          _join(last.text, placed.line.text))
            else:
                fragments.append(_Fragment(index, placed.panel, placed.story, placed.para, placed.line.text))
    return fragments


def _join(a: str, b: str) -> str:
    """Join two laid-out lines as a reader would read them."""
    return a + b if (a and b and (is_cjk(a[-1]) or is_cjk(b[0]))) else f"{a} {b}"


# --- the checks ------------------------------------------------------------------

def verify_pdf(data: bytes, layout: Layout, proof: bool = False) -> list[Finding]:
    """Findings for a print PDF; for a screen proof only its text is checked (it has no
    bleed, marks or PDF/X identification by design)."""
    if b"%PDF-" not in data[:1024]:
        return [Finding("document", "this file is not a PDF (no %PDF- header)")]
    if b"%%EOF" not in data[-2048:]:
        return [Finding("document", "the PDF is truncated or damaged (no end-of-file marker)")]
    try:
        reader, pages = _read_pages(data, layout)
    except Exception as exc:  # noqa: BLE001 - any failure to parse means: not a PDF we can read
        return [Finding("document", f"not a readable PDF ({exc or type(exc).__name__})")]
    findings = [] if proof else _pdfx(reader) + _page_geometry(pages, layout)
    findings += _fonts(pages)
    findings += _text(pages, layout)
    return findings


def _where(fragment: _Fragment) -> str:
    return (f"page {fragment.page + 1} ({PAGE_NAMES[fragment.page]}), panel '{fragment.panel}', "
            f"story '{fragment.story}' ({fragment.para.language})")


def _text(pages: list[_Page], layout: Layout) -> list[Finding]:
    findings = []
    cursors: dict[tuple[int, str], int] = {}
    for fragment in _fragments(layout):
        if fragment.page >= len(pages):
            continue
        actual = _Squashed(pages[fragment.page].panels.get(fragment.panel, ""))
        wanted = _Squashed(fragment.text)
        start = cursors.get((fragment.page, fragment.panel), 0)
        found = actual.s.find(wanted.s, start)
        if found >= 0:
            cursors[(fragment.page, fragment.panel)] = found + len(wanted.s)
            continue
        if actual.s.find(wanted.s) >= 0:
            findings.append(Finding(_where(fragment), f"out of reading order: “{_short(fragment.text)}”"))
            continue
        findings.extend(Finding(_where(fragment), what) for what in _differences(wanted, actual, start))
    return findings


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# A sentence runs to its closing punctuation and keeps the citation numbers after it.
_SENTENCE = re.compile(r"[^.!?。！？；]*(?:[.!?。！？；]+[\d,–]*|$)")


def _differences(wanted: _Squashed, actual: _Squashed, start: int) -> list[str]:
    """Name each sentence of `wanted` that is missing from `actual` or altered in it."""
    results = []
    for sentence in (m.group(0) for m in _SENTENCE.finditer(wanted.text) if m.group(0).strip()):
        target = _Squashed(sentence)
        if target.s in actual.s:
            continue
        match = difflib.SequenceMatcher(None, actual.s, target.s, autojunk=False).find_longest_match(
            0, len(actual.s), 0, len(target.s))
        if match.size < max(4, len(target.s) // 4):
            results.append(f"missing: “{_short(sentence.strip())}”")
            continue
        origin = match.a - match.b
        window = _Squashed(actual.snippet(origin - CONTEXT, origin + len(target.s) + CONTEXT))
        results.append(_altered(target, window, sentence))
    return results or [f"altered: “{_short(wanted.text)}”"]


def _altered(target: _Squashed, window: _Squashed, sentence: str) -> str:
    matcher = difflib.SequenceMatcher(None, target.s, window.s, autojunk=False)
    if sum(block.size for block in matcher.get_matching_blocks()) < 0.6 * len(target.s):
        return f"missing or replaced: “{_short(sentence.strip())}”"
    ops = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    # Insertions before the start or after the end are only the context taken from the page.
    if ops and ops[0][0] == "insert" and ops[0][2] == 0:
        ops.pop(0)
    if ops and ops[-1][0] == "insert" and ops[-1][1] == len(target.s):
        ops.pop()
    if not ops:
        return f"altered: “{_short(sentence.strip())}”"
    _, i1, i2, j1, j2 = ops[0]
    before = min(CONTEXT, i1, j1)  # the same context on both sides, within the sentence
    after = min(CONTEXT, len(target.s) - i2, len(window.s) - j2)
    expected = target.snippet(i1 - before, i2 + after)
    found = window.snippet(j1 - before, j2 + after)
    more = f" (and {len(ops) - 1} more change{'s' * (len(ops) > 2)})" if len(ops) > 1 else ""
    return f"altered: expected “…{expected}…”, found “…{found}…”{more} in “{_short(sentence.strip(), 70)}”"


def _pdfx(reader) -> list[Finding]:
    """The print file identifies itself as PDF/X-4 and names its CMYK printing condition."""
    findings = []
    info = reader.trailer.get("/Info")
    if info is None or info.get_object().get("/GTS_PDFXVersion") != "PDF/X-4":
        findings.append(Finding("document", "not identified as PDF/X-4 (GTS_PDFXVersion missing)"))
    intents = reader.trailer["/Root"].get("/OutputIntents") or []
    if not any(i.get_object().get("/S") == "/GTS_PDFX" and "/DestOutputProfile" in i.get_object() for i in intents):
        findings.append(Finding("document", "no PDF/X output intent with an embedded CMYK profile"))
    return findings


def _page_geometry(pages: list[_Page], layout: Layout) -> list[Finding]:
    fmt = layout.edition.leaflet.format
    findings = []
    if len(pages) != 2:
        findings.append(Finding("document", f"{len(pages)} pages; a folded leaflet has 2 (outside, inside)"))
    for i, page in enumerate(p.raw for p in pages):
        where = f"page {i + 1}"
        if page.get("/TrimBox") is None or page.get("/BleedBox") is None:
            findings.append(Finding(where, "TrimBox or BleedBox is missing"))
            continue
        trim, bleed, media = page.trimbox, page.bleedbox, page.mediabox
        size = (float(trim.width) / mm, float(trim.height) / mm)
        if any(abs(a - b) > BOX_TOLERANCE_MM for a, b in zip(size, fmt.trim_mm)):
            findings.append(Finding(where, f"trim is {size[0]:.1f} × {size[1]:.1f} mm, "
                                           f"expected {fmt.trim_mm[0]:g} × {fmt.trim_mm[1]:g} mm"))
        margins = [float(trim.left - bleed.left), float(trim.bottom - bleed.bottom),
                   float(bleed.right - trim.right), float(bleed.top - trim.top)]
        if any(abs(m / mm - fmt.bleed_mm) > BOX_TOLERANCE_MM for m in margins):
            findings.append(Finding(where, f"bleed is {', '.join(f'{m / mm:.1f}' for m in margins)} mm, "
                                           f"expected {fmt.bleed_mm:g} mm on every side"))
        if not (media.left <= bleed.left and media.bottom <= bleed.bottom and media.right >= bleed.right
                and media.top >= bleed.top):
            findings.append(Finding(where, "the BleedBox reaches outside the MediaBox"))
    return findings


def _fonts(pages: list[_Page]) -> list[Finding]:
    findings = []
    for i, page in enumerate(p.raw for p in pages):
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        for font in (fonts.get_object().values() if fonts is not None else []):
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if font.get("/Subtype") == "/Type0":
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            embedded = descriptor is not None and any(
                k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            if not embedded:
                findings.append(Finding(f"page {i + 1}", f"font {font.get('/BaseFont')} is not embedded"))
    return findings
