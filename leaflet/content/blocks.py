"""Story blocks: what one entry of a story's `body:` may be, read from YAML.

A body entry is a paragraph (text, or a mapping with `text:` and its added /
note / approved marks) or a mapping named by its block kind:

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
The keys of each kind are plain data in BLOCK_KEYS, for the content schema.
"""
from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass

from ..errors import ContentError
from . import insets, load
from .model import Callout, ItemList, ListItem, Paragraph, Span, Subheading
from .sources import Document

PARAGRAPH_KEYS = ("text", "added", "note", "approved")
SHORT_LISTS = {"bullets": "bullet", "numbered": "1.", "lettered": "a)"}  # kind -> style
LIST_STYLES = ("bullet", "dash", "1.", "(1)", "1)", "a)", "a.", "(a)", "A.", "i.", "(i)", "I.", "一、", "（一）")
CALLOUT_STYLES = ("shaded", "ruled")
# The nested level's markers when a list does not name them: one step down the usual outline.
SUB_STYLES = {"bullet": "dash", "dash": "bullet", "1.": "a)", "(1)": "(a)", "1)": "a)", "a)": "i.", "a.": "i.",
              "(a)": "(i)", "A.": "1.", "i.": "a.", "(i)": "(a)", "I.": "A.", "一、": "（一）", "（一）": "1."}
CHINESE_STYLES = ("一、", "（一）")  # their markers print in a Chinese face only

# Each block kind's YAML keys: required and optional. The content schema registers these.
BLOCK_KEYS = {
    "paragraph": {"required": ("text",), "optional": PARAGRAPH_KEYS[1:]},
    **{kind: {"required": (kind,), "optional": ("style", "start", "sub_style") if kind != "bullets" else
              ("sub_style",)} for kind in SHORT_LISTS},
    "list": {"required": ("list",), "optional": ()},
    "list.list": {"required": ("items",), "optional": ("style", "start", "sub_style")},
    "list item": {"required": ("text",), "optional": (*PARAGRAPH_KEYS[1:], "items")},
    "subheading": {"required": ("subheading",), "optional": ()},
    "callout": {"required": ("callout",), "optional": ()},
    "callout.callout": {"required": ("body",), "optional": ("style",)},
    "figure": {"required": ("figure",), "optional": ()},
}
KINDS = (*SHORT_LISTS, "list", "subheading", "callout", "figure")  # the key that names a block


def story_block(doc: Document, path: tuple, language: str, added: tuple):
    """The block at `path` in a story's body, in `language`. `added` is the file's own (added, approved) marks."""
    value = load._get(doc, path)
    inset = insets.parse_block(doc, path, value, added)
    if inset is not None:
        return inset
    kind = next((key for key in KINDS if isinstance(value, dict) and key in value), None)
    if kind is None and isinstance(value, dict) and "text" not in value:
        raise _unknown_block(doc, path, value)
    if kind is not None:
        load._mapping(doc, path, **BLOCK_KEYS[kind])
    if kind in SHORT_LISTS:
        return _item_list(doc, path, SHORT_LISTS[kind], path + (kind,), language, added)
    if kind == "list":
        if not isinstance(value["list"], dict):
            raise ContentError(f"'{load._where(path + ('list',))}' must be a mapping with the list's items and "
                               "style", doc.at(path + ("list",)),
                               fix='write list: {style: "(1)", start: 1, items: [...]}, or numbered: [...]')
        load._mapping(doc, path + ("list",), **BLOCK_KEYS["list.list"])
        return _item_list(doc, path + ("list",), "1.", path + ("list", "items"), language, added)
    if kind == "subheading":
        return Subheading(load._paragraph(doc, path + ("subheading",), added, allow_citations=False))
    if kind == "callout":
        return _callout(doc, path + ("callout",), added)
    if kind == "figure":
        return load._figure(doc, path + ("figure",), added)
    return load._paragraph(doc, path, added)


def _unknown_block(doc: Document, path: tuple, value: dict) -> ContentError:
    """A mapping that names no block: say every kind there is, and guess the one meant."""
    key = next(iter(value), "")
    guess = difflib.get_close_matches(str(key), KINDS + insets.KINDS + PARAGRAPH_KEYS, n=1)
    hint = f"did you mean '{guess[0]}'? " if guess else ""
    return ContentError(f"unknown key '{key}' in '{load._where(path)}': a body entry is a paragraph or one of the "
                        f"blocks {', '.join(KINDS + insets.KINDS)}", doc.at(path + (key,)),
                        fix=f"{hint}write a paragraph as text (or text: with {', '.join(PARAGRAPH_KEYS[1:])}), "
                            f"or start the entry with a block's name, e.g. '- numbered:'")


# --- lists ----------------------------------------------------------------------------

def _item_list(doc: Document, at: tuple, style: str, items_path: tuple, language: str, added: tuple) -> ItemList:
    spec = load._get(doc, at)
    style = _style(doc, at + ("style",)) if "style" in spec else style
    sub_style = _style(doc, at + ("sub_style",)) if "sub_style" in spec else SUB_STYLES[style]
    start = _start(doc, at + ("start",)) if "start" in spec else 1
    entries = load._list(doc, items_path)
    items = tuple(_list_item(doc, items_path + (i,), added) for i in range(len(entries)))
    block = ItemList(style, start, items, sub_style, doc.at(at))
    return _check_markers(doc, block, language)


