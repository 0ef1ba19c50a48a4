"""What the approved edition must print, character by character: the text of
every panel in reading order with the size, face and ink the layout sets it
in, the DRAFT watermarks, the slug line and (for a screen proof) the proof
furniture. Positions are relative to the trim's lower-left corner, so any PDF
can be judged against them through its own TrimBox. Panel geometry comes from
the fold definition of the edition's format."""
from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib.units import mm

from ..typeset.fonts import FontSource, postscript_name
from ..content.model import CMYK
from ..typeset.layout import (BLACK, Layout, PageLayout, furniture_segments, proof_footer,
                              proof_footer_place, slug_place, slug_text, watermark_size)
PROOF_LABEL_SIZE = 7
PROOF_FOOT = 12.0  # points: the band along a proof page's foot that carries the PROOF line


@dataclass(frozen=True)
class Setting:
    """One character as the approved layout sets it."""

    char: str
    size: float
    face: str  # PostScript name of the face
    ink: tuple[float, float, float, float]
    spot: str | None  # the spot colour's name when the ink prints on its own plate
    story: str
    language: str
    line: str  # the whole line, to quote
    at: int = 0  # where in the line the character is


@dataclass(frozen=True)
class ExpectedShape:
    """A shape the approved layout paints: a fill (rectangle, or the box of a disc), a rule or artwork."""

    kind: str  # fill, stroke or image
    box: tuple[float, float, float, float]  # trim-relative, points
    ink: tuple[float, float, float, float]
    spot: str | None
    what: str  # for a reviewer: "C78 M8 Y32 fill", "artwork skin.jpg"


@dataclass(frozen=True)
class Zone:
    """Where text may sit on a page: a panel, or the slug area outside the trim."""

    page: int
    name: str  # panel name, or "slug"
    x0: float  # from the trim's left edge, points
    x1: float


@dataclass
class Expected:
    proof: bool
    status: str  # draft or final
    trim: tuple[float, float]  # width, height in points
    zones: list[Zone]
    text: dict[tuple[int, str], list[list[Setting]]] = field(default_factory=dict)  # zone -> lines, in order
    watermarks: dict[tuple[int, str], list[Setting]] = field(default_factory=dict)
    faces: dict[str, FontSource] = field(default_factory=dict)  # PostScript name -> the pinned file it must be
    foot: float = 0.0  # height of the proof footer band along the trim's foot, which is not part of any panel
    shapes: dict[int, list[ExpectedShape]] = field(default_factory=dict)  # page -> what the layout paints
    bleed: float = 0.0  # points

    def zone_at(self, page: int, x: float, y: float) -> str:
        """The zone a point (trim-relative) falls in: a panel, or 'slug' outside the panels."""
        if self.foot <= y <= self.trim[1]:
            for zone in self.zones:
                if zone.page == page and zone.x0 <= x < zone.x1:
                    return zone.name
        return "slug"


def expected_print(layout: Layout, proof: bool = False) -> Expected:
    edition, sheet = layout.edition, layout.sheet
    expected = Expected(proof, edition.status, (sheet.trim.width, sheet.trim.height), _zones(layout),
                        foot=PROOF_FOOT if proof else 0.0)
    names = {face.name: postscript_name(face.font) for face in layout.fonts.faces.values()}
    expected.faces = {names[face.name]: face.source for face in layout.fonts.faces.values()}
    spots = edition.leaflet.theme.spots
    for index, page in enumerate(layout.pages):
        placed = sorted(page.lines, key=lambda p: (-round(p.baseline, 1), p.x))
        for line in placed:
            chars = [(c, piece.style) for piece in line.line.pieces for c in piece.text]
            settings = [Setting(c, style.size, names[style.font], line.colour, spots.get(line.colour), line.story,
                                line.para.language, line.line.text, at) for at, (c, style) in enumerate(chars)]
            expected.text.setdefault((index, line.panel), []).append(settings)
        for mark in page.watermarks:
            panel = next(z.name for z in expected.zones
                         if z.page == index and z.x0 <= mark.panel.x - sheet.trim.x + 1 < z.x1)
            face = names[mark.font]
            expected.watermarks[(index, panel)] = [
                Setting(c, watermark_size(mark), face, mark.colour, None, "watermark", layout.fonts.scripts.latin,
                        mark.text, at) for at, c in enumerate(mark.text)]
        _furniture(expected, layout, names, index, page.name, proof)
        expected.shapes[index] = _shapes(page, sheet.trim.x, sheet.trim.y, spots)
    expected.bleed = sheet.trim.x - sheet.bleed.x
    return expected


def _shapes(page: PageLayout, ox: float, oy: float, spots: dict[CMYK, str]) -> list[ExpectedShape]:
    shapes = []
    for fill in page.fills:
        r = fill.rect
        name = spots.get(fill.colour)
        ink = name or _ink(fill.colour)
        shapes.append(ExpectedShape("fill", (r.x - ox, r.y - oy, r.right - ox, r.top - oy), fill.colour, name,
                                    f"{ink} {'disc' if fill.shape == 'circle' else 'fill'}"))
    for rule in page.rules:
        (x0, y0), (x1, y1) = rule.start, rule.end
        pad = rule.weight / 2  # as a RIP's box of a stroke: the line, half its weight all round
        name = spots.get(rule.colour)
        shapes.append(ExpectedShape("stroke", (min(x0, x1) - pad - ox, min(y0, y1) - pad - oy,
                                               max(x0, x1) + pad - ox, max(y0, y1) + pad - oy),
                                    rule.colour, name, f"{name or _ink(rule.colour)} rule"))
    for figure in page.figures:
        r = figure.rect
        shapes.append(ExpectedShape("image", (r.x - ox, r.y - oy, r.right - ox, r.top - oy), (0, 0, 0, 0), None,
                                    f"artwork {figure.file.name}"))
    return shapes


def _ink(cmyk: CMYK) -> str:
    return " ".join(f"{n}{round(v * 100)}" for n, v in zip("CMYK", cmyk) if v) or "white"


def _zones(layout: Layout) -> list[Zone]:
    fmt = layout.edition.leaflet.format
    return [Zone(page, name, left * mm, right * mm)
            for page in range(len(layout.pages)) for name, left, right in layout.sheet.fold.spans_mm(fmt, page)]


def _furniture(expected: Expected, layout: Layout, names: dict[str, str], page: int, page_name: str,
               proof: bool) -> None:
    """The slug line (print) or the panel labels and PROOF footer (screen proof)."""
    edition = layout.edition
    language = layout.fonts.scripts.latin

    def line(text: str, size: float, ink: CMYK = BLACK, story: str = "slug") -> list[Setting]:
        chars = [(c, style) for part, style in furniture_segments(layout.fonts, text, size) for c in part]
        return [Setting(c, size, names[style.font], ink, None, story, language, text, at)
                for at, (c, style) in enumerate(chars)]

    if not proof:
        expected.text.setdefault((page, "slug"), []).append(line(slug_text(edition, page_name),
                                                                 slug_place(layout, page)[1]))
        return
    for zone in expected.zones:
        if zone.page == page:
            expected.text.setdefault((page, zone.name), []).insert(
                0, line(zone.name, PROOF_LABEL_SIZE, story="proof label"))
    expected.text.setdefault((page, "slug"), []).append(
        line(proof_footer(edition), proof_footer_place(layout, page)[1], story="proof footer"))
