"""Layout stage: Edition -> Layout, every line and shape placed on the sheet.

Coordinates are PDF points from the lower-left corner of the MediaBox. The
trim sits MARK_ZONE_MM inside the MediaBox on every side, leaving room for the
bleed, crop and fold marks and the slug line.
"""
from __future__ import annotations

import dataclasses
import functools
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.units import mm

from ..diagnostics import Diagnostic
from ..errors import ContentError, LeafletError, StoryOverflow, raise_all
from . import blocks as story_blocks  # list markers and callout boxes; they use this module's types
from .folds import SIDES, Fold, flow_panels, fold_of, fold_problems
from .fonts import FontBook
from .linebreak import Line, Measure, Style, break_lines, hyphenator_for, is_runt, set_chinese
from ..content.model import CMYK, Flow, Format
from ..content.resolve import Edition, Para, Run, TypesetStory
from ..content.scripts import is_cjk

if TYPE_CHECKING:
    from .insets import PlacedCode

Rest = Sequence[tuple[TypesetStory, Para]]  # the paragraphs still to place, each with its story
BreakKey = tuple[object, ...]  # what a paragraph's lines were broken from: text, styles, width, limit, hyphenation

MARK_ZONE_MM = 13.0
BLACK: CMYK = (0, 0, 0, 1)  # 100 % K, never rich black, for text
WHITE: CMYK = (0, 0, 0, 0)
DRAFT_TINT: CMYK = (0, 0, 0, 0.12)  # light enough to read through, impossible to miss
SUPERSCRIPT_SCALE = 0.62
SUPERSCRIPT_RISE = 0.38
BULLET_INDENT = 4 * mm

SLUG_SIZE = 6.5
WATERMARK_ANGLE = 60  # degrees: the DRAFT watermark runs up across each panel


# --- geometry ----------------------------------------------------------------

@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float

    @property
    def top(self) -> float:
        return self.y + self.height

    @property
    def right(self) -> float:
        return self.x + self.width


@dataclass(frozen=True)
class Panel:
    name: str
    page: int  # 0 outside, 1 inside
    trim: Rect  # the panel's share of the trimmed sheet
    frame: Rect  # where its text may go: the trim less the safe margins


@dataclass(frozen=True)
class Sheet:
    media: Rect
    trim: Rect
    bleed: Rect
    folds: tuple[tuple[float, ...], tuple[float, ...]]  # fold x positions, outside and inside
    panels: dict[str, Panel]
    fold: Fold  # the definition the panels come from: their roles and reading order


def sheet_for(fmt: Format) -> Sheet:
    zone = MARK_ZONE_MM * mm
    trim_w, trim_h = fmt.trim_mm[0] * mm, fmt.trim_mm[1] * mm
    bleed = fmt.bleed_mm * mm
    trim = Rect(zone, zone, trim_w, trim_h)
    media = Rect(0, 0, trim_w + 2 * zone, trim_h + 2 * zone)
    fold = fold_of(fmt)
    panels, folds = {}, []
    for page, (names, widths) in enumerate(zip(fold.sides, fold.widths(fmt.trim_mm[0], fmt.fold_in_mm))):
        x = trim.x
        page_folds = []
        for name, width_mm in zip(names, widths):
            rect = Rect(x, trim.y, width_mm * mm, trim_h)
            panels[name] = Panel(name, page, rect, _frame(rect, fmt))
            x += width_mm * mm
            page_folds.append(x)
        folds.append(tuple(page_folds[:-1]))
    return Sheet(media, trim, Rect(trim.x - bleed, trim.y - bleed, trim_w + 2 * bleed, trim_h + 2 * bleed),
                 (folds[0], folds[1]), panels, fold)


def _frame(rect: Rect, fmt: Format) -> Rect:
    side = (fmt.safe_mm + 3) * mm
    top = (fmt.safe_mm + 12) * mm  # room for the colour band at the top of the sheet
    bottom = (fmt.safe_mm + 6) * mm
    return Rect(rect.x + side, rect.y + bottom, rect.width - 2 * side, rect.height - top - bottom)


# --- what layout hands to render ---------------------------------------------

@dataclass(frozen=True)
class PlacedLine:
    x: float
    baseline: float
    line: Line
    colour: CMYK
    panel: str
    story: str
    para: Para  # the paragraph this line belongs to, so verify can check text per panel


@dataclass(frozen=True)
class Fill:
    rect: Rect
    colour: CMYK
    shape: str = "rect"  # rect or circle (circle: rect is its bounding box)
    name: str = ""  # what it is, for the cover's composition check (cover art, disc, accent rule, band)


@dataclass(frozen=True)
class Rule:
    """A straight stroked line, square-capped: table rules, an FPO box and its cross."""

    start: tuple[float, float]
    end: tuple[float, float]
    weight: float
    colour: CMYK


@dataclass(frozen=True)
class PlacedFigure:
    rect: Rect
    file: Path
    panel: str
    story: str


@dataclass(frozen=True)
class Watermark:
    """The light diagonal DRAFT across a panel of an edition that is not final."""

    panel: Rect
    text: str
    font: str
    colour: CMYK


@dataclass
class PageLayout:
    name: str  # "outside" or "inside"
    fills: list[Fill] = field(default_factory=list)
    figures: list[PlacedFigure] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    codes: list[PlacedCode] = field(default_factory=list)  # QR quiet zones (typeset.insets): nothing may enter
    watermarks: list[Watermark] = field(default_factory=list)
    lines: list[PlacedLine] = field(default_factory=list)


@dataclass(frozen=True)
class Layout:
    edition: Edition
    sheet: Sheet
    pages: tuple[PageLayout, PageLayout]
    fonts: FontBook


def slug_text(edition: Edition, page_name: str) -> str:
    """The slug line under the bleed of each print page: edition, job code, status, page."""
    return f"{edition.slug.text} · {page_name}"


SLUG_CLEAR_MM = 3.0  # the slug keeps this far from every crop and fold mark beside it


def furniture_segments(fonts: FontBook, text: str, size: float) -> list[tuple[str, Style]]:
    """The tool's own English lines (slug, PROOF footer, panel labels), each stretch in
    the face of its script: the Latin face in every edition."""
    return [(part, Style(font, size)) for part, font in fonts.runs(text, fonts.scripts.latin, "regular")]


