"""Fonts stage: pick the face for each language, prove the pinned files are
the pinned fonts and that every character has a glyph, and prepare print-ready
subsets.

Every face, pinned or named by a theme, goes through one pipeline: cut by
HarfBuzz to the characters the leaflet uses (keeping only the kerning
feature), and if its outlines are CFF — ReportLab reads only TrueType —
converted to quadratic curves by fontTools. A brand (unpinned) file must also
read as the verifier reads it and draw every visible character it maps.
The result is cached per (tool and library versions, font file hash,
face index, character set) so a rebuild does not pay for subsetting and
conversion again. Each cache entry's name carries the SHA-256 of its bytes: an
entry that no longer matches is deleted and prepared again, never used.

A `FontBook` holds the ReportLab font objects it prepared; layout measures and
render shapes with those objects, and the book registers them with ReportLab
(which draws by font name) just before drawing.

Text is kerned with HarfBuzz, and only kerned: ligatures and other
substitutions are off so that the text read back from the PDF is the text of
the content, character for character.
"""
from __future__ import annotations

import functools
import hashlib
import io
import struct
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import fontTools
import reportlab
import uharfbuzz
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr, TTFError
from reportlab.pdfbase.ttfonts import TTFont as RLFont

from .. import __version__
from ..errors import FontError, GlyphError, LeafletError, Location, individual, raise_all
from .linebreak import Line, Style
from .cache import has_entry, read_entry, store_entry
from ..content.catalogue import FACES, FONT_DIR, face_tag, restore_fonts_hint
from ..content.resolve import Edition
from ..content.scripts import ScriptFaces, is_cjk

PINNED_SUMS = "SHA256SUMS"  # in the pinned fonts folder: `sha256sum` lines for every pinned file

WEIGHTS = ("regular", "bold")

# Bump when the preparation below changes, so stale cache entries are not used.
PREPARATION_VERSION = "5"
# Everything that shapes a prepared font's bytes, or how they are read back.
PREPARED_BY = (f"leaflet {__version__}; fontTools {fontTools.version}; HarfBuzz {uharfbuzz.__version__}; "
               f"ReportLab {reportlab.Version}; preparation {PREPARATION_VERSION}")
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
    pinned: bool = False  # one of ours in the fonts folder, recorded in its SHA256SUMS


@dataclass(frozen=True)
class Face:
    """A prepared font: the name it is drawn by, its source file and that file's
    SHA-256, and the ReportLab font object itself."""

    name: str
    source: FontSource
    sha256: str
    font: RLFont = field(repr=False, compare=False)


