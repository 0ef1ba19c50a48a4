"""The shapes witness: every shape a print page paints — fill, stroke, image or
shading — is one the approved layout paints, where it paints it and in its ink,
and every shape the layout paints is there. Text drawn as outlines, a rule
painted over a line, a tint laid over the DRAFT watermark or a colour set to
overprint are all shapes the approved build never paints.

Crop and fold marks (registration-colour strokes outside the bleed, which the
trim cuts away) are the only shapes allowed beyond the layout's own."""
from __future__ import annotations

import math

from .expected import Expected, ExpectedShape
from .findings import Finding
from .paint import Box, Ink, PagePaint, Paint
from .text import PageFrame

WITNESS = "shapes"
TOLERANCE = 1.0  # points, per edge: rounding in another tool's rewrite, not a visible change
FINEST = 0.1  # points: the tolerance of the smallest shapes (a hairline), a third of their size above that
MAX_FINDINGS = 12  # per page; the rest are counted
MAX_SHAPES = 5_000  # a leaflet page paints a few dozen
MM = 72 / 25.4


def shape_findings(pages: list[PagePaint], frames: list[PageFrame], expected: Expected) -> list[Finding]:
    if expected.proof:
        return []  # a screen proof draws its own guides and converts every ink
    findings: list[Finding] = []
    for index, (paint, frame) in enumerate(zip(pages, frames)):
        findings += _page(index, paint.paints, frame, expected, expected.shapes.get(index, []))
    return findings


def _page(index: int, paints: list[Paint], frame: PageFrame, expected: Expected,
          wanted: list[ExpectedShape]) -> list[Finding]:
    if len(paints) > MAX_SHAPES:
        return [Finding(f"the page paints {len(paints):,} shapes; the approved layout paints {len(wanted)}: "
                        "too many to judge one by one", index, witness=WITNESS)]
    ox, oy = frame.trim[0], frame.trim[1]
    found: list[Finding] = []
    matched = [False] * len(wanted)
    by_left = _by_left_edge(wanted)
    for paint in paints:
        box = (paint.box[0] - ox, paint.box[1] - oy, paint.box[2] - ox, paint.box[3] - oy)
        if _mark(paint, box, expected):
            continue
        hits = [i for i in _near(by_left, box[0]) if _same(paint, box, wanted[i])]
        for i in hits:
            matched[i] = True
        if not hits:
            found.append(_finding(index, box, expected, f"{_describe(paint)} that the approved layout does not "
                                                        f"paint, {_size(box)}"))
        elif paint.overprint and paint.kind == "fill":
            found.append(_finding(index, box, expected, f"{_describe(paint)} set to overprint: on press what lies "
                                                        "under it prints through"))
        elif paint.alpha < 0.99 or paint.blend not in ("Normal", "Compatible"):
            found.append(_finding(index, box, expected, f"{_describe(paint)} painted transparent or blended "
                                                        f"({paint.blend}, opacity {paint.alpha:g})"))
    for shape, hit in zip(wanted, matched):
        if not hit:
            found.append(_finding(index, shape.box, expected, f"missing: the approved {shape.what}, "
                                                              f"{_size(shape.box)}"))
    if len(found) > MAX_FINDINGS:
        found = found[:MAX_FINDINGS] + [Finding(f"and {len(found) - MAX_FINDINGS} more shapes that differ from "
                                                "the approved layout", index, witness=WITNESS)]
    return found


def _by_left_edge(wanted: list[ExpectedShape]) -> dict[int, list[int]]:
    """The approved shapes by their left edge, in cells one TOLERANCE wide, so each painted
    shape is compared with the few that could match it (a QR code paints hundreds)."""
    cells: dict[int, list[int]] = {}
    for i, shape in enumerate(wanted):
        cells.setdefault(math.floor(shape.box[0] / TOLERANCE), []).append(i)
    return cells


def _near(cells: dict[int, list[int]], x: float) -> list[int]:
    """Shapes whose left edge may lie within TOLERANCE of x: in x's cell or the two beside it."""
    cell = math.floor(x / TOLERANCE)
    return [i for c in (cell - 1, cell, cell + 1) for i in cells.get(c, ())]


def _mark(paint: Paint, box: Box, expected: Expected) -> bool:
    """A crop or fold mark: a registration-colour stroke that the trim cuts away with the bleed."""
    if paint.kind != "stroke" or paint.ink is None or paint.ink.space != "Separation:All":
        return False
    bleed = expected.bleed
    w, h = expected.trim
    edge = 0.01
    return (box[2] <= -bleed + edge or box[0] >= w + bleed - edge
            or box[3] <= -bleed + edge or box[1] >= h + bleed - edge)


def _same(paint: Paint, box: Box, shape: ExpectedShape) -> bool:
    if shape.kind != ("image" if paint.kind == "image" else paint.kind):
        return False
    # A small shape — a QR module, a rule — moved by a third of its size is another shape.
    tolerance = min(TOLERANCE, max(FINEST, min(shape.box[2] - shape.box[0], shape.box[3] - shape.box[1]) / 3))
    if any(abs(a - b) > tolerance for a, b in zip(box, shape.box)):
        return False
    if shape.kind == "image":
        return True
    ink = paint.ink
    if shape.spot:
        return ink is not None and ink.space == f"Separation:{shape.spot}"
    plain = ink.cmyk() if ink is not None and ink.space == "DeviceCMYK" else None
    return plain is not None and all(abs(a - b) <= 0.005 for a, b in zip(plain, shape.ink))


def _describe(paint: Paint) -> str:
    if paint.kind in ("image", "shading"):
        return f"an {paint.kind}" if paint.kind == "image" else "a shading"
    ink = paint.ink if paint.ink is not None else Ink("unknown", ())
    return f"a {'rule or outline' if paint.kind == 'stroke' else 'shape'} in {ink}"


def _size(box: Box) -> str:
    return (f"{(box[2] - box[0]) / MM:.1f} × {(box[3] - box[1]) / MM:.1f} mm at {box[0] / MM:.0f} mm from the "
            f"trim's left and {box[1] / MM:.0f} mm from its foot")


def _finding(index: int, box: Box, expected: Expected, what: str) -> Finding:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    zone = expected.zone_at(index, cx, cy)
    return Finding(what, index, None if zone == "slug" else zone, witness=WITNESS)