def furniture_width(fonts: FontBook, text: str, size: float) -> float:
    return sum(fonts.measure(part, style) for part, style in furniture_segments(fonts, text, size))


SLUG_MIN_SIZE = 4.5  # a slug line smaller than this cannot be read at the press


def slug_place(layout: Layout, page: int) -> tuple[float, float]:
    """Where the slug line starts, and its type size: in the first stretch between the marks
    under the sheet (crop mark, fold marks, crop mark) wide enough for it, so it never runs
    into a mark; a slug too long for any (a wide brand face, a long job code) is set smaller
    in the widest stretch."""
    sheet = layout.sheet
    width = furniture_width(layout.fonts, slug_text(layout.edition, layout.pages[page].name), SLUG_SIZE)
    marks = [sheet.trim.x, *sheet.folds[page], sheet.trim.right]
    clear = SLUG_CLEAR_MM * mm
    spans = list(zip(marks, marks[1:]))
    fitting = [a for a, b in spans if b - a - 2 * clear >= width]
    if fitting:
        return fitting[0] + clear, SLUG_SIZE
    left, right = max(spans, key=lambda span: span[1] - span[0])
    return left + clear, SLUG_SIZE * (right - left - 2 * clear) / width


def slug_problems(layout: Layout) -> list[ContentError]:
    """Preflight: a slug line too long to be read between the marks, even set smaller."""
    for page in range(len(layout.pages)):
        size = slug_place(layout, page)[1]
        if size < SLUG_MIN_SIZE:
            return [ContentError(
                f"the slug line “{slug_text(layout.edition, layout.pages[page].name)}” is too long to print "
                f"between the marks under the sheet: it would be {size:.1f} pt, under the {SLUG_MIN_SIZE:g} pt "
                "a press can read", layout.edition.slug.where,
                fix="shorten the job code or the leaflet folder's name")]
    return []


def proof_footer(edition: Edition) -> str:
    """The line along the foot of every screen-proof page."""
    return f"PROOF — not for print · {edition.slug.text}"


PROOF_FOOTER_SIZE = 7.0


def proof_footer_place(layout: Layout, page: int) -> tuple[float, float]:
    """Centre (from the trim's left) and type size of the PROOF footer: on the panel nearest
    the middle of the page that is not the cover, made smaller if it must be, so it never
    crosses a fold or the cover."""
    sheet = layout.sheet
    middle = sheet.trim.x + sheet.trim.width / 2
    panel = min((p.trim for p in sheet.panels.values() if p.page == page and p.name != sheet.fold.cover),
                key=lambda r: abs(r.x + r.width / 2 - middle))
    left, right = panel.x, panel.right
    width = furniture_width(layout.fonts, proof_footer(layout.edition), 1.0)
    room = right - left - 2 * CLEAR_MM * mm
    return (left + right) / 2 - sheet.trim.x, min(PROOF_FOOTER_SIZE, room / width)


def watermark_size(mark: Watermark) -> float:
    return mark.panel.width * 0.28


# --- paragraph styles ----------------------------------------------------------

@dataclass(frozen=True)
class ParaStyle:
    size: float
    leading: float
    bold: bool
    colour: CMYK
    space_before: float = 0.0
    space_after: float = 0.0
    indent: float = 0.0
    keep_with_next: bool = False
    hang: float = 0.0  # lines after the first start this much further in (a reference's number hangs)
    indent_right: float = 0.0  # the measure ends this far short of the frame's right edge (inside a box)
    keep_whole: bool = False  # never split between panels (a list item)


def para_style(role: str, language: str, edition: Edition, on_colour: bool = False) -> ParaStyle:
    theme = edition.leaflet.theme
    return _styles(theme.body_size, theme.body_leading, theme.heading_size, theme.reference_size,
                   tuple(sorted(theme.colours.items())), len(str(len(edition.references))), language.startswith("zh"),
                   on_colour)[role]


@functools.lru_cache(maxsize=64)
def _styles(body: float, leading: float, heading: float, reference: float, palette: tuple[tuple[str, CMYK], ...],
            reference_digits: int,
            chinese: bool, on_colour: bool) -> dict[str, ParaStyle]:
    """Every role's style for one theme and script: built once, as trial pours ask for them thousands of times."""
    colours = dict(palette)
    if chinese:
        leading = max(leading, body * 1.6)  # Chinese needs more air between lines
    ink = WHITE if on_colour else BLACK
    return {
        "heading": ParaStyle(heading, heading * 1.3, True, colours["brand_dark"],
                             space_before=leading * 0.9, space_after=2.5, keep_with_next=True),
        "body": ParaStyle(body, leading, False, ink, space_after=leading * 0.45),
        "bullet": ParaStyle(body, leading, False, ink, space_after=leading * 0.3, indent=BULLET_INDENT,
                            keep_whole=True),
        "item": ParaStyle(body, leading, False, ink, space_after=leading * 0.3, indent=BULLET_INDENT, keep_whole=True),
        "subheading": ParaStyle(body, leading, True, colours["brand_dark"], space_before=leading * 0.6,
                                space_after=1.5, keep_with_next=True),
        "callout": ParaStyle(body, leading, False, ink, space_before=leading * 0.6, space_after=leading * 0.35,
                             indent=story_blocks.CALLOUT_PAD, indent_right=story_blocks.CALLOUT_PAD),
        "figure": ParaStyle(body, leading, False, ink, space_before=leading * 0.4, space_after=3),
        "fpo": ParaStyle(body, leading, False, BLACK, space_before=leading * 0.4, space_after=3),
        "qr": ParaStyle(body, leading, False, BLACK, space_before=leading * 0.4, space_after=3),
        "table": ParaStyle(body, leading, False, BLACK, space_before=leading * 0.4, space_after=leading * 0.6),
        "table-header": ParaStyle(body, leading, True, BLACK),
        "table-cell": ParaStyle(body, leading, False, BLACK),
        "caption": ParaStyle(body, leading, False, colours["brand_dark"], space_after=leading * 0.45),
        "agent": ParaStyle(body, leading, False, ink),
        "reference-heading": ParaStyle(8, 10, True, ink, space_before=leading * 0.8, space_after=2,
                                       keep_with_next=True),
        "reference": ParaStyle(reference, reference * 1.3, False, ink, space_after=1.2,
                               hang=reference * (0.57 * reference_digits + 0.55)),
        "approval": ParaStyle(7, 9, False, ink),
        "legal": ParaStyle(reference, reference * 1.3, False, ink, space_before=4),
        "title": ParaStyle(30, 36, True, WHITE),
        "tagline": ParaStyle(25, 29, True, WHITE),
        "product": ParaStyle(30, 36, True, WHITE, space_before=8),
        "descriptor": ParaStyle(13, 16, False, WHITE),
    }


