"""Fonts stage: pick the pinned face for each language, prove every character
has a glyph, and register print-ready subsets with ReportLab.

ReportLab reads only TrueType outlines; Noto Sans CJK ships CFF outlines. So a
CJK face is cut to the characters the leaflet uses and its outlines converted
to quadratic (TrueType) curves with fontTools before ReportLab sees it.
ReportLab then embeds its own subset of that subset into the PDF.
"""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset as ft_subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont as FTFont
from fontTools.ttLib import TTLibError, newTable
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont as RLFont

from .errors import FontError, GlyphError
from .resolve import Edition

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"

# Pinned faces per BCP 47 language tag: (regular, bold) file names in fonts/.
FACES: dict[str, tuple[str, str]] = {
    "en": ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    "zh-Hant-HK": ("NotoSansCJKhk-Regular.otf", "NotoSansCJKhk-Bold.otf"),
}
WEIGHTS = ("regular", "bold")

# Characters that need no glyph: line structure, not ink.
_INVISIBLE = {"\n", "\t", "\u00ad", "\u200b"}


@dataclass(frozen=True)
class Face:
    """A registered font: the name ReportLab knows it by, and its source file."""

    name: str
    file: Path
    sha256: str


@dataclass(frozen=True)
class FontBook:
    """Registered faces keyed by (language, weight)."""

    faces: dict[tuple[str, str], Face]

    def name(self, language: str, weight: str) -> str:
        return self.faces[(language, weight)].name


def face_path(language: str, weight: str, font_dir: Path = FONT_DIR) -> Path:
    regular, bold = FACES[language]
    return font_dir / (bold if weight == "bold" else regular)


def prepare_fonts(edition: Edition, font_dir: Path = FONT_DIR) -> FontBook:
    """Check coverage of every character, then register one face per language and weight."""
    faces = {}
    for language in edition.languages:
        for weight in WEIGHTS:
            path = face_path(language, weight, font_dir)
            font = _open(path)
            _check_coverage(edition, language, weight, font, path)
            chars = edition.characters(language, weight)
            faces[(language, weight)] = _register(path, font, chars)
    return FontBook(faces)


def _open(path: Path) -> FTFont:
    if not path.is_file():
        raise FontError(f"pinned font file {path.name} is missing from {path.parent}",
                        fix="restore it from the repository (git checkout -- fonts/)")
    try:
        return FTFont(path, lazy=True, recalcTimestamp=False)
    except (TTLibError, OSError, AssertionError) as exc:
        raise FontError(f"font file {path} cannot be read ({exc})",
                        fix="restore the pinned font from the repository") from None


def _check_coverage(edition: Edition, language: str, weight: str, font: FTFont, path: Path) -> None:
    cmap = font.getBestCmap()
    for char, story, where in edition.character_sources(language, weight):
        if char not in _INVISIBLE and ord(char) not in cmap:
            raise GlyphError(
                f"the character {char!r} (U+{ord(char):04X}) in story '{story}' has no glyph "
                f"in {path.name}, the font for {language}",
                where,
                fix="replace the character, or choose a font for this language that has it",
            )


def _register(path: Path, font: FTFont, chars: str) -> Face:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    # The name carries the content hash so two different cuts never collide
    # inside one process, and the same cut always gets the same name.
    family = font["name"].getDebugName(6) or path.stem
    key = hashlib.sha256((digest + "".join(sorted(set(chars)))).encode()).hexdigest()[:8]
    name = f"{family}-{key}"
    if name not in pdfmetrics.getRegisteredFontNames():
        if "CFF " in font:
            data = _truetype_subset(font, chars)
        else:
            data = io.BytesIO(path.read_bytes())
        pdfmetrics.registerFont(RLFont(name, data))
    return Face(name, path, digest)


def _truetype_subset(font: FTFont, chars: str) -> io.BytesIO:
    """Cut a CFF font to `chars` and convert its outlines to TrueType."""
    options = ft_subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.recalc_timestamp = False
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(unicodes={ord(c) for c in chars if c not in _INVISIBLE})
    subsetter.subset(font)
    _cff_to_glyf(font)
    out = io.BytesIO()
    font.save(out)
    out.seek(0)
    return out


def _cff_to_glyf(font: FTFont, max_err: float = 1.0) -> None:
    """Replace CFF outlines by quadratic glyf outlines (fontTools' otf2ttf recipe)."""
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
    for table in ("VORG",):
        if table in font:
            del font[table]
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
    post = font["post"]
    post.formatType = 3.0
    font.sfntVersion = "\000\001\000\000"
