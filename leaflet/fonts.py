"""Fonts stage: pick the face for each language, prove every character has a
glyph, and register print-ready subsets with ReportLab.

Every face, pinned or named by a theme, goes through one pipeline: cut to the
characters the leaflet uses (keeping only the kerning feature), and if its
outlines are CFF — ReportLab reads only TrueType — converted to quadratic
curves. The result is cached per (font file hash, face index, character set)
so a rebuild does not pay for subsetting and conversion again.

Text is kerned with HarfBuzz, and only kerned: ligatures and other
substitutions are off so that the text read back from the PDF is the text of
the content, character for character.
"""
from __future__ import annotations

import functools
import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

import uharfbuzz
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr
from reportlab.pdfbase.ttfonts import TTFont as RLFont

from .errors import FontError, GlyphError, LeafletError, Location, individual, raise_all
from .output import write_atomically
from .resolve import Edition

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"

_HK = ("NotoSansCJKhk-Regular.otf", "NotoSansCJKhk-Bold.otf")
_TC = ("NotoSansCJKtc-Regular.otf", "NotoSansCJKtc-Bold.otf")
_SC = ("NotoSansCJKsc-Regular.otf", "NotoSansCJKsc-Bold.otf")

# Pinned faces per BCP 47 language tag: (regular, bold) in fonts/. The Chinese
# glyph standard follows the region: HK for Hong Kong and Macau, TC for
# Taiwan, SC for Simplified Chinese.
FACES: dict[str, tuple[str, str]] = {
    "en": ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    "zh-Hant-HK": _HK,
    "zh-Hant-MO": _HK,
    "zh-Hant-TW": _TC,
    "zh-Hans": _SC,
    "zh-Hans-SG": _SC,
    "zh-Hans-CN": _SC,
}
WEIGHTS = ("regular", "bold")

# Bump when the preparation below changes, so stale cache entries are not used.
PREPARATION_VERSION = "1"
# Kerning only: no ligature or contextual substitution may change the text.
SHAPING_FEATURES = {"kern": True, "liga": False, "clig": False, "dlig": False, "calt": False,
                    "hlig": False, "rlig": False}

# Characters that need no glyph: line structure, not ink.
_INVISIBLE = {"\n", "\t", "\u00ad", "\u200b"}
# Every face carries printable ASCII: the slug line and marks use it in any language.
_ALWAYS = {chr(c) for c in range(0x20, 0x7F)}


@dataclass(frozen=True)
class FontSource:
    """A font file (and face within a collection) chosen for a language and weight."""

    path: Path
    index: int = 0
    where: Location | None = None  # the theme line that named it, if any


@dataclass(frozen=True)
class Face:
    """A registered font: the name ReportLab knows it by, and its source file."""

    name: str
    source: FontSource
    sha256: str


@dataclass(frozen=True)
class FontBook:
    """Registered faces keyed by (language, weight)."""

    faces: dict[tuple[str, str], Face]

    def name(self, language: str, weight: str) -> str:
        return self.faces[(language, weight)].name


