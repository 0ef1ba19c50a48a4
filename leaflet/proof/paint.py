"""What a page paints: every glyph and every filled shape, with the graphics
state that decides whether a reader can see it — found by interpreting the
content streams the way a RIP does, not by trusting their order or the text
layer alone.

Pages, Form XObjects (with their own matrices, clips and optional content)
and printable annotation appearances are followed. The result is a list of
`Glyph`s (position, size, scaling, ink, render mode, clip, opacity, whether
an optional-content group hides it) and `Paint`s (the bounding box of each
filled or stroked shape, image or shading, in painting order), in page
coordinates. The witnesses judge them.
"""
from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field, replace
from typing import Any, overload

from pypdf import PdfReader
from pypdf.generic import ContentStream

Matrix = tuple[float, float, float, float, float, float]
Box = tuple[float, float, float, float]  # x0, y0, x1, y1
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
MAX_DEPTH = 12  # nested Form XObjects; deeper nesting is refused, not followed forever
INVISIBLE_MODES = {3, 7}  # text render modes that paint nothing


@dataclass(frozen=True)
class Ink:
    """A fill colour as the content stream sets it: colour space and components."""

    space: str  # DeviceCMYK, DeviceGray, DeviceRGB, Separation:<name>, or another space's name
    values: tuple[float, ...]

    def cmyk(self) -> tuple[float, float, float, float] | None:
        """The ink as CMYK where that is plain; None for spaces we cannot judge."""
        v = self.values
        if self.space == "DeviceCMYK" and len(v) == 4:
            return v
        if self.space == "DeviceGray" and len(v) == 1:
            return (0.0, 0.0, 0.0, 1.0 - v[0])
        if self.space == "DeviceRGB" and len(v) == 3:
            k = 1.0 - max(v)
            cyan, magenta, yellow = ((1.0 - c - k) / (1.0 - k) if k < 1 else 0.0 for c in v)
            return (cyan, magenta, yellow, k)
        return None

    def __str__(self) -> str:
        plain = self.cmyk()
        if plain is not None and self.space == "DeviceCMYK":
            return " ".join(f"{n}{round(x * 100)}" for n, x in zip("CMYK", plain) if x) or "no ink (white)"
        return f"{self.space} {' '.join(f'{x:g}' for x in self.values)}"


BLACK_INK = Ink("DeviceGray", (0.0,))


@dataclass(frozen=True)
class FontUse:
    """A font dictionary as the page's text uses it."""

    key: int  # identity of the font dictionary
    name: str  # BaseFont without its subset tag
    subtype: str
    two_byte: bool
    widths: dict[int, float] = field(repr=False)  # code -> advance in 1/1000 em
    default_width: float = field(repr=False)
    to_unicode: CodeMap = field(repr=False)
    font: Any = field(compare=False, repr=False)  # the pypdf font dictionary


@dataclass(frozen=True)
class Glyph:
    page: int
    code: int
    char: str  # what the text layer (ToUnicode) says it is; "" when it says nothing
    font: FontUse
    x: float  # origin on the page
    y: float
    size: float  # em height on the page, in points
    hscale: float  # em width / em height: 1.0 unless the text is squeezed or stretched
    angle: float  # baseline direction in degrees
    advance: float  # along the baseline, in points
    ink: Ink
    mode: int
    alpha: float
    clip: Box | None
    hidden: str | None  # why an optional-content group hides it
    order: int  # painting order on the page
    source: str  # "page", "Form XObject /Fm1", "annotation ..."

    box: Box  # an approximate ink box: the advance wide, from descender to ascender


def _glyph_box(x: float, y: float, angle: float, advance: float, size: float) -> Box:
    if angle == 0.0:  # nearly every glyph: the corners below with cos 1 and sin 0, exactly
        return (x, y - 0.15 * size, x + max(advance, 0.3 * size), y + 0.75 * size)
    a = math.radians(angle)
    ux, uy = math.cos(a), math.sin(a)
    corners = [(x + ux * w - uy * h, y + uy * w + ux * h)
               for w in (0.0, max(advance, 0.3 * size)) for h in (-0.15 * size, 0.75 * size)]
    return box_of(corners)


