"""Render stage: Layout -> PDF bytes, drawn with ReportLab.

The print PDF is CMYK only and is drawn at full MediaBox size by hand
(ReportLab's own crop-mark option scales the page content, which is wrong for
print), with TrimBox and BleedBox on every page, marks outside the bleed, and
PDF/X-4 finishing. The proof PDF is the same layout for a screen: trim-size
pages, colours converted to RGB through the print profile, folds and panel
names drawn lightly, and marked so it is never mistaken for the print file.
"""
from __future__ import annotations

import functools
import io
from collections.abc import Callable
from pathlib import Path
from typing import Protocol, cast

from PIL import Image, ImageCms
from reportlab.lib.colors import CMYKColorSep
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from .. import __version__
from ..typeset.fonts import FontBook
from ..typeset.layout import (BLACK, SLUG_SIZE, WATERMARK_ANGLE, Fill, Layout, PageLayout, PlacedLine, Rect, Rule, Sheet,
                              Watermark, furniture_segments, proof_footer, proof_footer_place, slug_place, slug_text,
                              watermark_size)
from ..content.model import CMYK, OutputProfile
from ..content.catalogue import DEFAULT_PROFILE, PROFILES
from .pdfx import finish_pdfx4

REGISTRATION = CMYKColorSep(1, 1, 1, 1, spotName="All")  # marks print on every plate, spot plates too
MARK_WEIGHT = 0.25
PROOF_GREY = (0.6, 0.6, 0.6)
PROOF_RED = (0.8, 0.1, 0.1)


def render(layout: Layout) -> bytes:
    """The print PDF: CMYK only, marks outside the trim, finished as PDF/X-4."""
    leaflet = layout.edition.leaflet
    canvas, buffer = _canvas(layout, proof=False)
    painter = _Painter(canvas, None, leaflet.theme.spots, layout.fonts)
    for index, page in enumerate(layout.pages):
        _draw_page(painter, page)
        _draw_marks(canvas, layout.sheet, index)
        _draw_slug(canvas, layout, page)
        canvas.showPage()
    canvas.save()
    return finish_pdfx4(buffer.getvalue(), leaflet.title, leaflet.approval.date_of_preparation, _profile(layout))


def render_proof(layout: Layout) -> bytes:
    """The screen proof: RGB, trim-size pages, fold lines and panel names, a PROOF mark."""
    canvas, buffer = _canvas(layout, proof=True)
    painter = _Painter(canvas, _to_rgb(str(_profile(layout).path)), {}, layout.fonts)
    trim = layout.sheet.trim
    for index, page in enumerate(layout.pages):
        canvas.saveState()
        canvas.translate(-trim.x, -trim.y)
        _draw_page(painter, page)
        canvas.restoreState()
        _draw_proof_guides(canvas, layout, index)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _profile(layout: Layout) -> OutputProfile:
    return layout.edition.leaflet.output or PROFILES[DEFAULT_PROFILE]


def _canvas(layout: Layout, proof: bool) -> tuple[Canvas, io.BytesIO]:
    sheet, leaflet = layout.sheet, layout.edition.leaflet
    font = layout.fonts.name(layout.fonts.scripts.latin, "regular")
    layout.fonts.register()  # ReportLab draws by font name: make the names mean this book's fonts
    buffer = io.BytesIO()
    if proof:
        canvas = Canvas(buffer, pagesize=(sheet.trim.width, sheet.trim.height), invariant=1, pageCompression=1,
                        # types-reportlab types initialFontName as a number; ReportLab takes the font's name
                        enforceColorSpace="rgb", initialFontName=font,  # type: ignore[arg-type]
                        initialFontSize=SLUG_SIZE)
    else:
        canvas = Canvas(buffer, pagesize=(sheet.media.width, sheet.media.height), invariant=1, pageCompression=1,
                        enforceColorSpace="sep_cmyk", initialFontName=font,  # type: ignore[arg-type]
                        initialFontSize=SLUG_SIZE,
                        trimBox=_box(sheet.trim), bleedBox=_box(sheet.bleed))
    canvas.setTitle(leaflet.title + (" — PROOF, not for print" if proof else ""))
    canvas.setSubject(f"{leaflet.approval.job_code} v{leaflet.approval.version}")
    canvas.setCreator(f"leaflet {__version__}")
    canvas.setAuthor(leaflet.approval.job_code)
    return canvas, buffer


