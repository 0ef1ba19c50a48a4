"""Witness 1, exact text accounting by position: every glyph a page paints is
accounted for by the approved content of the edition, in the zone (panel or
slug) where it lands, in reading order taken from glyph positions; every
approved character is painted visibly, at the size, in the face and the ink
the layout set; and nothing else is painted anywhere — nor hidden."""
from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from ..content.scripts import is_cjk
from .expected import Expected, Setting
from .findings import Finding
from .paint import INVISIBLE_MODES, Glyph, Ink, PagePaint, Paint, covers, intersect

WITNESS = "text"
CONTEXT = 12  # characters of context either side of a difference
MERGE_GAP = 8  # differences closer than this are one change
SPACE_EM = 0.12  # a gap wider than this (in em) between two glyphs on a line reads as a word space
SIZE_TOLERANCE = 0.04  # of the approved size
SCALE_TOLERANCE = 0.03
ROTATED_DEG = 1.0
SAME_EDITION = 0.6  # below this share of the approved wording printed, the PDF is another leaflet or edition
MAX_LINE_FINDINGS = 5

Source = TypeVar("Source", Glyph, Setting)
Token = tuple[str, Source | None]  # a character and what it came from (a Glyph or a Setting), None for a space
Identify = Callable[[Glyph], str]  # the character a glyph's outline shows, from the glyph witness


@dataclass(frozen=True)
class PageFrame:
    """A candidate page's own boxes: every position is judged relative to its TrimBox."""

    trim: tuple[float, float, float, float]
    media: tuple[float, float, float, float]


def text_findings(pages: list[PagePaint], frames: list[PageFrame], expected: Expected,
                  identify: Callable[[Glyph], str] | None = None) -> list[Finding]:
    findings: list[Finding] = []
    printed: list[str] = []
    for index, (paint, frame) in enumerate(zip(pages, frames)):
        findings += [Finding(p, index, witness=WITNESS) for p in paint.problems]
        findings += _page(index, paint, frame, expected, identify, printed)
    share = _share_printed(expected, printed)
    if findings and share < SAME_EDITION:
        findings.insert(0, Finding(f"this PDF does not look like this edition: only {share:.0%} of the approved "
                                   "wording is printed in it — check that --content and --region name the "
                                   "edition this PDF is meant to be", witness=WITNESS))
    return findings


def _share_printed(expected: Expected, printed: list[str]) -> float:
    """How much of the approved wording (words, and CJK characters) the PDF prints anywhere."""
    approved = Counter(_words(" ".join("".join(s.char for s in line) for lines in expected.text.values()
                                       for line in lines)))
    found = Counter(_words(" ".join(printed)))
    total = sum(approved.values())
    return sum((approved & found).values()) / total if total else 1.0


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+|\d+", "".join(f" {c} " if is_cjk(c) else c for c in text))


def _page(index: int, paint: PagePaint, frame: PageFrame, expected: Expected, identify: Identify | None,
          printed: list[str]) -> list[Finding]:
    findings: list[Finding] = []
    zones: dict[str, list[Glyph]] = {}
    rotated: dict[str, list[Glyph]] = {}
    hidden: list[tuple[str, str, Glyph]] = []
    off_page: list[Glyph] = []
    paints = _PaintIndex(paint.paints)
    for glyph in _distinct(paint.glyphs):
        if _blank(glyph):
            continue
        cx, cy = _centre(glyph)
        if not (frame.media[0] <= cx <= frame.media[2] and frame.media[1] <= cy <= frame.media[3]):
            off_page.append(glyph)
            continue
        zone = expected.zone_at(index, cx - frame.trim[0], cy - frame.trim[1])
        reason = _hidden_reason(glyph, paints)
        if reason:
            hidden.append((zone, reason, glyph))
        elif abs(glyph.angle) > ROTATED_DEG:
            rotated.setdefault(zone, []).append(glyph)
        else:
            zones.setdefault(zone, []).append(glyph)
    if off_page:
        findings.append(Finding(f"text outside the page, where it does not print: “{_quote(off_page, identify)}”",
                                index, witness=WITNESS))
    findings += _hidden_findings(index, hidden, identify)
    names = [z.name for z in expected.zones if z.page == index] + ["slug"]
    for zone in names + sorted(set(zones) - set(names)):
        lines = expected.text.get((index, zone), [])
        have = _actual_tokens(zones.get(zone, []), identify)
        printed.append("".join(c for c, _ in have))
        findings += _compare(index, zone, _expected_tokens(lines), have, frame, expected)
    for zone in names + sorted(set(rotated) - set(names)):
        findings += _watermark(index, zone, expected.watermarks.get((index, zone), []), rotated.get(zone, []),
                               identify)
    return findings


