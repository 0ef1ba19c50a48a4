"""Visual witness: a PDF is judged on what it prints. Every page of the
candidate is rendered with PDFium inside its own TrimBox, as is a fresh build
of the approved content, and the two are compared panel by panel; an area
that prints differently is a finding saying where it is and which approved
line lies nearest. It sees what a text layer cannot (ink painted over text,
text in paper white, a glyph outline that is not the character claimed) and
does not mind what a re-distilling tool did to the file's structure, as long
as the page prints the same.

Choices, measured on the Hong Kong example:

* 250 dpi, in colour. A changed 7 pt digit (1445-55 → 1445-56) leaves about 8
  pixels beyond the tolerance at 150 dpi and 22 at 250 dpi; a clean edition
  re-distilled by Ghostscript leaves none at either. Each of red, green and
  blue is compared: red-orange text on the teal cover is as light as the
  teal, so a comparison in grey would not see it.
* Anti-aliasing: a pixel differs only when, in some channel, it lies more
  than INK_STEP levels outside the range of the other rendering's 3×3
  neighbourhood, both ways round, so edges that moved by less than a pixel
  do not count.
* PDFium is only given pages whose drawing ends: a Form XObject that draws
  itself (directly, through the page's resources, or as the page's own
  content), nesting deeper than MAX_NESTING or more than MAX_DRAWS form
  drawings on a page would never finish rendering, so such a file is not
  rendered but named. Pages beyond the approved build's are not rendered.
* A candidate without a TrimBox is compared over a trim of the approved size
  centred in its CropBox (a page with marks has its trim in the middle; a
  trim-size page is all trim), and the missing box is a finding.
* Cost (warm, both PDFs rendered; benchmarks/bench.py measures it): about
  110 ms for a clean edition and 185 ms for a Ghostscript re-distil, most of
  it PDFium rendering in colour (in grey it was 46 and 52 ms); a page that
  differs everywhere adds about 1 s (in grey 170 ms), the neighbourhood test
  running on three channels.
"""
from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from functools import reduce
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFont
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, StreamObject
from reportlab.lib.units import mm

from ..errors import Location, OutputError
from ..typeset.layout import Layout, PlacedLine
from ..output import reason, write_atomically
from .findings import Finding

WITNESS = "visual"
DPI = 250
INK_STEP = 24  # levels of a channel; the DRAFT watermark's 12 % tint is 31, so removing it is seen
CELL = 16  # pixels (1.6 mm): changed pixels are gathered on this grid into areas
MIN_PIXELS = 8  # changed pixels an area needs to be a finding
GAP_CELLS = 1  # changes this many empty cells apart are one area: one changed word, one finding
MAX_AREAS = 8  # per panel; beyond this the panel is reported as one area
NEAR_MM = 4.0  # an approved line this close to an area is named
SIZE_TOLERANCE_MM = 0.5
QUOTE = 44  # characters of the nearest line quoted, around the change
BOX_MARGIN = 14  # pixels (1.4 mm) of air between a change and its red box
RED = (230, 0, 0)
MAX_NESTING = 28  # Form XObjects within Form XObjects; a leaflet has two or three
MAX_DRAWS = 10_000  # Form XObject drawings on one page, repeats counted; a leaflet has a few dozen
_BEYOND = [0] * (INK_STEP + 1) + [255] * (255 - INK_STEP)  # point() table: a changed pixel is 255
_ANY = [0] + [255] * 255
_NAME = rb"[^\s/\[\]()<>{}%]"
_DO = re.compile(rb"/(" + _NAME + rb"+)(?:\s|%[^\r\n]*)*Do(?!" + _NAME + rb")")  # every `/Name Do`, strings too


@dataclass(frozen=True)
class _Page:
    image: Image.Image | None  # the trim as it prints, RGB; None when of another size
    size_mm: tuple[float, float]


@dataclass(frozen=True)
class PanelColumns:
    name: str
    left: int  # pixel columns of the trim image
    right: int


Extent = tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels of the trim image


@dataclass(frozen=True)
class _Area:
    panel: PanelColumns
    box: tuple[int, int, int, int]  # pixels in the trim image
    places: int = 1  # separate changes gathered into this area


class Unrenderable(Exception):
    pass


