"""A damaged brand font is one clear message naming the file and the theme line that
chose it, with no PDF; never a traceback. The damage is the kind a bad download or a
broken disk makes: a cut file, a table overwritten or lost. A font that is only unusual
(no OS/2 table, as older Mac fonts) prints."""
import io
import struct
from pathlib import Path

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.ttLib import TTFont

from conftest import REPO
from small_leaflet import cli, page_text, text_by_font, write_leaflet


def overwrite(data: bytes, tag: str, start: int, byte: int) -> bytes:
    """The font with table `tag` overwritten by `byte` from `start` bytes into it to its end."""
    entry = TTFont(io.BytesIO(data), lazy=True).reader.tables[tag]
    begin, end = entry.offset + start, entry.offset + entry.length
    return data[:begin] + bytes([byte]) * (end - begin) + data[end:]


def lose(data: bytes, tag: str) -> bytes:
    """The font with table `tag` lost: its entry in the table directory renamed."""
    (count,) = struct.unpack_from(">H", data, 4)
    at = next(12 + 16 * i for i in range(count) if data[12 + 16 * i:16 + 16 * i] == tag.encode("latin-1"))
    return data[:at] + b"lost" + data[at + 4:]


def symbol_map(data: bytes) -> bytes:
    """The font with every character map marked (3, 0), a symbol font's: no Unicode map left."""
    begin = TTFont(io.BytesIO(data), lazy=True).reader.tables["cmap"].offset
    (count,) = struct.unpack_from(">H", data, begin + 2)
    records = b"".join(struct.pack(">HH", 3, 0) + data[begin + 8 + 8 * i:begin + 12 + 8 * i] for i in range(count))
    return data[:begin + 4] + records + data[begin + 4 + 8 * count:]


def cff2_font() -> bytes:
    """A small CFF2 face (a square per printable character), as a variable OpenType font stores outlines."""
    chars = [chr(c) for c in range(0x21, 0x7F)] + ["®", "·", "—"]
    names = [".notdef", "space"] + [f"uni{ord(c):04X}" for c in chars]
    strings = {}
    for name in names:
        pen = T2CharStringPen(None, None, CFF2=True)
        if name != "space":
            pen.moveTo((50, 0)), pen.lineTo((50, 500)), pen.lineTo((450, 500)), pen.lineTo((450, 0)), pen.closePath()
        strings[name] = pen.getCharString()
    builder = FontBuilder(1000, isTTF=False)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({0x20: "space"} | {ord(c): f"uni{ord(c):04X}" for c in chars})
    builder.setupCFF2(strings)
    builder.setupHorizontalMetrics({name: (500, 50) for name in names})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Brand Two", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()


LATIN = (REPO / "fonts" / "NotoSans-Regular.ttf").read_bytes()
CJK = (REPO / "fonts" / "NotoSansCJKhk-Regular.otf").read_bytes()

UNREADABLE = "cannot be read as a font"
BLANK = "has empty glyphs for '!' (U+0021)"  # every glyph cut to nothing: the letters would print blank
DAMAGE = {  # the damage -> (the font file, its suffix, what the message says of it)
    "cut in half": (LATIN[: len(LATIN) // 2], "ttf", UNREADABLE),
    "character map overwritten": (overwrite(LATIN, "cmap", 4, 0xFF), "ttf", UNREADABLE),
    "glyph locations overwritten": (overwrite(LATIN, "loca", 0, 0xFF), "ttf", BLANK),
    "CFF outlines overwritten": (overwrite(CJK, "CFF ", 0, 0x00), "otf", UNREADABLE),
    "empty file": (b"", "ttf", UNREADABLE),
    "character map lost": (lose(LATIN, "cmap"), "ttf", f"{UNREADABLE} (it has no 'cmap' table)"),
    "only a symbol character map": (symbol_map(LATIN), "ttf", f"{UNREADABLE} (it has no Unicode character map)"),
    "PostScript table lost": (lose(LATIN, "post"), "ttf", f"{UNREADABLE} (it has no 'post' table)"),
    "names overwritten": (overwrite(LATIN, "name", 0, 0x00), "ttf", f"{UNREADABLE} (it has no PostScript, full"),
    "horizontal header overwritten": (overwrite(LATIN, "hhea", 4, 0xFF), "ttf", UNREADABLE),
    "advance widths overwritten": (overwrite(LATIN, "hmtx", 0, 0x00), "ttf",
                                   "has glyphs of no width for '!' (U+0021)"),  # letters would print on one spot
    "CFF2 outlines": (cff2_font(), "otf", f"{UNREADABLE} (its outlines are CFF2"),
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_brand_font_is_one_message_naming_it_and_no_pdf(damage, tmp_path):
    data, suffix, says = DAMAGE[damage]
    folder = write_leaflet(tmp_path / "fx", extra=f"  fonts:\n    en: {{regular: brand.{suffix}, bold: brand.{suffix}}}")
    (folder / f"brand.{suffix}").write_bytes(data)
    code, out = cli("build", folder, "--out", tmp_path / "out")
    assert code == 1 and "Traceback" not in out, out
    assert out.count(f"brand.{suffix} {says}") == 1, out
    assert "leaflet.yaml:" in out
    assert not list(Path(tmp_path / "out").glob("*.pdf"))


def test_a_brand_font_without_an_os2_table_prints_and_verifies(tmp_path):
    folder = write_leaflet(tmp_path / "fx", extra="  fonts:\n    en: {regular: brand.ttf, bold: brand.ttf}")
    (folder / "brand.ttf").write_bytes(lose(LATIN, "OS/2"))
    code, out = cli("build", folder, "--out", tmp_path / "out")
    assert code == 0, out
    pdf = next((tmp_path / "out").glob("*.pdf"))
    assert "Wait at least 8 hours between applications." in page_text(pdf)
    assert set(text_by_font(pdf, 1)) == {"NotoSans-Regular"}  # the brand face (NotoSans' names), nothing else
    code, out = cli("verify", pdf, "--content", folder)
    assert code == 0, out


def test_a_face_index_beyond_a_single_font_is_one_message_and_no_pdf(tmp_path):
    folder = write_leaflet(tmp_path / "fx", extra="  fonts:\n    en: {regular: brand.ttf, bold: brand.ttf, face_index: 1}")
    (folder / "brand.ttf").write_bytes(LATIN)
    code, out = cli("build", folder, "--out", tmp_path / "out")
    assert code == 1 and "Traceback" not in out, out
    assert out.count("brand.ttf cannot be read as a font (it holds 1 face, numbered from 0: it has no face 1)") == 1
    assert "leaflet.yaml:" in out
    assert not list(Path(tmp_path / "out").glob("*.pdf"))
