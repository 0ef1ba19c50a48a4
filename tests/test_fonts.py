"""Fonts stage: pinned files, glyph coverage, and what ends up embedded."""
import hashlib

import pytest

from conftest import hk_edition, REPO, edit
from leaflet.errors import FontError, GlyphError, LeafletError, individual
from leaflet.fonts import FACES, prepare_fonts


def test_pinned_fonts_match_their_recorded_hashes():
    sums = dict(reversed(line.split()) for line in (REPO / "fonts" / "SHA256SUMS").read_text().splitlines())
    for regular, bold in FACES.values():
        for name in (regular, bold):
            assert hashlib.sha256((REPO / "fonts" / name).read_bytes()).hexdigest() == sums[name]
    assert "SIL OPEN FONT LICENSE" in (REPO / "fonts" / "OFL.txt").read_text()


@pytest.mark.parametrize("char,language,file", [
    ("😀", "en", "en.yaml"),          # emoji: in no font we pin
    ("\ue000", "zh-Hant-HK", "zh-Hant-HK.yaml"),  # private use
    ("白", "en", "en.yaml"),          # a Chinese character set in the Latin face
])
def test_missing_glyph_names_character_code_point_and_line(content, char, language, file):
    target = "Lumirix® is free from steroids." if language == "en" else "Lumirix® 不含類固醇。"
    edit(content / "text" / file, target, target.replace("free", f"free {char}") if language == "en"
         else target.replace("不含", f"不{char}含"))
    edition = hk_edition(content)
    with pytest.raises(GlyphError) as info:
        prepare_fonts(edition)
    message = str(info.value)
    assert f"U+{ord(char):04X}" in message and "story 'how-lumirix-works'" in message
    assert f"{file}:" in message


def test_missing_font_file_is_a_clear_error(content, tmp_path):
    edition = hk_edition(content)
    with pytest.raises(LeafletError) as info:
        prepare_fonts(edition, font_dir=tmp_path)
    problems = individual(info.value)
    assert all(isinstance(p, FontError) for p in problems) and len(problems) == 4  # every face is named
    assert "NotoSans-Regular.ttf is missing" in str(info.value)


def test_corrupt_font_file_is_a_clear_error(tmp_path):
    edition = hk_edition(REPO / "content" / "lumirix")
    for regular, bold in FACES.values():
        for name in (regular, bold):
            (tmp_path / name).write_bytes(b"not a font at all")
    with pytest.raises(LeafletError, match="cannot be read"):
        prepare_fonts(edition, font_dir=tmp_path)