@dataclass(frozen=True)
class Paint:
    """Anything a page paints other than text: its box, ink and order, and how it is painted."""

    box: Box
    ink: Ink | None  # None for images and shadings: ink unknown
    order: int
    kind: str  # fill, stroke, image, shading
    clip: Box | None
    overprint: bool = False  # on press, what lies under it prints through where it has no ink
    alpha: float = 1.0
    blend: str = "Normal"

    @property
    def opaque(self) -> bool:
        """It hides what lies under it, as a press prints it."""
        return self.alpha >= 0.99 and self.blend in ("Normal", "Compatible") and not self.overprint


@dataclass
class PagePaint:
    glyphs: list[Glyph] = field(default_factory=list)
    paints: list[Paint] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what could not be followed, for the report


# --- matrices and boxes -----------------------------------------------------------

def multiply(a: Matrix, b: Matrix) -> Matrix:
    """a then b, in PDF's row-vector convention."""
    return (a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5])


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5])


def box_of(points: list[tuple[float, float]]) -> Box:
    """The box around points (at least one)."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


@overload
def intersect(a: Box, b: Box | None) -> Box: ...
@overload
def intersect(a: Box | None, b: Box) -> Box: ...
@overload
def intersect(a: Box | None, b: Box | None) -> Box | None: ...
def intersect(a: Box | None, b: Box | None) -> Box | None:
    if a is None:
        return b
    if b is None:
        return a
    return (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))


def covers(outer: Box, inner: Box, slack: float = 0.0) -> bool:
    return (outer[0] - slack <= inner[0] and outer[1] - slack <= inner[1]
            and outer[2] + slack >= inner[2] and outer[3] + slack >= inner[3])


# --- fonts ----------------------------------------------------------------------

_SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")


def _font_use(font: Any) -> FontUse:
    font = font.get_object()
    subtype = str(font.get("/Subtype", ""))
    name = _SUBSET_TAG.sub("", str(font.get("/BaseFont", "")).lstrip("/"))
    widths: dict[int, float] = {}
    default = 0.0
    two_byte = subtype == "/Type0"
    if two_byte:
        descendant = font["/DescendantFonts"][0].get_object()
        default = float(descendant.get("/DW", 1000))
        w = descendant.get("/W") or []
        i = 0
        while i + 1 < len(w):
            first, second = int(w[i]), w[i + 1]
            if isinstance(second, list):
                for k, value in enumerate(second):
                    widths[first + k] = float(value)
                i += 2
            else:
                for code in range(first, min(int(second), first + 0xFFFF, 0xFFFF) + 1):  # codes are 2 bytes
                    widths[code] = float(w[i + 2])
                i += 3
    else:
        first = int(font.get("/FirstChar", 0))
        for k, value in enumerate(font.get("/Widths") or []):
            widths[first + k] = float(value)
        descriptor = font.get("/FontDescriptor")
        if descriptor is not None:
            default = float(descriptor.get_object().get("/MissingWidth", 0))
    return FontUse(id(font), name, subtype, two_byte, widths, default, _to_unicode(font), font)


class CodeMap:
    """A ToUnicode map: single codes, and ranges looked up when asked (a map of
    thousands of full ranges is not expanded into millions of entries)."""

    def __init__(self) -> None:
        self.single: dict[int, str] = {}
        self.ranges: list[tuple[int, int, str]] = []  # (first, last, text of the first), sorted

    def get(self, code: int, default: str = "") -> str:
        if code in self.single:
            return self.single[code]
        i = bisect.bisect_right(self.ranges, (code, 0x10FFFF, "\U0010ffff")) - 1
        if i >= 0:
            first, last, start = self.ranges[i]
            if first <= code <= last and start:
                step = ord(start[-1]) + code - first
                return start[:-1] + chr(step) if step <= 0x10FFFF else default
        return default

    def __len__(self) -> int:
        return len(self.single) + len(self.ranges)


def _to_unicode(font: Any) -> CodeMap:
    table = CodeMap()
    stream = font.get("/ToUnicode")
    if stream is None:
        return table
    try:
        data = stream.get_object().get_data().decode("latin-1")
    except Exception:  # noqa: BLE001 - an unreadable map is the same as no map
        return table
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            table.single[int(src, 16)] = _utf16(dst)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, rest in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[[^\]]*\]|<[0-9A-Fa-f]*>)", block):
            lo_i, hi_i = int(lo, 16), min(int(hi, 16), 0xFFFF)
            if rest.startswith("["):
                for k, dst in enumerate(re.findall(r"<([0-9A-Fa-f]*)>", rest)[:hi_i - lo_i + 1]):
                    table.single[lo_i + k] = _utf16(dst)
            elif lo_i <= hi_i:
                table.ranges.append((lo_i, hi_i, _utf16(rest[1:-1])))
    table.ranges.sort()
    return table


def _utf16(hex_text: str) -> str:
    try:
        return bytes.fromhex(hex_text).decode("utf-16-be")
    except ValueError:
        return ""


# --- the interpreter -----------------------------------------------------------------

@dataclass
class _State:
    ctm: Matrix = IDENTITY
    clip: Box | None = None
    fill: Ink = BLACK_INK
    stroke: Ink = BLACK_INK
    fill_space: str = "DeviceGray"
    stroke_space: str = "DeviceGray"
    line_width: float = 1.0
    alpha: float = 1.0
    overprint_fill: bool = False
    overprint_stroke: bool = False
    overprint_mode: int = 0
    blend: str = "Normal"
    # text state survives BT/ET and is saved by q/Q
    char_spacing: float = 0.0
    word_spacing: float = 0.0
    hscale: float = 1.0
    leading: float = 0.0
    font: FontUse | None = None
    font_size: float = 0.0
    mode: int = 0
    rise: float = 0.0


@dataclass
class _Frame:
    """Where the interpreter is in one content stream."""

    resources: Any  # the stream's resource dictionary
    st: _State
    source: str
    hidden: str | None
    depth: int
    seen: frozenset[int]
    stack: list[_State] = field(default_factory=list)
    marked: list[str | None] = field(default_factory=list)
    path: list[tuple[float, float]] = field(default_factory=list)
    clip_pending: bool = False
    tm: Matrix = IDENTITY
    lm: Matrix = IDENTITY

    def hidden_now(self) -> str | None:
        return _hidden(self.hidden, self.marked)


_PAINTING = {b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"S", b"s", b"n"}
_TEXT_STATE = {b"BT", b"Tc", b"Tw", b"Tz", b"TL", b"Tr", b"Ts", b"Tf", b"Td", b"TD", b"Tm", b"T*"}
MAX_OPERATIONS = 100_000  # per page, Form XObjects included: 20 times a leaflet page, short of a hang
MAX_GLYPHS = 30_000  # a leaflet page paints about 2,500


class _Interpreter:
    def __init__(self, page_index: int, catalog: Any, out: PagePaint):
        self.page = page_index
        self.out = out
        self.order = 0
        self.fonts: dict[int, FontUse] = {}
        self.off = _off_groups(catalog)
        self.parsed: dict[int, list[tuple[Any, bytes]]] = {}
        self.steps = 0
        self.glyph_count = 0

    # one content stream, with its resources, under a state, as `source`
    def run(self, content: Any, resources: Any, state: _State, source: str, hidden: str | None, depth: int = 0,
            seen: frozenset[int] = frozenset()) -> None:
        operations = self._operations(content, source)
        frame = _Frame(resources.get_object() if resources is not None else {}, replace(state), source, hidden,
                       depth, seen)
        for operands, op in operations:
            self.steps += 1
            if self.steps > MAX_OPERATIONS:
                self._problem(f"the page is too complex to judge (over {MAX_OPERATIONS:,} drawing operations)")
                return
            try:
                self._step(frame, operands, op)
            except (IndexError, TypeError, ValueError, AttributeError, KeyError, ZeroDivisionError):
                self._problem(f"a malformed '{op.decode('latin-1', 'replace')}' operator in {source}")

    def _operations(self, content: Any, source: str) -> list[tuple[Any, bytes]]:
        """A stream's operations, parsed once however often it is drawn."""
        key = getattr(content, "idnum", None) or id(content)
        if key not in self.parsed:
            try:
                self.parsed[key] = content.operations if isinstance(content, ContentStream) \
                    else ContentStream(content, None).operations
            except Exception as exc:  # noqa: BLE001 - an unreadable stream is reported, never skipped silently
                self._problem(f"a content stream in {source} cannot be read ({type(exc).__name__})")
                self.parsed[key] = []
        return self.parsed[key]

    def _problem(self, what: str) -> None:
        if what not in self.out.problems:
            self.out.problems.append(what)

    def _step(self, f: _Frame, operands: Any, op: bytes) -> None:
        st = f.st
        if op == b"q":
            f.stack.append(replace(st))
        elif op == b"Q":
            if f.stack:
                f.st = f.stack.pop()
        elif op == b"cm":
            st.ctm = multiply(_matrix(operands), st.ctm)
        elif op == b"w":
            st.line_width = _num(operands[0])
        elif op == b"gs":
            self._ext_gstate(f.resources, operands[0], st)
        elif op in (b"m", b"l"):
            f.path.append(apply(st.ctm, _num(operands[0]), _num(operands[1])))
        elif op in (b"c", b"v", b"y"):
            nums = [_num(v) for v in operands]
            f.path.extend(apply(st.ctm, nums[k], nums[k + 1]) for k in range(0, len(nums) - 1, 2))
        elif op == b"re":
            x, y, w, h = (_num(v) for v in operands[:4])
            f.path.extend(apply(st.ctm, px, py) for px in (x, x + w) for py in (y, y + h))
        elif op in (b"W", b"W*"):
            f.clip_pending = True
        elif op in _PAINTING:
            self._paint_path(f, op)
        elif op in (b"cs", b"CS"):
            self._colour_space(f, operands, op)
        elif op in (b"sc", b"scn"):
            st.fill = Ink(st.fill_space, tuple(_num(v) for v in operands if not _is_name(v)))
        elif op in (b"SC", b"SCN"):
            st.stroke = Ink(st.stroke_space, tuple(_num(v) for v in operands if not _is_name(v)))
        elif op in (b"g", b"rg", b"k", b"G", b"RG", b"K"):
            space = {b"g": "DeviceGray", b"rg": "DeviceRGB", b"k": "DeviceCMYK"}[op.lower()]
            ink = Ink(space, tuple(_num(v) for v in operands))
            if op.islower():
                st.fill_space, st.fill = space, ink
            else:
                st.stroke_space, st.stroke = space, ink
        elif op in _TEXT_STATE:
            self._text_state(f, operands, op)
        elif op in (b"Tj", b"'", b'"', b"TJ"):
            if op in (b"'", b'"'):
                if op == b'"':
                    st.word_spacing, st.char_spacing = _num(operands[0]), _num(operands[1])
                f.tm = f.lm = multiply((1, 0, 0, 1, 0, -st.leading), f.lm)
            items = operands[0] if op == b"TJ" else [operands[-1]]
            f.tm = self._show(items, f.tm, st, f.source, f.hidden_now())
        elif op == b"Do":
            self._do(f.resources, operands[0], st, f.source, f.hidden_now(), f.depth, f.seen)
        elif op == b"INLINE IMAGE":
            if not f.hidden_now():
                self._paint(box_of([apply(st.ctm, x, y) for x in (0, 1) for y in (0, 1)]), None, "image", st)
        elif op == b"sh":
            if not f.hidden_now():
                self._paint(st.clip or (-1e9, -1e9, 1e9, 1e9), None, "shading", st)
        elif op == b"BDC":
            f.marked.append(self._optional_content(f.resources, operands))
        elif op == b"BMC":
            f.marked.append(None)
        elif op == b"EMC":
            if f.marked:
                f.marked.pop()

    def _paint_path(self, f: _Frame, op: bytes) -> None:
        st = f.st
        area = box_of(f.path) if f.path else None
        if area is not None and op != b"n" and not f.hidden_now():
            if op in (b"S", b"s"):
                pad = st.line_width * math.hypot(st.ctm[0], st.ctm[1]) / 2
                self._paint((area[0] - pad, area[1] - pad, area[2] + pad, area[3] + pad), st.stroke, "stroke", st,
                            st.overprint_stroke)
            else:
                self._paint(area, st.fill, "fill", st, st.overprint_fill)
        if f.clip_pending and area is not None:
            st.clip = intersect(st.clip, area)
        f.path, f.clip_pending = [], False

    def _colour_space(self, f: _Frame, operands: Any, op: bytes) -> None:
        space = _space_name(f.resources, operands[0])
        initial = Ink(space, (0.0, 0.0, 0.0, 1.0) if space == "DeviceCMYK" else
                      (0.0,) if space == "DeviceGray" or space.startswith("Separation") else (0.0,) * 3)
        if op == b"cs":
            f.st.fill_space, f.st.fill = space, initial
        else:
            f.st.stroke_space, f.st.stroke = space, initial

    def _text_state(self, f: _Frame, operands: Any, op: bytes) -> None:
        st = f.st
        if op == b"BT":
            f.tm = f.lm = IDENTITY
        elif op == b"Tc":
            st.char_spacing = _num(operands[0])
        elif op == b"Tw":
            st.word_spacing = _num(operands[0])
        elif op == b"Tz":
            st.hscale = _num(operands[0]) / 100
        elif op == b"TL":
            st.leading = _num(operands[0])
        elif op == b"Tr":
            st.mode = int(_num(operands[0]))
        elif op == b"Ts":
            st.rise = _num(operands[0])
        elif op == b"Tf":
            st.font = self._font(f.resources, operands[0], f.source)
            st.font_size = _num(operands[1])
        elif op in (b"Td", b"TD"):
            tx, ty = _num(operands[0]), _num(operands[1])
            if op == b"TD":
                st.leading = -ty
            f.tm = f.lm = multiply((1, 0, 0, 1, tx, ty), f.lm)
        elif op == b"Tm":
            f.tm = f.lm = _matrix(operands)
        elif op == b"T*":
            f.tm = f.lm = multiply((1, 0, 0, 1, 0, -st.leading), f.lm)

    def _paint(self, area: Box, ink: Ink | None, kind: str, st: _State, overprint: bool = False) -> None:
        # Overprinting a process colour only changes anything under OPM 0, where it paints all four plates.
        overprint = overprint and not (st.overprint_mode == 0 and ink is not None and ink.space == "DeviceCMYK")
        self.order += 1
        self.out.paints.append(Paint(area, ink, self.order, kind, st.clip, overprint, st.alpha, st.blend))

    def _font(self, resources: Any, name: Any, source: str) -> FontUse | None:
        fonts = resources.get("/Font")
        font = fonts.get_object().get(name) if fonts is not None else None
        if font is None:
            self.out.problems.append(f"text in {source} uses a font {name} that the page does not define")
            return None
        key = id(font.get_object())
        if key not in self.fonts:
            self.fonts[key] = _font_use(font)
        return self.fonts[key]

    def _show(self, items: Any, tm: Matrix, st: _State, source: str, hidden: str | None) -> Matrix:
        font, size = st.font, st.font_size
        if font is None:
            return tm
        for item in items:
            if not hasattr(item, "get_original_bytes") and not isinstance(item, (bytes, str)):
                tm = multiply((1, 0, 0, 1, -_num(item) / 1000 * size * st.hscale, 0), tm)
                continue
            raw = item.get_original_bytes() if hasattr(item, "get_original_bytes") else bytes(item, "latin-1") \
                if isinstance(item, str) else bytes(item)
            step = 2 if font.two_byte else 1
            scale = size * st.hscale
            for i in range(0, len(raw) - step + 1, step):
                code = int.from_bytes(raw[i:i + step], "big")
                width = font.widths.get(code, font.default_width) / 1000
                # multiply(tm, ctm), then (scale, 0, 0, size, 0, rise) before it: the products written
                # out, as this runs for every glyph of the page
                base = multiply(tm, st.ctm)
                trm = (scale * base[0], scale * base[1], size * base[2], size * base[3],
                       st.rise * base[2] + base[4], st.rise * base[3] + base[5])
                advance_x = (width * size + st.char_spacing + (st.word_spacing if step == 1 and code == 32 else 0))
                advance_x *= st.hscale
                # Spaces too: a space must draw nothing, and the glyph witness checks that it does not.
                self._glyph(font, code, font.to_unicode.get(code, ""), trm, advance_x * math.hypot(base[0], base[1]),
                            st, source, hidden)
                tm = (tm[0], tm[1], tm[2], tm[3], advance_x * tm[0] + tm[4], advance_x * tm[1] + tm[5])
        return tm

    def _glyph(self, font: FontUse, code: int, char: str, trm: Matrix, advance: float, st: _State, source: str,
               hidden: str | None) -> None:
        height = math.hypot(trm[2], trm[3])
        width = math.hypot(trm[0], trm[1])
        angle = math.degrees(math.atan2(trm[1], trm[0])) if trm[1] or trm[0] < 0 else 0.0
        self.glyph_count += 1
        if self.glyph_count > MAX_GLYPHS:
            self._problem(f"the page paints too many glyphs to judge (over {MAX_GLYPHS:,})")
            return
        self.order += 1
        self.out.glyphs.append(Glyph(
            self.page, code, char, font, trm[4], trm[5], height, width / height if height else 0.0, angle,
            advance, st.fill, st.mode, st.alpha, st.clip, hidden, self.order, source,
            _glyph_box(trm[4], trm[5], angle, advance, height)))

    def _do(self, resources: Any, name: Any, st: _State, source: str, hidden: str | None, depth: int,
            seen: frozenset[int]) -> None:
        xobjects = resources.get("/XObject")
        xobject = xobjects.get_object().get(name) if xobjects is not None else None
        if xobject is None:
            self.out.problems.append(f"{source} draws an XObject {name} that it does not define")
            return
        ref = getattr(xobject, "idnum", None) or id(xobject.get_object())
        xobject = xobject.get_object()
        kind = xobject.get("/Subtype")
        if kind == "/Image":
            if not hidden and not self._group_off(xobject):
                self._paint(box_of([apply(st.ctm, x, y) for x in (0, 1) for y in (0, 1)]), None, "image", st)
            return
        if kind != "/Form":
            return
        if depth >= MAX_DEPTH or ref in seen:
            self.out.problems.append(f"Form XObject {name} in {source} nests too deeply or draws itself")
            return
        inner = replace(st)
        inner.ctm = multiply(_matrix(xobject.get("/Matrix") or IDENTITY), st.ctm)
        bbox = xobject.get("/BBox")
        if bbox is not None:
            x0, y0, x1, y1 = (_num(v) for v in bbox)
            inner.clip = intersect(st.clip, box_of([apply(inner.ctm, x, y) for x in (x0, x1) for y in (y0, y1)]))
        hidden = hidden or self._group_off(xobject)
        self.run(xobject, xobject.get("/Resources") or resources, inner, f"Form XObject {name}", hidden,
                 depth + 1, seen | {ref})

    def _ext_gstate(self, resources: Any, name: Any, st: _State) -> None:
        states = resources.get("/ExtGState")
        gs = states.get_object().get(name) if states is not None else None
        if gs is None:
            return
        gs = gs.get_object()
        if "/ca" in gs:
            st.alpha = _num(gs["/ca"])
        mask = gs.get("/SMask")
        if mask is not None and str(mask) != "/None":
            st.alpha = min(st.alpha, 0.5)  # a soft mask can fade anything: treat it as not fully opaque
        if "/LW" in gs:
            st.line_width = _num(gs["/LW"])
        if "/OP" in gs:
            st.overprint_stroke = st.overprint_fill = _true(gs["/OP"])
        if "/op" in gs:
            st.overprint_fill = _true(gs["/op"])
        if "/OPM" in gs:
            st.overprint_mode = int(_num(gs["/OPM"]))
        if "/BM" in gs:
            blend = gs["/BM"]
            st.blend = str(blend[0] if isinstance(blend, list) and blend else blend).lstrip("/")
        if "/Font" in gs and len(gs["/Font"]) == 2:  # a font set through the graphics state
            font, size = gs["/Font"]
            key = id(font.get_object())
            if key not in self.fonts:
                self.fonts[key] = _font_use(font)
            st.font, st.font_size = self.fonts[key], _num(size)

    def _optional_content(self, resources: Any, operands: Any) -> str | None:
        if len(operands) < 2 or str(operands[0]) != "/OC":
            return None
        properties = resources.get("/Properties")
        group = operands[1]
        if not hasattr(group, "get_object") or isinstance(group, str):
            group = properties.get_object().get(group) if properties is not None else None
        return self._group_off({"/OC": group}) if group is not None else None

    def _group_off(self, holder: Any) -> str | None:
        """Why an optional-content group (or membership dictionary) hides this in print, if it does."""
        group = holder.get("/OC")
        if group is None:
            return None
        group = group.get_object()
        members = group.get("/OCGs") if group.get("/Type") == "/OCMD" else [group]
        if members is None:
            return None
        members = members if isinstance(members, list) else [members]
        states = [self._member_off(m.get_object()) for m in members]
        return "in an optional-content layer that is switched off" if states and all(states) else None

    def _member_off(self, ocg: Any) -> bool:
        # Only the default configuration: a PDF/X press ignores viewer and print usage settings
        # (print state reports any layer whose printing depends on them).
        return id(ocg) in self.off


