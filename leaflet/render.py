"""Render stage: Layout -> PDF bytes, drawn with ReportLab in CMYK only.

The page is drawn at full MediaBox size by hand (ReportLab's own crop-mark
option scales the page content, which is wrong for print). TrimBox and
BleedBox are set on every page.
"""
from __future__ import annotations

import io

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from . import __version__
from .fonts import kerned
from .pdfx import DEFAULT, PROFILES, finish_pdfx4
from .layout import BLACK, Fill, Layout, PageLayout, PlacedLine, Rect, Sheet, Watermark

REGISTRATION = (1, 1, 1, 1)  # marks print on every plate
MARK_WEIGHT = 0.25
SLUG_SIZE = 6.5


def render(layout: Layout) -> bytes:
    """The print PDF: CMYK only, marks outside the trim, finished as PDF/X-4."""
    leaflet = layout.edition.leaflet
    return finish_pdfx4(_draw(layout), leaflet.title, leaflet.approval.date_of_preparation,
                        leaflet.output or PROFILES[DEFAULT])


def _draw(layout: Layout) -> bytes:
    sheet = layout.sheet
    buffer = io.BytesIO()
    slug_font = layout.fonts.name(layout.edition.furniture_language, "regular")
    canvas = Canvas(buffer, pagesize=(sheet.media.width, sheet.media.height), invariant=1, pageCompression=1,
                    enforceColorSpace="cmyk", initialFontName=slug_font, initialFontSize=SLUG_SIZE,
                    trimBox=_box(sheet.trim), bleedBox=_box(sheet.bleed))
    leaflet = layout.edition.leaflet
    canvas.setTitle(leaflet.title)
    canvas.setSubject(f"{leaflet.approval.job_code} v{leaflet.approval.version}")
    canvas.setCreator(f"leaflet {__version__}")
    canvas.setAuthor(leaflet.approval.job_code)
    for index, page in enumerate(layout.pages):
        _draw_page(canvas, page)
        _draw_marks(canvas, sheet, index)
        _draw_slug(canvas, sheet, layout, page, slug_font)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _box(rect: Rect) -> tuple[float, float, float, float]:
    return (rect.x, rect.y, rect.right, rect.top)


def _draw_page(canvas: Canvas, page: PageLayout) -> None:
    for fill in page.fills:
        _draw_fill(canvas, fill)
    for figure in page.figures:
        r = figure.rect
        canvas.drawImage(str(figure.file), r.x, r.y, r.width, r.height)
    for mark in page.watermarks:
        _draw_watermark(canvas, mark)
    for placed in page.lines:
        _draw_line(canvas, placed)


def _draw_fill(canvas: Canvas, fill: Fill) -> None:
    canvas.setFillColorCMYK(*fill.colour)
    r = fill.rect
    if fill.shape == "circle":
        canvas.circle(r.x + r.width / 2, r.y + r.height / 2, r.width / 2, stroke=0, fill=1)
    else:
        canvas.rect(r.x, r.y, r.width, r.height, stroke=0, fill=1)


def _draw_watermark(canvas: Canvas, mark: Watermark) -> None:
    r = mark.panel
    canvas.saveState()
    canvas.setFillColorCMYK(*mark.colour)
    canvas.translate(r.x + r.width / 2, r.y + r.height / 2)
    canvas.rotate(60)
    canvas.setFont(mark.font, r.width * 0.28)
    canvas.drawCentredString(0, -r.width * 0.1, mark.text)
    canvas.restoreState()


def _draw_line(canvas: Canvas, placed: PlacedLine) -> None:
    canvas.setFillColorCMYK(*placed.colour)
    # Black text overprints: no white gap shows if the plates are slightly misregistered.
    canvas.setFillOverprint(placed.colour == BLACK)
    canvas.setOverprintMask(1 if placed.colour == BLACK else 0)
    text = canvas.beginText(placed.x, placed.baseline)
    for piece in placed.line.pieces:
        text.setFont(piece.style.font, piece.style.size)
        text.setRise(piece.style.rise)
        text.textOut(kerned(piece.text, piece.style.font, piece.style.size)[0])
    text.setRise(0)
    canvas.drawText(text)


def _draw_marks(canvas: Canvas, sheet: Sheet, page: int) -> None:
    """Crop marks at the trim corners and dashed fold marks, all outside the bleed."""
    canvas.setStrokeColorCMYK(*REGISTRATION)
    canvas.setLineWidth(MARK_WEIGHT)
    gap = (sheet.trim.x - sheet.bleed.x) + 1 * mm  # start just outside the bleed
    reach = sheet.trim.x - 2 * mm  # end short of the media edge
    t = sheet.trim
    for x, dx in ((t.x, -1), (t.right, 1)):
        for y, dy in ((t.y, -1), (t.top, 1)):
            canvas.line(x + dx * gap, y, x + dx * reach, y)
            canvas.line(x, y + dy * gap, x, y + dy * reach)
    canvas.setDash(2, 1.5)
    for x in sheet.folds[page]:
        canvas.line(x, t.top + gap, x, t.top + reach)
        canvas.line(x, t.y - gap, x, t.y - reach)
    canvas.setDash()


def _draw_slug(canvas: Canvas, sheet: Sheet, layout: Layout, page: PageLayout, font: str) -> None:
    canvas.setFillColorCMYK(0, 0, 0, 1)
    canvas.setFont(font, SLUG_SIZE)
    y = sheet.bleed.y - 6 * mm
    canvas.drawString(sheet.trim.x + 12 * mm, y, f"{layout.edition.slug.text} · {page.name}")