@dataclass(frozen=True, eq=False)
class FontBook:
    """The prepared faces of one edition, keyed by (language, weight), and which
    language's face sets each script. Measuring and shaping use the book's own
    font objects, not ReportLab's registry."""

    faces: dict[tuple[str, str], Face]
    scripts: ScriptFaces
    # Paragraphs broken into lines with this book's measures, by text, style and width:
    # a layout's trial pours share them, and so do the rebuilds of `leaflet watch`.
    broken_lines: dict[tuple[object, ...], list[Line]] = field(default_factory=dict, repr=False)
    # Set from the faces: the font objects by name, and shaping memoised per book.
    _fonts: dict[str, RLFont] = field(init=False, repr=False)
    _shape: Callable[[str, str, float], tuple[str, float]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        fonts = {face.name: face.font for face in self.faces.values()}
        object.__setattr__(self, "_fonts", fonts)
        shape = functools.lru_cache(maxsize=65536)(lambda text, name, size: kerned(text, fonts[name], size))
        object.__setattr__(self, "_shape", shape)

    def name(self, language: str, weight: str) -> str:
        return self.faces[(language, weight)].name

    def runs(self, text: str, language: str, weight: str) -> list[tuple[str, str]]:
        """Text of a paragraph in `language` cut into runs, each with the name of the face that sets it."""
        return [(part, self.name(face, weight)) for part, face in self.scripts.runs(text, language)]

    def shaped(self, text: str, style: Style) -> tuple[str, float]:
        """The text ready to draw in `style`, and its width in points."""
        return self._shape(text, style.font, style.size)

    def measure(self, text: str, style: Style) -> float:
        """Width of text in `style`, in points, kerning included."""
        return self._shape(text, style.font, style.size)[1]

    def register(self) -> None:
        """Make ReportLab draw with this book's fonts: it looks fonts up by name."""
        for font in self._fonts.values():
            _register(font)


def source_for(edition: Edition, language: str, weight: str, font_dir: Path | None = None) -> FontSource:
    """The theme's brand face for the language (or the nearest shorter tag it names), else the pinned one."""
    brands = edition.leaflet.theme.fonts
    override = next((brands[tag] for tag in _shorter_tags(language) if tag in brands), None)
    if override:
        return FontSource(override.bold if weight == "bold" else override.regular, override.index, override.where)
    tag = face_tag(language)
    assert tag is not None  # load refuses a language without a pinned face
    regular, bold = FACES[tag]
    return FontSource((font_dir or FONT_DIR) / (bold if weight == "bold" else regular), pinned=True)


def _shorter_tags(tag: str) -> list[str]:
    """en-TW, en: the tag, then each shorter tag it falls back to."""
    parts = tag.split("-")
    return ["-".join(parts[:n]) for n in range(len(parts), 0, -1)]


def prepare_fonts(edition: Edition, font_dir: Path | None = None, problems: list[LeafletError] | None = None
                  ) -> FontBook:
    """Check every file and the coverage of every character, and prepare one
    subset per font face.

    Uses that share a face (two languages on one CJK face, a theme naming
    one file for both weights, or a brand file that is byte for byte a pinned
    one) share one subset holding all their characters.
    A font that cannot be used is raised, with every other problem found.
    Missing glyphs are raised together, or, given a `problems` list, added to
    it while the fonts are still prepared, so layout can be checked too."""
    found: dict[str, LeafletError] = {}
    uses = _face_uses(edition, font_dir, found)
    missing: list[LeafletError] = []
    unusable = list(found.values())
    faces = {}
    for users in uses.values():
        try:
            face = _prepare(edition, users, missing)
        except LeafletError as exc:
            unusable.extend(individual(exc))
            continue
        for language, weight, _ in users:
            faces[(language, weight)] = face
    unusable.extend(_name_clashes(faces))
    if unusable or problems is None:
        raise_all(unusable + missing)
    else:
        problems.extend(missing)
    return FontBook(faces, edition.scripts)


Users = list[tuple[str, str, FontSource]]  # (language, weight, source) sharing one face


def _face_uses(edition: Edition, font_dir: Path | None, found: dict[str, LeafletError]
               ) -> dict[tuple[str, int], Users]:
    """The edition's faces, by (file hash, face index), with the languages and weights each sets;
    a file that cannot be used goes into `found`."""
    uses: dict[tuple[str, int], Users] = {}
    for language in edition.face_languages:
        for weight in WEIGHTS:
            source = source_for(edition, language, weight, font_dir)
            try:
                key = (checked_sha256(source), source.index)
            except LeafletError as exc:
                found.update((str(e), e) for e in individual(exc))  # a file used twice is named once
                continue
            uses.setdefault(key, []).append((language, weight, source))
    return uses


@dataclass(frozen=True)
class Preparation:
    """One face to prepare: its file, that file's SHA-256, the characters it must hold, its cache key."""

    source: FontSource
    digest: str
    chars: str
    key: str

    @property
    def cost(self) -> int:
        """Roughly how long preparing takes: it grows with the file and the characters cut."""
        try:
            return self.source.path.stat().st_size * len(self.chars)
        except OSError:  # prepare_fonts reports the file
            return 0


def _preparation(edition: Edition, users: Users) -> Preparation:
    source = users[0][2]
    digest = checked_sha256(source)
    used = set().union(*(edition.characters(language, weight) for language, weight, _ in users))
    chars = "".join(sorted((used | _ALWAYS) - _INVISIBLE))
    key = hashlib.sha256(f"{PREPARED_BY}\n{digest}\n{source.index}\n{chars}".encode()).hexdigest()
    return Preparation(source, digest, chars, key)


def unprepared(edition: Edition, font_dir: Path | None = None) -> list[Preparation]:
    """The edition's faces the cache does not hold yet (a cold build), so that they can be
    prepared side by side before `prepare_fonts`; problems are left for it to report."""
    uses = _face_uses(edition, font_dir, {})
    return [p for p in map(functools.partial(_preparation, edition), uses.values()) if not has_entry(p.key, ".ttf")]


def prepare_into_cache(preparation: Preparation) -> bool:
    """Prepare one face and store it in the cache (in a worker: the result travels as a cache
    entry, checked against its name like any other). False if it could not be prepared."""
    try:
        store_entry(preparation.key, _prepared(preparation), ".ttf")
    except LeafletError:  # prepare_fonts meets it again and reports it
        return False
    return True


def _prepared(preparation: Preparation) -> bytes:
    """Read, check and cut a face: the slow part, which the cache saves."""
    source = preparation.source
    raw = _read(source)
    if hashlib.sha256(raw).hexdigest() != preparation.digest:
        raise FontError(f"font file {source.path.name} changed while it was being read", source.where,
                        fix="build again, and do not change font files during a build")
    from fontTools.ttLib import TTFont, TTLibError  # imported only on a cache miss: it is slow to load

    try:
        if not source.pinned:  # pinned files are known good; any other must also read as the verifier reads it
            brand = TTFont(io.BytesIO(raw), fontNumber=source.index, lazy=True)
            _read_as_verifier_does(brand, preparation.chars)
            _refuse_unembeddable(source, brand)
        prepared = _truetype_subset(raw, source.index, preparation.chars)
        if not source.pinned:  # what prints must leave ink (blank letters read back as the right text) and advance
            printed = TTFont(io.BytesIO(prepared))
            _refuse_flawed(source, _drawing_nothing(printed, preparation.chars), "empty glyphs",
                           "they would print blank")
            _refuse_flawed(source, _without_width(_read_as_reportlab_does(prepared, printed), preparation.chars),
                           "glyphs of no width", "they would print on top of the next letter")
    except (TTLibError, TTFError, RuntimeError, OSError, AssertionError, ValueError, KeyError, IndexError,
            struct.error) as exc:
        raise FontError(f"font file {source.path} cannot be read as a font ({exc or type(exc).__name__})",
                        source.where, fix="use a TTF, OTF or TTC file (with its face index)") from None
    return prepared


# What a font's licence (OS/2 fsType) forbids that every build does: embed its outlines, as a subset.
_FORBIDDEN = ((0x0100, "no subsetting", "the tool embeds only the glyphs a leaflet uses"),
              (0x0200, "bitmap embedding only", "a print PDF needs the outlines"))


def _refuse_unembeddable(source: FontSource, font: Any) -> None:
    """A brand face whose licence does not allow embedding it as a subset is refused: a PDF
    carrying it would breach the licence. Without an OS/2 table, nothing is forbidden."""
    fs_type = font["OS/2"].fsType if "OS/2" in font else 0
    why = [(name, reason) for bit, name, reason in _FORBIDDEN if fs_type & bit]
    if fs_type & 0x000F == 0x0002:  # restricted licence, and no less restrictive bit beside it
        why.insert(0, ("restricted licence", "it may not be embedded at all"))
    if why:
        raise FontError(f"the licence of font file {source.path} does not allow this use (OS/2 fsType "
                        f"{fs_type:#06x}: {'; '.join(f'{name}: {reason}' for name, reason in why)})", source.where,
                        fix="use a font whose licence allows embedding subsets in a PDF (installable, "
                            "preview & print or editable), or ask its foundry for such a licence")


def _refuse_flawed(source: FontSource, chars: list[str], flaw: str, effect: str) -> None:
    """One message naming the characters a brand face would misprint, if any."""
    if chars:
        named = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in chars[:MISSING_NAMED])
        more = f" and {len(chars) - MISSING_NAMED} more" if len(chars) > MISSING_NAMED else ""
        raise FontError(f"font file {source.path} has {flaw} for {named}{more}: {effect}",
                        source.where, fix="use an undamaged copy of the font, or a font that draws these characters")


