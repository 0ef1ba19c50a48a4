"""Insets: the story blocks set as one unit into a column — a table, a QR code and an
FPO placeholder — their YAML keys (as plain data, for the content schema) and
how each is read into the model, with file and line for every problem."""
from __future__ import annotations

import math
import re

from ..diagnostics import Diagnostic
from ..errors import ContentError, Location
from . import load
from .model import Placeholder, QRCode, Table, TableRow
from .sources import Document

MIN_COLUMNS, MAX_COLUMNS = 2, 4  # more columns than this cannot be read on a leaflet panel
WIDTHS = ("content", "even")
MIN_MODULE_MM = 0.33  # the smallest QR module a press and a phone camera handle reliably
QR_ERROR_LEVEL = "m"  # 15 % of the symbol may be lost to a scuff or a fold; segno raises it when room allows
_URL = re.compile(r"https?://[^\s/?#]+\.[^\s/?#]+[^\s]*")

ROW_KEYS = {
    "cells": {"required": True, "type": "list of text", "description": "one cell per column, in the header's order",
              "example": ["Week 1 to 4", "Twice daily"]},
    "added": {"required": False, "type": "translation | completion | regional wording",
              "description": "the row's wording is not in the approved source"},
    "note": {"required": False, "type": "text", "description": "why the row was added, for the reviewer"},
    "approved": {"required": False, "type": "text", "description": "the approval reference of added wording"},
}
TABLE_KEYS = {
    "header": {"required": True, "type": "list of text, or a row mapping (ROW_KEYS)",
               "description": f"the column titles, {MIN_COLUMNS} to {MAX_COLUMNS}, printed in bold",
               "example": ["When", "How much"]},
    "rows": {"required": True, "type": "list of rows: each a list of text, or a mapping (ROW_KEYS)",
             "description": "the table's rows; cells may use **bold** and cite references like paragraphs",
             "example": [["Morning", "A thin layer[@pi-hk]"]]},
    "widths": {"required": False, "type": " | ".join(WIDTHS), "default": "content",
               "description": "column widths from what the cells hold, or shared evenly"},
}
QR_KEYS = {
    "url": {"required": True, "type": "text", "description": "the web address the code opens (http:// or https://)",
            "example": "https://example.com/leaflet"},
    "size_mm": {"required": True, "type": "number", "description": "width of the printed code, without its quiet "
                f"zone; each module must be at least {MIN_MODULE_MM} mm", "example": 20},
    "caption": {"required": False, "type": "text", "description": "printed below the code; may cite"},
}
FPO_KEYS = {
    "fpo": {"required": True, "type": "text", "description": "what the artwork still to be supplied will show; "
            "prints as “FPO — <text>” in a crossed box on drafts, refused by a final build",
            "example": "Photo of applying cream"},
    "width_mm": {"required": True, "type": "number", "description": "width the artwork will take", "example": 60},
    "height_mm": {"required": True, "type": "number", "description": "height the artwork will take", "example": 40},
    "caption": {"required": False, "type": "text", "description": "printed below the box; may cite"},
}
# Each block is a one-key mapping in a story's body; an FPO placeholder is a figure with 'fpo:'.
INSET_KEYS = {"table": TABLE_KEYS, "qr": QR_KEYS, "figure": FPO_KEYS}
KINDS = ("table", "qr")  # the key that names an inset (an FPO box is a figure with fpo:)


def parse_block(doc: Document, path: tuple, item, added: tuple):
    """The table, QR code or FPO placeholder at `path` of a story's body, or None when the
    item is another kind of block. `added` is the (kind, approval) the file declares."""
    if not isinstance(item, dict):
        return None
    if "table" in item:
        load._mapping(doc, path, required=("table",))
        return _table(doc, path + ("table",), added, doc.at(path))
    if "qr" in item:
        load._mapping(doc, path, required=("qr",))
        return _qr(doc, path + ("qr",), added)
    if isinstance(item.get("figure"), dict) and "fpo" in item["figure"]:
        load._mapping(doc, path, required=("figure",))
        return _placeholder(doc, path + ("figure",), added)
    return None


# --- table ---------------------------------------------------------------------------

