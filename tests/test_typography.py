"""Chinese glyph standards, and kerning that keeps the text exact."""
import re

import pytest
from fontTools.ttLib import TTCollection, TTFont
from pypdf import PdfReader
from pypdf.generic import ContentStream

from conftest import REPO, edit, hk_edition, run_cli, squash
from leaflet.errors import ContentError, LeafletError, individual
from leaflet.content.catalogue import FACES
from leaflet.typeset.fonts import prepare_fonts, source_for
from leaflet.typeset.linebreak import NO_LINE_END, NO_LINE_START, Style
from leaflet.content.load import load_leaflet
from leaflet.pipeline import build


@pytest.mark.parametrize("language,face", [
    ("zh-Hant-HK", "NotoSansCJKhk"), ("zh-Hant-MO", "NotoSansCJKhk"),
    ("zh-Hant-TW", "NotoSansCJKtc"), ("zh-Hans", "NotoSansCJKsc"), ("en", "NotoSans-"),
])
def test_glyph_standard_follows_the_region(language, face):
    for name in FACES[language]:
        assert name.startswith(face)
        font = TTFont(REPO / "fonts" / name, lazy=True)
        assert ord("A") in font.getBestCmap()


def test_three_chinese_standards_build_and_embed_their_own_faces(three_standards, tmp_path):
    result = build(three_standards, tmp_path, "x3")
    reader = PdfReader(result.pdf)
    inside = reader.pages[1]
    names = {f.get_object()["/BaseFont"] for f in inside["/Resources"]["/Font"].values()}
    for face in ("NotoSansCJKhk", "NotoSansCJKtc", "NotoSansCJKsc"):
        assert any(face in n for n in names), (face, names)
    text = squash(inside.extract_text())
    assert "了解白蝕症" in text and "了解白斑症" in text and "了解白癜风" in text


def replace_in_story(folder, language, old, new):
    edit(folder / "text" / f"{language}.yaml", old, new)


def test_hkscs_character_prints_in_hk_but_is_refused_in_taiwan_and_simplified(three_standards, tmp_path):
    replace_in_story(three_standards, "zh-Hant-HK", "Lumirix® 不含類固醇。", "Lumirix® 㗎成分不含類固醇。")
    build(three_standards, tmp_path, "hk")  # the HK face has the HKSCS character
    replace_in_story(three_standards, "zh-Hans", "Lumirix® 不含类固醇。", "Lumirix® 㗎成分不含类固醇。")
    with pytest.raises(LeafletError) as info:
        build(three_standards, tmp_path, "x3")  # Taiwan sets the same HK text in the TC face
    problems = [str(p) for p in individual(info.value)]
    assert len(problems) == 2 and all("U+35CE" in p and "story 'how-lumirix-works'" in p for p in problems)
    assert any("NotoSansCJKtc-Regular.otf" in p and "zh-Hant-TW" in p and "zh-Hant-HK.yaml:" in p for p in problems)
    assert any("NotoSansCJKsc-Regular.otf" in p and "zh-Hans" in p and re.search(r"zh-Hans\.yaml:\d+:", p)
               for p in problems)


def test_emoji_is_refused_by_the_cli_with_its_code_point(content, tmp_path):
    edit(content / "text" / "zh-Hant-HK.yaml", "Lumirix® 不含類固醇。", "Lumirix® 不含類固醇。👍")
    result = run_cli("build", content, "--region", "hk", "--out", tmp_path)
    assert result.returncode == 1 and "U+1F44D" in result.stderr and "Traceback" not in result.stderr
    assert not list(tmp_path.glob("*.pdf"))


def built_pages(built):
    return PdfReader(built.pdf).pages


def test_latin_text_is_kerned_in_the_pdf(built):
    reader = PdfReader(built.pdf)
    ops = ContentStream(reader.pages[1].get_contents(), reader).operations
    adjustments = [v for operands, op in ops if op == b"TJ" for item in operands[0] if isinstance(item, (int, float))
                   for v in [item] if v != 0]
    assert len(adjustments) > 20, "kerning pairs are applied with TJ adjustments"


def test_kerning_changes_widths_but_never_the_text():
    edition = hk_edition(REPO / "content" / "lumirix")
    book = prepare_fonts(edition)
    style = Style(book.name("en", "regular"), 10)
    drawn, width = book.shaped("AVAVA Ta", style)
    assert width < book.faces[("en", "regular")].font.stringWidth("AVAVA Ta", 10)  # unkerned
    assert str(drawn) == "AVAVA Ta"
    drawn, _ = book.shaped("Ruxolitinib fi ffl in", style)
    assert str(drawn) == "Ruxolitinib fi ffl in"


def test_extracted_text_has_no_ligatures_or_private_use_characters(built):
    text = "".join(p.extract_text() for p in built_pages(built))
    assert "Ruxolitinib" in text and "㏌" not in text
    assert not [c for c in text if 0xE000 <= ord(c) <= 0xF8FF or 0xFB00 <= ord(c) <= 0xFB06]


def test_chinese_lines_in_the_pdf_obey_kinsoku(three_standards, tmp_path):
    result = build(three_standards, tmp_path, "x3")
    checked = 0
    for page in PdfReader(result.pdf).pages:
        for line in page.extract_text().splitlines():
            line = line.strip()
            if not re.search(r"[\u4e00-\u9fff]", line):
                continue
            assert line[0] not in NO_LINE_START, line
            assert line[-1] not in NO_LINE_END, line
            checked += 1
    assert checked > 60


def test_brand_typeface_from_a_ttc_goes_through_the_same_pipeline(content, tmp_path):
    collection = TTCollection()
    collection.fonts = [TTFont(REPO / "fonts" / "NotoSans-Bold.ttf"), TTFont(REPO / "fonts" / "NotoSans-Regular.ttf")]
    collection.save(content / "brand.ttc")
    edit(content / "leaflet.yaml", "  reference_size_pt: 7",
         "  reference_size_pt: 7\n  fonts:\n    en: {regular: brand.ttc, bold: brand.ttc, face_index: 1}")
    edition = hk_edition(content)
    assert source_for(edition, "en", "regular").index == 1
    result = build(content, tmp_path, "hk")
    pages = PdfReader(result.pdf).pages
    names = {f.get_object()["/BaseFont"] for p in pages for f in p["/Resources"]["/Font"].values()}
    # face 1 of the collection is Noto Sans Regular; the theme sets bold text in it too
    assert not any("NotoSans-Bold" in n for n in names)


@pytest.mark.parametrize("path", ["../../../etc/passwd", "/etc/passwd"])
def test_theme_font_outside_the_content_folder_is_refused(content, path):
    edit(content / "leaflet.yaml", "  reference_size_pt: 7",
         f"  reference_size_pt: 7\n  fonts:\n    en: {{regular: '{path}', bold: brand.ttf}}")
    with pytest.raises(ContentError, match="points outside the content folder"):
        load_leaflet(content)


def test_corrupt_theme_font_is_a_clear_error(content, tmp_path):
    (content / "brand.ttf").write_bytes(b"\x00\x01\x00\x00garbage" * 10)
    edit(content / "leaflet.yaml", "  reference_size_pt: 7",
         "  reference_size_pt: 7\n  fonts:\n    en: {regular: brand.ttf, bold: brand.ttf}")
    result = run_cli("build", content, "--out", tmp_path / "out")
    assert result.returncode == 1 and "cannot be read as a font" in result.stderr
    assert "leaflet.yaml:" in result.stderr and "Traceback" not in result.stderr
