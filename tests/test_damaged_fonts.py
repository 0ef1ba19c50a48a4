"""A damaged brand font is one clear message naming the file and the theme line that
chose it, with no PDF; never a traceback. The damage is the kind a bad download or a
broken disk makes: a cut file, a table overwritten."""
import io
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from conftest import REPO
from small_leaflet import cli, write_leaflet


def overwrite(data: bytes, tag: str, start: int, byte: int) -> bytes:
    """The font with table `tag` overwritten by `byte` from `start` bytes into it to its end."""
    entry = TTFont(io.BytesIO(data), lazy=True).reader.tables[tag]
    begin, end = entry.offset + start, entry.offset + entry.length
    return data[:begin] + bytes([byte]) * (end - begin) + data[end:]


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
