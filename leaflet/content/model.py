"""The leaflet as plain data, named the way print and regulatory people name it."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from pathlib import Path

from ..errors import Location

CMYK = tuple[float, float, float, float]  # each 0..1


@dataclass(frozen=True)
class Span:
    """A run of text; bold for emphasis."""

    text: str
    bold: bool = False


@dataclass(frozen=True)
class Citation:
    """A citation of one or more references by id; numbered in the resolve stage."""

    ref_ids: tuple[str, ...]
    where: Location


Inline = Span | Citation


@dataclass(frozen=True)
class Paragraph:
    inlines: tuple[Inline, ...]
    where: Location
    # None when the wording is the source leaflet's; otherwise how it was added
    # ("translation", "completion", or "regional wording") so a reviewer can see what is new.
    added: str | None = None
    approved: str | None = None  # the approval reference of added wording; None: not yet approved

    @property
    def unapproved(self) -> bool:
        return self.added is not None and self.approved is None


@dataclass(frozen=True)
class ListItem:
    """One item of a list, with the items of its one nested level."""

    paragraph: Paragraph
    items: tuple[Paragraph, ...] = ()


@dataclass(frozen=True)
class ItemList:
    """A bulleted, numbered or lettered list; the tool writes the markers (numbers are never typed)."""

    style: str  # "bullet", "1.", "(1)", "a)", "i.", "一、", ... (content.blocks.LIST_STYLES)
    start: int  # the number of the first item: 3 starts a lettered list at c)
    items: tuple[ListItem, ...]
    sub_style: str  # the markers of the nested level
    where: Location


@dataclass(frozen=True)
class Subheading:
    """A heading inside a story, set smaller than the story's heading and kept with what follows."""

    paragraph: Paragraph


@dataclass(frozen=True)
class Callout:
    """Paragraphs boxed together on one panel, e.g. "Keep out of reach of children"."""

    style: str  # "shaded" (theme tint) or "ruled"
    paragraphs: tuple[Paragraph, ...]
    where: Location


@dataclass(frozen=True)
class Figure:
    """Artwork placed in a story at a given width, with an optional caption."""

    file: Path
    width_mm: float
    pixels: tuple[int, int]  # width, height of the image file
    caption: Paragraph | None
    where: Location


@dataclass(frozen=True)
class TableRow:
    """A row of cells; each cell carries the row's added/approved marks."""

    cells: tuple[Paragraph, ...]
    where: Location


@dataclass(frozen=True)
class Table:
    """A small table (2 to 4 columns) with a header row, e.g. a dosing schedule."""

    header: tuple[Paragraph, ...]
    rows: tuple[TableRow, ...]
    widths: str  # "content" (from what the cells hold) or "even"
    where: Location

    def paragraphs(self) -> tuple[Paragraph, ...]:
        return self.header + tuple(cell for row in self.rows for cell in row.cells)


@dataclass(frozen=True)
class QRCode:
    """A QR code printed in black for a web address, with an optional caption."""

    url: str
    size_mm: float  # the symbol's width, without its quiet zone
    modules: tuple[tuple[bool, ...], ...]  # dark modules, row by row, top first, as the encoder set them
    caption: Paragraph | None
    where: Location


@dataclass(frozen=True)
class Placeholder:
    """FPO ("for position only"): where artwork not yet supplied will go. Drafts only."""

    label: str
    width_mm: float
    height_mm: float
    caption: Paragraph | None
    where: Location

    @property
    def printed_label(self) -> str:
        return f"FPO — {self.label}"


Block = Paragraph | ItemList | Figure | Subheading | Callout | Table | QRCode | Placeholder


@dataclass(frozen=True)
class Story:
    """A titled run of text in one language that flows through panels."""

    id: str
    language: str
    heading: Paragraph | None
    blocks: tuple[Block, ...]
    where: Location


@dataclass(frozen=True)
class Reference:
    id: str
    text: str
    where: Location
    # Why the reference is listed though nothing cites it; None means it must be cited.
    uncited_reason: str | None = None


@dataclass(frozen=True)
class Approval:
    job_code: str
    version: str
    date_of_preparation: dt.date
    status: str  # "draft" or "approved"
    where: Location


