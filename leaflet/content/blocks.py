"""Story blocks: lists, sub-headings and callouts, built from their checked YAML (the keys
of each kind are schema.BLOCKS), and the list markers resolve and the snapshot share.

    - numbered: [Wash your hands., Apply a thin layer.]      # 1. 2.
      start: 3                                               # ... or 3. 4.
    - list: {style: "(a)", start: 2, items: [...]}           # (b) (c)
    - bullets:
        - text: Apply the cream to
          items: [your face, your hands]                     # one nested level
    - subheading: If you forget a dose
    - callout: Keep out of reach of children.                # or a list of paragraphs,
    - callout: {style: ruled, body: [..., ...]}              # or style and body

List markers are generated from the style and start, never typed: an item
that begins with its own "1." or "•" is an error, as it would print twice.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import ContentError
from .model import Callout, ItemList, ListItem, Paragraph, Span, Subheading
from .sources import Path_

if TYPE_CHECKING:
    from .stories import Reading

SHORT_LISTS = {"bullets": "bullet", "numbered": "1.", "lettered": "a)"}  # kind -> style
# The nested level's markers when a list does not name them: one step down the usual outline.
SUB_STYLES = {"bullet": "dash", "dash": "bullet", "1.": "a)", "(1)": "(a)", "1)": "a)", "a)": "i.", "a.": "i.",
              "(a)": "(i)", "A.": "1.", "i.": "a.", "(i)": "(a)", "I.": "A.", "一、": "（一）", "（一）": "1."}
CHINESE_STYLES = ("一、", "（一）")  # their markers print in a Chinese face only


# --- lists ----------------------------------------------------------------------------

def short_list(reading: Reading, path: Path_, entry: dict[str, Any]) -> ItemList:
    """`numbered: [...]` and its kin: the items under the kind's key, style and start beside it."""
    kind = str(path[-1])
    return _item_list(reading, path[:-1], entry, SHORT_LISTS[kind], path)


def style_list(reading: Reading, path: Path_, entry: dict[str, Any]) -> ItemList:
    """`list: {style:, start:, items:}`."""
    spec = entry["list"]
    return _item_list(reading, path, spec, "1.", path + ("items",))


def _item_list(reading: Reading, at: Path_, spec: dict[str, Any], style: str, items_path: Path_) -> ItemList:
    """The list whose keys are `spec` (at `at`) and whose items are at `items_path`."""
    style = spec.get("style", style)
    items = tuple(_list_item(reading, items_path + (i,), item) for i, item in enumerate(spec[str(items_path[-1])]))
    block = ItemList(style, spec.get("start", 1), items, spec.get("sub_style", SUB_STYLES[style]),
                     reading.doc.at(at))
    return _check_markers(reading, block)


def _list_item(reading: Reading, path: Path_, value: Any) -> ListItem:
    if not (isinstance(value, dict) and "items" in value):
        return ListItem(reading.paragraph(path, value))
    children = tuple(reading.paragraph(path + ("items", j), child) for j, child in enumerate(value["items"]))
    return ListItem(reading.paragraph(path, value), children)


# A marker typed into an item's text: "1. ", "(a) ", "iv) ", "一、", "（二）", "• ".
_TYPED_MARKER = re.compile(r"\s*([•·▪‣*–—-](?=\s)|[(（]?(?:[0-9０-９]{1,3}|[a-zA-Z]|[ivxIVX]{2,5}|"
                           r"[一二三四五六七八九十]{1,3})[.)）．、](?=\s|[\u3000-\u9fff\uff00-\uffef]))")


def _check_markers(reading: Reading, block: ItemList) -> ItemList:
    """The list, when every marker can be written in its style, in the story's script, and no
    item types its own; otherwise the problem is recorded and the list numbered 1. 2. 3. stands in."""
    try:
        [entry.marker for entry in list_entries(block)]  # a number the style cannot write raises
    except ValueError as exc:
        reading.problems.append(ContentError(str(exc), block.where, fix="use numbers (style \"1.\") for a list this long"))
        block = dataclasses.replace(block, style="1.", sub_style="1.")
    for style in {block.style, block.sub_style} & set(CHINESE_STYLES):
        if not reading.language.startswith("zh"):
            reading.problems.append(ContentError(
                f"the list style {style!r} numbers in Chinese, but this is {reading.language} text", block.where,
                fix="use a style such as \"1.\" or \"(a)\" outside Chinese text"))
    for item in block.items:
        _check_typed(reading.problems, item.paragraph, block.style)
        for child in item.items:
            _check_typed(reading.problems, child, block.sub_style)
    return block