def _box(rect: Rect) -> tuple[float, float, float, float]:
    return (rect.x, rect.y, rect.right, rect.top)


class _ToRGB(Protocol):
    """CMYK -> sRGB for a screen proof, and the transform it converts images with."""

    transform: ImageCms.ImageCmsTransform

    def __call__(self, cmyk: CMYK) -> tuple[float, float, float]: ...


@functools.lru_cache(maxsize=4)
def _to_rgb(profile: str) -> _ToRGB:
    """CMYK -> sRGB through the print profile, as a screen should show the press result."""
    transform = ImageCms.buildTransform(ImageCms.getOpenProfile(profile), ImageCms.createProfile("sRGB"),
                                        "CMYK", "RGB",
                                        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)

    @functools.lru_cache(maxsize=256)
    def convert(cmyk: CMYK) -> tuple[float, float, float]:
        pixel = Image.new("CMYK", (1, 1), tuple(round(v * 255) for v in cmyk))
        converted = ImageCms.applyTransform(pixel, transform)
        assert converted is not None  # a new image: the pixel is not converted in place
        rgb = converted.getpixel((0, 0))
        assert isinstance(rgb, tuple)  # an RGB pixel's three bands
        r, g, b = rgb
        return r / 255, g / 255, b / 255

    screen = cast(_ToRGB, convert)
    screen.transform = transform
    return screen


class _Painter:
    """Sets colours and places images: as they are for print, converted to RGB for a proof."""

    def __init__(self, canvas: Canvas, to_rgb: _ToRGB | None, spots: dict[CMYK, str], fonts: FontBook):
        self.canvas = canvas
        self.fonts = fonts
        self.to_rgb = to_rgb
        self.spots = spots

    def fill(self, cmyk: CMYK) -> None:
        c = self.canvas
        self._colour(cmyk, c.setFillColorRGB, c.setFillColor, c.setFillColorCMYK)

    def stroke(self, cmyk: CMYK) -> None:
        c = self.canvas
        self._colour(cmyk, c.setStrokeColorRGB, c.setStrokeColor, c.setStrokeColorCMYK)

    def _colour(self, cmyk: CMYK, rgb: Callable[[float, float, float], None],
                separation: Callable[[CMYKColorSep], None], process: Callable[[float, float, float, float], None]
                ) -> None:
        """A screen proof's RGB, a named spot colour's separation, or process CMYK."""
        if self.to_rgb:
            rgb(*self.to_rgb(cmyk))
        elif cmyk in self.spots:
            separation(CMYKColorSep(*cmyk, spotName=self.spots[cmyk]))
        else:
            process(*cmyk)

    def image(self, file: Path, r: Rect) -> None:
        if self.to_rgb:
            with Image.open(file) as image:
                rgb = ImageCms.applyTransform(image.convert("CMYK"), self.to_rgb.transform)
            self.canvas.drawImage(ImageReader(rgb), r.x, r.y, r.width, r.height)
        else:
            self.canvas.drawImage(str(file), r.x, r.y, r.width, r.height)


def _draw_page(painter: _Painter, page: PageLayout) -> None:
    for fill in page.fills:
        _draw_fill(painter, fill)
    for figure in page.figures:
        painter.image(figure.file, figure.rect)
    for rule in page.rules:
        _draw_rule(painter, rule)
    for mark in page.watermarks:
        _draw_watermark(painter, mark)
    for placed in page.lines:
        _draw_line(painter, placed)


def _draw_fill(painter: _Painter, fill: Fill) -> None:
    painter.fill(fill.colour)
    r = fill.rect
    if fill.shape == "circle":
        painter.canvas.circle(r.x + r.width / 2, r.y + r.height / 2, r.width / 2, stroke=0, fill=1)
    else:
        painter.canvas.rect(r.x, r.y, r.width, r.height, stroke=0, fill=1)


