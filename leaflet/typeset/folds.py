"""Folds as data: one definition per fold says how the sheet is divided and read.

A sheet prints on two sides, outside then inside, each cut into panels by the
folds. A Fold gives each side's panels left to right as printed, their widths
from the sheet's width and the fold-in allowance, the order a reader meets the
panels when unfolding the leaflet, which panel is the cover and which the back
(job code, approval line, references), and the default panels of the text flows.
Which panel backs which follows from the sheet turning over left to right: the
first panel of the outside backs the last of the inside. Layout, render, verify,
compare and preview all take the panels from here; adding a fold is one
definition in FOLDS.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..content.model import Flow, Format, Leaflet
from ..errors import ContentError

SIDES = ("outside", "inside")  # the sheet's two printed sides, in page order
MIN_TEXT_MM = 25.0  # narrower than this, a panel cannot hold a readable line of text

# (sheet width, fold-in allowance) in mm -> each side's panel widths, left to right as printed
Widths = Callable[[float, float], tuple[tuple[float, ...], tuple[float, ...]]]


@dataclass(frozen=True)
class Fold:
    name: str
    description: str  # how it folds, for a user who named no known fold
    sides: tuple[tuple[str, ...], tuple[str, ...]]  # panel names of the outside and inside, left to right
    widths: Widths
    reading: tuple[str, ...]  # every panel once, as a reader meets it: cover, first opening, inside, back
    cover: str
    back: str  # job code, approval line, agent and references
    bilingual: tuple[tuple[str, ...], tuple[str, ...]]  # default panels of the first and second language

    @property
    def panels(self) -> tuple[str, ...]:
        return self.sides[0] + self.sides[1]

    @property
    def text_panels(self) -> tuple[str, ...]:
        """Panels stories may flow into, in reading order: all but the cover and the back."""
        return tuple(name for name in self.reading if name not in (self.cover, self.back))

    def side_of(self, panel: str) -> int:
        return 0 if panel in self.sides[0] else 1

    def backing(self, panel: str) -> str:
        """The panel on the other side of the sheet, behind this one."""
        side = self.side_of(panel)
        return self.sides[1 - side][-1 - self.sides[side].index(panel)]

    def default_panels(self, flows: int) -> tuple[tuple[str, ...], ...] | None:
        """Panels of each flow when the content names none: one language reads through every
        text panel in reading order, two share them as the bilingual default; None for more."""
        return {1: (self.text_panels,), 2: self.bilingual}.get(flows)

    def spans_mm(self, fmt: Format, side: int) -> list[tuple[str, float, float]]:
        """Each panel of a side with its left and right edge, mm from the trim's left."""
        spans, left = [], 0.0
        for name, width in zip(self.sides[side], self.widths(fmt.trim_mm[0], fmt.fold_in_mm)[side]):
            spans.append((name, left, left + width))
            left += width
        return spans


def _roll(width: float, fold_in: float) -> tuple[tuple[float, ...], tuple[float, ...]]:
    wide = (width + fold_in) / 3
    narrow = width - 2 * wide
    return (narrow, wide, wide), (wide, wide, narrow)


def _gate(width: float, fold_in: float) -> tuple[tuple[float, ...], tuple[float, ...]]:
    centre = width / 2 + fold_in  # each flap is half the centre less the allowance, so the gate closes
    flap = (width - centre) / 2
    return (flap, centre, flap), (flap, centre, flap)


FOLDS: dict[str, Fold] = {fold.name: fold for fold in (
    Fold("letter", "roll fold: the flap folds in, the cover over it; the flap is fold_in_mm narrower",
         (("flap", "back", "cover"), ("inside-left", "inside-middle", "inside-right")), _roll,
         ("cover", "inside-left", "flap", "inside-middle", "inside-right", "back"), "cover", "back",
         (("inside-left", "inside-middle"), ("flap", "inside-right"))),
    Fold("z", "accordion: three equal panels, folded in a Z; cover and back are on opposite sides",
         (("outside-left", "outside-middle", "cover"), ("inside-left", "inside-middle", "back")),
         lambda width, fold_in: ((width / 3,) * 3, (width / 3,) * 3),
         ("cover", "inside-left", "inside-middle", "back", "outside-left", "outside-middle"), "cover", "back",
         (("inside-left", "inside-middle"), ("outside-left", "outside-middle"))),
    Fold("gate", "gatefold: two flaps fold in to meet at the middle; each is half the centre less fold_in_mm",
         (("flap", "back", "cover"), ("inside-left", "inside-middle", "inside-right")), _gate,
         ("cover", "flap", "inside-left", "inside-middle", "inside-right", "back"), "cover", "back",
         (("inside-left", "inside-middle"), ("flap", "inside-right"))),
    Fold("bifold", "one fold down the middle: front cover, inside left and right, back",
         (("back", "cover"), ("inside-left", "inside-right")),
         lambda width, fold_in: ((width / 2,) * 2, (width / 2,) * 2),
         ("cover", "inside-left", "inside-right", "back"), "cover", "back",
         (("inside-left",), ("inside-right",))),
)}


MARK_TOLERANCE_MM = 0.5  # fold marks read back from a PDF sit this close to where the fold puts them