class _Endless(Exception):
    """A page PDFium would never finish drawing; the message says why."""


def visual_findings(candidate: bytes, reference: bytes, layout: Layout, diff_dir: Path | None = None,
                    stem: str = "verify") -> list[Finding]:
    """Compare what the candidate prints with what the fresh reference build
    prints; with `diff_dir`, write <stem>-page<N>-diff.png for every page that
    differs: the candidate (left) and the approved build (right), changes boxed in red."""
    findings: list[Finding] = []
    expected = (layout.sheet.trim.width / mm, layout.sheet.trim.height / mm)
    ours, _ = render_pages(reference, expected, [])
    endless = _endless_pages(candidate, len(ours))
    if endless:
        return endless
    try:
        theirs, count = render_pages(candidate, expected, findings, len(ours))
    except Unrenderable as exc:
        return [Finding(f"cannot be rendered ({unrenderable_reason(str(exc))}), so what it prints cannot be compared",
                        witness=WITNESS)]
    findings += _page_count(count, len(ours))
    for index, (mine, yours) in enumerate(zip(ours, theirs)):
        if yours.image is None:
            findings.append(Finding(
                f"cannot be compared with the approved build: its trim is {yours.size_mm[0]:.1f} × "
                f"{yours.size_mm[1]:.1f} mm, the approved build's {expected[0]:.1f} × {expected[1]:.1f} mm",
                page=index, witness=WITNESS))
            continue
        assert mine.image is not None  # our own build renders at its own trim
        areas = changed_areas(mine.image, yours.image, _panels(layout, index, mine.image.width))
        if not areas:
            continue
        shown = ""
        if diff_dir is not None:
            path = Path(diff_dir) / f"{stem}-page{index + 1}-diff.png"
            _write_diff(path, yours.image, mine.image, areas)
            shown = f" (boxed in red in {path})"
        findings += [_describe(area, index, layout.pages[index].lines, layout, shown) for area in areas]
    return findings


# --- what PDFium can be given ------------------------------------------------------------

def _endless_pages(data: bytes, pages: int) -> list[Finding]:
    """One finding for each of the first `pages` pages whose drawing would not end.
    A file pypdf cannot read is left to PDFium, which says what it makes of it."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        candidates = [reader.pages[i] for i in range(min(len(reader.pages), pages))]
    except Exception:  # noqa: BLE001 - damaged or encrypted: PDFium names it, and fails fast
        return []
    findings = []
    for index, page in enumerate(candidates):
        try:
            _check_drawing(page)
            continue
        except _Endless as exc:
            why = str(exc)
        except Exception:  # noqa: BLE001 - what cannot be walked cannot be shown safe to render
            why = "what it draws cannot be read"
        findings.append(Finding(f"{why}: not rendered, so what it prints cannot be compared", page=index,
                                witness=WITNESS))
    return findings


def _check_drawing(page: Any) -> None:
    """Walk the Form XObjects the page's content and annotation appearances draw, as PDFium
    finds them: a name in a form's resources, else (as PDFium falls back) in the page's.
    Each form's count of drawings below it is kept, so shared forms are walked once."""
    resources = _dict(page.get("/Resources"))
    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    streams = [s.get_object() for s in contents] if isinstance(contents, list) else [contents]
    streams = [s for s in streams if isinstance(s, StreamObject)]
    walk = _Walk(resources, {id(s) for s in streams})  # a form that is the page's content draws the page
    walk.draws(b"\n".join(_data(s) for s in streams), resources, "the page", 0)
    for annotation in _array(page.get("/Annots")):
        normal = _dict(_dict(annotation).get("/AP")).get("/N")
        normal = normal.get_object() if normal is not None else None
        states = [normal] if isinstance(normal, StreamObject) else [v.get_object() for v in _dict(normal).values()]
        for appearance in (s for s in states if isinstance(s, StreamObject)):
            walk.active.add(id(appearance))
            walk.draws(_data(appearance), _dict(appearance.get("/Resources")) or resources, "an annotation", 1)
            walk.active.discard(id(appearance))


