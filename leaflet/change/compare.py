"""Compare two print files, e.g. the approved PDF and the one the printer sent
back: what each page prints as text, panel by panel, and how each page looks.

Text is read the way verify reads it (proof.paint interprets the content
streams; proof.text orders glyphs into lines by position and leaves out what
a reader cannot see), and compared word by word, character by character in
Chinese. Panels come from the fold marks file A prints above its trim, so a
file without marks is compared page by page. The pages are rendered inside
their TrimBox as the visual witness renders them (proof.visual) and the areas
that print differently are boxed; with an output folder, one overlay PNG per
page that differs shows A's ink only in red, B's only in cyan, both in black.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from pypdf import PageObject
from reportlab.lib.units import mm

from ..typeset.folds import fold_marked
from ..output import write_atomically
from ..proof.findings import Finding
from ..proof.paint import Box, Glyph, PagePaint, paint_pages
from ..proof.reading import open_pdf
from ..proof.text import ROTATED_DEG, reading, visible_glyphs
from ..proof.visual import (BOX_MARGIN, DPI, PanelColumns, Unrenderable, changed_areas, render_pages,
                             unrenderable_reason)
from .diff import inline_segments

CONTEXT = 24  # characters either side of a change, to quote it
BRIDGE = 3  # characters kept between two changes that still make them one
MAX_PER_ZONE = 8
MARK_WIDTH = 1.0  # points: a fold mark is a thin vertical stroke above the trim
BOX = (200, 0, 200)  # magenta: neither A's red nor B's cyan


@dataclass(frozen=True)
class _Sheet:
    trim: tuple[float, float, float, float]
    folds: tuple[float, ...]  # x of each fold, from the trim's left edge, points
    panels: tuple[str, ...]  # names of the panels between the folds, left to right


def compare_pdfs(a: bytes, b: bytes, out_dir: Path | None = None, stem: str = "compare",
                 names: tuple[str, str] = ("A", "B")) -> list[Finding]:
    """Every way B prints differently from A: text per page and panel, then areas that look different."""
    (reader_a, found_a), (reader_b, found_b) = open_pdf(a), open_pdf(b)
    findings = [Finding(f"{name}: {f.what}", f.page, witness=f.witness)
                for name, found in zip(names, (found_a, found_b)) for f in found]
    if reader_a is None or reader_b is None:
        return findings
    if len(reader_a.pages) != len(reader_b.pages):
        findings.append(Finding(f"{names[0]} has {len(reader_a.pages)} page(s), {names[1]} {len(reader_b.pages)}",
                                witness="text"))
    sheets = [_sheet(i, page, paint) for i, (page, paint) in enumerate(zip(reader_a.pages, paint_pages(reader_a)))]
    frames_b = [_trim(page) for page in reader_b.pages]
    for index, (sheet, paint_a, paint_b) in enumerate(zip(sheets, paint_pages(reader_a), paint_pages(reader_b))):
        unread = [name for name, paint in zip(names, (paint_a, paint_b)) if any(not g.char for g in paint.glyphs)]
        if unread:  # Ghostscript and some RIPs drop the ToUnicode maps
            findings.append(Finding(f"{' and '.join(unread)} has glyphs without a text layer, so the text of this "
                                    "page cannot be compared (only how it looks); `leaflet verify --content` "
                                    "identifies such glyphs by their outlines", index, witness="text"))
            continue
        findings += _text_differences(index, sheet, paint_a, _text_by_zone(paint_b, sheet, frames_b[index]),
                                      names)
    findings += _visual_differences(a, b, sheets, out_dir, stem, names)
    return findings


# --- geometry ------------------------------------------------------------------------

def _trim(page: PageObject) -> tuple[float, float, float, float]:
    box = page.trimbox if "/TrimBox" in page else page.mediabox
    return (float(box.left), float(box.bottom), float(box.right), float(box.top))


def _sheet(index: int, page: PageObject, paint: PagePaint) -> _Sheet:
    trim = _trim(page)
    folds = tuple(sorted({round((p.box[0] + p.box[2]) / 2 - trim[0], 1) for p in paint.paints
                          if p.kind == "stroke" and p.box[1] >= trim[3] and p.box[2] - p.box[0] < MARK_WIDTH
                          and trim[0] + 1 < (p.box[0] + p.box[2]) / 2 < trim[2] - 1}))
    return _Sheet(trim, folds, _panel_names(index, trim, folds))


def _panel_names(index: int, trim: Box, folds: tuple[float, ...]) -> tuple[str, ...]:
    """The panels of the fold whose folds lie at A's fold marks; numbered if no fold fits."""
    fold = fold_marked((trim[2] - trim[0]) / mm, index, tuple(x / mm for x in folds)) \
        if index < 2 and folds else None
    if fold:
        return fold.sides[index]
    return ("page",) if not folds else tuple(f"panel {i + 1}" for i in range(len(folds) + 1))