# --- visibility ----------------------------------------------------------------------

def _centre(glyph: Glyph) -> tuple[float, float]:
    b = glyph.box
    return ((b[0] + b[2]) / 2, (b[1] + b[3]) / 2)


def visible_glyphs(paint: PagePaint) -> list[Glyph]:
    """The glyphs a reader sees on a page: each painted once, spaces left out, none hidden."""
    paints = _PaintIndex(paint.paints)
    return [g for g in _distinct(paint.glyphs) if not _blank(g) and not _hidden_reason(g, paints)]


def reading(glyphs: list[Glyph], identify: Identify | None = None) -> str:
    """The text of some glyphs as a reader reads it: lines from their positions, word spaces from gaps."""
    return "".join(c for c, _ in _actual_tokens(glyphs, identify))


def _blank(glyph: Glyph) -> bool:
    """A space: word spaces are read from the gaps; the glyph witness checks a space draws nothing."""
    return glyph.char.isspace() or (not glyph.char and glyph.code == 32 and not glyph.font.two_byte)


def _distinct(glyphs: list[Glyph]) -> list[Glyph]:
    """The glyphs, a glyph painted again exactly on itself counted once: it prints the same."""
    seen, out = set(), []
    for g in glyphs:
        key = (g.font.key, g.code, round(g.x, 1), round(g.y, 1), round(g.size, 1), g.ink, g.mode)
        if key not in seen:
            seen.add(key)
            out.append(g)
    return out