# Tables a face must have to be cut, embedded (ReportLab reads them all) and verified.
_REQUIRED = ("cmap", "head", "hhea", "hmtx", "maxp", "name", "post")


def _read_as_verifier_does(font: Any, chars: str) -> None:
    """Read the character map and the TrueType outlines of `chars` with fontTools, as the
    glyph witness does (proof/glyphs.py): a missing or damaged table fails here, as a font error."""
    lacking = [tag for tag in _REQUIRED if tag not in font]
    if lacking:
        raise ValueError(f"it has no {', '.join(repr(tag) for tag in lacking)} table")
    if "glyf" not in font and "CFF " not in font:
        raise ValueError("its outlines are CFF2, which cannot be embedded; use its TrueType or CFF edition"
                         if "CFF2" in font else "it has no outlines (no 'glyf' or 'CFF ' table)")
    cmap = font.getBestCmap()
    if cmap is None:  # a symbol font's (3, 0) map, say: the verifier reads Unicode maps only
        raise ValueError("it has no Unicode character map")
    if "glyf" in font:
        glyf = font["glyf"]
        for name in {cmap[ord(c)] for c in chars if ord(c) in cmap}:
            glyf[name].getCoordinates(glyf)


# Characters a font rightly leaves blank besides spaces and format characters: Unicode's
# default-ignorable code points (variation selectors, Hangul fillers and the like).
_IGNORABLE = ((0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F), (0x3164, 0x3164),
              (0xFE00, 0xFE0F), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
              (0xE0000, 0xE0FFF))


