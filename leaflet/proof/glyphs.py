"""Witness 2, glyph truth: the outline every painted glyph draws, taken from
the font program embedded in the PDF, must be the pinned font's outline for
the character the text layer claims. This catches what no text layer shows:
an edited ToUnicode map, swapped outlines, a substituted font program.

Our own PDFs embed TrueType cut from the pinned files (CFF outlines converted
to quadratics with fontTools' cu2qu), so the same conversion of the pinned
glyph must give the very same points: the comparison is exact. A PDF that went
through another tool (a RIP, a re-distiller) may carry re-encoded outlines;
those are compared as rasterised shapes, with a tolerance.
"""
from __future__ import annotations

import array
import bisect
import functools
import hashlib
import io
import struct
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .findings import Finding
from .paint import FontUse, Glyph, PagePaint

WITNESS = "glyphs"
RASTER_EM = 64  # pixels per em for the tolerant comparison
RASTER_MATCH = 0.90  # intersection over union two outlines must reach to be the same glyph
CU2QU_ERROR = 1.0  # as fonts._cff_to_glyf converts pinned CFF outlines

if TYPE_CHECKING:
    from PIL import Image

# An outline as TrueType stores it: point coordinates, on-curve flags, contour ends.
Outline = tuple[tuple[int, ...], bytes, tuple[int, ...]]


@dataclass(frozen=True)
class Pinned:
    """A pinned face the edition is set in: its file and face index."""

    path: Path
    index: int = 0


# --- the pinned outlines -----------------------------------------------------------

TABLE_MAGIC = b"LEAFOUT1"
COMPOSITE = 0xFFFF


class _Table:
    """A pinned face's outline table (fonts/pin_outlines.py): per character, the length
    and SHA-256 prefix of the glyph exactly as a build embeds it."""

    def __init__(self, data: bytes):
        if data[:8] != TABLE_MAGIC:
            raise ValueError("not an outline table")
        (count,) = struct.unpack_from("<I", data, 8)
        self.points = array.array("I", data[12:12 + 4 * count])
        self.lengths = array.array("H", data[12 + 4 * count:12 + 6 * count])
        self.digests = data[12 + 6 * count:12 + 14 * count]
        if sys.byteorder != "little":
            self.points.byteswap()
            self.lengths.byteswap()

    def matches(self, char: str, raw: bytes | None) -> bool:
        """The embedded glyph data is this face's glyph for `char`, byte for byte (padding aside)."""
        if raw is None or len(char) != 1:
            return False
        i = bisect.bisect_left(self.points, ord(char))
        if i >= len(self.points) or self.points[i] != ord(char) or self.lengths[i] == COMPOSITE:
            return False
        length = self.lengths[i]
        return (hashlib.sha256(raw[:length]).digest()[:8] == self.digests[8 * i:8 * i + 8]
                and not raw[length:].strip(b"\0"))


@functools.lru_cache(maxsize=16)
def _table(path: str) -> _Table | None:
    """The outline table beside a pinned font, checked against SHA256SUMS like the font;
    None where there is none (a theme's brand font): its glyphs are converted instead."""
    from ..typeset.fonts import FontSource, checked_sha256

    table = Path(path).with_name(Path(path).name + ".outlines")
    if not table.is_file():
        return None
    checked_sha256(FontSource(table, pinned=True))
    return _Table(table.read_bytes())


@functools.lru_cache(maxsize=16)
def _pinned_font(path: str, index: int) -> tuple[str, Any]:
    """The pinned font, opened once per process: HarfBuzz for CFF (fast to open
    and to look up), fontTools for TrueType (its glyf points are what we embed)."""
    import uharfbuzz as hb

    blob = hb.Blob.from_file_path(path)
    face = hb.Face(blob, index)
    if "CFF " in {t for t in face.table_tags}:
        return "cff", hb.Font(face)
    from fontTools.ttLib import TTFont

    font = TTFont(path, fontNumber=index, lazy=True, recalcTimestamp=False)
    return "glyf", font


@functools.lru_cache(maxsize=65536)
def pinned_outline(path: str, index: int, char: str) -> Outline | None:
    """The outline the pinned face draws for `char`, as our embedding makes it; None if it has no glyph."""
    kind, font = _pinned_font(path, index)
    if kind == "cff":
        gid = font.get_nominal_glyph(ord(char))
        if gid is None:
            return None
        from fontTools.pens.cu2quPen import Cu2QuPen
        from fontTools.pens.ttGlyphPen import TTGlyphPen

        pen = TTGlyphPen(None)
        font.draw_glyph_with_pen(gid, Cu2QuPen(pen, CU2QU_ERROR, reverse_direction=True))
        return _glyf_outline(pen.glyph(), None)
    name = font.getBestCmap().get(ord(char))
    return None if name is None else _glyf_outline(font["glyf"][name], font["glyf"])