def _zone(sheet: _Sheet, x: float, y: float) -> str:
    """The panel a trim-relative point falls in, or 'slug' outside the trim."""
    if not (0 <= y <= sheet.trim[3] - sheet.trim[1] and 0 <= x <= sheet.trim[2] - sheet.trim[0]):
        return "slug"
    return sheet.panels[sum(1 for fold in sheet.folds if x >= fold)]


# --- text ----------------------------------------------------------------------------

def _text_by_zone(paint: PagePaint, sheet: _Sheet, trim: Box) -> dict[str, str]:
    """What a reader sees in each zone, line by line; rotated text (a watermark) separately."""
    zones: dict[str, list[Glyph]] = {}
    for glyph in visible_glyphs(paint):
        x = (glyph.box[0] + glyph.box[2]) / 2 - trim[0]
        y = (glyph.box[1] + glyph.box[3]) / 2 - trim[1]
        zone = _zone(sheet, x, y) + (" (rotated)" if abs(glyph.angle) > ROTATED_DEG else "")
        zones.setdefault(zone, []).append(glyph)
    return {zone: reading(glyphs) for zone, glyphs in zones.items()}


def _text_differences(index: int, sheet: _Sheet, paint_a: PagePaint, theirs: dict[str, str],
                      names: tuple[str, str]) -> list[Finding]:
    ours = _text_by_zone(paint_a, sheet, sheet.trim)
    findings = []
    for zone in list(ours) + [z for z in theirs if z not in ours]:
        old, new = ours.get(zone, ""), theirs.get(zone, "")
        if old == new:
            continue
        panel = zone.removesuffix(" (rotated)")
        where = " (in the slug area outside the trim)" if panel == "slug" else ""
        where += " (rotated text: a watermark)" if zone.endswith("(rotated)") else ""
        changes = _changes(inline_segments(old, new), names)
        for what in changes[:MAX_PER_ZONE]:
            findings.append(Finding(what + where, index, None if panel in ("slug", "page") else panel,
                                    witness="text"))
        if len(changes) > MAX_PER_ZONE:
            findings.append(Finding(f"and {len(changes) - MAX_PER_ZONE} more text change(s){where}", index,
                                    None if panel in ("slug", "page") else panel, witness="text"))
    return findings


def _changes(segments: list[tuple[str, str]], names: tuple[str, str]) -> list[str]:
    """Each run of removed and added pieces, quoted with the words around it."""
    out = []
    segments = _bridged(segments)
    i = 0
    while i < len(segments):
        if segments[i][0] == "=":
            i += 1
            continue
        before = _tail(segments[i - 1][1]) if i > 0 else ""
        removed = added = ""
        while i < len(segments) and segments[i][0] != "=":
            removed += segments[i][1] if segments[i][0] == "-" else ""
            added += segments[i][1] if segments[i][0] == "+" else ""
            i += 1
        after = _head(segments[i][1]) if i < len(segments) else ""
        removed, added = _short(removed), _short(added)
        if removed and added:
            out.append(f"altered: “…{before}{removed}{after}…” → “…{before}{added}{after}…”")
        elif removed:
            out.append(f"only in {names[0]}: “{removed.strip()}” (after “…{before}”)")
        else:
            out.append(f"only in {names[1]}: “{added.strip()}” (after “…{before}”)")
    return out


