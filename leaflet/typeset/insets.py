"""Placing the story blocks that are not running text — a table, a QR code, an FPO
box — in a flow's column, and the preflight of a QR code's quiet zone.

Everything they paint goes into the layout (cell text as placed lines; rules,
modules and the FPO cross as shapes), so the proof checks it like the text."""
from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm

from ..errors import ContentError, Location, StoryOverflow
from ..content.model import Placeholder, QRCode
from ..content.resolve import Para, SetTable, TypesetStory
from .layout import (BLACK, CHINESE_SLACK_EM, Fill, Layout, PageLayout, ParaStyle, PlacedLine, Rect, Rest, Rule,
                     _Column, para_style, segments, text_box)
from .linebreak import Line, break_lines, hyphenator_for, set_chinese, widest_cluster

CELL_PAD_X = 1.5 * mm  # cell text keeps this far from the column's edges
CELL_PAD_Y = 1.2 * mm  # and from the rules above and below it
RULE_OUTER = 0.75  # points: above and below the table
RULE_HEADER = 0.5  # under the header row
RULE_ROW = 0.25  # between rows: a hairline, the thinnest a press holds
QUIET_MODULES = 4  # the clear margin a QR code needs on every side, in modules
FPO_RULE = 0.5
FPO_PAD = 3 * mm  # the label keeps this far from the box; the cross stops this far short of it


@dataclass(frozen=True)
class PlacedCode:
    """A QR code's quiet zone on a page, which nothing else may enter."""

    zone: Rect
    symbol: Rect
    panel: str
    story: str
    where: Location | None


def place_block(column: _Column, story: TypesetStory, para: Para, style: ParaStyle, follower: Para | None,
                rest: Rest) -> None:
    """Place a table, QR code or FPO box at the column's cursor, moving on to the next frame
    when it does not fit: each is kept whole."""
    block = para.block
    if isinstance(block, SetTable):
        _place_table(column, story, para, block, style, rest)
    elif isinstance(block, QRCode):
        _place_code(column, story, para, block, style, follower, rest)
    elif isinstance(block, Placeholder):
        _place_placeholder(column, story, para, block, style, follower, rest)


def _claim(column: _Column, story: TypesetStory, para: Para, height: float, before: float, rest: Rest,
           what: str) -> float:
    """Room for a block `height` tall: the top it starts at, on this frame or the next."""
    before = 0.0 if column.at_top else before
    if before + height > column.room():
        column._advance(story, rest)
        before = 0.0
    if height > column.room():
        raise StoryOverflow(f"{what} in story '{story.id}' is {height / mm:.0f} mm tall; panel "
                            f"'{column.panel.name}' has {column.room() / mm:.0f} mm, and it is kept whole",
                            para.where, fix="make it smaller, or give it a panel of its own")
    before += column._gap(para)
    column.frame_of.append(column.index)
    return column.cursor - before


def _done(column: _Column, bottom: float, style: ParaStyle) -> None:
    column.low[column.index] = min(column.low[column.index], bottom)
    column.cursor = bottom - style.space_after
    column.at_top = False


# --- table ---------------------------------------------------------------------------

def _column_widths(column: _Column, table: SetTable, story: TypesetStory, para: Para) -> list[float]:
    """Widths that share the frame: in proportion to what each column's cells hold on one
    line (each at least its widest word), or evenly. A word that fits no column is an error."""
    frame, fonts = column.panel.frame, column.fonts
    count = len(table.header)
    columns = [[row[i] for row in (table.header, *table.rows) if i < len(row)] for i in range(count)]
    natural, narrowest = [], []
    for cells in columns:
        chars = [segments(c, para_style(c.role, c.language, column.edition), fonts) for c in cells]
        natural.append(max(sum(fonts.measure(t, s) for t, s in ch) for ch in chars) + 2 * CELL_PAD_X)
        narrowest.append(max((widest_cluster(ch, fonts.measure) for ch in chars), key=lambda w: w[1]))
    least = [w + 2 * CELL_PAD_X for _, w in narrowest]
    if table.widths == "even":
        widths = [frame.width / count] * count
    elif sum(natural) <= frame.width:
        widths = [w * frame.width / sum(natural) for w in natural]
    elif sum(least) <= frame.width:
        spare = (frame.width - sum(least)) / (sum(natural) - sum(least))
        widths = [lo + (hi - lo) * spare for lo, hi in zip(least, natural)]
    else:
        words = ", ".join(f"“{word}”" for word, _ in narrowest)
        raise StoryOverflow(f"the table in story '{story.id}' is too wide for panel '{column.panel.name}': its "
                            f"longest words ({words}) need {sum(least) / mm:.0f} mm and the panel has "
                            f"{frame.width / mm:.0f} mm", para.where,
                            fix="shorten the longest words, or use fewer columns")
    for i, (width, (word, need)) in enumerate(zip(widths, narrowest)):
        if need + 2 * CELL_PAD_X > width + 0.01:
            raise StoryOverflow(f"the table in story '{story.id}' is too wide for panel '{column.panel.name}': "
                                f"“{word}” in column {i + 1} needs {(need + 2 * CELL_PAD_X) / mm:.0f} mm and the "
                                f"column has {width / mm:.0f} mm", para.where,
                                fix="shorten the longest words, use fewer columns"
                                    + (", or 'widths: content'" if table.widths == "even" else ""))
    return widths