def _glyf_outline(glyph: Any, glyf: Any) -> Outline:
    if glyph.numberOfContours == 0:
        return ((), b"", ())
    coordinates, ends, flags = glyph.getCoordinates(glyf)
    coordinates.toInt()
    return (tuple(coordinates.array), bytes(f & 1 for f in flags), tuple(ends))


# --- the embedded outlines -----------------------------------------------------------

class _Embedded:
    """A font program embedded in the PDF, and a way from character code to outline."""

    def __init__(self, use: FontUse):
        self.use = use
        self.problem: str | None = None
        self.font: Any = None  # a fontTools TTFont, or (CharStrings, charset) of a bare CFF
        self.kind = ""
        try:
            self._open()
        except Exception as exc:  # noqa: BLE001 - a font we cannot read is a finding, not a crash
            self.problem = f"its font program cannot be read ({type(exc).__name__})"

    def _open(self) -> None:
        from fontTools.ttLib import TTFont

        font = self.use.font.get_object()
        descendant = font["/DescendantFonts"][0].get_object() if self.use.two_byte else font
        descriptor = descendant.get("/FontDescriptor")
        descriptor = descriptor.get_object() if descriptor is not None else {}
        self.cid_to_gid: list[int] | None = None
        if self.use.two_byte:
            mapping = descendant.get("/CIDToGIDMap")
            if mapping is not None and str(mapping) != "/Identity":
                data = mapping.get_object().get_data()
                self.cid_to_gid = [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data) - 1, 2)]
        for key, kind in (("/FontFile2", "glyf"), ("/FontFile3", "cff")):
            if key in descriptor:
                data = descriptor[key].get_object().get_data()
                self.kind = kind
                self.font = TTFont(io.BytesIO(data), lazy=True) if kind == "glyf" else _bare_cff(data)
                return
        self.problem = "it has no embedded TrueType or OpenType font program" if "/FontFile" not in descriptor \
            else "it is a Type 1 font, not the pinned face"

    @functools.cached_property
    def _cmaps(self) -> dict[tuple[int, int], dict[int, str]]:
        tables = {(t.platformID, t.platEncID): t.cmap for t in self.font["cmap"].tables}
        return tables

    def outline(self, code: int, char: str) -> Outline | None:
        if self.kind == "glyf":
            return self._glyf(code, char)
        return self._cff(code)

    def raw(self, code: int, char: str) -> bytes | None:
        """The glyph's data as the font program stores it, for a byte comparison."""
        if self.kind != "glyf":
            return None
        name = self._name(code, char)
        glyph = self.font["glyf"].glyphs.get(name) if name else None
        if glyph is None:
            return None
        data: bytes = getattr(glyph, "data", None) or glyph.compile(self.font["glyf"], recalcBBoxes=False)
        return data

    def _glyf(self, code: int, char: str) -> Outline | None:
        name = self._name(code, char)
        if name is None:
            return None
        glyf = self.font["glyf"]
        raw = self.raw(code, char)
        from fontTools.ttLib.tables._g_l_y_f import Glyph

        if not raw:
            return _glyf_outline(glyf[name], glyf)
        copy = Glyph(raw)  # expanded apart, so the stored glyph keeps its raw bytes
        copy.expand(glyf)
        return _glyf_outline(copy, glyf)

    def _name(self, code: int, char: str) -> str | None:
        order = self.font.getGlyphOrder()
        if self.use.two_byte:
            gid = self.cid_to_gid[code] if self.cid_to_gid and code < len(self.cid_to_gid) else code
            name = order[gid] if gid < len(order) else None
        else:
            cmaps = self._cmaps
            name = ((cmaps.get((3, 0)) or {}).get(code) or (cmaps.get((3, 0)) or {}).get(0xF000 + code)
                    or (cmaps.get((1, 0)) or {}).get(code)
                    or ((cmaps.get((3, 1)) or {}).get(ord(char)) if len(char) == 1 else None))
        return name

    def _cff(self, code: int) -> Outline | None:
        cff, charset = self.font
        names = charset
        gid = code if self.use.two_byte else None
        if gid is None or gid >= len(names):
            return None
        from fontTools.pens.cu2quPen import Cu2QuPen
        from fontTools.pens.ttGlyphPen import TTGlyphPen

        pen = TTGlyphPen(None)
        cff[names[gid]].draw(Cu2QuPen(pen, CU2QU_ERROR, reverse_direction=True))
        return _glyf_outline(pen.glyph(), None)


