"""Helpers for the hostile-review attacks on `leaflet verify`: open the built
PDF with pikepdf, draw text as vector paths (no font), add content streams,
resources and optional-content groups."""
from __future__ import annotations

import re
from pathlib import Path

import pikepdf
from fontTools.pens.basePen import BasePen
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[2]
NOTO = ROOT / "fonts" / "NotoSans-Regular.ttf"
NOTO_BOLD = ROOT / "fonts" / "NotoSans-Bold.ttf"



def _line(start: str) -> tuple[int, float, float, float]:
    """Where the Hong Kong edition's layout puts the line starting with `start`: page, x, baseline, size."""
    from leaflet.pipeline import lay_out_content

    layout = lay_out_content(ROOT / "content" / "lumirix", "hk")
    for index, page in enumerate(layout.pages):
        for placed in page.lines:
            if placed.line.text.startswith(start):
                return (index, placed.x, placed.baseline, placed.line.pieces[0].style.size)
    raise AssertionError(f"attack setup: no line starts with {start!r}")


def _eight_offset() -> float:
    """How far the 8 of “Wait at least 8 hours” sits from the line's start."""
    from leaflet.pipeline import lay_out_content

    layout = lay_out_content(ROOT / "content" / "lumirix", "hk")
    placed = next(p for p in layout.pages[WAIT_LINE[0]].lines if p.line.text.startswith("Wait at least"))
    return layout.fonts.measure("Wait at least ", placed.line.pieces[0].style)


WAIT_LINE = _line("Wait at least 8 hours")  # "Wait at least 8 hours between applications.3"
TWICE_LINE = _line("Apply a thin layer of cream twice")
EIGHT_X = WAIT_LINE[1] + _eight_offset()
INSIDE_BAND = (28.34646, 609.4488, 858.8976, 31.1811)  # the teal band along the top of page 2
TEAL = b".78 .08 .32 0 k"


class _PdfPen(BasePen):
    """Glyph outlines as PDF path operators, in font units, quadratics as cubics."""

    def __init__(self, glyphset):
        super().__init__(glyphset)
        self.ops: list[str] = []
        self.last = (0.0, 0.0)

    def _moveTo(self, p):
        self.ops.append(f"{p[0]:.1f} {p[1]:.1f} m")
        self.last = p

    def _lineTo(self, p):
        self.ops.append(f"{p[0]:.1f} {p[1]:.1f} l")
        self.last = p

    def _curveToOne(self, p1, p2, p3):
        self.ops.append(" ".join(f"{v:.1f}" for v in (*p1, *p2, *p3)) + " c")
        self.last = p3

    def _qCurveToOne(self, p1, p2):
        p0 = self.last
        c1 = (p0[0] + 2 / 3 * (p1[0] - p0[0]), p0[1] + 2 / 3 * (p1[1] - p0[1]))
        c2 = (p2[0] + 2 / 3 * (p1[0] - p2[0]), p2[1] + 2 / 3 * (p1[1] - p2[1]))
        self._curveToOne(c1, c2, p2)

    def _closePath(self):
        self.ops.append("h")


def vector_text(text: str, x: float, y: float, size: float, font: Path = NOTO) -> bytes:
    """`text` as filled paths at (x, y) baseline, `size` points: it prints, but no font draws it."""
    tt = TTFont(font)
    cmap, glyphs, hmtx = tt.getBestCmap(), tt.getGlyphSet(), tt["hmtx"]
    scale = size / tt["head"].unitsPerEm
    out = [f"q {scale:.6f} 0 0 {scale:.6f} {x:.3f} {y:.3f} cm"]
    pen_x = 0.0
    for char in text:
        name = cmap.get(ord(char))
        if name is None:
            continue
        pen = _PdfPen(glyphs)
        glyphs[name].draw(pen)
        out.append(f"q 1 0 0 1 {pen_x:.1f} 0 cm {' '.join(pen.ops)} f Q")
        pen_x += hmtx[name][0]
    out.append("Q")
    return "\n".join(out).encode()


def open_pdf(source: Path) -> pikepdf.Pdf:
    return pikepdf.open(source)


def add_content(pdf: pikepdf.Pdf, page: int, content: bytes, prepend: bool = False) -> None:
    pdf.pages[page].contents_add(pdf.make_stream(content), prepend=prepend)


def resource(pdf: pikepdf.Pdf, page: int, kind: str, name: str, value) -> None:
    resources = pdf.pages[page].Resources
    if kind not in resources:
        resources[kind] = pikepdf.Dictionary()
    resources[kind][name] = value


def edit_content(pdf: pikepdf.Pdf, page: int, edit) -> None:
    """Let `edit(text) -> text` rewrite the page's content (latin-1 text); it must change something."""
    data = pdf.pages[page].Contents.read_bytes().decode("latin-1")
    changed = edit(data)
    assert changed != data, "attack setup: the edit found nothing to change"
    pdf.pages[page].Contents = pdf.make_stream(changed.encode("latin-1"))


def line_block(text: str, needle: str) -> str:
    """The BT … ET block of a content stream (latin-1 text) whose strings hold `needle`."""
    for block in re.findall(r"BT\b.*?\bET\b", text, re.S):
        if needle in re.sub(r"\)\s*-?\d+(?:\.\d+)?\s*\(", "", block):  # kerned pieces joined
            return block
    raise AssertionError(f"attack setup: no text block holds {needle!r}")


def optional_group(pdf: pikepdf.Pdf, name: str, usage: dict | None = None, off: bool = False,
                   extra: dict | None = None) -> pikepdf.Object:
    """An optional-content group registered in the catalog's /OCProperties."""
    group = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.OCG, Name=pikepdf.String(name)))
    if usage:
        group.Usage = pikepdf.Dictionary(usage)
    for key, value in (extra or {}).items():
        group[key] = value
    if "/OCProperties" not in pdf.Root:
        pdf.Root.OCProperties = pikepdf.Dictionary(OCGs=pikepdf.Array(), D=pikepdf.Dictionary(
            ON=pikepdf.Array(), OFF=pikepdf.Array(), Order=pikepdf.Array()))
    pdf.Root.OCProperties.OCGs.append(group)
    pdf.Root.OCProperties.D.OFF.append(group) if off else pdf.Root.OCProperties.D.ON.append(group)
    return group


def type4(pdf: pikepdf.Pdf, program: bytes, outputs: int = 4) -> pikepdf.Object:
    """A PostScript calculator function (FunctionType 4) of one input."""
    return pdf.make_stream(program, FunctionType=4, Domain=[0, 1], Range=[0, 1] * outputs)


def white_box(x: float, y: float, w: float, h: float) -> bytes:
    return f"0 0 0 0 k {x} {y} {w} {h} re f".encode()