class _Walk:
    def __init__(self, page_resources: Any, active: set[int]):
        self.page_resources = page_resources
        self.active = active  # forms being drawn: meeting one again is a cycle
        self.known: dict[tuple[int, int], tuple[int, int]] = {}  # (form, resources) -> (drawings, depth) below

    def draws(self, data: bytes, resources: Any, where: str, depth: int) -> tuple[int, int]:
        total, deepest = 0, 0
        for name, times in Counter(_DO.findall(data)).items():
            label = _decoded(name)
            form = self.form(label, resources)
            if form is None:
                continue
            if id(form) in self.active:
                raise _Endless(f"Form XObject {label} in {where} draws itself")
            own = _dict(form.get("/Resources")) or resources
            key = (id(form), id(own))
            if key not in self.known:
                self.active.add(id(form))
                below = self.draws(_data(form), own, f"Form XObject {label}", depth + 1)
                self.active.discard(id(form))
                self.known[key] = (1 + below[0], 1 + below[1])
            count, height = self.known[key]
            total, deepest = total + times * count, max(deepest, height)
            if depth + deepest > MAX_NESTING:
                raise _Endless(f"Form XObject {label} in {where} nests forms more than {MAX_NESTING} deep")
            if total > MAX_DRAWS:
                raise _Endless(f"it draws Form XObjects more than {MAX_DRAWS:,} times".replace(",", " "))
        return total, deepest

    def form(self, name: str, resources: Any) -> StreamObject | None:
        for where in (resources, self.page_resources):
            xobject = _dict(_dict(where).get("/XObject")).get(name)
            if xobject is not None:
                xobject = xobject.get_object()
                return xobject if isinstance(xobject, StreamObject) and xobject.get("/Subtype") == "/Form" else None
        return None


def _array(value: Any) -> list[Any]:
    value = value.get_object() if value is not None else None
    return [item.get_object() for item in value] if isinstance(value, list) else []


def _dict(value: Any) -> DictionaryObject:
    value = value.get_object() if value is not None else None
    return value if isinstance(value, DictionaryObject) else DictionaryObject()


def _data(stream: Any) -> bytes:
    try:
        data: bytes = stream.get_data()
        return data
    except Exception:  # noqa: BLE001 - content PDFium cannot decode draws nothing
        return b""


def _decoded(name: bytes) -> str:
    """A name as resource dictionaries spell it: #xx escapes decoded."""
    return "/" + re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), name).decode("latin-1")


# --- rendering ------------------------------------------------------------------------