def _bare_cff(data: bytes) -> tuple[Any, Any]:
    from fontTools.cffLib import CFFFontSet

    fonts = CFFFontSet()
    fonts.decompile(io.BytesIO(data), None)
    top = fonts[fonts.fontNames[0]]
    return top.CharStrings, top.charset


# --- comparing -------------------------------------------------------------------

def _bounds(outline: Outline) -> tuple[int, int, int, int]:
    numbers = outline[0]
    if not numbers:
        return (0, 0, 0, 0)
    xs, ys = numbers[0::2], numbers[1::2]
    return (min(xs), min(ys), max(xs), max(ys))


def _near(a: tuple[int, ...], b: tuple[int, ...], slack: int = 40) -> bool:
    return all(abs(p - q) <= slack for p, q in zip(a, b))


@functools.lru_cache(maxsize=4096)
def _raster(outline: Outline, size: int = RASTER_EM) -> Image.Image:
    from PIL import Image, ImageChops, ImageDraw

    image = Image.new("1", (size, size), 0)
    for contour in _flattened(outline):
        shape = Image.new("1", (size, size), 0)
        ImageDraw.Draw(shape).polygon([(x * size / 1000, size - 1 - (y + 200) * size / 1000) for x, y in contour],
                                      fill=1)
        image = ImageChops.logical_xor(image, shape)  # even-odd: counters stay open
    return image


def _flattened(outline: Outline) -> list[list[tuple[float, float]]]:
    """Contours as polygons: quadratic segments sampled at four points."""
    polygons: list[list[tuple[float, float]]] = []
    numbers, flags, ends = outline
    start = 0
    for end in ends:
        points: list[tuple[float, float, bool]] = [(numbers[2 * i], numbers[2 * i + 1], bool(flags[i]))
                                                   for i in range(start, end + 1)]
        start = end + 1
        if not points:
            continue
        while not points[0][2] and any(p[2] for p in points):
            points = points[1:] + points[:1]
        if not points[0][2]:
            points.insert(0, ((points[0][0] + points[-1][0]) / 2, (points[0][1] + points[-1][1]) / 2, True))
        polygon = [(points[0][0], points[0][1])]
        i = 1
        while i <= len(points):
            p = points[i % len(points)]
            if p[2]:
                polygon.append((p[0], p[1]))
                i += 1
                continue
            nxt = points[(i + 1) % len(points)]
            to = (nxt[0], nxt[1]) if nxt[2] else ((p[0] + nxt[0]) / 2, (p[1] + nxt[1]) / 2)
            at = polygon[-1]
            for t in (0.25, 0.5, 0.75, 1.0):
                polygon.append(((1 - t) ** 2 * at[0] + 2 * (1 - t) * t * p[0] + t * t * to[0],
                                (1 - t) ** 2 * at[1] + 2 * (1 - t) * t * p[1] + t * t * to[1]))
            i += 2 if nxt[2] else 1
        if len(polygon) >= 3:
            polygons.append(polygon)
    return polygons


def _listed(details: list[str], limit: int = 6) -> str:
    shown = ", ".join(d for d in details[:limit] if d)
    more = f" and {len(details) - limit} more" if len(details) > limit else ""
    return shown + more


def similar(a: Outline, b: Outline) -> bool:
    """Two outlines draw the same shape, allowing for re-encoding by another tool."""
    if not a[2] or not b[2]:
        return a == b
    from PIL import ImageChops

    ra, rb = _raster(a), _raster(b)
    union = ImageChops.logical_or(ra, rb).histogram()[-1]
    both = ImageChops.logical_and(ra, rb).histogram()[-1]
    return union == 0 or both / union >= RASTER_MATCH


# --- the witness ------------------------------------------------------------------

