"""The glyph witness's trust anchor: the pinned faces' outline tables agree with
converting the pinned glyph afresh, and a changed table is refused like a changed font."""
import io
import random
import shutil

import pytest
from fontTools.ttLib import TTFont

from conftest import REPO
from leaflet.typeset import fonts
from leaflet.errors import LeafletError
from leaflet.pipeline import build
from leaflet.proof import glyphs

FONTS = sorted((REPO / "fonts").glob("*.outlines"))


@pytest.mark.parametrize("table", FONTS, ids=lambda p: p.name)
def test_outline_table_agrees_with_converting_the_pinned_glyph(table):
    """A sample of each table against the preparation a build runs now (cut, CFF → TrueType)."""
    font_path = table.with_name(table.name.removesuffix(".outlines"))
    cmap = TTFont(font_path, lazy=True).getBestCmap()
    sample = "".join(chr(cp) for cp in random.Random(table.name).sample(sorted(cmap), 80))
    prepared = TTFont(io.BytesIO(fonts._truetype_subset(font_path.read_bytes(), 0, sample)))
    glyf, mapping = prepared["glyf"], prepared.getBestCmap()
    stored = {c: getattr(glyf.glyphs[mapping[ord(c)]], "data", b"") for c in sample}  # before expanding any
    simple = [c for c in sample if not glyf[mapping[ord(c)]].isComposite()]
    checked = glyphs._table(str(font_path))
    assert len(simple) >= 30 and [c for c in simple if not checked.matches(c, stored[c])] == []


def test_a_changed_outline_table_is_refused(content, tmp_path, monkeypatch):
    pinned = tmp_path / "fonts"
    shutil.copytree(REPO / "fonts", pinned)
    table = pinned / "NotoSans-Regular.ttf.outlines"
    data = bytearray(table.read_bytes())
    data[-1] ^= 0xFF
    table.write_bytes(bytes(data))
    monkeypatch.setattr(fonts, "FONT_DIR", pinned)
    glyphs._table.cache_clear()
    with pytest.raises(LeafletError, match="NotoSans-Regular.ttf.outlines is not the pinned font"):
        build(content, tmp_path / "out", "hk")
    glyphs._table.cache_clear()
    assert not (tmp_path / "out" / "lumirix-hk-v1.0.pdf").exists()