def _hidden(hidden: str | None, marked: list[str | None]) -> str | None:
    return hidden or next((m for m in marked if m), None)


def _off_groups(catalog: Any) -> set[int]:
    properties = catalog.get("/OCProperties")
    if properties is None:
        return set()
    default = properties.get_object().get("/D")
    default = default.get_object() if default is not None else {}
    everything = [g.get_object() for g in properties.get_object().get("/OCGs") or []]
    if str(default.get("/BaseState", "/ON")) == "/OFF":
        on = {id(g.get_object()) for g in default.get("/ON") or []}
        return {id(g) for g in everything if id(g) not in on}
    return {id(g.get_object()) for g in default.get("/OFF") or []}


def _space_name(resources: Any, name: Any) -> str:
    text = str(name).lstrip("/")
    if text in ("DeviceCMYK", "DeviceRGB", "DeviceGray", "Pattern"):
        return text
    spaces = resources.get("/ColorSpace")
    space = spaces.get_object().get(name) if spaces is not None else None
    if space is None:
        return text
    space = space.get_object()
    if isinstance(space, list) and space:
        family = str(space[0]).lstrip("/")
        if family == "Separation" and len(space) > 1:
            return f"Separation:{str(space[1]).lstrip('/')}"
        if family == "ICCBased":
            return {1: "DeviceGray", 3: "DeviceRGB", 4: "DeviceCMYK"}.get(int(space[1].get_object().get("/N", 0)),
                                                                         "ICCBased")
        return family
    return str(space).lstrip("/")