def _check_typed(problems: list[ContentError], paragraph: Paragraph, style: str) -> None:
    first = paragraph.inlines[0] if paragraph.inlines else None
    match = _TYPED_MARKER.match(first.text) if isinstance(first, Span) else None
    if match:
        typed = match.group(1)
        what = "draws the bullets" if style in ("bullet", "dash") else "numbers the items from the list's style and start"
        problems.append(ContentError(
            f"a list item starts with its own marker {typed!r}: the tool {what}, so it would print twice",
            paragraph.where, fix=f"remove {typed!r} from the start of the item"
                                 + ("" if style in ("bullet", "dash") else "; set 'start:' to begin at another number")))


# --- the markers, shared by resolve (what prints) and the snapshot (what is approved) -----

@dataclass(frozen=True)
class ListEntry:
    """One item of a list as it prints: its paragraph, its place and the list level it is in."""

    paragraph: Paragraph
    style: str
    number: int
    level: int  # 0, or 1 for a nested item
    siblings: int  # the number of items at its level, under the same parent: the widest marker sets the indent
    first: int  # the number of the first of them

    @property
    def marker(self) -> str:
        return marker(self.style, self.number)

    @property
    def role(self) -> str:
        """What a reviewer sees the item as: "bullet", "item 3.", "nested item (b)", "nested bullet"."""
        name = "bullet" if self.style == "bullet" else f"item {self.marker}"
        return f"nested {name}" if self.level else name

    def column(self) -> tuple[str, ...]:
        """Every marker of its level, under the same parent; empty for bullets drawn as discs."""
        if self.style == "bullet":
            return ()
        return tuple(marker(self.style, n) for n in range(self.first, self.first + self.siblings))


def list_entries(block: ItemList) -> list[ListEntry]:
    """The list's items in reading order, each nested item after its parent."""
    entries = []
    for k, item in enumerate(block.items):
        entries.append(ListEntry(item.paragraph, block.style, block.start + k, 0, len(block.items), block.start))
        entries += [ListEntry(child, block.sub_style, 1 + j, 1, len(item.items), 1) for j, child in enumerate(item.items)]
    return entries


def marker(style: str, number: int) -> str:
    """The printed marker of item `number` in `style`: "" for a bullet (a disc is drawn)."""
    if style == "bullet":
        return ""
    if style == "dash":
        return "–"
    counter = next(c for c in ("1", "a", "A", "i", "I", "一") if c in style)
    return style.replace(counter, _count(counter, number))


def _count(counter: str, n: int) -> str:
    if counter == "1":
        return str(n)
    if counter in "aA":
        if n > 26:
            raise ValueError(f"a lettered list runs from a to z; this one would need {n} letters")
        letter = chr(ord("a") + n - 1)
        return letter.upper() if counter == "A" else letter
    if counter in "iI":
        roman = _roman(n)
        return roman.upper() if counter == "I" else roman
    return _chinese(n)


def _roman(n: int) -> str:
    if n > 39:
        raise ValueError(f"a list numbered in roman numerals runs to xxxix; this one would need {n}")
    tens, units = divmod(n, 10)
    return "x" * tens + ("", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix")[units]


CHINESE_DIGITS = "一二三四五六七八九"


def _chinese(n: int) -> str:
    """一 … 九, 十, 十一 … 十九, 二十 … 九十九."""
    if n > 99:
        raise ValueError(f"a list numbered in Chinese runs to 九十九 (99); this one would need {n}")
    tens, units = divmod(n, 10)
    head = "" if tens == 0 else "十" if tens == 1 else CHINESE_DIGITS[tens - 1] + "十"
    return head + (CHINESE_DIGITS[units - 1] if units else "")


# --- sub-headings and callouts -------------------------------------------------------

def subheading(reading: Reading, path: Path_, entry: dict[str, Any]) -> Subheading:
    return Subheading(reading.paragraph(path, entry["subheading"], allow_citations=False))


def callout(reading: Reading, path: Path_, entry: dict[str, Any]) -> Callout:
    """`callout: text` (or a marked paragraph, `{text:, added:}`), `callout: [paragraphs]` or
    `callout: {style: ruled, body: [paragraphs]}`."""
    value, style, body = entry["callout"], "shaded", path
    if isinstance(value, dict) and "body" in value:
        value, style, body = value["body"], value["style"], path + ("body",)
    if isinstance(value, list):
        paragraphs = tuple(reading.paragraph(body + (i,), item) for i, item in enumerate(value))
    else:
        paragraphs = (reading.paragraph(body, value),)
    return Callout(style, paragraphs, reading.doc.at(path))
