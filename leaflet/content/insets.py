"""Insets: the story blocks set as one unit into a column — a table, a QR code and an
FPO placeholder — built from their checked YAML (their keys are schema.BLOCKS), with
file and line for every problem."""
from __future__ import annotations

import math
from collections.abc import Iterable
import re
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostic
from ..errors import ContentError
from .model import Placeholder, QRCode, Table, TableRow
from .schema import MAX_COLUMNS, MIN_COLUMNS
from .sources import Path_

if TYPE_CHECKING:
    from .stories import Reading

MIN_MODULE_MM = 0.33  # the smallest QR module a press and a phone camera handle reliably
QR_ERROR_LEVEL = "m"  # 15 % of the symbol may be lost to a scuff or a fold; segno raises it when room allows
_URL = re.compile(r"https?://[^\s/?#]+\.[^\s/?#]+[^\s]*")


# --- table ---------------------------------------------------------------------------

def table(reading: Reading, path: Path_, entry: dict[str, Any]) -> Table:
    spec = entry["table"]
    header = _row(reading, path + ("header",), spec["header"])
    columns = len(header.cells)
    if not MIN_COLUMNS <= columns <= MAX_COLUMNS:
        raise ContentError(f"a table has {MIN_COLUMNS} to {MAX_COLUMNS} columns; this header has {columns}",
                           reading.doc.at(path + ("header",)),
                           fix="split it into two tables, or move the detail into a paragraph below"
                           if columns > MAX_COLUMNS else "use a paragraph or a list for a single column")
    rows = []
    for i, value in enumerate(spec["rows"]):
        row = _row(reading, path + ("rows", i), value)
        if len(row.cells) != columns:
            reading.problems.append(ContentError(
                f"row {i + 1} of the table has {len(row.cells)} cell(s); its header has {columns} columns",
                row.where, fix="give every row one cell per column, in the header's order "
                               "(write – in a cell that has nothing to say)"))
        rows.append(row)
    return Table(header.cells, tuple(rows), spec["widths"], reading.doc.at(path[:-1]))


def _row(reading: Reading, path: Path_, value: Any) -> TableRow:
    """A row: a list of cells, or a mapping with its cells and the row's added/approved marks,
    which each of its cells carries (else the file's)."""
    cells, cells_path, added = value, path, reading.added
    if isinstance(value, dict):
        added = (value.get("added", added[0]), value.get("approved", added[1]))
        cells, cells_path = value["cells"], path + ("cells",)
    return TableRow(tuple(reading.paragraph(cells_path + (j,), cell, added=added) for j, cell in enumerate(cells)),
                    reading.doc.at(path))


# --- QR code -------------------------------------------------------------------------

def qr_modules(url: str) -> tuple[tuple[bool, ...], ...]:
    """The code's dark modules, row by row from the top, without the quiet zone. Raises
    ValueError when the text is too long for any QR code."""
    import segno  # only a leaflet with a QR code pays for loading the encoder

    code = segno.make_qr(url, error=QR_ERROR_LEVEL)
    return tuple(tuple(bool(v) for v in row) for row in code.matrix)


def qr_code(reading: Reading, path: Path_, entry: dict[str, Any]) -> QRCode:
    spec, doc = entry["qr"], reading.doc
    url, where = spec["url"], doc.at(path + ("url",))
    if not _URL.fullmatch(url):
        raise ContentError(f"the QR code's url {url!r} is not a web address", where,
                           fix="write it in full, starting with https:// (e.g. https://example.com/leaflet)")
    try:
        modules = qr_modules(url)
    except ValueError:  # segno's DataOverflowError
        raise ContentError(f"the web address is too long for a QR code ({len(url)} characters)", where,
                           fix="use a shorter address, e.g. a redirect from your own domain") from None
    size = spec["size_mm"]
    module = size / len(modules)
    if module < MIN_MODULE_MM:
        smallest = math.ceil(MIN_MODULE_MM * len(modules) * 10) / 10
        reading.problems.append(ContentError(
            f"the QR code for {url} is {len(modules)} modules across: at {size:g} mm each module is "
            f"{module:.2f} mm, below the {MIN_MODULE_MM} mm print minimum", doc.at(path + ("size_mm",)),
            fix=f"set size_mm to {smallest:g} or more, or shorten the web address"))
    caption = reading.paragraph(path + ("caption",), spec["caption"]) if "caption" in spec else None
    return QRCode(url, size, modules, caption, where)


# --- FPO placeholder -----------------------------------------------------------------------

def placeholder(reading: Reading, path: Path_, spec: dict[str, Any]) -> Placeholder:
    """A figure written with fpo: — the box artwork still to be supplied will fill."""
    caption = reading.paragraph(path + ("caption",), spec["caption"]) if "caption" in spec else None
    return Placeholder(spec["fpo"], spec["width_mm"], spec["height_mm"], caption, reading.doc.at(path + ("fpo",)))


def placeholder_warnings(placeholders: Iterable[Placeholder], label: str) -> list[Diagnostic]:
    """`check` names every FPO box a draft prints: a final build refuses them."""
    return [Diagnostic("warning", p.where, f"{label} prints an FPO placeholder “{p.label}”: the artwork is "
                       "still to be supplied", "replace it with 'figure: {file: ..., width_mm: ...}' before "
                       "a final build", kind="missing artwork") for p in placeholders]