def cache_dir() -> Path:
    """Per-user cache of prepared fonts: $LEAFLET_CACHE_DIR, else the XDG cache."""
    if os.environ.get("LEAFLET_CACHE_DIR"):
        return Path(os.environ["LEAFLET_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "leaflet" / "fonts"


def clear_cache() -> int:
    """Delete every prepared font in the cache; returns how many were removed."""
    removed = 0
    folder = cache_dir()
    if folder.is_dir():
        for entry in folder.glob("*.ttf"):
            entry.unlink(missing_ok=True)
            removed += 1
    return removed


def source_for(edition: Edition, language: str, weight: str, font_dir: Path = FONT_DIR) -> FontSource:
    override = edition.leaflet.theme.fonts.get(language)
    if override:
        return FontSource(override.bold if weight == "bold" else override.regular, override.index, override.where)
    regular, bold = FACES[language]
    return FontSource(font_dir / (bold if weight == "bold" else regular))


def prepare_fonts(edition: Edition, font_dir: Path = FONT_DIR, problems: list | None = None) -> FontBook:
    """Check coverage of every character, then register one subset per font face.

    Uses that share a face (two languages on one CJK face, or a theme naming
    one file for both weights) share one subset holding all their characters.
    Missing glyphs are raised together, or, given a `problems` list, added to
    it while the fonts are still prepared, so layout can be checked too."""
    uses: dict[tuple[Path, int], list[tuple[str, str, FontSource]]] = {}
    for language in edition.languages:
        for weight in WEIGHTS:
            source = source_for(edition, language, weight, font_dir)
            uses.setdefault((source.path, source.index), []).append((language, weight, source))
    faces = {}
    problems: list[LeafletError] = []
    for users in uses.values():
        try:
            face = _prepare(edition, users, problems)
        except LeafletError as exc:
            problems.extend(individual(exc))
            continue
        for language, weight, _ in users:
            faces[(language, weight)] = face
    raise_all(problems)
    return FontBook(faces)


def _prepare(edition: Edition, users: list[tuple[str, str, FontSource]], found: list | None) -> Face:
    source = users[0][2]
    raw = _read(source)
    digest = hashlib.sha256(raw).hexdigest()
    used = set().union(*(edition.characters(language, weight) for language, weight, _ in users))
    chars = "".join(sorted((used | _ALWAYS) - _INVISIBLE))
    key = hashlib.sha256(f"{PREPARATION_VERSION}\n{digest}\n{source.index}\n{chars}".encode()).hexdigest()
    name = f"{source.path.stem}-{key[:12]}"
    if name not in pdfmetrics.getRegisteredFontNames():
        cached = cache_dir() / f"{key}.ttf"
        font = _from_cache(cached, name)
        if font is None:
            parsed = _open(raw, source)
            missing = [problem for language, weight, _ in users
                       for problem in _coverage_problems(edition, language, weight, parsed, source)]
            if found is None or not missing:
                raise_all(missing)
            else:
                found.extend(missing)
            data = _truetype_subset(parsed, chars)
            font = RLFont(name, io.BytesIO(data))
            if not missing:  # a cache entry vouches that every character has its glyph
                _store(cached, data)
        _register(font)
    return Face(name, source, digest)


def _from_cache(path: Path, name: str) -> RLFont | None:
    """The prepared font from the cache, or None if it is not there or unreadable."""
    try:
        return RLFont(name, io.BytesIO(path.read_bytes()))
    except Exception:  # noqa: BLE001 - a damaged entry is rebuilt, never trusted
        return None


def _register(font: RLFont) -> None:
    """Register a prepared subset. ReportLab keeps one font per face name and
    would silently reuse an earlier subset of the same face (one missing this
    leaflet's characters), so earlier subsets of the face are dropped first."""
    for other in pdfmetrics.getRegisteredFontNames():
        previous = pdfmetrics.getFont(other)
        if getattr(previous, "face", None) is not None and previous.face.name == font.face.name:
            previous.unregister()
    pdfmetrics.registerFont(font)


def _read(source: FontSource) -> bytes:
    try:
        return source.path.read_bytes()
    except FileNotFoundError:
        fix = ("check the path in the theme" if source.where
               else "restore it from the repository (git checkout -- fonts/)")
        raise FontError(f"font file {source.path.name} is missing from {source.path.parent}", source.where,
                        fix=fix) from None
    except OSError as exc:
        raise FontError(f"font file {source.path} cannot be read ({exc.strerror})", source.where) from None


def _open(raw: bytes, source: FontSource):
    from fontTools.ttLib import TTFont, TTLibError  # imported only on a cache miss: it is slow to load

    try:
        font = TTFont(io.BytesIO(raw), fontNumber=source.index, lazy=True, recalcTimestamp=False)
        font.getBestCmap()
        return font
    except (TTLibError, OSError, AssertionError, ValueError, KeyError, IndexError) as exc:
        raise FontError(f"font file {source.path} cannot be read as a font ({exc or type(exc).__name__})",
                        source.where, fix="use a TTF, OTF or TTC file (with its face index)") from None


def _store(path: Path, data: bytes) -> None:
    """Write a cache entry; a cache that cannot be written only costs time."""
    try:
        write_atomically(path, data)
    except Exception:  # noqa: BLE001 - the cache is an optimisation, never a failure
        pass


def _coverage_problems(edition: Edition, language: str, weight: str, font, source: FontSource):
    """A problem for each character (once per story) the font has no glyph for."""
    cmap = font.getBestCmap()
    seen = set()
    for char, story, where in edition.character_sources(language, weight):
        if char in _INVISIBLE or ord(char) in cmap or (char, story) in seen:
            continue
        seen.add((char, story))
        yield GlyphError(
            f"the character {char!r} (U+{ord(char):04X}) in story '{story}' has no glyph "
            f"in {source.path.name}, the {weight} font for {language}",
            where,
            fix="replace the character, or choose a font for this language that has it",
        )


def _truetype_subset(font, chars: str) -> bytes:
    """Cut a font to `chars`, keep only kerning, and make its outlines TrueType."""
    from fontTools import subset

    options = subset.Options()
    options.layout_features = ["kern"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.recalc_timestamp = False
    options.glyph_names = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes={ord(c) for c in chars})
    subsetter.subset(font)
    if "CFF " in font:
        _cff_to_glyf(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _cff_to_glyf(font, max_err: float = 1.0) -> None:
    """Replace CFF outlines by quadratic glyf outlines (fontTools' otf2ttf recipe)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        # CFF contours run counter-clockwise; TrueType wants clockwise.
        glyph_set[name].draw(Cu2QuPen(pen, max_err, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        advance, _ = hmtx.metrics[name]
        hmtx.metrics[name] = (advance, getattr(glyph, "xMin", 0))
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for field in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, field, 0)
    font["maxp"] = maxp
    font["post"].formatType = 3.0
    font.sfntVersion = "\000\001\000\000"


# --- kerning ---------------------------------------------------------------------

@functools.lru_cache(maxsize=65536)
def kerned(text: str, font_name: str, size: float) -> tuple[str, float]:
    """The text ready to draw (a ShapedStr carrying kerning when the font kerns
    it) and its width in points."""
    ttf = pdfmetrics.getFont(font_name)
    plain = (text, pdfmetrics.stringWidth(text, font_name, size))
    buf = uharfbuzz.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    buf.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_CHARACTERS
    uharfbuzz.shape(ttf.hbFont(size), buf, SHAPING_FEATURES)
    if len(buf.glyph_infos) != len(text):
        return plain  # something was substituted: draw unshaped rather than change the text
    data, total, changed = [], 0.0, False
    for char, info, pos in zip(text, buf.glyph_infos, buf.glyph_positions):
        if ttf.face.charToGlyph.get(ord(char)) != info.codepoint:
            return plain
        nominal = ttf.face.charWidths.get(ord(char), 0)
        advance = ttf.pdfScale(pos.x_advance)
        offsets = (ttf.pdfScale(pos.x_offset), ttf.pdfScale(pos.y_offset))
        changed = changed or advance != nominal or offsets != (0, 0)
        data.append(ShapeData(info.cluster, advance, ttf.pdfScale(pos.y_advance), *offsets, nominal))
        total += advance
    if not changed:
        return plain
    return ShapedStr(text, data), total * size / 1000


def measure(text: str, font_name: str, size: float) -> float:
    """Width of text in points, kerning included."""
    return kerned(text, font_name, size)[1]