class _PaintIndex:
    """Shapes by the columns of the page they touch, so each glyph is judged against
    the few shapes near it, not every shape on the page."""

    CELL = 36.0  # points

    def __init__(self, paints: list[Paint]):
        self.cells: dict[int | None, list[Paint]] = {}
        self.merged: dict[int, list[Paint]] = {}
        for paint in sorted(paints, key=lambda p: p.order):
            area = intersect(paint.box, paint.clip)
            if area[2] < area[0]:
                continue
            first, last = int(max(area[0], -1e6) // self.CELL), int(min(area[2], 1e6) // self.CELL)
            for cell in range(first, min(last, first + 400) + 1) if last - first <= 400 else [None]:
                self.cells.setdefault(cell, []).append(paint)

    def near(self, x: float) -> list[Paint]:
        """The shapes in x's column and the page-wide ones, in painting order (merged once per column)."""
        cell = int(x // self.CELL)
        if cell not in self.merged:
            self.merged[cell] = sorted(self.cells.get(cell, []) + self.cells.get(None, []), key=lambda p: p.order)
        return self.merged[cell]


def _hidden_reason(glyph: Glyph, paints: _PaintIndex) -> str | None:
    """Why a reader could not see this glyph on paper, if they could not."""
    if glyph.hidden:
        return glyph.hidden
    if glyph.mode in INVISIBLE_MODES:
        return f"set in an invisible text render mode ({glyph.mode})"
    if glyph.alpha < 0.99:
        return "painted transparent"
    cx, cy = _centre(glyph)
    if glyph.clip is not None and not covers(glyph.clip, (cx, cy, cx, cy)):
        return "clipped away"
    box = glyph.box
    background: Ink | None = Ink("DeviceCMYK", (0.0, 0.0, 0.0, 0.0))  # paper
    for paint in paints.near(cx):
        area = intersect(paint.box, paint.clip)
        if paint.order > glyph.order:
            if paint.opaque and covers(area, box, slack=0.01):
                return f"covered by {'an image' if paint.kind == 'image' else 'a shape'} painted over it"
        elif paint.opaque and covers(area, (cx, cy, cx, cy)):
            background = paint.ink
    if background is not None and _same_ink(glyph.ink, background):
        return "painted in the colour of what lies under it"
    return None


def _same_ink(a: Ink, b: Ink) -> bool:
    if a.space.startswith("Separation") or b.space.startswith("Separation"):
        return a == b
    ca, cb = a.cmyk(), b.cmyk()
    return ca is not None and cb is not None and all(abs(x - y) < 0.02 for x, y in zip(ca, cb))


def _hidden_findings(index: int, hidden: list[tuple[str, str, Glyph]], identify: Identify | None) -> list[Finding]:
    groups: dict[tuple[str, str], list[Glyph]] = {}
    for zone, reason, glyph in hidden:
        groups.setdefault((zone, reason), []).append(glyph)
    return [Finding(f"hidden text “{_quote(glyphs, identify)}”: {reason}", index, _panel(zone), witness=WITNESS)
            for (zone, reason), glyphs in groups.items()]


def _panel(zone: str) -> str | None:
    return None if zone == "slug" else zone


# --- reading lines from positions ---------------------------------------------------------

def _char(glyph: Glyph, identify: Identify | None) -> str:
    if glyph.char:
        return glyph.char
    return (identify(glyph) if identify else "") or "\ufffd"


def _lines(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Glyphs grouped into lines, top to bottom, each left to right. A glyph joins a
    line when its x-height centre is close to the line's: superscripts stay on their
    line, the next line (at least one leading below) does not."""
    lines: list[tuple[float, float, list[Glyph]]] = []
    for glyph in sorted(glyphs, key=lambda g: -(g.y + 0.35 * g.size)):
        centre = glyph.y + 0.35 * glyph.size
        if lines and lines[-1][0] - centre <= 0.45 * max(lines[-1][1], glyph.size):
            ref, size, members = lines[-1]
            members.append(glyph)
            lines[-1] = (ref, max(size, glyph.size), members)
        else:
            lines.append((centre, glyph.size, [glyph]))
    return [sorted(members, key=lambda g: g.x) for _, _, members in lines]


def _actual_tokens(glyphs: list[Glyph], identify: Identify | None) -> list[Token[Glyph]]:
    tokens: list[Token[Glyph]] = []
    for line in _lines(glyphs):
        if tokens:
            tokens.append((" ", None))
        previous = None
        for glyph in line:
            if previous is not None:
                gap = glyph.x - (previous.x + previous.advance)
                if gap > SPACE_EM * min(glyph.size, previous.size):
                    tokens.append((" ", None))
            tokens.append((_char(glyph, identify), glyph))
            previous = glyph
    return _normalised(tokens)


def _expected_tokens(lines: list[list[Setting]]) -> list[Token[Setting]]:
    tokens: list[Token[Setting]] = []
    for line in lines:
        if tokens:
            tokens.append((" ", None))
        tokens.extend((s.char, s) for s in line)
    return _normalised(tokens)


def _normalised(tokens: list[Token[Source]]) -> list[Token[Source]]:
    """One space for any run of white space, and none beside a CJK character:
    line breaks and spacing may differ; words may not run together or split."""
    out: list[Token[Source]] = []
    for char, ref in tokens:
        if char.isspace():
            if out and out[-1][0] != " " and not is_cjk(out[-1][0]):
                out.append((" ", None))
            continue
        if out and out[-1][0] == " " and is_cjk(char):
            out.pop()
        out.append((char, ref))
    while out and out[-1][0] == " ":
        out.pop()
    return out


# --- comparing ---------------------------------------------------------------------

def _compare(index: int, zone: str, want: list[Token[Setting]], have: list[Token[Glyph]], frame: PageFrame,
             expected: Expected) -> list[Finding]:
    a = "".join(c for c, _ in want)
    b = "".join(c for c, _ in have)
    findings: list[Finding] = []
    if a != b:
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        changes = _changes(matcher.get_opcodes())
        moved = _moves(changes, a, b)
        for i1, i2, j1, j2 in changes:
            if (i1, i2, j1, j2) in moved:
                if i1 != i2:  # report a moved passage once, by the line it belongs to
                    setting = next(s for _, s in want[(i1 + i2) // 2:] + want[:i1][::-1] if s is not None)
                    findings.append(Finding(f"out of reading order: “{_short(setting.line)}”", index,
                                            _panel(zone), setting.story, setting.language, WITNESS))
                continue
            findings.append(_change(index, zone, want, have, a, b, i1, i2, j1, j2))
        blocks = [(m.a, m.b, m.size) for m in matcher.get_matching_blocks() if m.size]
    else:
        blocks = [(0, 0, len(a))]
    pairs = [(want[i + k][1], have[j + k][1]) for i, j, size in blocks for k in range(size)]
    findings += _setting_findings(index, zone, pairs, frame, expected)
    return findings


def _changes(opcodes: Sequence[tuple[str, int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Non-equal stretches, with those close together merged into one change."""
    changes: list[list[int]] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            continue
        if changes and i1 - changes[-1][1] < MERGE_GAP and j1 - changes[-1][3] < MERGE_GAP:
            changes[-1][1], changes[-1][3] = i2, j2
        else:
            changes.append([i1, i2, j1, j2])
    return [(i1, i2, j1, j2) for i1, i2, j1, j2 in changes]


def _moves(changes: list[tuple[int, int, int, int]], a: str, b: str) -> set[tuple[int, int, int, int]]:
    """Pairs of a deletion and an insertion of the same text: a passage printed elsewhere in the panel."""
    def key(text: str) -> str:  # the alignment may cut the same passage at another point
        return "".join(sorted(text.replace(" ", "")))

    deleted = {key(a[i1:i2]): c for c in changes for i1, i2, j1, j2 in [c] if j1 == j2 and i2 - i1 > 3}
    moved: set[tuple[int, int, int, int]] = set()
    for change in changes:
        i1, i2, j1, j2 = change
        text = key(b[j1:j2])
        if i1 == i2 and text in deleted:
            moved |= {change, deleted.pop(text)}
    return moved


def _change(index: int, zone: str, want: list[Token[Setting]], have: list[Token[Glyph]], a: str, b: str,
            i1: int, i2: int, j1: int, j2: int) -> Finding:
    if j1 == j2:
        i1, i2 = _slide(a, i1, i2)
    at = max(0, i1 - 1) if i1 == i2 else i1  # an insertion follows a line; other changes begin in one
    near = next((s for _, s in want[at:] + want[:at][::-1] if s is not None), None) if want else None
    story, language, line = (near.story, near.language, near.line) if near else (None, None, None)
    if i1 == i2:
        inserted = b[j1:j2].strip()
        what = f"text that is not in the approved content: “{_short(inserted)}”" if inserted else \
            "a space that is not in the approved content"
        if len(inserted) <= 20 and a:
            what += (f" — found “…{b[max(0, j1 - CONTEXT):j2 + CONTEXT]}…”, "
                     f"approved “…{a[max(0, i1 - CONTEXT):i1 + CONTEXT]}…”")
    elif j1 == j2:
        what = f"missing: “{_short(a[i1:i2].strip())}”"
    else:
        before = min(CONTEXT, i1, j1)
        after = min(CONTEXT, len(a) - i2, len(b) - j2)
        what = (f"altered: expected “…{_short(a[i1 - before:i2 + after])}…”, "
                f"found “…{_short(b[j1 - before:j2 + after])}…”")
    if line and a:
        what += f" {'after' if i1 == i2 else 'in'} “{_short(line, 70)}”"
    if zone == "slug":
        what += " (in the slug area outside the trim)"
    return Finding(what, index, _panel(zone), story, language, WITNESS)


def _slide(a: str, i1: int, i2: int) -> tuple[int, int]:
    """Move a deletion right while the same text stays deleted, so it ends where a line ends."""
    while i2 < len(a) and a[i1] == a[i2]:
        i1, i2 = i1 + 1, i2 + 1
    return i1, i2


def _setting_findings(index: int, zone: str, pairs: list[tuple[Setting | None, Glyph | None]], frame: PageFrame,
                      expected: Expected) -> list[Finding]:
    """For every approved character that is painted: the size, face, ink and place the layout set."""
    runs: list[tuple[str, Setting, list[Setting]]] = []
    zone_box = next(((z.x0, z.x1) for z in expected.zones if z.page == index and z.name == zone), None)
    for setting, glyph in pairs:
        if setting is None or glyph is None:
            continue
        for problem in _setting_problems(setting, glyph, frame, zone_box, expected):
            if runs and runs[-1][0] == problem and runs[-1][1].line == setting.line:
                runs[-1][2].append(setting)
            else:
                runs.append((problem, setting, [setting]))
    findings = [Finding(f"“{_short(s.line[chars[0].at:chars[-1].at + 1])}” {problem} in “{_short(s.line, 70)}”",
                        index, _panel(zone), s.story, s.language, WITNESS) for problem, s, chars in runs]
    return findings[:MAX_LINE_FINDINGS * 4]


def _setting_problems(setting: Setting, glyph: Glyph, frame: PageFrame, zone_box: tuple[float, float] | None,
                      expected: Expected) -> Iterator[str]:
    if abs(glyph.size - setting.size) > max(0.25, SIZE_TOLERANCE * setting.size):
        yield f"is set at {glyph.size:.1f} pt; the approved layout sets {setting.size:g} pt"
    if abs(glyph.hscale - 1.0) > SCALE_TOLERANCE:
        yield f"is scaled to {glyph.hscale:.0%} of its width"
    if glyph.font.name != setting.face:
        yield f"is set in {glyph.font.name}; the approved layout sets {setting.face}"
    if expected.proof:
        pass  # a screen proof converts every ink to RGB through the print profile
    elif setting.spot:
        if glyph.ink.space != f"Separation:{setting.spot}":
            yield f"prints in {glyph.ink}; the approved ink is the spot colour {setting.spot}"
    else:
        plain = glyph.ink.cmyk()
        if plain is None or any(abs(x - y) > 0.005 for x, y in zip(plain, setting.ink)):
            yield f"prints in {glyph.ink}; the approved ink is {Ink('DeviceCMYK', setting.ink)}"
    if zone_box is not None:
        box = glyph.box
        x0, x1 = box[0] - frame.trim[0], box[2] - frame.trim[0]
        y0, y1 = box[1] - frame.trim[1], box[3] - frame.trim[1]
        if x0 < zone_box[0] - 1 or x1 > zone_box[1] + 1 or y0 < -1 or y1 > expected.trim[1] + 1:
            yield "reaches outside its panel"


def _watermark(index: int, zone: str, want: list[Setting], have: list[Glyph],
               identify: Identify | None) -> list[Finding]:
    a = "".join(s.char for s in want)
    b = "".join(_char(g, identify) for g in sorted(have, key=lambda g: g.order))
    if a == b:
        if want and have and any(abs(g.size - want[0].size) > SIZE_TOLERANCE * want[0].size for g in have):
            return [Finding(f"the {a} watermark is not at its approved size", index, _panel(zone), witness=WITNESS)]
        return []
    if a and not b:
        return [Finding(f"the {a} watermark is missing: this copy could pass for approved content", index,
                        _panel(zone), witness=WITNESS)]
    if b and not a:
        return [Finding(f"rotated text that is not in the approved content: “{_short(b)}”", index, _panel(zone),
                        witness=WITNESS)]
    return [Finding(f"the watermark reads “{_short(b)}”; the approved edition carries “{a}”", index, _panel(zone),
                    witness=WITNESS)]


def _quote(glyphs: list[Glyph], identify: Identify | None) -> str:
    return _short(reading(glyphs, identify))


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
