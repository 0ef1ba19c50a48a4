"""Fonts stage: pinned files, glyph coverage, and what ends up embedded."""
import hashlib
import json
import re
import shutil

import pytest
from click.testing import CliRunner

from conftest import hk_edition, REPO, EXAMPLE, edit
from leaflet.typeset import fonts
from leaflet.cli import main
from leaflet.errors import FontError, GlyphError, LeafletError, individual
from leaflet.content.catalogue import FACES, FONT_DIR
from leaflet.typeset.fonts import prepare_fonts
from leaflet.pipeline import build_editions


def test_pinned_fonts_match_their_recorded_hashes():
    sums = dict(reversed(line.split()) for line in (REPO / "fonts" / "SHA256SUMS").read_text().splitlines())
    for regular, bold in FACES.values():
        for name in (regular, bold):
            assert hashlib.sha256((REPO / "fonts" / name).read_bytes()).hexdigest() == sums[name]
    assert "SIL OPEN FONT LICENSE" in (REPO / "fonts" / "OFL.txt").read_text()


@pytest.mark.parametrize("char,language,file", [
    ("😀", "en", "en.yaml"),          # emoji: in no font we pin
    ("\ue000", "zh-Hant-HK", "zh-Hant-HK.yaml"),  # private use
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


def pinned_copy(folder, copied=()):
    """The pinned fonts folder: the `copied` files as real copies, the rest as links to the shipped ones."""
    folder.mkdir()
    for file in FONT_DIR.iterdir():
        if file.name in copied:
            shutil.copy(file, folder / file.name)
        else:
            (folder / file.name).symlink_to(file)
    return folder


def flip_a_byte(file):
    """Change one byte in the middle of a file, in place: same inode, same size."""
    with open(file, "r+b") as handle:
        handle.seek(file.stat().st_size // 2)
        byte = handle.read(1)[0]
        handle.seek(-1, 1)
        handle.write(bytes([byte ^ 0x01]))


def test_modified_pinned_font_is_refused_naming_the_file(tmp_path):
    folder = pinned_copy(tmp_path / "fonts", copied=["NotoSans-Regular.ttf"])
    flip_a_byte(folder / "NotoSans-Regular.ttf")
    with pytest.raises(FontError) as info:
        prepare_fonts(hk_edition(EXAMPLE), font_dir=folder)
    problems = individual(info.value)
    assert len(problems) == 1, "only the altered file is refused"
    message = str(problems[0])
    assert "NotoSans-Regular.ttf: font file NotoSans-Regular.ttf is not the pinned font" in message
    assert "git checkout -- fonts/" in message


def test_build_refuses_a_pinned_font_changed_after_it_was_hashed(tmp_path, monkeypatch):
    """The hash is kept for the process, but not past a change to the file."""
    folder = pinned_copy(tmp_path / "fonts", copied=["NotoSans-Regular.ttf"])
    monkeypatch.setattr(fonts, "FONT_DIR", folder)
    run = lambda out: CliRunner().invoke(main, ["build", str(EXAMPLE), "--region", "hk", "--out", str(out)])
    assert run(tmp_path / "a").exit_code == 0
    flip_a_byte(folder / "NotoSans-Regular.ttf")
    result = run(tmp_path / "b")
    assert result.exit_code == 1
    assert "NotoSans-Regular.ttf is not the pinned font" in result.stderr and "Traceback" not in result.output
    assert not list((tmp_path / "b").glob("*.pdf"))


def test_missing_hash_list_refuses_the_pinned_fonts(tmp_path):
    folder = pinned_copy(tmp_path / "fonts")
    (folder / "SHA256SUMS").unlink()
    with pytest.raises(LeafletError) as info:
        prepare_fonts(hk_edition(EXAMPLE), font_dir=folder)
    problems = individual(info.value)
    assert len(problems) == 4
    assert all("SHA256SUMS: the list of pinned font hashes is missing" in str(p) for p in problems)


def test_brand_font_is_hashed_and_recorded_not_refused(content, tmp_path):
    brand = content / "brand.ttf"
    shutil.copy(FONT_DIR / "NotoSans-Bold.ttf", brand)
    edit(content / "leaflet.yaml", "  reference_size_pt: 7",
         "  reference_size_pt: 7\n  fonts:\n    en: {regular: brand.ttf, bold: brand.ttf}")
    outcomes = build_editions(content, tmp_path, ["hk"], jobs=1)
    assert outcomes[0].ok
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["fonts"]["brand.ttf"] == hashlib.sha256(brand.read_bytes()).hexdigest()


def test_missing_glyph_goes_to_the_problems_list_and_fonts_are_still_prepared(content):
    edit(content / "text" / "en.yaml", "Lumirix® is free from steroids.", "Lumirix® is free 😀 from steroids.")
    edition = hk_edition(content)
    found = []
    book = prepare_fonts(edition, problems=found)
    assert [p.kind for p in found] == ["missing glyph"] and "U+1F600" in str(found[0])
    assert book.name("en", "regular").startswith("NotoSans-Regular-")
    with pytest.raises(GlyphError):
        prepare_fonts(edition)  # without a list, the same problem is raised


def test_emoji_is_a_missing_glyph_in_every_edition_even_with_faces_registered(content, tmp_path):
    edit(content / "text" / "en.yaml", "Lumirix® is free from steroids.", "Lumirix® is free 😀 from steroids.")
    edit(content / "text" / "zh-Hant-HK.yaml", "Lumirix® 不含類固醇。", "Lumirix® 不含😀類固醇。")
    prepare_fonts(hk_edition(content), problems=[]).register()  # this process already knows the faces
    for attempt in ("first", "second"):
        result = CliRunner().invoke(main, ["build", str(content), "--jobs", "1", "--out", str(tmp_path)])
        assert result.exit_code == 1, attempt
        failed = {name for names in re.findall(r"FAILED ([a-z, ]+): missing glyph: .*U\+1F600", result.stderr)
                  for name in names.split(", ")}
        assert failed == {"hk", "mo", "sg", "tw"}, (attempt, result.stderr)
        assert "verification failed" not in result.output and "Traceback" not in result.output
        assert not list(tmp_path.glob("*.pdf"))
