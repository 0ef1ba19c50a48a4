"""Placing story blocks in a column: list markers in the hanging indent, items
kept whole, callout boxes kept whole on one panel.

A written marker ("3.", "(b)", "一、") is a line of text of its own, set in the
story language's face and right-aligned on the widest marker of its level, so
every line of an item (the first and the turn lines) starts at the same x.
A callout's tint or rules are layout fills: verify checks that they print.
"""
from __future__ import annotations

import dataclasses
import unicodedata
from typing import TYPE_CHECKING

from reportlab.lib.units import mm

from ..errors import StoryOverflow
from . import layout
from .linebreak import Line, Segment, break_lines
from ..content.model import CMYK
from ..content.resolve import Edition, Para, Run, TypesetStory

if TYPE_CHECKING:
    from .fonts import FontBook

MARKER_GAP_EM = 0.45  # between a marker and its item's text (a full-width 、 or ） brings its own half em)
CALLOUT_PAD = 2.5 * mm  # from the box's edge to its text, every side
CALLOUT_RULE = 0.75  # points: the ruled box's line weight
CALLOUT_BELOW = 0.75  # leadings of space under a box
MARKER_LINE_ROOM = 10_000.0  # points: a marker is never broken


def block_style(para: Para, follower: Para | None, edition: Edition, fonts: FontBook) -> layout.ParaStyle:
    """The paragraph's style, with a list item's indent (its marker column) and an item kept with its nested items."""
    style = layout.para_style(para.role, para.language, edition)
    if para.marker is not None:
        style = dataclasses.replace(style, indent=item_indent(para, style, fonts))
    if follower is not None and _nested(follower) and not _nested(para):
        style = dataclasses.replace(style, keep_with_next=True)
    return style


def _nested(para: Para) -> bool:
    return para.marker is not None and para.marker.outer is not None


def kept_together(before: Para, para: Para) -> bool:
    """A panel may not open between these two: inside one callout, or between an item and its first nested item."""
    same_box = para.callout is not None and before.callout is para.callout
    return same_box or (_nested(para) and not _nested(before))


def item_indent(para: Para, style: layout.ParaStyle, fonts: FontBook) -> float:
    """How far a list item's text sits from the frame's left edge: its level's marker column, and its parent's."""
    marker = para.marker
    assert marker is not None  # only a list item has an indent of its own
    outer = _column_width(marker.outer, para, style, fonts) if marker.outer is not None else 0.0
    return outer + _column_width(marker.column, para, style, fonts)


def _column_width(column: tuple[str, ...], para: Para, style: layout.ParaStyle, fonts: FontBook) -> float:
    if not column:  # discs
        return layout.BULLET_INDENT
    widest = max(_marker_width(text, para, style, fonts) + _gap(text, style) for text in column)
    return max(layout.BULLET_INDENT, widest)


def _gap(text: str, style: layout.ParaStyle) -> float:
    return 0.0 if unicodedata.east_asian_width(text[-1]) in ("F", "W") else MARKER_GAP_EM * style.size


def _marker_chars(text: str, para: Para, style: layout.ParaStyle, fonts: FontBook) -> list[Segment]:
    return layout.segments(Para((Run(text),), "marker", para.language, para.where), style, fonts)


def _marker_width(text: str, para: Para, style: layout.ParaStyle, fonts: FontBook) -> float:
    return sum(fonts.measure(part, part_style) for part, part_style in _marker_chars(text, para, style, fonts))


def marker_line(column: layout._Column, story: TypesetStory, para: Para, style: layout.ParaStyle, text_x: float,
                baseline: float) -> layout.PlacedLine:
    """The item's marker, ending its gap before the item's text, on its first baseline."""
    assert para.marker is not None  # called for a list item's first line
    chars = _marker_chars(para.marker.text, para, style, column.fonts)
    line, = break_lines(chars, MARKER_LINE_ROOM, column.fonts.measure)
    x = text_x - _gap(para.marker.text, style) - line.width
    marker = Para((Run(para.marker.text),), "marker", para.language, para.where)
    return layout.PlacedLine(x, baseline, line, style.colour, column.panel.name, story.id, marker)


def too_tall(column: layout._Column, story: TypesetStory, para: Para) -> StoryOverflow:
    return StoryOverflow(f"a list item of story '{story.id}' is taller than panel '{column.panel.name}', and an item "
                         f"is never split between panels: “{para.text[:60]}”", para.where,
                         fix="split it into shorter items, or shorten it")