@dataclass(frozen=True)
class Format:
    trim_mm: tuple[float, float]
    bleed_mm: float
    fold: str  # a fold's name (typeset/folds.py checks it): letter, z, gate, bifold
    fold_in_mm: float  # the fold-in allowance: how much narrower a panel that folds in is
    safe_mm: float  # margin from trim and folds that holds nothing important
    where: Location | None = None  # the 'fold' line, for messages about the fold

    def printed(self) -> dict[str, object]:
        """What the format sets on the sheet, without where it was written: for hashes and snapshots."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "where"}


@dataclass(frozen=True)
class ThemeFont:
    """A brand typeface named by the theme for one language, instead of the pinned one."""

    regular: Path
    bold: Path
    index: int  # face index within a TTC collection
    where: Location


@dataclass(frozen=True)
class Theme:
    colours: dict[str, CMYK]
    body_size: float
    body_leading: float
    heading_size: float
    reference_size: float
    fonts: dict[str, ThemeFont] = field(default_factory=dict)  # language -> brand typeface
    spots: dict[CMYK, str] = field(default_factory=dict)  # colour -> spot (separation) name it prints as


@dataclass(frozen=True)
class OutputProfile:
    """The printing condition the CMYK values are meant for, and its ICC profile."""

    condition: str  # OutputConditionIdentifier, e.g. FOGRA39
    description: str
    path: Path


@dataclass(frozen=True)
class Flow:
    """Stories of one language poured in order through a sequence of panels."""

    language: str
    panels: tuple[str, ...]  # empty: the fold's default panels for this flow
    stories: tuple[str, ...]
    where: Location
    panel_where: tuple[Location, ...] = ()  # the line of each panel name


@dataclass(frozen=True)
class CoverLine:
    """One line of cover text: a title, tagline line, product name or descriptor."""

    role: str  # title, tagline, product or descriptor
    text: str
    language: str | None  # the language it is for; None: the same in every edition
    where: Location


@dataclass(frozen=True)
class Cover:
    """The cover's text, every part optional, each the same for every language or given per language."""

    lines: tuple[CoverLine, ...]
    where: Location

    @property
    def products(self) -> tuple[str, ...]:
        return tuple(line.text for line in self.lines if line.role == "product")


@dataclass(frozen=True)
class Agent:
    """The local agent or distributor block printed on the back panel."""

    language: str
    lines: tuple[str, ...]
    where: Location


@dataclass(frozen=True)
class EditionLanguage:
    """A language of an edition: its tag picks the font (glyph standard), `text` the text file."""

    tag: str
    text: str


@dataclass(frozen=True)
class Replacement:
    """Regional wording: `find` becomes `replace` in one language (and story, if given)."""

    language: str
    find: str
    replace: str
    story: str | None
    approved: str | None
    where: Location


@dataclass(frozen=True)
class LegalLine:
    language: str
    text: str
    where: Location


@dataclass(frozen=True)
class Region:
    """A regional edition: an overlay on the master content."""

    code: str
    name: str
    languages: tuple[EditionLanguage, ...]
    approval: Approval  # the master's approval data with this edition's job code, version, date or status
    agents: tuple[Agent, ...] | None  # None: the master's, those in this edition's languages
    legal: tuple[LegalLine, ...]
    replacements: tuple[Replacement, ...]
    flows: tuple[Flow, ...] | None  # None: the master's flows, languages taken in the region's order
    where: Location
    theme: Theme | None = None  # the master's theme with this edition's type sizes and colours; None: the master's
    # Parts the edition sets for itself; None: the master's.
    cover: Cover | None = None
    back_stories: tuple[str, ...] | None = None
    references: tuple[Reference, ...] | None = None


@dataclass(frozen=True)
class Leaflet:
    name: str
    folder: Path
    title: str
    languages: tuple[str, ...]
    approval: Approval
    format: Format
    theme: Theme
    cover: Cover
    agents: tuple[Agent, ...]  # the agent blocks on the back panel, at most one per language
    back_stories: tuple[str, ...]  # story ids printed on the back panel, in every language
    flows: tuple[Flow, ...]
    stories: dict[tuple[str, str], Story]  # (language, story id) -> story
    references: tuple[Reference, ...]
    files: tuple[Path, ...] = field(default=())  # every content file read, for hashing
    regions: dict[str, Region] = field(default_factory=dict)  # code -> overlay, from regions/*.yaml
    legal: tuple[LegalLine, ...] = ()  # legal lines of the master edition (a region sets its own)
    output: OutputProfile | None = None  # None: the default printing condition (FOGRA39)