class GlyphTruth:
    """Judges every painted glyph against the pinned faces of the edition, once per
    (font, code), and tells the text witness what an unlabelled glyph draws."""

    def __init__(self, faces: dict[str, Pinned], expected_chars: dict[str, set[str]], exact: bool):
        self.faces = faces
        self.expected_chars = expected_chars  # per face: the characters the edition sets in it
        self.exact = exact
        self._embedded: dict[int, _Embedded] = {}
        self._identified: dict[tuple[int, int], str] = {}

    def _font(self, use: FontUse) -> _Embedded:
        if use.key not in self._embedded:
            self._embedded[use.key] = _Embedded(use)
        return self._embedded[use.key]

    def identify(self, glyph: Glyph) -> str:
        """The character a glyph without a text layer draws, found by its outline."""
        key = (glyph.font.key, glyph.code)
        if key not in self._identified:
            self._identified[key] = self._lookup(glyph)
        return self._identified[key]

    def _lookup(self, glyph: Glyph) -> str:
        pinned = self.faces.get(glyph.font.name)
        embedded = self._font(glyph.font)
        if pinned is None or embedded.problem:
            return ""
        candidates = self.expected_chars.get(glyph.font.name, set())
        table = _table(str(pinned.path))
        raw = embedded.raw(glyph.code, "")
        if table is not None:
            known = next((char for char in sorted(candidates) if table.matches(char, raw)), None)
            if known:
                return known
        drawn = embedded.outline(glyph.code, "")
        if drawn is None:
            return ""
        exact = self.identify_outline(glyph.font.name, drawn)
        if exact:
            return exact
        references = [(char, pinned_outline(str(pinned.path), pinned.index, char)) for char in sorted(candidates)]
        box = _bounds(drawn)  # only outlines of about the same extent can be the same shape re-encoded
        for char, reference in references:
            if reference is not None and _near(_bounds(reference), box) and similar(reference, drawn):
                return char
        return ""

    def findings(self, pages: list[PagePaint]) -> list[Finding]:
        """One finding per page and font: every glyph of it that is not the pinned one, named."""
        judged: dict[tuple[int, int, str], tuple[str, str] | None] = {}
        wrong: dict[tuple[int, str], dict[str, None]] = {}
        for index, page in enumerate(pages):
            for glyph in page.glyphs:
                key = (glyph.font.key, glyph.code, glyph.char)
                if key not in judged:
                    judged[key] = self._judge(glyph)
                verdict = judged[key]
                if verdict:
                    problem, detail = verdict
                    wrong.setdefault((index, problem), {})[detail] = None
        return [Finding(problem.replace("{glyphs}", _listed(list(details))), index, witness=WITNESS)
                for (index, problem), details in wrong.items()]

    def _judge(self, glyph: Glyph) -> tuple[str, str] | None:
        """None for a true glyph; else a problem (with a {glyphs} slot) and this glyph's part in it."""
        font = glyph.font
        pinned = self.faces.get(font.name)
        if pinned is None:
            return f"the font {font.name} is not one of the pinned faces this edition is set in", ""
        embedded = self._font(font)
        if embedded.problem:
            return f"the font {font.name}: {embedded.problem}", ""
        claimed = glyph.char or self.identify(glyph)
        label = f"“{glyph.char}” (U+{ord(glyph.char[0]):04X})" if glyph.char else f"code {glyph.code}"
        if not claimed:
            return (f"glyphs in {font.name} that draw none of the characters the edition sets in it: {{glyphs}}",
                    label)
        table = _table(str(pinned.path))
        if table is not None and table.matches(claimed, embedded.raw(glyph.code, claimed)):
            return None  # byte for byte the glyph a build embeds for this character
        drawn = embedded.outline(glyph.code, claimed)
        reference = pinned_outline(str(pinned.path), pinned.index, claimed[0]) if len(claimed) == 1 else None
        if drawn is None or reference is None:
            return f"glyphs of {font.name} that cannot be found in its font program: {{glyphs}}", label
        if drawn == reference or (not self.exact and similar(drawn, reference)):
            return None
        printed = self.identify_outline(font.name, drawn)
        shows = f" (it prints “{printed}”)" if printed and printed != claimed else ""
        return (f"the embedded {font.name} draws a different glyph than the pinned font for {{glyphs}} — "
                "the font program or its text map was altered", f"{label}{shows}")

    def identify_outline(self, face: str, drawn: Outline) -> str:
        pinned = self.faces.get(face)
        if pinned is None:
            return ""
        for char in sorted(self.expected_chars.get(face, set())):
            if pinned_outline(str(pinned.path), pinned.index, char) == drawn:
                return char
        return ""