def _table(doc: Document, path: tuple, added: tuple, where: Location) -> Table:
    spec = load._mapping(doc, path, required=("header", "rows"), optional=("widths",))
    header = _row(doc, path + ("header",), added)
    columns = len(header.cells)
    if not MIN_COLUMNS <= columns <= MAX_COLUMNS:
        raise ContentError(f"a table has {MIN_COLUMNS} to {MAX_COLUMNS} columns; this header has {columns}",
                           doc.at(path + ("header",)),
                           fix="split it into two tables, or move the detail into a paragraph below"
                           if columns > MAX_COLUMNS else "use a paragraph or a list for a single column")
    rows = []
    for i in range(len(load._list(doc, path + ("rows",)))):
        row = _row(doc, path + ("rows", i), added)
        if len(row.cells) != columns:
            doc.problems.append(ContentError(
                f"row {i + 1} of the table has {len(row.cells)} cell(s); its header has {columns} columns",
                row.where, fix="give every row one cell per column, in the header's order "
                               "(write – in a cell that has nothing to say)"))
        rows.append(row)
    widths = spec.get("widths", "content")
    if widths not in WIDTHS:
        doc.problems.append(ContentError(f"'{load._where(path + ('widths',))}' is {widths!r}; it must be one of: "
                                         f"{', '.join(WIDTHS)}", doc.at(path + ("widths",))))
        widths = WIDTHS[0]
    return Table(header.cells, tuple(rows), widths, where)


def _row(doc: Document, path: tuple, added: tuple) -> TableRow:
    """A row: a list of cells, or a mapping with its cells and the row's added/approved marks,
    which each of its cells carries."""
    cells_path = path
    if isinstance(load._get(doc, path), dict):
        spec = load._mapping(doc, path, required=("cells",), optional=("added", "note", "approved"))
        added = _marks(doc, path, spec, added)
        cells_path = path + ("cells",)
    cells = tuple(load._paragraph(doc, cells_path + (j,), added) for j in range(len(load._list(doc, cells_path))))
    return TableRow(cells, doc.at(path))


def _marks(doc: Document, path: tuple, spec: dict, added: tuple) -> tuple:
    """(kind, approval) of a row's wording: its own marks, else the file's."""
    kind = load._choice(doc, path + ("added",), load.ADDED_KINDS) if "added" in spec else added[0]
    approved = load._text(doc, path + ("approved",)) if "approved" in spec else added[1]
    if "note" in spec:
        load._text(doc, path + ("note",))
    return kind, approved


# --- QR code -------------------------------------------------------------------------

def qr_modules(url: str) -> tuple[tuple[bool, ...], ...]:
    """The code's dark modules, row by row from the top, without the quiet zone. Raises
    ValueError when the text is too long for any QR code."""
    import segno  # only a leaflet with a QR code pays for loading the encoder

    code = segno.make_qr(url, error=QR_ERROR_LEVEL)
    return tuple(tuple(bool(v) for v in row) for row in code.matrix)


def _qr(doc: Document, path: tuple, added: tuple) -> QRCode:
    spec = load._mapping(doc, path, required=("url", "size_mm"), optional=("caption",))
    url = load._text(doc, path + ("url",))
    where = doc.at(path + ("url",))
    if not _URL.fullmatch(url):
        raise ContentError(f"the QR code's url {url!r} is not a web address", where,
                           fix="write it in full, starting with https:// (e.g. https://example.com/leaflet)")
    try:
        modules = qr_modules(url)
    except ValueError:  # segno's DataOverflowError
        raise ContentError(f"the web address is too long for a QR code ({len(url)} characters)", where,
                           fix="use a shorter address, e.g. a redirect from your own domain") from None
    size = load._number(doc, path + ("size_mm",), 5, 100)
    module = size / len(modules)
    if module < MIN_MODULE_MM:
        smallest = math.ceil(MIN_MODULE_MM * len(modules) * 10) / 10
        doc.problems.append(ContentError(
            f"the QR code for {url} is {len(modules)} modules across: at {size:g} mm each module is "
            f"{module:.2f} mm, below the {MIN_MODULE_MM} mm print minimum", doc.at(path + ("size_mm",)),
            fix=f"set size_mm to {smallest:g} or more, or shorten the web address"))
    caption = load._paragraph(doc, path + ("caption",), added) if "caption" in spec else None
    return QRCode(url, size, modules, caption, where)


# --- FPO placeholder -----------------------------------------------------------------------

def _placeholder(doc: Document, path: tuple, added: tuple) -> Placeholder:
    spec = load._mapping(doc, path, required=("fpo", "width_mm", "height_mm"), optional=("caption",))
    caption = load._paragraph(doc, path + ("caption",), added) if "caption" in spec else None
    return Placeholder(load._text(doc, path + ("fpo",)), load._number(doc, path + ("width_mm",), 10, 300),
                       load._number(doc, path + ("height_mm",), 10, 300), caption, doc.at(path + ("fpo",)))


def placeholder_warnings(placeholders, label: str) -> list[Diagnostic]:
    """`check` names every FPO box a draft prints: a final build refuses them."""
    return [Diagnostic("warning", p.where, f"{label} prints an FPO placeholder “{p.label}”: the artwork is "
                       "still to be supplied", "replace it with 'figure: {file: ..., width_mm: ...}' before "
                       "a final build", kind="missing artwork") for p in placeholders]