def _drawing_nothing(font: Any, chars: str) -> list[str]:
    """The visible characters of `chars` whose glyph in a prepared (TrueType) font is empty."""
    cmap, glyf = font.getBestCmap(), font["glyf"]
    return [c for c in chars if ord(c) in cmap and _inked(c) and glyf[cmap[ord(c)]].numberOfContours == 0]


def _inked(char: str) -> bool:
    """A character that must leave ink: not a space, a control or format character, nor default-ignorable."""
    return (not char.isspace() and unicodedata.category(char) not in ("Cc", "Cf")
            and not any(low <= ord(char) <= high for low, high in _IGNORABLE))


def _read_as_reportlab_does(prepared: bytes, font: Any) -> RLFont:
    """Open a prepared face (`font`, as fontTools reads it) as layout and render will:
    ReportLab reads tables we do not, and fails on a face it cannot name."""
    if not {record.nameID for record in font["name"].names} & {1, 4, 6}:
        raise ValueError("it has no PostScript, full or family name")
    return RLFont("leaflet-check", io.BytesIO(prepared))


def _without_width(font: RLFont, chars: str) -> list[str]:
    """The visible characters of `chars`, marks aside, that a prepared face gives no advance:
    they would print over the next letter (the verifier reads such text as scrambled)."""
    widths = font.face.charWidths
    return [c for c in chars if _inked(c) and not unicodedata.category(c).startswith("M")
            and widths.get(ord(c), 1) == 0]