def _style(doc: Document, path: tuple) -> str:
    value = load._get(doc, path)
    if value not in LIST_STYLES:
        guess = difflib.get_close_matches(str(value), LIST_STYLES, n=1, cutoff=0.3)
        doc.problems.append(ContentError(
            f"'{load._where(path)}' is {value!r}, which is not a list style", doc.at(path),
            fix=(f"did you mean {guess[0]!r}? " if guess else "") + f"use one of: {', '.join(LIST_STYLES)} "
                "(quote it: style: \"(1)\")"))
        return "1."
    return value


def _start(doc: Document, path: tuple) -> int:
    value = load._get(doc, path)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        doc.problems.append(ContentError(
            f"'{load._where(path)}' is {value!r}; it must be the number of the first item, 1 or more",
            doc.at(path), fix="write e.g. start: 3 (a lettered list then starts at c)"))
        return 1
    return value


def _list_item(doc: Document, path: tuple, added: tuple) -> ListItem:
    value = load._get(doc, path)
    if not (isinstance(value, dict) and "items" in value):
        return ListItem(_item_paragraph(doc, path, added))
    nested = path + ("items",)
    children = []
    for j in range(len(load._list(doc, nested))):
        child = load._get(doc, nested + (j,))
        if isinstance(child, dict) and "items" in child:
            raise ContentError("a list nests only one level: this item of a nested list has items of its own",
                               doc.at(nested + (j, "items")),
                               fix="make them items of the list above, or a paragraph after the list")
        children.append(_item_paragraph(doc, nested + (j,), added))
    return ListItem(load._paragraph(doc, path, added, more=("items",)), tuple(children))  # BLOCK_KEYS["list item"]


def _item_paragraph(doc: Document, path: tuple, added: tuple) -> Paragraph:
    value = load._get(doc, path)
    if isinstance(value, dict) and any(kind in value for kind in KINDS):
        kind = next(kind for kind in KINDS if kind in value)
        raise ContentError(f"a list item cannot hold a '{kind}:' block", doc.at(path),
                           fix="nest items with 'text:' and 'items:', or put the block after the list")
    return load._paragraph(doc, path, added)


# A marker typed into an item's text: "1. ", "(a) ", "iv) ", "一、", "（二）", "• ".
_TYPED_MARKER = re.compile(r"\s*([•·▪‣*–—-](?=\s)|[(（]?(?:[0-9０-９]{1,3}|[a-zA-Z]|[ivxIVX]{2,5}|"
                           r"[一二三四五六七八九十]{1,3})[.)）．、](?=\s|[\u3000-\u9fff\uff00-\uffef]))")


def _check_markers(doc: Document, block: ItemList, language: str) -> ItemList:
    """The list, when every marker can be written in its style, in the story's script, and no
    item types its own; otherwise the problem is recorded and the list numbered 1. 2. 3. stands in."""
    try:
        [entry.marker for entry in list_entries(block)]  # a number the style cannot write raises
    except ValueError as exc:
        doc.problems.append(ContentError(str(exc), block.where, fix="use numbers (style \"1.\") for a list this long"))
        block = dataclasses.replace(block, style="1.", sub_style="1.")
    for style in {block.style, block.sub_style} & set(CHINESE_STYLES):
        if not language.startswith("zh"):
            doc.problems.append(ContentError(
                f"the list style {style!r} numbers in Chinese, but this is {language} text", block.where,
                fix="use a style such as \"1.\" or \"(a)\" outside Chinese text"))
    for item in block.items:
        _check_typed(doc, item.paragraph, block.style)
        for child in item.items:
            _check_typed(doc, child, block.sub_style)
    return block


def _check_typed(doc: Document, paragraph: Paragraph, style: str) -> None:
    first = paragraph.inlines[0] if paragraph.inlines else None
    match = _TYPED_MARKER.match(first.text) if isinstance(first, Span) else None
    if match:
        typed = match.group(1)
        what = "draws the bullets" if style in ("bullet", "dash") else "numbers the items from the list's style and start"
        doc.problems.append(ContentError(
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


# --- callouts -------------------------------------------------------------------------

def _callout(doc: Document, path: tuple, added: tuple) -> Callout:
    """`callout: text`, `callout: [paragraphs]` or `callout: {style: ruled, body: [paragraphs]}`."""
    value = load._get(doc, path)
    style, body = "shaded", path
    if isinstance(value, dict):
        spec = load._mapping(doc, path, **BLOCK_KEYS["callout.callout"])
        style = load._choice(doc, path + ("style",), CALLOUT_STYLES) if "style" in spec else style
        body = path + ("body",)
    if isinstance(load._get(doc, body), list):
        paragraphs = tuple(_callout_paragraph(doc, body + (i,), added) for i in range(len(load._list(doc, body))))
    else:
        paragraphs = (load._paragraph(doc, body, added),)
    return Callout(style, paragraphs, doc.at(path))


def _callout_paragraph(doc: Document, path: tuple, added: tuple) -> Paragraph:
    value = load._get(doc, path)
    if isinstance(value, dict) and any(kind in value for kind in KINDS):
        raise ContentError("a callout holds paragraphs only", doc.at(path),
                           fix="put the list or block after the callout, or write its lines as paragraphs")
    return load._paragraph(doc, path, added)