def _bridged(segments: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A short stretch kept between two changes ("1 December 2026" for "22 January 2025")
    joins them into one change, read as a whole."""
    out = []
    for i, (op, text) in enumerate(segments):
        if op == "=" and 0 < i < len(segments) - 1 and len(text) <= BRIDGE:
            out += [("-", text), ("+", text)]
        else:
            out.append((op, text))
    return out


def _tail(text: str) -> str:
    """The last words of a text (characters, in Chinese), as context before a change."""
    part = text[-CONTEXT:]
    if " " not in part:
        return part[-CONTEXT // 2:]  # Chinese: characters carry more, and have no spaces to cut at
    return part[part.index(" ") + 1:] if len(text) > CONTEXT else part


def _head(text: str) -> str:
    part = text[:CONTEXT]
    if " " not in part[1:]:
        return part[:CONTEXT // 2]
    return part[:part.rindex(" ")] if len(text) > CONTEXT else part


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


# --- how it looks --------------------------------------------------------------------

def _visual_differences(a: bytes, b: bytes, sheets: list[_Sheet], out_dir: Path | None, stem: str,
                        names: tuple[str, str]) -> list[Finding]:
    if not sheets:
        return []
    trim = sheets[0].trim
    size_mm = ((trim[2] - trim[0]) / mm, (trim[3] - trim[1]) / mm)
    findings: list[Finding] = []
    try:
        ours, _ = render_pages(a, size_mm, [])
        theirs, _ = render_pages(b, size_mm, [], len(ours))
    except Unrenderable as exc:
        return [Finding(f"cannot be rendered ({unrenderable_reason(str(exc))}), so how the pages look cannot be compared",
                        witness="visual")]
    for index, (mine, yours, sheet) in enumerate(zip(ours, theirs, sheets)):
        if mine.image is None or yours.image is None:
            findings.append(Finding(f"the pages are of different sizes ({mine.size_mm[0]:.1f} × {mine.size_mm[1]:.1f}"
                                    f" and {yours.size_mm[0]:.1f} × {yours.size_mm[1]:.1f} mm)", index,
                                    witness="visual"))
            continue
        panels = _pixel_panels(sheet, mine.image.width)
        areas = changed_areas(mine.image, yours.image, panels)
        if not areas:
            continue
        shown = ""
        if out_dir is not None:
            path = Path(out_dir) / f"{stem}-page{index + 1}-overlay.png"
            _write_overlay(path, mine.image, yours.image, [area.box for area in areas], names)
            shown = f" (boxed in {path})"
        for area in areas:
            left, top, right, bottom = area.box
            size = f"{max(1, round(_mm(right - left)))} × {max(1, round(_mm(bottom - top)))} mm"
            findings.append(Finding(f"prints differently in a {size} area {round(_mm(left - area.panel.left))} mm "
                                    f"from the left and {round(_mm(top))} mm from the top of the panel{shown}",
                                    index, None if area.panel.name == "page" else area.panel.name,
                                    witness="visual"))
    return findings


def _pixel_panels(sheet: _Sheet, width: int) -> list[PanelColumns]:
    edges = [0] + [round(fold / 72 * DPI) for fold in sheet.folds] + [width]
    return [PanelColumns(name, left, min(width, right))
            for name, left, right in zip(sheet.panels, edges, edges[1:])]


def _mm(pixels: float) -> float:
    return pixels * 25.4 / DPI


def _write_overlay(path: Path, a: Image.Image, b: Image.Image, boxes: list[tuple[int, int, int, int]],
                   names: tuple[str, str]) -> None:
    """Both renderings in one image: ink only in A red, only in B cyan, in both black; changes boxed."""
    width, height = min(a.width, b.width), min(a.height, b.height)
    a, b = a.crop((0, 0, width, height)), b.crop((0, 0, width, height))
    label = 56
    sheet = Image.new("RGB", (width, height + label), (236, 236, 236))
    a, b = a.convert("L"), b.convert("L")  # lightness only: red where only A has ink, cyan where only B has
    sheet.paste(Image.merge("RGB", (b, a, a)), (0, 0))
    draw = ImageDraw.Draw(sheet)
    for left, top, right, bottom in boxes:
        draw.rectangle((left - BOX_MARGIN, top - BOX_MARGIN, right + BOX_MARGIN, bottom + BOX_MARGIN), outline=BOX,
                       width=4)
    font = ImageFont.load_default(size=36)
    draw.text((10, height + 8), f"red: only in {names[0]}", fill=(200, 0, 0), font=font)
    draw.text((10 + width // 3, height + 8), f"cyan: only in {names[1]}", fill=(0, 150, 160), font=font)
    draw.text((10 + 2 * width // 3, height + 8), "boxed: prints differently", fill=BOX, font=font)
    buffer = io.BytesIO()
    sheet.save(buffer, format="PNG", optimize=False)
    write_atomically(path, buffer.getvalue())