def _name_clashes(faces: dict[tuple[str, str], Face]) -> list[FontError]:
    """Two different font files that call themselves by one PostScript name cannot print
    together: ReportLab keeps one face per name, and the verifier tells faces apart by it."""
    first: dict[str, Face] = {}
    problems = []
    for face in dict.fromkeys(faces.values()):
        name = postscript_name(face.font)
        other = first.setdefault(name, face)
        if other is not face:
            brand = face if face.source.where else other
            problems.append(FontError(
                f"the fonts {other.source.path.name} and {face.source.path.name} are both named {name!r} inside but "
                f"are not the same file, so they cannot print in one edition", brand.source.where,
                fix="name one file for both languages in the theme, or a brand font with its own name"))
    return problems


def postscript_name(font: RLFont) -> str:
    """The name a prepared face is embedded under (its BaseFont, less the subset tag)."""
    name = font.face.name
    return name.decode("latin-1") if isinstance(name, bytes) else str(name)


def _prepare(edition: Edition, users: Users, missing: list[LeafletError]) -> Face:
    """Prepare one face from the cache or its file, and add a problem to
    `missing` for every character it has no glyph for."""
    preparation = _preparation(edition, users)
    source = preparation.source
    name = f"{source.path.stem}-{preparation.key[:12]}"
    data = read_entry(preparation.key, ".ttf")
    if data is None:
        data = _prepared(preparation)
        store_entry(preparation.key, data, ".ttf")
    font = RLFont(name, io.BytesIO(data))
    # Checked on the prepared font itself, every time: it is what prints.
    for language, weight, _ in users:
        missing.extend(_coverage_problems(edition, language, weight, font, source))
    return Face(name, source, preparation.digest, font)


# --- the files: pinned hashes, cache entries ----------------------------------------

_digests: dict[tuple[object, ...], str] = {}  # (path, file identity and times) -> SHA-256, for this process


def checked_sha256(source: FontSource) -> str:
    """The SHA-256 of a font file, refused unless a pinned face is the file
    SHA256SUMS records; a theme's font is only hashed (the manifest records it)."""
    digest = _file_sha256(source)
    if source.pinned:
        _check_pinned(source, digest)
    return digest