def render_pages(data: bytes, expected_mm: tuple[float, float], findings: list[Finding],
            pages: int | None = None) -> tuple[list[_Page], int]:
    """The first `pages` pages (default all) and the page count: pages beyond
    what the approved build has are counted, not rendered."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
        count = len(document)
        return [_render_page(document[i], i, expected_mm, findings) for i in range(min(count, pages or count))], count
    except (pdfium.PdfiumError, ValueError) as exc:
        raise Unrenderable(str(exc)) from None


def unrenderable_reason(message: str) -> str:
    """PDFium's reason, in a reviewer's words where we know them."""
    if "password" in message.lower():
        return "it is encrypted: ask for the PDF without a password"
    if "data format" in message.lower():
        return "it is damaged or not a PDF"
    return f"PDFium: {message}"


def _render_page(page: Any, index: int, expected_mm: tuple[float, float], findings: list[Finding]) -> _Page:
    """The page's trim, rendered as it prints (printing flags: annotations and
    optional content as they print, not as they show on screen). A trim of
    another size is not rendered: it cannot be compared, and could be huge."""
    left, bottom, right, top = page.get_bbox()  # the CropBox within the MediaBox: what PDFium draws
    trim = page.get_trimbox(fallback_ok=False)
    if trim is None:
        findings.append(Finding(f"has no TrimBox: compared the {expected_mm[0]:g} × {expected_mm[1]:g} mm "
                                "at the centre of its CropBox", page=index, witness=WITNESS))
        w, h = expected_mm[0] * mm, expected_mm[1] * mm
        cx, cy = (left + right) / 2, (bottom + top) / 2
        trim = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
    turns = page.get_rotation() // 90 % 4
    size = ((trim[2] - trim[0]) / mm, (trim[3] - trim[1]) / mm)
    if turns % 2:
        size = size[::-1]
    if not all(abs(x - y) <= SIZE_TOLERANCE_MM for x, y in zip(size, expected_mm)):
        return _Page(None, size)
    sides = [max(0.0, trim[0] - left), max(0.0, trim[1] - bottom), max(0.0, right - trim[2]),
             max(0.0, top - trim[3])]
    sides = sides[turns:] + sides[:turns]  # PDFium crops the rotated bitmap: turn the sides with it
    # RGBX: PDFium fills four bytes a pixel faster than three, and Pillow compares it as RGB.
    image = page.render(scale=DPI / 72, crop=sides, prefer_bgrx=True, rev_byteorder=True,
                        optimize_mode="print").to_pil()
    return _Page(image if image.mode == "RGBX" else image.convert("RGBX"), size)


def _page_count(theirs: int, ours: int) -> list[Finding]:
    """Missing pages each named; extra pages (never rendered) one finding, however many."""
    if theirs < ours:
        return [Finding(f"is missing: the PDF has {theirs} page(s), the approved build {ours}",
                        page=i, witness=WITNESS) for i in range(theirs, ours)]
    if theirs == ours:
        return []
    extra = "is" if theirs == ours + 1 else f"and the {theirs - ours - 1} after it are"
    return [Finding(f"{extra} not in the approved build, which has {ours} page(s); not compared",
                    page=ours, witness=WITNESS)]


def _panels(layout: Layout, page: int, width: int) -> list[PanelColumns]:
    """Pixel columns of each panel of a page, from the fold definition."""
    spans = layout.sheet.fold.spans_mm(layout.edition.leaflet.format, page)
    return [PanelColumns(name, _px(left), min(width, _px(right))) for name, left, right in spans]


def _px(length_mm: float) -> int:
    return round(length_mm * DPI / 25.4)


def _mm(pixels: float) -> float:
    return pixels * 25.4 / DPI


# --- comparing --------------------------------------------------------------------------

def changed_areas(ours: Image.Image, theirs: Image.Image, panels: list[PanelColumns]) -> list[_Area]:
    width, height = min(ours.width, theirs.width), min(ours.height, theirs.height)
    a, b = (image if image.size == (width, height) else image.crop((0, 0, width, height)) for image in (ours, theirs))
    difference = ImageChops.difference(a, b)
    if difference.getbbox() is None:
        return []
    raw = _any_channel_beyond(difference)
    if raw.getbbox() is None:
        return []
    # The neighbourhood test costs more: run it only on bands of cells with a raw difference.
    beyond = Image.new("L", (width, height))
    for box in _bands(raw):
        outer = (max(0, box[0] - 1), max(0, box[1] - 1), min(width, box[2] + 1), min(height, box[3] + 1))
        band = _any_channel_beyond(_beyond_tolerance(a.crop(outer), b.crop(outer)))
        beyond.paste(band.crop((box[0] - outer[0], box[1] - outer[1], box[2] - outer[0], box[3] - outer[1])),
                     box[:2])
    return [area for panel in panels for area in _areas(beyond, panel, height)]


def _any_channel_beyond(difference: Image.Image) -> Image.Image:
    """255 where any of red, green and blue differs by more than INK_STEP, else 0:
    the largest of the three, thresholded (one-band operations are Pillow's fast ones)."""
    return reduce(ImageChops.lighter, difference.split()[:3]).point(_BEYOND)


def _bands(raw: Image.Image) -> Iterator[tuple[int, int, int, int]]:
    """Boxes covering every cell that holds a raw difference: one per run of
    rows with such cells, as wide as their changes. The test's cost per pixel
    is small and per call large, so a whole changed page is one band."""
    cells = raw.reduce(4).point(_ANY).reduce(CELL // 4).point(_ANY)  # two steps, so one pixel still shows
    data, columns = cells.tobytes(), cells.width
    band: tuple[int, int, int] | None = None
    for row in range(cells.height + 1):
        line = data[row * columns:(row + 1) * columns]
        first, last = len(line) - len(line.lstrip(b"\x00")), len(line.rstrip(b"\x00"))
        if first < last:
            band = (min(band[0], first), band[1], max(band[2], last)) if band else (first, row, last)
        elif band:
            yield (band[0] * CELL, band[1] * CELL, min(raw.width, band[2] * CELL), min(raw.height, row * CELL))
            band = None


def _beyond_tolerance(a: Image.Image, b: Image.Image) -> Image.Image:
    """How far each pixel of one rendering lies outside the range of the other's
    3×3 neighbourhood, either way round, channel by channel: an edge moved by less
    than a pixel, or shaded a little differently by the rasteriser, stays within it."""
    low_a, high_a = _spread(a, ImageChops.darker), _spread(a, ImageChops.lighter)
    low_b, high_b = _spread(b, ImageChops.darker), _spread(b, ImageChops.lighter)
    return reduce(ImageChops.lighter, (ImageChops.subtract(b, high_a), ImageChops.subtract(low_a, b),
                                       ImageChops.subtract(a, high_b), ImageChops.subtract(low_b, a)))


def _spread(image: Image.Image, pick: Callable[[Image.Image, Image.Image], Image.Image]) -> Image.Image:
    """The 3×3 minimum or maximum (pick: ImageChops.darker or lighter), edges
    repeated: the same as ImageFilter.MinFilter(3)/MaxFilter(3), built from
    shifted copies, one axis at a time, five times faster."""
    for step in ((1, 0), (0, 1)):
        w, h = image.size
        out = image
        for box, at in (((step[0], step[1], w, h), (0, 0)), ((0, 0, w - step[0], h - step[1]), step)):
            shifted = image.copy()
            shifted.paste(image.crop(box), at)
            out = pick(out, shifted)
        image = out
    return image


def _areas(changed: Image.Image, panel: PanelColumns, height: int) -> list[_Area]:
    """Changed pixels of one panel gathered into areas: cells near each other join."""
    mask = changed.crop((panel.left, 0, panel.right, height))
    counts = mask.reduce(CELL)  # a 0/255 mask averaged over a cell: about the number of changed pixels
    columns, data = counts.width, counts.tobytes()
    todo = {i for i, v in enumerate(data) if v}
    areas = []
    while todo:
        group, queue = [], [todo.pop()]
        while queue:
            cell = queue.pop()
            group.append(cell)
            x, y = cell % columns, cell // columns
            for dy in range(-GAP_CELLS - 1, GAP_CELLS + 2):
                for dx in range(-GAP_CELLS - 1, GAP_CELLS + 2):
                    near = (y + dy) * columns + x + dx
                    if 0 <= x + dx < columns and near in todo:
                        todo.remove(near)
                        queue.append(near)
        if sum(data[c] for c in group) >= MIN_PIXELS:
            areas.append(_tight(mask, group, columns, panel))
    areas.sort(key=lambda area: (area.box[1], area.box[0]))
    if len(areas) > MAX_AREAS:
        return [_Area(panel, _union(area.box for area in areas), len(areas))]
    return areas


def _tight(mask: Image.Image, cells: list[int], columns: int, panel: PanelColumns) -> _Area:
    xs, ys = [c % columns for c in cells], [c // columns for c in cells]
    left, top = min(xs) * CELL, min(ys) * CELL
    region = mask.crop((left, top, (max(xs) + 1) * CELL, (max(ys) + 1) * CELL))
    box = region.getbbox() or (0, 0, region.width, region.height)
    return _Area(panel, (panel.left + left + box[0], top + box[1], panel.left + left + box[2], top + box[3]))


def _union(boxes: Iterable[tuple[int, int, int, int]]) -> tuple[int, int, int, int]:
    every = list(boxes)
    return (min(b[0] for b in every), min(b[1] for b in every), max(b[2] for b in every), max(b[3] for b in every))


# --- reporting --------------------------------------------------------------------------

def _describe(area: _Area, page: int, lines: list[PlacedLine], layout: Layout, shown: str) -> Finding:
    left, top, right, bottom = area.box
    size = f"{max(1, round(_mm(right - left)))} × {max(1, round(_mm(bottom - top)))} mm"
    place = (f"{round(_mm(left - area.panel.left))} mm from the left and {round(_mm(top))} mm from the top "
             "of the panel")
    what = (f"prints differently from the approved build in {area.places} places across a {size} area {place}"
            if area.places > 1 else f"prints differently from the approved build in a {size} area {place}")
    boxes = [(_box(p, layout), p) for p in lines if p.panel == area.panel.name]
    covered = sorted((box[1], box[0], p) for box, p in boxes if _gap(box, area.box) == 0)
    line: PlacedLine | None
    if len(covered) > 1:  # a large area: name where it starts
        line = covered[0][2]
        what += f", over {len(covered)} lines from “{_quote(line, line.x)}”"
    else:
        line = min(boxes, key=lambda b: (_gap(b[0], area.box), _off_centre(b[0], area.box)), default=(None, None))[1]
        if line is None or _mm(_gap(_box(line, layout), area.box)) > NEAR_MM:
            return Finding(what + shown, page=page, panel=area.panel.name, witness=WITNESS)
        what += f", near “{_quote(line, (left + right) / 2 * 72 / DPI + layout.sheet.trim.x)}”"
    return Finding(what + shown, page=page, panel=area.panel.name, story=line.story, language=line.para.language,
                   witness=WITNESS)


def _box(placed: PlacedLine, layout: Layout) -> tuple[float, float, float, float]:
    """Where a line prints, in pixels of the trim image: ascent 0.9, descent 0.3 of its largest size."""
    trim, scale = layout.sheet.trim, DPI / 72
    size = max((piece.style.size for piece in placed.line.pieces), default=0)
    return ((placed.x - trim.x) * scale, (trim.top - placed.baseline - 0.9 * size) * scale,
            (placed.x + placed.line.width - trim.x) * scale, (trim.top - placed.baseline + 0.3 * size) * scale)


def _gap(a: Extent, b: Extent) -> float:
    dx = max(0.0, a[0] - b[2], b[0] - a[2])
    dy = max(0.0, a[1] - b[3], b[1] - a[3])
    distance: float = (dx * dx + dy * dy) ** 0.5  # never negative under the root: a float, not complex
    return distance


def _off_centre(a: Extent, b: Extent) -> float:
    return abs((a[1] + a[3]) - (b[1] + b[3]))


def _quote(placed: PlacedLine, x: float) -> str:
    """The line, or for a long one the words around x (PDF points), where the change is."""
    text = placed.line.text.strip()
    if len(text) <= QUOTE:
        return text
    at = round((x - placed.x) / max(placed.line.width, 1) * len(text))
    start = min(max(0, at - QUOTE // 2), len(text) - QUOTE)
    end = start + QUOTE
    if start > 0 and " " in text[start:at]:
        start = text.index(" ", start) + 1  # whole words only
    if end < len(text) and " " in text[at:end]:
        end = text.rindex(" ", at, end)
    return ("…" if start > 0 else "") + text[start:end].strip() + ("…" if end < len(text) else "")


def _write_diff(path: Path, theirs: Image.Image, ours: Image.Image, areas: list[_Area]) -> None:
    """The candidate and the approved build side by side, in colour (a change may be
    one of hue only), each change boxed in red on both."""
    gap, label = 24, 28
    sheet = Image.new("RGB", (theirs.width + gap + ours.width, max(theirs.height, ours.height) + label), (236,) * 3)
    sheet.paste(theirs, (0, 0))
    sheet.paste(ours, (theirs.width + gap, 0))
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default(size=18)
    bottom = sheet.height - label + 4
    draw.text((8, bottom), "this PDF", fill=(60,) * 3, font=font)
    draw.text((theirs.width + gap + 8, bottom), "the approved build", fill=(60,) * 3, font=font)
    for offset in (0, theirs.width + gap):
        for area in areas:
            left, top, right, low = area.box
            draw.rectangle((offset + left - BOX_MARGIN, top - BOX_MARGIN, offset + right + BOX_MARGIN,
                            low + BOX_MARGIN), outline=RED, width=3)
    buffer = io.BytesIO()
    sheet.save(buffer, format="PNG", compress_level=1)  # a picture to look at once: fast beats small
    _write_to_diff_dir(path, buffer.getvalue())


def _write_to_diff_dir(path: Path, data: bytes) -> None:
    """Write a picture into --diff-dir; a failure names that option, not the build's --out."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write to the --diff-dir folder ({reason(exc)})", Location(path.parent),
                          fix="give --diff-dir a folder you can write to") from None
    try:
        write_atomically(path, data)
    except OutputError as exc:
        raise OutputError(exc.message, exc.where, fix="give --diff-dir a folder you can write to, "
                          "with free space, then verify again") from None