def _matrix(values: Any) -> Matrix:
    nums = [_num(v) for v in values]
    if len(nums) != 6:
        return IDENTITY
    a, b, c, d, e, f = nums
    return (a, b, c, d, e, f)


def _num(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _true(value: object) -> bool:
    """A PDF boolean as Python's: pypdf's BooleanObject(False) is truthy."""
    return getattr(value, "value", value) is True


def _is_name(value: object) -> bool:
    return str(value).startswith("/")


# --- the document ------------------------------------------------------------------

PRINT_FLAG, HIDDEN_FLAG = 4, 2


def paint_pages(reader: PdfReader, limit: int | None = None) -> list[PagePaint]:
    """Every glyph and shape each page paints (the first `limit` pages): its content,
    then its printable annotations."""
    catalog = reader.trailer["/Root"].get_object()
    pages = []
    for index, page in enumerate(reader.pages):
        if limit is not None and index >= limit:
            break
        out = PagePaint()
        interpreter = _Interpreter(index, catalog, out)
        content = page.get_contents()
        if content is not None:
            refs = page.get("/Contents")
            refs = refs if isinstance(refs, list) else [refs]
            seen = frozenset(r.idnum for r in refs if hasattr(r, "idnum"))  # a page drawing its own stream
            interpreter.run(content, page.get("/Resources"), _State(), "page", None, seen=seen)
        for annotation in page.get("/Annots") or []:
            _annotation(interpreter, annotation.get_object())
        pages.append(out)
    return pages


def _annotation(interpreter: _Interpreter, annotation: Any) -> None:
    flags = int(annotation.get("/F", 0))
    appearance = annotation.get("/AP")
    if not flags & PRINT_FLAG or flags & HIDDEN_FLAG or appearance is None:
        return
    normal = appearance.get_object().get("/N")
    if normal is None:
        return
    normal = normal.get_object()
    if "/BBox" not in normal and annotation.get("/AS") is not None:
        normal = normal.get(annotation["/AS"])
        if normal is None:
            return
        normal = normal.get_object()
    bbox = [_num(v) for v in normal.get("/BBox") or (0, 0, 1, 1)]
    rect = [_num(v) for v in annotation.get("/Rect") or (0, 0, 0, 0)]
    matrix = _matrix(normal.get("/Matrix") or IDENTITY)
    corners = [apply(matrix, x, y) for x in (bbox[0], bbox[2]) for y in (bbox[1], bbox[3])]
    tx = box_of(corners)
    sx = (rect[2] - rect[0]) / (tx[2] - tx[0]) if tx[2] > tx[0] else 1.0
    sy = (rect[3] - rect[1]) / (tx[3] - tx[1]) if tx[3] > tx[1] else 1.0
    fit = multiply(matrix, (sx, 0, 0, sy, rect[0] - tx[0] * sx, rect[1] - tx[1] * sy))
    state = _State(ctm=IDENTITY, clip=(min(rect[0], rect[2]), min(rect[1], rect[3]),
                                       max(rect[0], rect[2]), max(rect[1], rect[3])))
    subtype = str(annotation.get("/Subtype", "")).lstrip("/")
    # The appearance is drawn through its matrix and fitted to the annotation's rectangle, as a viewer does.
    interpreter.run(normal, normal.get("/Resources"), replace(state, ctm=fit),
                    f"a {subtype} annotation", None)