def _file_sha256(source: FontSource) -> str:
    """SHA-256 of a font file, hashed once per process while the file is unchanged."""
    path = source.path
    try:
        stat = path.stat()
        identity = (str(path.resolve()), stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
        if identity not in _digests:
            with path.open("rb") as handle:
                _digests[identity] = hashlib.file_digest(handle, "sha256").hexdigest()
        return _digests[identity]
    except OSError as exc:
        raise _unreadable(source, exc) from None


def _check_pinned(source: FontSource, digest: str) -> None:
    """A pinned face must be byte for byte the file its folder's SHA256SUMS records."""
    sums = source.path.parent / PINNED_SUMS
    fix = restore_fonts_hint(source.path.parent)
    try:
        lines = sums.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        raise FontError(f"the list of pinned font hashes is missing or unreadable, so {source.path.name} "
                        "cannot be checked", Location(sums), fix=fix) from None
    recorded = {parts[1].lstrip("*"): parts[0] for parts in map(str.split, lines) if len(parts) == 2}
    expected = recorded.get(source.path.name)
    if expected is None:
        raise FontError(f"{source.path.name} is not recorded in this list of pinned font hashes",
                        Location(sums), fix=fix)
    if digest != expected:
        raise FontError(f"font file {source.path.name} is not the pinned font: its SHA-256 is {digest[:16]}…, "
                        f"{PINNED_SUMS} records {expected[:16]}…", Location(source.path), fix=fix)


def _register(font: RLFont) -> None:
    """Register a prepared font unless it already is. ReportLab keeps one font
    per face name and would silently reuse an earlier subset of the same face
    (one missing this leaflet's characters), so other subsets of the face, and
    an earlier object of the same name, are dropped first."""
    registered = pdfmetrics.getRegisteredFontNames()
    # types-reportlab types getFont as returning Font, but a registered TrueType font comes back as itself
    if font.fontName in registered and pdfmetrics.getFont(font.fontName) is font:  # type: ignore[comparison-overlap]
        return
    for other in registered:
        previous = pdfmetrics.getFont(other)
        if isinstance(previous, RLFont) and previous.face.name == font.face.name:
            previous.unregister()
    pdfmetrics.registerFont(font)


def _unreadable(source: FontSource, exc: OSError) -> FontError:
    if isinstance(exc, FileNotFoundError):
        fix = "check the path in the theme" if source.where else restore_fonts_hint(source.path.parent)
        return FontError(f"font file {source.path.name} is missing from {source.path.parent}", source.where, fix=fix)
    return FontError(f"font file {source.path} cannot be read ({exc.strerror})", source.where)


def _read(source: FontSource) -> bytes:
    try:
        return source.path.read_bytes()
    except OSError as exc:
        raise _unreadable(source, exc) from None


def _coverage_problems(edition: Edition, language: str, weight: str, font: RLFont, source: FontSource
                       ) -> Iterator[GlyphError]:
    """One problem per story naming the characters the font has no glyph for (a Chinese
    product name in a Latin face is one message, not one per character)."""
    glyphs = font.face.charToGlyph
    if all(ord(c) in glyphs or c in _INVISIBLE for c in edition.characters(language, weight)):
        return
    lacking: dict[str, tuple[Location | None, list[str]]] = {}  # story -> (first location, characters)
    for char, story, where in edition.character_sources(language, weight):
        if char not in _INVISIBLE and ord(char) not in glyphs and char not in lacking.setdefault(story, (where, []))[1]:
            lacking[story][1].append(char)
    for story, (where, chars) in lacking.items():
        if not chars:
            continue
        named = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in chars[:MISSING_NAMED])
        more = f" and {len(chars) - MISSING_NAMED} more" if len(chars) > MISSING_NAMED else ""
        yield GlyphError(
            f"{'the character' if len(chars) == 1 else f'{len(chars)} characters'} {named}{more} in story "
            f"'{story}' {'has' if len(chars) == 1 else 'have'} no glyph in {source.path.name}, the {weight} font "
            f"for {language}", where,
            fix="replace the character, or choose a font for this language that has it"
                + ("; Chinese is set in the edition's Chinese face: add a Chinese language to the edition"
                   if edition.scripts.cjk is None and any(is_cjk(c) for c in chars) else ""))


MISSING_NAMED = 6  # characters quoted in a missing-glyph message; the rest are counted