def _draw_rule(painter: _Painter, rule: Rule) -> None:
    canvas = painter.canvas
    canvas.saveState()
    painter.stroke(rule.colour)
    canvas.setLineWidth(rule.weight)
    canvas.setLineCap(2)  # square: the sides of a box meet without a notch at the corners
    canvas.line(*rule.start, *rule.end)
    canvas.restoreState()


def _draw_watermark(painter: _Painter, mark: Watermark) -> None:
    canvas, r = painter.canvas, mark.panel
    canvas.saveState()
    painter.fill(mark.colour)
    canvas.translate(r.x + r.width / 2, r.y + r.height / 2)
    canvas.rotate(WATERMARK_ANGLE)
    canvas.setFont(mark.font, watermark_size(mark))
    canvas.drawCentredString(0, -r.width * 0.1, mark.text)
    canvas.restoreState()


def _draw_line(painter: _Painter, placed: PlacedLine) -> None:
    canvas = painter.canvas
    painter.fill(placed.colour)
    if not painter.to_rgb:
        # Black text overprints: no white gap shows if the plates are slightly misregistered.
        canvas.setFillOverprint(placed.colour == BLACK)
        canvas.setOverprintMask(1 if placed.colour == BLACK else 0)
    text = canvas.beginText(placed.x, placed.baseline)
    for piece in placed.line.pieces:
        text.setFont(piece.style.font, piece.style.size)
        text.setRise(piece.style.rise)
        text.setCharSpace(piece.tracking)
        text.textOut(painter.fonts.shaped(piece.text, piece.style)[0])
    text.setRise(0)
    text.setCharSpace(0)
    canvas.drawText(text)


def _draw_marks(canvas: Canvas, sheet: Sheet, page: int) -> None:
    """Crop marks at the trim corners and dashed fold marks, all outside the bleed."""
    canvas.setStrokeColor(REGISTRATION)
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


def _draw_slug(canvas: Canvas, layout: Layout, page: PageLayout) -> None:
    canvas.setFillColorCMYK(0, 0, 0, 1)
    y = layout.sheet.bleed.y - 6 * mm
    x, size = slug_place(layout, layout.pages.index(page))
    _draw_furniture(canvas, layout, x, y, slug_text(layout.edition, page.name), size)


def _draw_furniture(canvas: Canvas, layout: Layout, x: float, y: float, text: str, size: float) -> None:
    """One of the tool's own lines, from x, each stretch in the face of its script."""
    for part, style in furniture_segments(layout.fonts, text, size):
        canvas.setFont(style.font, size)
        canvas.drawString(x, y, part)
        x += canvas.stringWidth(part, style.font, size)


def _draw_proof_guides(canvas: Canvas, layout: Layout, page: int) -> None:
    """Fold lines and panel names, lightly; the proof mark and approval status along the foot."""
    trim = layout.sheet.trim
    font = layout.fonts.name(layout.fonts.scripts.latin, "regular")
    canvas.setStrokeColorRGB(*PROOF_GREY)
    canvas.setLineWidth(0.4)
    canvas.setDash(3, 2)
    for x in layout.sheet.folds[page]:
        canvas.line(x - trim.x, 0, x - trim.x, trim.height)
    canvas.setDash()
    canvas.setFillColorRGB(1, 1, 1)  # on the colour band across the top of every page
    canvas.setFont(font, 7)
    for name, panel in layout.sheet.panels.items():
        if panel.page == page:
            canvas.drawCentredString(panel.trim.x - trim.x + panel.trim.width / 2, trim.height - 9, name)
    canvas.setFillColorRGB(*PROOF_RED)
    centre, size = proof_footer_place(layout, page)
    footer = proof_footer(layout.edition)
    width = sum(canvas.stringWidth(part, style.font, size)
                for part, style in furniture_segments(layout.fonts, footer, size))
    _draw_furniture(canvas, layout, centre - width / 2, 4, footer, size)