def _cell_lines(column: _Column, cell: Para, width: float) -> tuple[ParaStyle, list[Line]]:
    style = para_style(cell.role, cell.language, column.edition)
    width -= 2 * CELL_PAD_X
    chinese = cell.language.startswith("zh")
    hyphenator = hyphenator_for(cell.language, column._never_hyphenated())
    lines = break_lines(segments(cell, style, column.fonts), width - (CHINESE_SLACK_EM * style.size if chinese
                                                                      else 0), column.fonts.measure,
                        hyphenator=hyphenator)
    if chinese:
        lines = [set_chinese(line, width, column.fonts.measure, justified=False) for line in lines]
    return style, lines


def _row_height(cells: list[tuple[ParaStyle, list[Line]]]) -> float:
    # As a paragraph: first ascent 0.9 size, then a leading per line, last descent 0.3 size.
    text = max(s.size * 1.2 + s.leading * (len(lines) - 1) for s, lines in cells if lines)
    return 2 * CELL_PAD_Y + text


def _set_rows(column: _Column, story: TypesetStory, para: Para
              ) -> tuple[list[float], list[list[tuple[ParaStyle, list[Line]]]], list[float]]:
    """The table set at the column's width: column widths, each row's cells' lines, row heights."""
    table = para.block
    assert isinstance(table, SetTable)  # called for a table's paragraph
    widths = _column_widths(column, table, story, para)
    rows = [[_cell_lines(column, cell, width) for cell, width in zip(row, widths)]
            for row in (table.header, *table.rows)]
    return widths, rows, [_row_height(row) for row in rows]


def table_extent(column: _Column, story: TypesetStory, para: Para) -> tuple[int, float]:
    """Lines (the tallest cell of each row) and height of a table: the size of an overflow."""
    _, rows, heights = _set_rows(column, story, para)
    return sum(max(len(lines) for _, lines in row) for row in rows), sum(heights) + RULE_OUTER


def kept_height(column: _Column, story: TypesetStory, para: Para) -> float:
    """The height a table, QR code (with its quiet zone) or FPO box takes whole: what a heading
    kept with it must find room for beside it."""
    block = para.block
    if isinstance(block, SetTable):
        return table_extent(column, story, para)[1]
    if isinstance(block, QRCode):
        size = block.size_mm * mm
        return size + 2 * QUIET_MODULES * size / len(block.modules)
    assert isinstance(block, Placeholder)  # the one block left
    return block.height_mm * mm