def _truetype_subset(raw: bytes, index: int, chars: str) -> bytes:
    """Cut face `index` of a font file to `chars`, keep only kerning, and make its outlines
    TrueType. HarfBuzz cuts (in C, some 30 times faster than fontTools' subsetter, with the
    same glyphs); fontTools converts CFF outlines, which HarfBuzz cannot."""
    from fontTools.ttLib import TTFont

    face = uharfbuzz.Face(raw, index)
    if 0 < face.count <= index:  # HarfBuzz would quietly cut a single font's only face for any index
        raise ValueError(f"it holds {face.count} face{'s' if face.count > 1 else ''}, numbered from 0: "
                         f"it has no face {index}")
    if face.glyph_count == 0:  # what HarfBuzz makes of a file that is not a font, or has no such face
        raise ValueError(f"it has no face {index} with glyphs")
    cut = uharfbuzz.SubsetInput()
    cut.unicode_set.update(ord(c) for c in chars)
    cut.layout_feature_tag_set.clear()
    cut.layout_feature_tag_set.add(int.from_bytes(b"kern", "big"))
    cut.name_id_set.clear()
    cut.name_id_set.invert()  # every name record: the licence and the PostScript name travel with the face
    # Hints go: the conversion below drops CFF hints anyway, and print needs none. Subroutines
    # are inlined, so that converting draws each glyph's charstring without calling into others.
    cut.flags = (uharfbuzz.SubsetFlags.NO_HINTING | uharfbuzz.SubsetFlags.DESUBROUTINIZE
                 | uharfbuzz.SubsetFlags.NOTDEF_OUTLINE)
    subset = uharfbuzz.subset(face, cut).blob.data  # RuntimeError if it cannot
    font = TTFont(io.BytesIO(subset), lazy=True, recalcTimestamp=False)
    if "CFF " in font:
        # Glyph names of our own (the TrueType face stores none), so that fontTools need not
        # parse the CFF table, nor load its CFF library, only to name the glyphs.
        font.setGlyphOrder([".notdef"] + [f"g{gid}" for gid in range(1, uharfbuzz.Face(subset).glyph_count)])
        _cff_to_glyf(font, subset)
    else:
        font["glyf"]  # loaded, so that saving recomputes the bounds and maxima for the cut glyphs
    font["name"]  # written by fontTools, so the embedded face is the same bytes whichever tool cut it
    # The cut's own ranges, as fontTools' subsetter leaves them (HarfBuzz keeps the code pages).
    # Some fonts (older Mac ones) have no OS/2 table; neither ReportLab nor the verifier needs one.
    if "OS/2" in font:
        os2 = font["OS/2"]
        os2.recalcUnicodeRanges(font, pruneOnly=True)
        if os2.version >= 1:
            os2.recalcCodePageRanges(font, pruneOnly=True)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _cff_to_glyf(font: Any, data: bytes, max_err: float = 1.0) -> None:
    """Replace CFF outlines by quadratic glyf outlines (fontTools' otf2ttf recipe), the CFF
    charstrings of `data` (the font's bytes) read by HarfBuzz: the same curves, twice as fast
    as fontTools' interpreter."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    outlines = uharfbuzz.Font(uharfbuzz.Face(data))  # at its default scale: font units
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for gid, name in enumerate(order):
        pen = TTGlyphPen(None)
        # CFF contours run counter-clockwise; TrueType wants clockwise.
        outlines.draw_glyph_with_pen(gid, Cu2QuPen(pen, max_err, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    for glyph in glyf.glyphs.values():
        glyph.recalcBounds(glyf)  # what compiling the table would do first, without compiling it twice
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        advance, _ = hmtx.metrics[name]
        hmtx.metrics[name] = (advance, getattr(glyph, "xMin", 0))
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for attribute in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                      "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attribute, 0)
    font["maxp"] = maxp
    font["post"].formatType = 3.0
    font.sfntVersion = "\000\001\000\000"


# --- kerning ---------------------------------------------------------------------

def kerned(text: str, ttf: RLFont, size: float) -> tuple[str, float]:
    """The text ready to draw (a ShapedStr carrying kerning when the font kerns
    it) and its width in points."""
    plain = (text, ttf.stringWidth(text, size))
    buf = uharfbuzz.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    buf.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_CHARACTERS
    uharfbuzz.shape(ttf.hbFont(size), buf, SHAPING_FEATURES)
    infos = buf.glyph_infos
    face = ttf.face
    if len(infos) != len(text) or any(face.charToGlyph.get(ord(c)) != i.codepoint for c, i in zip(text, infos)):
        return plain  # something was substituted: draw unshaped rather than change the text
    positions = buf.glyph_positions
    nominal = [face.charWidths.get(ord(c), 0) for c in text]
    advances = [ttf.pdfScale(p.x_advance) for p in positions]
    if advances == nominal and not any(p.x_offset or p.y_offset for p in positions):
        return plain  # the common case: nothing kerned
    data = [ShapeData(i.cluster, advance, ttf.pdfScale(p.y_advance), ttf.pdfScale(p.x_offset), ttf.pdfScale(p.y_offset),
                      width)
            for i, p, advance, width in zip(infos, positions, advances, nominal)]
    total = 0.0
    for advance in advances:  # added in order, as ever: sum() may compensate (Python 3.12)
        total += advance
    # ReportLab reads a ShapedStr's shape data as a list of ShapeData, one per character (types-reportlab: one)
    return ShapedStr(text, data), total * size / 1000  # type: ignore[arg-type]
