"""Type by script: Latin is set in the Latin face and Chinese in the CJK face of the
region, whatever the paragraph's language, so the cover, references, approval line and
slug keep their shape in every edition. Read back from the built PDF's fonts."""
import pytest

from leaflet.content.scripts import script_faces
from leaflet.errors import GlyphError
from leaflet.pipeline import build
from small_leaflet import page_text, text_by_font, write_leaflet

REFS = "references:\n  - {id: pi-hk, text: Hong Kong Lumirix® cream Prescribing Information.}\n"


def test_latin_in_a_taiwan_edition_is_set_in_noto_sans_and_chinese_in_the_taiwan_face(tmp_path):
    folder = write_leaflet(tmp_path / "fx", languages=("zh-Hant-TW",), cite="[@pi-hk]",
                           extra="cover: {product: Lumirix®, descriptor: Ruxolitinib Cream 15mg/g}",
                           files={"references.yaml": REFS})
    pdf = build(folder, tmp_path / "out").pdf
    inside, outside = text_by_font(pdf, 1), text_by_font(pdf, 0)
    assert "Lumirix" in inside["NotoSans-Bold"] and "開始" in inside["NotoSansCJKtc-Bold"]
    assert "Lumirix" not in inside["NotoSansCJKtc-Bold"]
    assert "8" in inside["NotoSans-Regular"] and "小時" in inside["NotoSansCJKtc-Regular"]
    # the furniture: the wordmark, the reference, the approval line and the slug
    assert "Lumirix" in outside["NotoSans-Bold"]
    for text in ("Ruxolitinib Cream", "Prescribing Information", "Job code FX-0001", "DRAFT — not approved"):
        assert text in outside["NotoSans-Regular"], text
    assert not any(font.startswith("NotoSansCJK") for font in outside)  # nothing Chinese outside


def test_a_chinese_product_on_the_cover_is_set_in_the_cjk_face_beside_the_english_one(tmp_path):
    cover = "cover:\n  product: {en: Lumirix®, zh-Hant-HK: Lumirix® 藥膏}\n  tagline: {zh-Hant-HK: [了解白蝕症]}"
    folder = write_leaflet(tmp_path / "fx", languages=("en", "zh-Hant-HK"), extra=cover)
    pdf = build(folder, tmp_path / "out").pdf
    outside = text_by_font(pdf, 0)
    assert "藥膏" in outside["NotoSansCJKhk-Bold"] and "了解白蝕症" in outside["NotoSansCJKhk-Bold"]
    assert outside["NotoSans-Bold"].count("Lumirix") == 2  # the English and the Chinese product, one wordmark
    assert "Lumirix" not in outside["NotoSansCJKhk-Bold"]


def test_chinese_in_an_edition_without_a_chinese_language_is_one_message(tmp_path):
    cover = "cover: {product: 了解白蝕症}"
    folder = write_leaflet(tmp_path / "fx", extra=cover)
    with pytest.raises(GlyphError) as info:
        build(folder, tmp_path / "out")
    message = str(info.value)
    assert message.count("no glyph") == 1 and "5 characters" in message and "U+767D" in message
    assert "leaflet.yaml:11" in message and "add a Chinese language to the edition" in message


def test_punctuation_both_scripts_write_follows_its_paragraph():
    faces = script_faces(("en", "zh-Hant-HK"))
    assert faces.runs("“白蝕症” — Lumirix®", "en") == (("“", "en"), ("白蝕症", "zh-Hant-HK"),
                                                       ("” — Lumirix®", "en"))
    assert faces.runs("「JAK」“抑制劑”", "zh-Hant-HK") == (("「", "zh-Hant-HK"), ("JAK", "en"),
                                                         ("」“抑制劑”", "zh-Hant-HK"))
    assert script_faces(("zh-Hant-TW",)).latin == "en" and script_faces(("en",)).cjk is None


def test_the_taiwan_example_sets_its_wordmark_as_hong_kong_does(built):
    from conftest import EXAMPLE
    from leaflet.pipeline import build as build_one

    tw = build_one(EXAMPLE, built.pdf.parent, "tw").pdf
    assert "Lumirix" in text_by_font(tw, 0)["NotoSans-Bold"]
    assert "Lumirix" in text_by_font(built.pdf, 0)["NotoSans-Bold"]
    assert "IMAGINE THIS:" in page_text(tw)


def test_a_chinese_cover_line_may_wrap_between_characters(tmp_path):
    # Chinese breaks between any two characters: a wrapped title cuts no word
    cover = "cover: {title: {zh-Hant-HK: 當環境因素誘發皮膚壓力反應時}}"
    folder = write_leaflet(tmp_path / "fx", languages=("en", "zh-Hant-HK"), extra=cover)
    pdf = build(folder, tmp_path / "out").pdf
    assert "當環境因素誘發皮膚壓力反應時" in "".join(text_by_font(pdf, 0)["NotoSansCJKhk-Bold"].split())