def _place_table(column: _Column, story: TypesetStory, para: Para, table: SetTable, style: ParaStyle,
                 rest: Rest) -> None:
    """The table whole on one panel: header in bold, cells wrapped in their columns and set
    from the top, a rule above and below the table, under the header and between rows."""
    widths, rows, heights = _set_rows(column, story, para)
    if (0.0 if column.at_top else style.space_before) + sum(heights) + RULE_OUTER > column.room():
        column._advance(story, rest)  # the table moves on whole, and is set at its new panel's width
        widths, rows, heights = _set_rows(column, story, para)
    top = _claim(column, story, para, sum(heights) + RULE_OUTER, style.space_before, rest, "the table")
    frame, page = column.panel.frame, column.page_of[column.panel.name]
    y = top - RULE_OUTER / 2
    for r, (row, cells, height) in enumerate(zip(rows, (table.header, *table.rows), heights)):
        weight = RULE_OUTER if r == 0 else RULE_HEADER if r == 1 else RULE_ROW
        page.rules.append(Rule((frame.x, y), (frame.right, y), weight, BLACK))
        x = frame.x
        for (cell_style, lines), cell, width in zip(row, cells, widths):
            baseline = y - CELL_PAD_Y - cell_style.size * 0.9
            for line in lines:
                page.lines.append(PlacedLine(x + CELL_PAD_X, baseline, line, BLACK, column.panel.name, story.id,
                                             cell))
                baseline -= cell_style.leading
            x += width
        y -= height
    page.rules.append(Rule((frame.x, y), (frame.right, y), RULE_OUTER, BLACK))
    _done(column, y - RULE_OUTER / 2, style)


# --- QR code ------------------------------------------------------------------------------

def _place_code(column: _Column, story: TypesetStory, para: Para, code: QRCode, style: ParaStyle, follower: Para | None,
                rest: Rest) -> None:
    """The code at its size, left on the column like a figure, its quiet zone kept clear: the
    space above and below it is at least the zone. Each row's run of dark modules is one
    black rectangle, so a module added or removed in the PDF is a shape the layout lacks."""
    frame = column.panel.frame
    size = code.size_mm * mm
    if size > frame.width + 0.01:
        raise StoryOverflow(f"the QR code in story '{story.id}' is {code.size_mm:g} mm wide; panel "
                            f"'{column.panel.name}' has {frame.width / mm:.0f} mm for text", code.where,
                            fix=f"set size_mm to {frame.width / mm:.0f} or less")
    module = size / len(code.modules)
    quiet = QUIET_MODULES * module
    caption = 2 * style.leading if follower is not None and follower.role == "caption" else 0
    top = _claim(column, story, para, size + quiet + caption, max(style.space_before, quiet), rest, "the QR code")
    symbol = Rect(frame.x, top - size, size, size)
    page = column.page_of[column.panel.name]
    for r, row in enumerate(code.modules):
        y = symbol.top - (r + 1) * module
        for start, length in _runs(row):
            page.fills.append(Fill(Rect(symbol.x + start * module, y, length * module, module), BLACK, name="qr"))
    zone = Rect(symbol.x - quiet, symbol.y - quiet, size + 2 * quiet, size + 2 * quiet)
    page.codes.append(PlacedCode(zone, symbol, column.panel.name, story.id, code.where))
    _done(column, zone.y, style)