def fold_marked(width_mm: float, side: int, marks_mm: tuple[float, ...]) -> Fold | None:
    """The fold whose folds on this side of a sheet lie at its fold marks, for a PDF read without
    its content (compare). Panel widths are linear in the fold-in allowance, so the allowance
    that fits the marks best is solved for; of folds that fit, one needing no allowance wins."""
    fits = []
    for order, fold in enumerate(FOLDS.values()):
        if len(fold.sides[side]) != len(marks_mm) + 1:
            continue
        base = _fold_lines(fold, width_mm, 0.0, side)
        slope = [b - a for a, b in zip(base, _fold_lines(fold, width_mm, 1.0, side))]
        norm = sum(d * d for d in slope)
        allowance = sum(d * (m - b) for d, m, b in zip(slope, marks_mm, base)) / norm if norm else 0.0
        allowance = min(10.0, max(0.0, allowance))
        miss = max(abs(m - f) for m, f in zip(marks_mm, _fold_lines(fold, width_mm, allowance, side)))
        if miss <= MARK_TOLERANCE_MM:
            fits.append((norm > 0 and allowance < 0.05, order, fold))
    return min(fits)[2] if fits else None


def _fold_lines(fold: Fold, width_mm: float, fold_in: float, side: int) -> list[float]:
    lines, x = [], 0.0
    for panel in fold.widths(width_mm, fold_in)[side][:-1]:
        x += panel
        lines.append(x)
    return lines


def fold_of(fmt: Format) -> Fold:
    return FOLDS[fmt.fold]


def flow_panels(fold: Fold, flows: tuple[Flow, ...]) -> list[tuple[str, ...]]:
    """The panels of each flow: its own, or the fold's default for its place among the flows."""
    defaults = fold.default_panels(len(flows)) or ((),) * len(flows)
    return [flow.panels or default for flow, default in zip(flows, defaults)]


# What printers also call the folds (letters only, lower case): the fold meant by a name the tool does not use.
TRADE_NAMES = {"roll": "letter", "rollfold": "letter", "letterfold": "letter", "cfold": "letter",
               "zfold": "z", "zigzag": "z", "accordion": "z", "accordionfold": "z",
               "gatefold": "gate", "halffold": "bifold", "bi": "bifold", "folder": "bifold"}


def fold_problems(leaflet: Leaflet) -> list[ContentError]:
    """The fold must be known, its panels wide enough for text, every flow's panels text panels
    of it, and flows that name no panels as many as the fold has defaults for."""
    fmt = leaflet.format
    if fmt.fold not in FOLDS:
        trade = TRADE_NAMES.get(re.sub(r"[^a-z]", "", fmt.fold.lower()))
        guess = [trade] if trade else difflib.get_close_matches(fmt.fold, FOLDS, n=1)
        return [ContentError(f"'format.fold' is '{fmt.fold}'; it must be one of: {', '.join(FOLDS)}", fmt.where,
                             fix=f"did you mean '{guess[0]}'?" if guess else
                             "; ".join(f"{name}: {fold.description}" for name, fold in FOLDS.items()))]
    fold = FOLDS[fmt.fold]
    problems = _size_problems(fold, fmt)
    for flow in leaflet.flows:
        problems += [_panel_problem(fold, flow, i, name) for i, name in enumerate(flow.panels)
                     if name not in fold.text_panels]
    if problems:
        return problems
    bare = [flow for flow in leaflet.flows if not flow.panels]
    if bare and len(bare) < len(leaflet.flows):  # a default could take a panel another flow names
        return [ContentError("this flow names no panels while another flow names its own", bare[0].where,
                             fix=f"give every flow its 'panels:' or none (text panels: {', '.join(fold.text_panels)})")]
    if bare and fold.default_panels(len(bare)) is None:
        return [ContentError(f"the flows name no panels, and the {fold.name} fold has default panels for one or "
                             f"two flows, not {len(bare)}", bare[0].where,
                             fix=f"give each flow its 'panels:' (text panels: {', '.join(fold.text_panels)})")]
    return []


def _panel_problem(fold: Fold, flow: Flow, index: int, name: str) -> ContentError:
    where = flow.panel_where[index] if index < len(flow.panel_where) else flow.where
    if name in (fold.cover, fold.back):
        role = "cover" if name == fold.cover else "back panel"
        return ContentError(f"'{name}' is the {role} of the {fold.name} fold, which the tool lays out itself; "
                            "stories cannot flow into it", where,
                            fix=f"use the text panels: {', '.join(fold.text_panels)}")
    guess = difflib.get_close_matches(str(name), fold.text_panels, n=1)
    hint = f"did you mean '{guess[0]}'? " if guess else ""
    return ContentError(f"{name!r} is not a panel of the {fold.name} fold", where,
                        fix=f"{hint}its text panels, in reading order: {', '.join(fold.text_panels)}")


def _size_problems(fold: Fold, fmt: Format) -> list[ContentError]:
    """A sheet too narrow for its fold leaves panels with no room for a line: named once, the narrowest."""
    name, left, right = min((span for side in (0, 1) for span in fold.spans_mm(fmt, side)), key=lambda s: s[2] - s[1])
    text = right - left - 2 * (fmt.safe_mm + 3)
    if text >= MIN_TEXT_MM:
        return []
    return [ContentError(f"the {fold.name} fold on a {fmt.trim_mm[0]:g} mm wide sheet makes panel '{name}' "
                         f"{right - left:.1f} mm wide, leaving {text:.1f} mm for text (at least {MIN_TEXT_MM:g})",
                         fmt.where, fix="choose a wider sheet, a fold with fewer panels, or a smaller fold_in_mm")]