def follower_needs(column: layout._Column, follower: Para, rest: layout.Rest) -> float:
    """The room the block after a kept-with-next paragraph needs beside it: two lines, all of a
    kept-whole item, or the whole of a callout box."""
    style = block_style(follower, rest[1][1] if len(rest) > 1 else None, column.edition, column.fonts)
    if follower.callout is not None:
        return style.space_before + _box_height(column, _members(rest))
    if follower.block is not None:  # a table, QR code or FPO box: all of it
        from .insets import kept_height  # insets places with layout's geometry, so it comes late
        return style.space_before + kept_height(column, rest[0][0], follower)
    lines = 2
    if style.keep_whole:
        lines = max(2, len(column._lines(layout.segments(follower, style, column.fonts), style, follower)))
    return style.space_before + style.leading * lines


# --- callout boxes -----------------------------------------------------------------

def in_open_callout(para: Para, previous: Para | None) -> bool:
    """A paragraph of the box the previous paragraph opened: it was placed with it."""
    return para.callout is not None and previous is not None and previous.callout is para.callout


def _members(rest: layout.Rest) -> list[tuple[TypesetStory, Para]]:
    box = rest[0][1].callout
    members = []
    for story, para in rest:
        if para.callout is not box:
            break
        members.append((story, para))
    return members


def _set(column: layout._Column, members: list[tuple[TypesetStory, Para]]
         ) -> list[tuple[Para, layout.ParaStyle, list[Line]]]:
    """Each member paragraph with its style and lines."""
    out = []
    for _, para in members:
        style = layout.para_style(para.role, para.language, column.edition)
        out.append((para, style, column._lines(layout.segments(para, style, column.fonts), style, para)))
    return out


def _text_height(style: layout.ParaStyle, lines: list[Line]) -> float:
    return style.size * 0.9 + style.leading * (len(lines) - 1) + style.size * 0.3


def _box_height(column: layout._Column, members: list[tuple[TypesetStory, Para]]) -> float:
    placed = _set(column, members)
    text = sum(_text_height(style, lines) for _, style, lines in placed)
    between = sum(style.space_after for _, style, _ in placed[:-1])
    return 2 * CALLOUT_PAD + text + between


def place_callout(column: layout._Column, story: TypesetStory, rest: layout.Rest) -> None:
    """The box and its paragraphs, together on one panel: on the next one if they do not fit here."""
    members = _members(rest)
    placed = _set(column, members)
    first = placed[0][1]
    callout = members[0][1].callout
    assert callout is not None  # pour places only a callout's paragraph here
    height = _box_height(column, members)
    before = 0.0 if column.at_top else first.space_before + column._after_list(members[0][1], first)
    if before + height > column.room():
        column._advance(story, rest)
        before = 0.0
    if height > column.room():
        raise StoryOverflow(f"a callout box of story '{story.id}' is taller than panel '{column.panel.name}', and a "
                            f"box is never split between panels: “{members[0][1].text[:60]}”", members[0][1].where,
                            fix="shorten the callout's text, or keep only the warning itself in the box")
    before += column._gap(members[0][1])
    column.frame_of.extend([column.index] * len(members))
    frame = column.panel.frame
    top = column.cursor - before
    box = layout.Rect(frame.x, top - height, frame.width, height)
    colours = column.edition.leaflet.theme.colours
    column.page_of[column.panel.name].fills.extend(callout_fills(box, callout.style, colours))
    column.cursor = top - CALLOUT_PAD
    for k, (para, style, lines) in enumerate(placed):
        column.cursor -= placed[k - 1][1].space_after if k else 0.0
        column._emit(story, para, style, lines, first=True, final=True)
    column.low[column.index] = min(column.low[column.index], box.y)
    column.cursor = box.y - CALLOUT_BELOW * first.leading


def callout_fills(box: layout.Rect, style: str, colours: dict[str, CMYK]) -> list[layout.Fill]:
    """A shaded box is one tint fill; a ruled box is four rules just inside its edge."""
    if style == "shaded":
        return [layout.Fill(box, colours["tint"], name="callout tint")]
    w, ink = CALLOUT_RULE, colours["brand"]
    return [layout.Fill(layout.Rect(box.x, box.top - w, box.width, w), ink, name="callout rule"),
            layout.Fill(layout.Rect(box.x, box.y, box.width, w), ink, name="callout rule"),
            layout.Fill(layout.Rect(box.x, box.y + w, w, box.height - 2 * w), ink, name="callout rule"),
            layout.Fill(layout.Rect(box.right - w, box.y + w, w, box.height - 2 * w), ink, name="callout rule")]