def segments(para: Para, style: ParaStyle, fonts: FontBook) -> list[tuple[str, Style]]:
    """The paragraph's text in styles, each stretch in the face of its script."""
    out = []
    for run in para.runs:
        weight = "bold" if (run.bold or style.bold) else "regular"
        for text, font in fonts.runs(run.text, para.language, weight):
            if run.superscript:
                out.append((text, Style(font, style.size * SUPERSCRIPT_SCALE, style.size * SUPERSCRIPT_RISE)))
            else:
                out.append((text, Style(font, style.size)))
    return out


# --- flowing stories into frames ---------------------------------------------------

class _Column:
    """Pours paragraphs into a sequence of frames, top to bottom, frame after frame."""

    def __init__(self, panels: list[Panel], page_of: dict[str, PageLayout], edition: Edition, fonts: FontBook,
                 starts: dict[int, int] | None = None, cache: dict[BreakKey, list[Line]] | None = None,
                 stretch: dict[int, float] | None = None):
        self.panels = panels
        self.page_of = page_of
        self.edition = edition
        self.fonts = fonts
        self.starts = starts or {}  # paragraph index -> the earliest frame it may start in (a chosen break)
        self.cache = {} if cache is None else cache  # broken lines, shared by the trial pours (FontBook.broken_lines)
        self.index = 0
        self.cursor = panels[0].frame.top
        self.at_top = True
        self.low = [panel.frame.top for panel in panels]  # how far down each frame is used
        self.splits = 0  # paragraphs continued from one frame to the next
        self.stretch = stretch or {}  # frame index -> extra space per gap unit, to fill a short panel
        self.gaps = [0.0] * len(panels)  # gap units between the blocks of each frame
        self.frame_of: list[int] = []  # the frame each paragraph starts in
        self.previous: Para | None = None

    @property
    def panel(self) -> Panel:
        return self.panels[self.index]

    def next_frame(self) -> bool:
        if self.index + 1 >= len(self.panels):
            return False
        self.index += 1
        self.cursor = self.panel.frame.top
        self.at_top = True
        return True

    def room(self) -> float:
        return self.cursor - self.panel.frame.y

    def pour(self, stories: list[TypesetStory]) -> None:
        queue = [(story, para) for story in stories for para in story.paras]
        for i, (story, para) in enumerate(queue):
            while self.index < self.starts.get(i, 0):
                self._advance(story, queue[i:])
            if story_blocks.in_open_callout(para, self.previous):
                continue  # placed with the box's first paragraph
            follower = queue[i + 1][1] if i + 1 < len(queue) else None
            style = story_blocks.block_style(para, follower, self.edition, self.fonts)
            if para.figure:
                self._place_figure(story, para, style, follower, queue[i:])
            elif para.callout:
                story_blocks.place_callout(self, story, queue[i:])
            elif para.block is not None:
                from .insets import place_block  # it places with this module's geometry, so it imports it
                place_block(self, story, para, style, follower, queue[i:])
            else:
                self._place(story, para, style, follower, queue[i:])
            self.previous = para

    def _after_list(self, para: Para, style: ParaStyle) -> float:
        """A list ends with the space of a paragraph, not the closer space between its items."""
        if self.previous is None or self.previous.role not in LIST_ROLES or para.role in LIST_ROLES:
            return 0.0
        return para_style("body", para.language, self.edition).space_after - \
            para_style(self.previous.role, self.previous.language, self.edition).space_after

    def _gap(self, para: Para) -> float:
        """Extra space above a block not at the top of its frame (none unless the frame is
        stretched), counted in gap units: sections part more than paragraphs, a heading's
        text never parts from it, nor a caption from its artwork, list items part least."""
        if self.at_top or self.previous is None or self.previous.role in ("heading", "subheading") \
                or para.role == "caption":
            return 0.0
        units = 2.0 if para.role == "heading" else \
            0.5 if para.role in LIST_ROLES and self.previous.role in LIST_ROLES else 1.0
        self.gaps[self.index] += units
        return units * self.stretch.get(self.index, 0.0)

    def _place_figure(self, story: TypesetStory, para: Para, style: ParaStyle, follower: Para | None,
                      rest: Rest) -> None:
        """Place artwork at its width, with room below for the first lines of its caption."""
        figure = para.figure
        assert figure is not None  # pour places only a figure's paragraph here
        width = figure.width_mm * mm
        if width > self.panel.frame.width + 0.01:
            raise StoryOverflow(f"the figure {figure.file.name} in story '{story.id}' is {figure.width_mm:g} mm "
                                f"wide; panel '{self.panel.name}' has {self.panel.frame.width / mm:.0f} mm for text",
                                figure.where, fix=f"set width_mm to {self.panel.frame.width / mm:.0f} or less")
        height = width * figure.pixels[1] / figure.pixels[0]
        caption = 2 * style.leading if follower is not None and follower.role == "caption" else 0
        before = 0.0 if self.at_top else style.space_before
        if before + height + caption > self.room():
            self._advance(story, rest)
            before = 0.0
        before += self._gap(para)
        self.frame_of.append(self.index)
        top = self.cursor - before
        rect = Rect(self.panel.frame.x, top - height, width, height)
        self.page_of[self.panel.name].figures.append(PlacedFigure(rect, figure.file, self.panel.name, story.id))
        self.low[self.index] = min(self.low[self.index], rect.y)
        self.cursor = rect.y - style.space_after
        self.at_top = False

    def _lines(self, chars: list[tuple[str, Style]], style: ParaStyle, para: Para) -> list[Line]:
        """The paragraph's first lines: more than the tallest frame left can take, which is all that
        placing it needs (breaking a 2 MB paragraph to its end would take minutes)."""
        tallest = max(panel.frame.height for panel in self.panels[self.index:])
        limit = int(tallest // style.leading) + 3  # lines that fit, + 2 for the widow and keep rules
        width = self.panel.frame.width - style.indent - style.hang - style.indent_right
        if para.language.startswith("zh"):
            width -= CHINESE_SLACK_EM * style.size  # room for the quarter ems set_chinese adds; justifying fills it
        hyphenator = hyphenator_for(para.language, self._never_hyphenated()) if para.role in HYPHENATED else None
        key = (tuple(chars), width, limit, hyphenator)
        if key not in self.cache:
            self.cache[key] = break_lines(chars, width, self.fonts.measure, max_lines=limit, hyphenator=hyphenator)
        return self.cache[key]

    def _never_hyphenated(self) -> frozenset[str]:
        """The product's name, however it is typed: never hyphenated."""
        return frozenset(word.strip("®™").lower() for product in self.edition.leaflet.cover.products
                         for word in product.split())

    def _place(self, story: TypesetStory, para: Para, style: ParaStyle, follower: Para | None, rest: Rest) -> None:
        chars = segments(para, style, self.fonts)
        lines = self._lines(chars, style, para)
        before = 0.0 if self.at_top else style.space_before + self._after_list(para, style)
        needed = before + style.leading * len(lines)
        if style.keep_with_next and follower is not None:
            needed += story_blocks.follower_needs(self, follower, rest[1:])
        first_fit = self._lines_that_fit(before, style)
        if needed > self.room() and (style.keep_with_next or style.keep_whole or first_fit < min(2, len(lines))):
            self._advance(story, rest)
            before = 0.0
            lines = self._lines(chars, style, para)  # the next frame may be wider or narrower
        if style.keep_whole and self._lines_that_fit(before, style) < len(lines):
            raise story_blocks.too_tall(self, story, para)
        self.cursor -= before + self._gap(para)
        self.frame_of.append(self.index)
        done = 0
        first = True
        while True:
            fit = self._lines_that_fit(0.0, style)
            if fit >= len(lines):
                self._emit(story, para, style, lines, first, final=True)
                self.cursor -= style.space_after
                self.at_top = False
                return
            if len(lines) - fit == 1 and fit >= 2:
                fit -= 1  # never leave a single line alone at the top of the next frame
            self._emit(story, para, style, lines[:fit], first)
            first = first and fit == 0
            done += lines[fit - 1].end if fit else 0
            self.splits += 1 if fit else 0
            self._advance(story, rest, partial=_after(chars, done), style=style)
            # The next frame may be wider or narrower: break what is left again.
            lines = self._lines(_after(chars, done), style, para)

    def _lines_that_fit(self, before: float, style: ParaStyle) -> int:
        # A block of n lines is 0.9 size (first ascent) + (n-1) leading + 0.3 size (last descent).
        usable = self.room() - before - 1.2 * style.size
        return int(usable // style.leading) + 1 if usable >= 0 else 0

    def _advance(self, story: TypesetStory, rest: Rest, partial: list[tuple[str, Style]] | None = None,
                 style: ParaStyle | None = None) -> None:
        if not self.next_frame():
            raise _overflow(self, story, rest, partial, style)

    def _emit(self, story: TypesetStory, para: Para, style: ParaStyle, lines: list[Line], first: bool,
              final: bool = False) -> None:
        page = self.page_of[self.panel.name]
        frame = self.panel.frame
        chinese = para.language.startswith("zh")
        for k, line in enumerate(lines):
            if chinese:  # justified, but for headings and the paragraph's last line, which stay ragged
                justified = para.role in JUSTIFIED and not (final and k == len(lines) - 1)
                line = set_chinese(line, frame.width - style.indent - style.hang - style.indent_right,
                                   self.fonts.measure, justified)
            baseline = self.cursor - style.size * 0.9 - k * style.leading
            x = frame.x + style.indent + (0.0 if first and k == 0 else style.hang)
            if para.role == "bullet" and first and k == 0:
                dot = style.size * 0.34
                page.fills.append(Fill(Rect(x - BULLET_INDENT + 0.5 * mm, baseline + style.size * 0.3 - dot / 2, dot,
                                            dot), self.edition.leaflet.theme.colours["brand"], "circle"))
            elif para.marker and first and k == 0:
                page.lines.append(story_blocks.marker_line(self, story, para, style, x, baseline))
            page.lines.append(PlacedLine(x, baseline, line, style.colour, self.panel.name, story.id, para))
        if lines:
            self.cursor -= style.size * 0.9 + style.leading * (len(lines) - 1) + style.size * 0.3
            self.low[self.index] = min(self.low[self.index], self.cursor)
            self.at_top = False

    def fills(self) -> list[float]:
        """How much of each frame's height the text uses, 0 to 1."""
        return [(p.frame.top - low) / p.frame.height for p, low in zip(self.panels, self.low)]


# --- choosing where a flow moves on to its next panel --------------------------------

MIN_FILL = 0.5  # a text panel less than half full looks abandoned next to a full one


def pour_balanced(panels: list[Panel], page_of: dict[str, PageLayout], edition: Edition, fonts: FontBook,
                  stories: list[TypesetStory]) -> _Column:
    """Pour a flow with the panel breaks that balance its panels best.

    Every way of starting panels 2..n at a paragraph that may open a panel is tried on
    scratch pages, as is plain filling (which may continue a paragraph); the plan with
    the lowest cost is poured for real, with the space between blocks stretched in a
    panel that is still short. No plan fits: plain filling raises the overflow."""
    queue = [para for story in stories for para in story.paras]
    openers = [i for i in range(1, len(queue)) if _may_open_panel(queue, i)]
    cache = fonts.broken_lines
    best: tuple[float, _Column] | None = None
    plans: list[dict[int, int]] = [{}] + [dict(zip(breaks, range(1, len(panels))))
                    for breaks in itertools.combinations(openers, len(panels) - 1)]
    for starts in plans:
        trial = _trial(panels, page_of, edition, fonts, stories, starts, cache)
        if trial is not None and (best is None or _plan_cost(trial, queue, edition) < best[0]):
            best = (_plan_cost(trial, queue, edition), trial)
    starts = best[1].starts if best else {}
    stretch = _stretch(best[1], edition) if best else {}
    stretched = _trial(panels, page_of, edition, fonts, stories, starts, cache, stretch) if stretch else None
    if stretched is None or best is None or stretched.frame_of != best[1].frame_of:
        stretch = {}  # stretching moved a block to another panel: keep the plain spacing
    column = _Column(panels, page_of, edition, fonts, starts, cache, stretch)
    column.pour(stories)
    return column


def _trial(panels: list[Panel], page_of: dict[str, PageLayout], edition: Edition, fonts: FontBook,
           stories: list[TypesetStory], starts: dict[int, int], cache: dict[BreakKey, list[Line]],
           stretch: dict[int, float] | None = None) -> _Column | None:
    """The flow poured on scratch pages, or None when it overflows."""
    trial = _Column(panels, {name: PageLayout(page.name) for name, page in page_of.items()}, edition, fonts,
                    starts, cache, stretch)
    try:
        trial.pour(stories)
    except StoryOverflow:
        return None
    return trial


STRETCH_TARGET = 0.6  # a short panel's blocks are spaced out until it is this full...
STRETCH_MAX = 1.5  # ...with at most this many body sizes more per gap unit, so it never looks broken up


def _stretch(column: _Column, edition: Edition) -> dict[int, float]:
    """Extra space per gap unit for each frame filled less than MIN_FILL."""
    cap = STRETCH_MAX * edition.leaflet.theme.body_size
    out = {}
    for index, (fill, units) in enumerate(zip(column.fills(), column.gaps)):
        if 0 < fill < MIN_FILL and units:
            short = (STRETCH_TARGET - fill) * column.panels[index].frame.height
            out[index] = min(cap, short / units)
    return out


def _may_open_panel(queue: list[Para], i: int) -> bool:
    """A panel may start at paragraph i unless that parts a heading, sub-heading or caption from its
    text, a callout's paragraphs from each other, or a list item from its first nested item."""
    return (queue[i - 1].role not in ("heading", "subheading", "figure") and queue[i].role != "caption"
            and not story_blocks.kept_together(queue[i - 1], queue[i]))


def _plan_cost(column: _Column, queue: list[Para], edition: Edition) -> float:
    """Lower is better: even fill (once short panels are stretched) first; then no panel
    under MIN_FILL, no paragraph cut, panels opening on a section rather than inside one,
    lists kept together."""
    stretch = _stretch(column, edition)
    fills = [f + stretch.get(i, 0.0) * units / panel.frame.height
             for i, (f, units, panel) in enumerate(zip(column.fills(), column.gaps, column.panels))]
    mean = sum(fills) / len(fills)
    cost = sum((f - mean) ** 2 for f in fills)
    cost += sum(100 for f in fills if f <= 0) + sum(5 * (MIN_FILL - f) for f in fills if 0 < f < MIN_FILL)
    cost += 0.5 * column.splits
    for i in column.starts:
        cost += 0.02 if queue[i].role == "heading" else 0.15
        cost += 0.3 if queue[i].role in LIST_ROLES and queue[i - 1].role in LIST_ROLES else 0
    return cost


CHINESE_SLACK_EM = 0.5  # Chinese lines are broken this much short of the column
HYPHENATED = ("body", "bullet", "item", "callout", "caption")  # running text; headings and furniture: at spaces
JUSTIFIED = HYPHENATED  # Chinese set justified to the column; headings stay ragged
LIST_ROLES = ("bullet", "item")


def _after(chars: list[tuple[str, Style]], done: int) -> list[tuple[str, Style]]:
    """The styled text without its first `done` characters."""
    rest = []
    for text, style in chars:
        if done < len(text):
            rest.append((text[done:], style))
        done = max(0, done - len(text))
    return rest


OVERFLOW_SAMPLE = 500  # lines broken to measure an overflow; beyond them, the count is extrapolated


def _line_count(chars: list[tuple[str, Style]], width: float, measure: Measure) -> int:
    """How many lines the text takes at `width`: counted up to OVERFLOW_SAMPLE, estimated from
    them beyond (the reviewer needs the size of the overflow, not every line of it broken)."""
    lines = break_lines(chars, width, measure, max_lines=OVERFLOW_SAMPLE)
    total = sum(len(text) for text, _ in chars)
    if not lines or lines[-1].end >= total:
        return len(lines)
    return round(len(lines) * total / lines[-1].end)


def _overflow(column: _Column, story: TypesetStory, rest: Rest, partial: list[tuple[str, Style]] | None,
              style: ParaStyle | None) -> StoryOverflow:
    """Measure what did not fit, in lines and millimetres, at the last frame's width."""
    width = column.panel.frame.width
    height, count = 0.0, 0
    if partial and style is not None:  # a paragraph is continued only with its style
        lines = _line_count(partial, width - style.indent, column.fonts.measure)
        height += style.leading * lines
        count += lines
        rest = rest[1:]
    for _, para in rest:
        p_style = para_style(para.role, para.language, column.edition)
        if para.role == "table":
            from .insets import table_extent  # it sets tables with this module's geometry, so it imports it
            lines, table_height = table_extent(column, story, para)
            height += p_style.space_before + table_height + p_style.space_after
        else:
            lines = _line_count(segments(para, p_style, column.fonts), width - p_style.indent, column.fonts.measure)
            height += p_style.space_before + p_style.leading * lines + p_style.space_after
        count += lines
    names = " → ".join(p.name for p in column.panels)
    return StoryOverflow(
        f"story '{story.id}' ({story.language}) does not fit its panels ({names}): about {count} lines "
        f"({height / mm:.0f} mm of column) are left over after panel '{column.panel.name}'",
        story.where, fix="shorten the text, give the flow another panel, or reduce the type size in the theme")


# --- the fixed panels: cover and back ------------------------------------------------

FOLD_OVERLAP_MM = 1.5  # colour meeting a fold runs on past it, so fold drift shows no white sliver
PRODUCT_MM = 34  # the product name's top, above the foot of the cover's frame
DISC_PANEL_MM = (100.0, 210.0)  # the cover panel the discs are drawn for
CLEAR_MM = 3.0  # nothing closer than this to the trim or a fold unless it bleeds off or runs past


COVER_FOOT = ("product", "descriptor")  # the cover parts set low, under the discs


def _cover(layout_page: PageLayout, sheet: Sheet, edition: Edition, fonts: FontBook) -> None:
    panel = sheet.panels[sheet.fold.cover]
    colours = edition.leaflet.theme.colours
    art = _cover_art(panel.trim, sheet)
    layout_page.fills.append(Fill(art, colours["brand"], name="cover art"))
    # Decorative discs, restored colour spreading back into pale skin: clear of the trim,
    # between the tagline and the wordmark.
    # A narrower or shorter cover (a gate's flap, a small sheet) has smaller discs.
    fit = min(1.0, panel.trim.width / (DISC_PANEL_MM[0] * mm), panel.trim.height / (DISC_PANEL_MM[1] * mm))
    outer = fit * 62 * mm / 2
    cx = panel.trim.right - CLEAR_MM * mm - outer
    # Above the product name, however short the sheet.
    cy = max(panel.trim.y + panel.trim.height * 0.45, panel.frame.y + (PRODUCT_MM + 12) * mm + outer)
    for scale, colour in ((62, colours["tint"]), (44, colours["accent"]), (26, colours["brand_dark"])):
        r = fit * scale * mm / 2
        layout_page.fills.append(Fill(Rect(cx - r, cy - r, 2 * r, 2 * r), colour, "circle", name="disc"))
    frame = panel.frame
    set_lines = [(para, style, break_lines(segments(para, style, fonts), frame.width, fonts.measure))
                 for para in edition.cover.paras
                 for style in [para_style(para.role, para.language, edition, on_colour=True)]]
    # The title and tagline hang from the top; the product name and descriptor sit low,
    # raised as far as a taller block (two languages, a long name) needs.
    low = [(para, style, lines) for para, style, lines in set_lines if para.role in COVER_FOOT]
    low_height = sum(style.leading * len(lines) for _, style, lines in low)
    cursor = frame.top
    product_baseline = None
    for para, style, lines in set_lines:
        if low and para is low[0][0]:
            cursor = frame.y + max(PRODUCT_MM * mm, low_height)
        for line in lines:
            baseline = cursor - style.size * 0.9
            if para.role == "product" and product_baseline is None:
                product_baseline = (baseline, style.size)
            layout_page.lines.append(PlacedLine(frame.x, baseline, line, style.colour, panel.name, "cover", para))
            cursor -= style.leading
    if product_baseline:
        # The accent rule leads from the fold into the wordmark at its x-height, stopping short of it.
        baseline, size = product_baseline
        height = 1.2 * mm
        middle = baseline + 0.27 * size
        rule = Rect(art.x, middle - height / 2, frame.x - 2.5 * mm - art.x, height)
        layout_page.fills.append(Fill(rule, colours["accent"], name="accent rule"))


def _cover_art(trim: Rect, sheet: Sheet) -> Rect:
    """The cover's colour: off the sheet into the bleed at a trim edge, FOLD_OVERLAP_MM past a fold."""
    overlap = FOLD_OVERLAP_MM * mm
    left = sheet.bleed.x if trim.x <= sheet.trim.x + 0.01 else trim.x - overlap
    right = sheet.bleed.right if trim.right >= sheet.trim.right - 0.01 else trim.right + overlap
    return Rect(left, sheet.bleed.y, right - left, sheet.bleed.height)


def cover_problems(layout: Layout) -> list[ContentError]:
    """Preflight of the cover's composition: every element has a box; text must not meet
    another element, and nothing may sit within CLEAR_MM of the trim or a fold unless it
    bleeds off the sheet or runs FOLD_OVERLAP_MM past the fold."""
    sheet = layout.sheet
    panel = sheet.panels[sheet.fold.cover]
    outside = layout.pages[panel.page]
    cover = layout.edition.cover.where
    cover_lines = [p for p in outside.lines if p.panel == panel.name]
    # Each element with the content line it comes from: the cover text's own line, else the cover's.
    texts = [(f"the {p.para.role} “{p.line.text}”", text_box(p), p.para.where) for p in cover_lines]
    shapes = [(f"the {f.name}", f.rect, cover) for f in outside.fills if f.name not in ("", "cover art", "band")
              and _overlaps(f.rect, panel.trim)]
    problems = []
    for i, (name, box, where) in enumerate(texts):
        for other, other_box, _ in texts[i + 1:] + shapes:
            if _overlaps(box, other_box):
                problems.append(ContentError(f"on the cover, {name} runs into {other}", where,
                                             fix="shorten the cover text; it must clear every other element"))
    problems += _broken_words(cover_lines, panel)
    for name, box, where in texts + shapes:
        edge = _too_close(box, panel.trim, sheet)
        if edge:
            problems.append(ContentError(f"on the cover, {name} is within {CLEAR_MM:g} mm of the {edge}", where,
                                         fix=f"keep cover elements {CLEAR_MM:g} mm clear of trim and folds, "
                                             "or let them bleed off"))
    return problems


def _broken_words(lines: list[PlacedLine], panel: Panel) -> list[ContentError]:
    """A cover word wider than the panel (a gate's flap, a small sheet) would be cut in two:
    a line may end only at a space or beside a Chinese character."""
    problems = []
    for para in dict.fromkeys(p.para for p in lines):
        text, ends = para.text, [p.line.end for p in lines if p.para is para][:-1]
        if any(not (text[end - 1] == " " or is_cjk(text[end - 1]) or is_cjk(text[end])) for end in ends):
            problems.append(ContentError(f"on the cover, “{para.text}” does not fit the "
                                         f"{panel.frame.width / mm:.0f} mm the cover panel has for text without "
                                         "cutting a word", para.where,
                                         fix="shorten the cover text, or choose a larger sheet or a fold with a "
                                             "wider cover"))
    return problems


def text_box(placed: PlacedLine) -> Rect:
    """A placed line's box: its advance width, from its descenders to its ascenders."""
    size = max(p.style.size for p in placed.line.pieces)
    top = max(p.style.rise + p.style.size * 0.9 for p in placed.line.pieces)
    return Rect(placed.x, placed.baseline - size * 0.25, placed.line.width, top + size * 0.25)


def _overlaps(a: Rect, b: Rect) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.top and b.y < a.top


def _too_close(box: Rect, trim: Rect, sheet: Sheet) -> str | None:
    """Which edge of the panel the box comes too near: the trim (unless it bleeds off)
    or the fold (unless it runs far enough past it)."""
    clear, overlap = CLEAR_MM * mm - 0.01, FOLD_OVERLAP_MM * mm - 0.01
    fold_left = trim.x > sheet.trim.x + 1
    if fold_left and box.x < trim.x + clear and not box.x <= trim.x - overlap:
        return "fold"
    if not fold_left and sheet.bleed.x < box.x < trim.x + clear:
        return "trim"
    if sheet.bleed.right > box.right > trim.right - clear:
        return "trim"
    if sheet.bleed.top > box.top > trim.top - clear or sheet.bleed.y < box.y < trim.y + clear:
        return "trim"
    return None


def _back(page: PageLayout, sheet: Sheet, edition: Edition, fonts: FontBook) -> None:
    panel = sheet.panels[sheet.fold.back]
    stories = list(edition.back)
    approval = stories.pop()  # pinned to the foot of the panel, below everything else
    column = _Column([panel], {panel.name: page}, edition, fonts)
    column.pour(stories)
    para = approval.paras[0]
    style = para_style(para.role, para.language, edition)
    lines = _kept_items(para, style, panel.frame.width, fonts)
    needed = style.leading * len(lines) + 3 * mm
    if column.cursor - needed < panel.frame.y:
        raise StoryOverflow("the back panel has no room left for the approval line (job code and date)",
                            para.where, fix="shorten the back panel text or the reference list")
    baseline = panel.frame.y + style.leading * (len(lines) - 1) + style.size * 0.3
    for line in lines:
        page.lines.append(PlacedLine(panel.frame.x, baseline, line, style.colour, panel.name, "approval", para))
        baseline -= style.leading


ITEM_SEPARATOR = " · "


def _kept_items(para: Para, style: ParaStyle, width: float, fonts: FontBook) -> list[Line]:
    """Lines of a " · "-separated run of items (job code · version · date of preparation),
    broken only between items, so a label never parts from its value."""
    def styled(text: str) -> list[tuple[str, Style]]:
        return segments(dataclasses.replace(para, runs=(Run(text),)), style, fonts)

    items = [item + ITEM_SEPARATOR for item in para.text.split(ITEM_SEPARATOR)]
    items[-1] = items[-1][:-len(ITEM_SEPARATOR)]
    rows: list[str] = [""]
    for item in items:
        if rows[-1] and sum(fonts.measure(*part) for part in styled((rows[-1] + item).rstrip())) > width:
            rows.append("")
        rows[-1] += item
    return [line for row in rows for line in break_lines(styled(row), width, fonts.measure)]


def _bands(pages: tuple[PageLayout, PageLayout], sheet: Sheet, edition: Edition) -> None:
    """A brand colour band across the top of each page, bled off the edge."""
    colours = edition.leaflet.theme.colours
    top = sheet.bleed.top
    height = (sheet.bleed.top - sheet.trim.top) + 8 * mm
    for page in pages:
        page.fills.insert(0, Fill(Rect(sheet.bleed.x, top - height, sheet.bleed.width, height), colours["brand"],
                                  name="band"))


def lay_out(edition: Edition, fonts: FontBook, problems: list[LeafletError] | None = None) -> Layout:
    """Place everything. Overflows and safe-margin breaches are raised together,
    or, given a `problems` list, added to it. A fold the content cannot use is always raised."""
    raise_all(fold_problems(edition.leaflet))
    sheet = sheet_for(edition.leaflet.format)
    pages = (PageLayout(SIDES[0]), PageLayout(SIDES[1]))
    page_of = {name: pages[p.page] for name, p in sheet.panels.items()}
    _bands(pages, sheet, edition)
    overflows: list[StoryOverflow] = []
    for flow, names in zip(edition.leaflet.flows, flow_panels(sheet.fold, edition.leaflet.flows)):
        panels = [sheet.panels[name] for name in names]
        stories = [edition.stories[(flow.language, s)] for s in flow.stories]
        try:
            pour_balanced(panels, page_of, edition, fonts, stories)
        except StoryOverflow as exc:
            overflows.append(exc)
    try:
        _back(pages[sheet.panels[sheet.fold.back].page], sheet, edition, fonts)
    except StoryOverflow as exc:
        overflows.append(exc)
    _cover(pages[sheet.panels[sheet.fold.cover].page], sheet, edition, fonts)
    if edition.status == "draft":
        bold = fonts.name(fonts.scripts.latin, "bold")
        for panel in sheet.panels.values():
            pages[panel.page].watermarks.append(Watermark(panel.trim, "DRAFT", bold, DRAFT_TINT))
    layout = Layout(edition, sheet, pages, fonts)
    from .insets import quiet_zone_problems

    found = overflows + safe_area_problems(layout) + rich_black_problems(layout) + cover_problems(layout) + \
        quiet_zone_problems(layout) + slug_problems(layout)
    if problems is None:
        raise_all(found)
    else:
        problems.extend(found)
    return layout


RICH_BLACK_MIN_PT = 12  # below this, four plates can never register sharply enough


def rich_black_problems(layout: Layout) -> list[ContentError]:
    """Preflight: small text in a black built from several inks blurs on press."""
    problems, seen = [], set()
    for page in layout.pages:
        for placed in page.lines:
            c, m, y, k = placed.colour
            small = [p for p in placed.line.pieces if p.style.size < RICH_BLACK_MIN_PT]
            if k >= 0.9 and c + m + y > 0 and small and (placed.story, placed.colour) not in seen:
                seen.add((placed.story, placed.colour))
                problems.append(ContentError(
                    f"text in story '{placed.story}' is {small[0].style.size:g} pt in rich black "
                    f"(C{c:.0%} M{m:.0%} Y{y:.0%} K{k:.0%}); below {RICH_BLACK_MIN_PT} pt text must be 100 % K only",
                    placed.para.where, fix="use [0, 0, 0, 100] for this colour in the theme, or set the text larger"))
    return problems


def safe_area_problems(layout: Layout) -> list[StoryOverflow]:
    """Preflight: no line of text closer to the trim or a fold than the safe margin."""
    safe = layout.edition.leaflet.format.safe_mm * mm
    problems = []
    for page in layout.pages:
        for placed in page.lines:
            trim = layout.sheet.panels[placed.panel].trim
            inside = (placed.x >= trim.x + safe - 0.01 and placed.x + placed.line.width <= trim.right - safe + 0.5
                      and trim.y + safe <= placed.baseline <= trim.top - safe)
            if not inside:
                problems.append(StoryOverflow(
                    f"a line of story '{placed.story}' reaches into the {safe / mm:g} mm safe margin of panel "
                    f"'{placed.panel}': “{placed.line.text[:40]}”", placed.para.where,
                    fix="shorten the text or check the format's safe margin"))
    return problems


# --- layout warnings: what a designer would fix, though the PDF is not wrong ---------------

WARN_FILL = 0.45  # a text panel less full than this, next to others, looks abandoned


def layout_warnings(layout: Layout) -> list[Diagnostic]:
    """Fill imbalance, blank text panels, panels opening mid-paragraph or ending on a
    paragraph's first line, and runt last lines, for every flow of the edition."""
    edition = layout.edition
    label = f"edition '{edition.region.code}'" if edition.region else "the edition"
    by_panel: dict[str, list[PlacedLine]] = {}
    for page in layout.pages:
        for placed in page.lines:
            by_panel.setdefault(placed.panel, []).append(placed)
    warnings: list[Diagnostic] = []

    def warn(placed_or_flow: PlacedLine | Flow, message: str, hint: str) -> None:
        where = placed_or_flow.para.where if isinstance(placed_or_flow, PlacedLine) else placed_or_flow.where
        warnings.append(Diagnostic("warning", where, f"{label}, {message}", hint))

    for flow, panels in zip(edition.leaflet.flows, flow_panels(layout.sheet.fold, edition.leaflet.flows)):
        fills = {name: _fill_of(layout, name, by_panel.get(name, [])) for name in panels}
        for name, fill in fills.items():
            lines = by_panel.get(name, [])
            if not lines:
                warn(flow, f"panel '{name}' is blank while the flow's other panels have text",
                     "give the flow fewer panels, or more text")
            elif fill < WARN_FILL and max(fills.values()) >= MIN_FILL:
                warn(lines[0], f"panel '{name}' is only {fill:.0%} full while another of its flow is "
                               f"{max(fills.values()):.0%}",
                     "move a story to it, give the flow fewer panels, or set the edition's type larger "
                     "('type:' in its region file)")
        for before, after in zip(panels, panels[1:]):
            head, tail = by_panel.get(after, [])[:1], by_panel.get(before, [])[-1:]
            if head and tail and head[0].para is tail[0].para:
                para = head[0].para
                warn(head[0], f"panel '{after}' starts in the middle of a paragraph",
                     "shorten the text before it, or give the flow a panel break before this paragraph")
                if _lines_of(by_panel, before, para) == 1:
                    warn(tail[0], f"panel '{before}' ends with the first line of a paragraph (an orphan)",
                         "give the flow a panel break before this paragraph")
                if _lines_of(by_panel, after, para) == 1:
                    warn(head[0], f"panel '{after}' starts with the last line of a paragraph (a widow)",
                         "shorten the paragraph or the text before it")
    _warn_unused_panels(layout, by_panel, warnings, label)
    _warn_runts(layout, by_panel, warn)
    return warnings


def _warn_unused_panels(layout: Layout, by_panel: dict[str, list[PlacedLine]], warnings: list[Diagnostic],
                        label: str) -> None:
    """A text panel no flow pours into, blank beside panels with text; and flows whose
    text is too short for their panels altogether."""
    leaflet, fold = layout.edition.leaflet, layout.sheet.fold
    poured = flow_panels(fold, leaflet.flows)
    flowing = {name for panels in poured for name in panels}
    for name, panel in layout.sheet.panels.items():
        if name in (fold.cover, fold.back) or name in flowing or by_panel.get(name):
            continue
        if any(by_panel.get(other) for other, p in layout.sheet.panels.items() if p.page == panel.page):
            warnings.append(Diagnostic("warning", leaflet.flows[0].where if leaflet.flows else None,
                                       f"{label}, panel '{name}' is blank: no flow pours text into it",
                                       "add the panel to a flow's panels, or choose a fold with fewer panels"))
    for flow, panels in zip(leaflet.flows, poured):
        fills = [_fill_of(layout, name, by_panel.get(name, [])) for name in panels]
        if len(fills) > 1 and max(fills) < WARN_FILL:
            share = sum(fills) / len(fills)
            warnings.append(Diagnostic("warning", flow.where,
                                       f"{label}, the {flow.language} text fills its {len(fills)} panels only "
                                       f"{share:.0%} on average: it is too short for them",
                                       "give the flow fewer panels, set the type larger (theme body_size_pt, or "
                                       "'type:' in a region file), or add the wording the leaflet still needs"))


UNFLOWED = ("table-header", "table-cell", "fpo")  # set in a box of their own, not the column's measure


def _warn_runts(layout: Layout, by_panel: dict[str, list[PlacedLine]],
                warn: Callable[[PlacedLine, str, str], None]) -> None:
    for lines in by_panel.values():
        for above, last, after in zip(lines, lines[1:], lines[2:] + [None]):
            if last.para is not above.para or (after is not None and after.para is last.para):
                continue  # not the last line of a paragraph of two lines or more
            if last.story in ("cover", "approval") or last.para.role in ("heading", *UNFLOWED):
                continue
            frame = layout.sheet.panels[last.panel].frame
            body = "".join(p.text for p in last.line.pieces if not p.style.rise)
            if is_runt(body, last.line.width, frame.right - last.x):
                warn(last, f"a paragraph of story '{last.story}' ends with a runt: “{last.line.text}” alone on "
                           "its last line", "the line breaker could not avoid it: rephrase or shorten the paragraph")


def _lines_of(by_panel: dict[str, list[PlacedLine]], panel: str, para: Para) -> int:
    return sum(1 for p in by_panel.get(panel, []) if p.para is para)


def _fill_of(layout: Layout, panel: str, lines: list[PlacedLine]) -> float:
    frame = layout.sheet.panels[panel].frame
    if not lines:
        return 0.0
    return (frame.top - min(text_box(p).y for p in lines)) / frame.height
