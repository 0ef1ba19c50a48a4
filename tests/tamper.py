"""Ways to alter a print PDF the way a careless or hostile person would, with
pikepdf: edit, add or hide text, swap glyph outlines, lie in the text map."""
from __future__ import annotations

import io
from pathlib import Path

import pikepdf
from fontTools.ttLib import TTFont


def strings(operands) -> bytes:
    items = operands[0] if len(operands) == 1 and isinstance(operands[0], pikepdf.Array) else operands
    return b"".join(bytes(i) for i in items if isinstance(i, pikepdf.String))


def instructions(pdf: pikepdf.Pdf, page: int) -> list:
    return list(pikepdf.parse_content_stream(pdf.pages[page]))


def store(pdf: pikepdf.Pdf, page: int, ops: list) -> None:
    pdf.pages[page].Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))


def block(ops: list, needle: bytes) -> tuple[int, int]:
    """The BT … ET block whose text holds `needle`."""
    for i, (operands, op) in enumerate(ops):
        if str(op) in ("Tj", "TJ") and needle in strings(operands):
            start = max(k for k in range(i + 1) if str(ops[k][1]) == "BT")
            end = min(k for k in range(i, len(ops)) if str(ops[k][1]) == "ET")
            return start, end
    raise AssertionError(f"test setup: {needle!r} is not on the page")


def edit_line_operator(source: Path, target: Path, page: int, needle: bytes, operator: str, change) -> Path:
    """Give every `operator` in the text block holding `needle` the operands `change(operands)` returns."""
    pdf = pikepdf.open(source)
    ops = instructions(pdf, page)
    start, end = block(ops, needle)
    for k in range(start, end):
        operands, op = ops[k]
        if str(op) == operator:
            ops[k] = pikepdf.ContentStreamInstruction(change(operands), op)
    store(pdf, page, ops)
    pdf.save(target)
    return target


def replace_text(source: Path, target: Path, page: int, old: bytes, new: bytes) -> Path:
    """Rewrite one text operator (its kerning dropped) with `old` replaced by `new`."""
    pdf = pikepdf.open(source)
    ops = instructions(pdf, page)
    for i, (operands, op) in enumerate(ops):
        if str(op) in ("Tj", "TJ") and old in strings(operands):
            ops[i] = pikepdf.ContentStreamInstruction([pikepdf.String(strings(operands).replace(old, new))],
                                                      pikepdf.Operator("Tj"))
            break
    else:
        raise AssertionError(f"test setup: {old!r} is not on the page")
    store(pdf, page, ops)
    pdf.save(target)
    return target


def wrap_line(source: Path, target: Path, page: int, needle: bytes, before: bytes, after: bytes = b"",
              inside: bytes = b"") -> Path:
    """Put content before and after the text block holding `needle`, or just inside it."""
    pdf = pikepdf.open(source)
    ops = instructions(pdf, page)
    start, end = block(ops, needle)
    pre = list(pikepdf.parse_content_stream(pdf.make_stream(before))) if before else []
    post = list(pikepdf.parse_content_stream(pdf.make_stream(after))) if after else []
    mid = list(pikepdf.parse_content_stream(pdf.make_stream(inside))) if inside else []
    ops = ops[:start] + pre + ops[start:start + 1] + mid + ops[start + 1:end + 1] + post + ops[end + 1:]
    store(pdf, page, ops)
    pdf.save(target)
    return target


def font_named(pdf: pikepdf.Pdf, page: int, base: str) -> str:
    """The resource name of the first font on the page whose BaseFont ends with `base`."""
    for name, font in pdf.pages[page].Resources.Font.items():
        if str(font.BaseFont).endswith(base):
            return name
    raise AssertionError(f"test setup: no font {base}")


def append(source: Path, target: Path, page: int, content: bytes) -> Path:
    pdf = pikepdf.open(source)
    pdf.pages[page].contents_add(pdf.make_stream(content), prepend=False)
    pdf.save(target)
    return target


def edit_font_program(source: Path, target: Path, page: int, base: str, change) -> Path:
    """Let `change(ttfont, cmap)` alter the embedded TrueType program of a font, and store it back."""
    pdf = pikepdf.open(source)
    font = pdf.pages[page].Resources.Font[font_named(pdf, page, base)]
    program = font.FontDescriptor.FontFile2
    tt = TTFont(io.BytesIO(program.read_bytes()))
    change(tt, tt["cmap"].getcmap(1, 0).cmap)
    out = io.BytesIO()
    tt.save(out)
    program.write(out.getvalue())
    pdf.save(target)
    return target


def code_of(pdf: pikepdf.Pdf, font, char: str) -> int:
    """The character code a simple font uses for `char`, from its ToUnicode map."""
    text = font.ToUnicode.read_bytes().decode("latin-1")
    want = char.encode("utf-16-be").hex().upper()
    import re

    for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", text):
        if dst.upper() == want:
            return int(src, 16)
    raise AssertionError(f"test setup: {char} not in the font's map")