def _runs(row: tuple[bool, ...]) -> list[tuple[int, int]]:
    """(first module, length) of each run of dark modules in a row."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for i, dark in enumerate((*row, False)):
        if dark and start is None:
            start = i
        elif not dark and start is not None:
            runs.append((start, i - start))
            start = None
    return runs


def quiet_zone_problems(layout: Layout) -> list[ContentError]:
    """Preflight: each QR code's quiet zone lies inside its panel (no fold or trim through it)
    and nothing else — text, shape, artwork or rule — is painted within it. (A draft's light
    DRAFT watermark is the exception: it is not on a final print.)"""
    problems = []
    for page in layout.pages:
        for code in page.codes:
            trim = layout.sheet.panels[code.panel].trim
            what = f"the quiet zone of the QR code in story '{code.story}'"
            if not (trim.x <= code.zone.x and code.zone.right <= trim.right and trim.y <= code.zone.y
                    and code.zone.top <= trim.top):
                problems.append(ContentError(f"{what} runs over the edge of panel '{code.panel}' (a fold or the "
                                             "trim), where a phone cannot read it", code.where,
                                             fix="make the code smaller (size_mm) so its 4-module margin stays on "
                                                 "the panel"))
            for name in _intruders(page, code):
                problems.append(ContentError(f"{what} is not clear: {name} lies within it", code.where,
                                             fix="keep 4 modules of blank paper around the code"))
    return problems


def _intruders(page: PageLayout, code: PlacedCode) -> list[str]:
    def meets(r: Rect) -> bool:
        z = code.zone
        return r.x < z.right - 0.01 and z.x + 0.01 < r.right and r.y < z.top - 0.01 and z.y + 0.01 < r.top

    found = [f"the text “{p.line.text[:30]}”" for p in page.lines if meets(text_box(p))]
    found += [f"a {f.name or 'shape'}" for f in page.fills if meets(f.rect)
              and not (f.name == "qr" and _within(f.rect, code.symbol))]
    found += [f"the artwork {f.file.name}" for f in page.figures if meets(f.rect)]
    found += ["a rule" for r in page.rules if meets(_rule_box(r))]
    return found


def _within(inner: Rect, outer: Rect) -> bool:
    return (outer.x - 0.01 <= inner.x and inner.right <= outer.right + 0.01 and outer.y - 0.01 <= inner.y
            and inner.top <= outer.top + 0.01)


def _rule_box(rule: Rule) -> Rect:
    (x0, y0), (x1, y1) = rule.start, rule.end
    pad = rule.weight / 2
    return Rect(min(x0, x1) - pad, min(y0, y1) - pad, abs(x1 - x0) + 2 * pad, abs(y1 - y0) + 2 * pad)


# --- FPO placeholder ------------------------------------------------------------------------

def _place_placeholder(column: _Column, story: TypesetStory, para: Para, box: Placeholder, style: ParaStyle,
                       follower: Para | None, rest: Rest) -> None:
    """A ruled box at the artwork's size, crossed corner to corner, “FPO — label” set in its
    middle; the cross stops short of the label so no rule runs through a letter."""
    frame = column.panel.frame
    width, height = box.width_mm * mm, box.height_mm * mm
    if width > frame.width + 0.01:
        raise StoryOverflow(f"the FPO box “{box.label}” in story '{story.id}' is {box.width_mm:g} mm wide; panel "
                            f"'{column.panel.name}' has {frame.width / mm:.0f} mm for text", box.where,
                            fix=f"set width_mm to {frame.width / mm:.0f} or less")
    lines = break_lines(segments(para, style, column.fonts), width - 2 * FPO_PAD, column.fonts.measure)
    label_height = style.size * 1.2 + style.leading * (len(lines) - 1)
    if label_height + 2 * FPO_PAD > height:
        raise StoryOverflow(f"the FPO box “{box.label}” in story '{story.id}' is too small for its label",
                            box.where, fix=f"set height_mm to {(label_height + 2 * FPO_PAD) / mm + 1:.0f} or more, "
                                           "or shorten the label")
    caption = 2 * style.leading if follower is not None and follower.role == "caption" else 0
    top = _claim(column, story, para, height + caption, style.space_before, rest, f"the FPO box “{box.label}”")
    rect = Rect(frame.x, top - height, width, height)
    page = column.page_of[column.panel.name]
    centre = (rect.x + width / 2, rect.y + height / 2)
    baseline = centre[1] + label_height / 2 - style.size * 0.9
    for line in lines:
        page.lines.append(PlacedLine(centre[0] - line.width / 2, baseline, line, BLACK, column.panel.name,
                                     story.id, para))
        baseline -= style.leading
    widest = max(line.width for line in lines)
    page.rules.extend(_crossed_box(rect, widest / 2 + FPO_PAD, label_height / 2 + FPO_PAD))
    _done(column, rect.y, style)


def _crossed_box(rect: Rect, half_w: float, half_h: float) -> list[Rule]:
    """The box's four sides, and its two diagonals broken around the label's box
    (half_w × half_h about the centre)."""
    corners = [(rect.x, rect.y), (rect.right, rect.y), (rect.right, rect.top), (rect.x, rect.top)]
    rules = [Rule(a, b, FPO_RULE, BLACK) for a, b in zip(corners, corners[1:] + corners[:1])]
    cx, cy = rect.x + rect.width / 2, rect.y + rect.height / 2
    # Along a diagonal, c + s·d for s in [-1, 1] (d the half diagonal); the label box holds |s| ≤ s0.
    s0 = min(half_w / (rect.width / 2), half_h / (rect.height / 2))
    if s0 >= 1:
        return rules
    for dx, dy in ((rect.width / 2, rect.height / 2), (rect.width / 2, -rect.height / 2)):
        for sign in (1, -1):
            rules.append(Rule((cx + sign * s0 * dx, cy + sign * s0 * dy), (cx + sign * dx, cy + sign * dy),
                              FPO_RULE, BLACK))
    return rules
