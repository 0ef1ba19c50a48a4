"""Regions override any part of the master: cover, back stories, references, approval data
and theme; a language may take its text from any file in text/ ({tag: en, text: en-TW});
tags match however capitalised and fonts fall back to the base language (en-TW -> en).
Every case is a small fixture leaflet, built and read back."""
import shutil

import pytest
from pypdf import PdfReader

from conftest import REPO
from leaflet.content.load import load_leaflet
from leaflet.errors import ContentError
from leaflet.pipeline import build
from small_leaflet import cli, page_text, text_by_font, write_leaflet

MASTER_REFS = """references:
  - id: frisoli2020
    text: "Frisoli ML, et al. 'Vitiligo: Mechanisms of Pathogenesis and Treatment'. Annual Review of Immunology 2020;38:621–48."
    uncited: listed in the source leaflet's reference list
"""
EN_TW = """language: en-TW
stories:
  plan:
    heading: Maintaining your results
    body:
      - Your doctor will recommend a treatment plan for you.
"""
TAIWAN = """name: Taiwan
languages: [{tag: en, text: en-TW}, {tag: zh-hant-tw, text: zh-hant-hk}]
approval: {job_code: TW-0002, version: "2.0", date_of_preparation: 2025-03-01}
cover:
  product: {en: Lumirix®, zh-Hant-TW: Lumirix® 藥膏}
back_stories: [plan]
agent: {language: zh-Hant-TW, lines: [（台灣代理商名稱及地址待定）]}
references:
  - id: hwang2023
    text: "Hwang JR, Driscoll MS. Review of Ruxolitinib for Treatment of Non-Segmental Vitiligo. Annals of Pharmacotherapy. 2023;57(8):948-955"
    uncited: listed in the source leaflet's reference list
theme:
  colours: {brand: [0, 60, 100, 0]}
"""
HONG_KONG = """name: Hong Kong
languages: [en, zh-Hant-HK]
job_code: HK-0001
"""


@pytest.fixture
def folder(tmp_path):
    return write_leaflet(tmp_path / "fx", languages=("en", "zh-Hant-HK"),
                         extra="cover: {product: Lumirix®}\nagent: {language: zh-Hant-HK, lines: [c/o 盧凱業務發展有限公司（代理）]}",
                         files={"references.yaml": MASTER_REFS, "text/en-TW.yaml": EN_TW,
                                "regions/tw.yaml": TAIWAN, "regions/hk.yaml": HONG_KONG})


def fills(pdf, page=0) -> bytes:
    return PdfReader(pdf).pages[page].get_contents().get_data()


def test_a_region_overrides_cover_back_references_approval_and_theme(folder, tmp_path):
    tw = build(folder, tmp_path / "out", "tw")
    hk = build(folder, tmp_path / "out", "hk")
    assert tw.pdf.name == "fx-tw-v2.0.pdf" and hk.pdf.name == "fx-hk-v1.0.pdf"  # the region's version
    tw_text, hk_text = page_text(tw.pdf), page_text(hk.pdf)
    assert "Job code TW-0002 · Version 2.0 · Date of preparation 1 March 2025" in tw_text
    assert "Job code HK-0001 · Version 1.0 · Date of preparation 22 January 2025" in hk_text
    assert "Hwang JR" in tw_text and "Frisoli" not in tw_text
    assert "Frisoli" in hk_text and "Hwang" not in hk_text
    hk_cover = "".join(text_by_font(hk.pdf, 0).values())
    assert "藥膏" in text_by_font(tw.pdf, 0)["NotoSansCJKtc-Bold"] and "藥膏" not in hk_cover
    back = text_by_font(tw.pdf, 0)
    assert "Maintaining your results" in back["NotoSans-Bold"]  # the back story, from en-TW's text
    assert "台灣代理商" in back["NotoSansCJKtc-Regular"] and "盧凱" not in tw_text
    assert b"0 .6 1 0 k" in fills(tw.pdf) and b"0 .6 1 0 k" not in fills(hk.pdf)  # the region's brand colour
    assert b".78 .08 .32 0 k" in fills(hk.pdf)


def test_a_language_takes_its_text_from_a_named_file(folder, tmp_path):
    tw = page_text(build(folder, tmp_path / "out", "tw").pdf)
    hk = page_text(build(folder, tmp_path / "out", "hk").pdf)
    assert "Maintaining your results" in tw and "Starting Lumirix®" not in tw
    assert "Starting Lumirix®" in hk and "Maintaining your results" not in hk


def test_a_region_inherits_the_master_agent_in_its_language(folder, tmp_path):
    leaflet = load_leaflet(folder)
    assert leaflet.regions["hk"].agents is None
    assert "盧凱業務發展有限公司" in page_text(build(folder, tmp_path / "out", "hk").pdf)


def test_language_tags_match_however_capitalised(folder, tmp_path):
    text = (folder / "leaflet.yaml").read_text(encoding="utf-8")
    (folder / "leaflet.yaml").write_text(text.replace("languages: [en, zh-Hant-HK]", "languages: [EN, zh-hant-hk]")
                                         .replace("language: zh-Hant-HK", "language: ZH-HANT-HK"), encoding="utf-8")
    leaflet = load_leaflet(folder)
    assert leaflet.languages == ("en", "zh-Hant-HK")
    assert leaflet.regions["tw"].languages[1].tag == "zh-Hant-TW"
    assert "藥膏" in page_text(build(folder, tmp_path / "out", "tw").pdf)


def test_a_misspelt_tag_gets_a_did_you_mean(folder):
    (folder / "regions" / "tw.yaml").write_text(TAIWAN.replace("zh-hant-tw", "zh-hant-tx"), encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_leaflet(folder)
    assert "tw.yaml:2: language 'zh-hant-tx' has no pinned font" in str(info.value)
    assert "did you mean zh-Hant-TW?" in str(info.value)


def test_a_text_file_that_does_not_exist_is_named(folder):
    (folder / "regions" / "tw.yaml").write_text(TAIWAN.replace("text: en-TW", "text: en-SG"), encoding="utf-8")
    with pytest.raises(ContentError, match=r"tw.yaml:2: the content has no text in 'en-SG' \(no text/en-SG.yaml\)"):
        load_leaflet(folder)


def test_an_english_tag_with_a_region_falls_back_to_the_english_face(tmp_path):
    folder = write_leaflet(tmp_path / "fx", languages=("en-TW",))
    pdf = build(folder, tmp_path / "out").pdf
    assert "Starting Lumirix" in text_by_font(pdf, 1)["NotoSans-Bold"]


def test_a_region_back_story_missing_from_a_text_is_named(folder):
    (folder / "regions" / "tw.yaml").write_text(TAIWAN.replace("back_stories: [plan]", "back_stories: [plan, more]"),
                                                encoding="utf-8")
    with pytest.raises(ContentError, match=r"tw.yaml:6: back_stories names 'more', which text/en-TW.yaml"):
        load_leaflet(folder)


@pytest.fixture
def cjk_brand(tmp_path):
    """A leaflet whose English brand font is a Chinese .otf: a modified copy of the pinned
    Hong Kong face, so it carries the pinned face's name but other bytes."""
    folder = write_leaflet(tmp_path / "fx", languages=("en", "zh-Hant-HK"),
                           extra="  fonts:\n    en: {regular: fonts/Brand.otf, bold: fonts/Brand.otf}")
    (folder / "fonts").mkdir()
    data = (REPO / "fonts" / "NotoSansCJKhk-Regular.otf").read_bytes()
    (folder / "fonts" / "Brand.otf").write_bytes(data + b"\0\0\0\0")
    return folder


def test_a_cjk_brand_font_clashing_with_a_pinned_face_is_one_message(cjk_brand, tmp_path):
    for command in (["build", str(cjk_brand), "--out", str(tmp_path / "out")], ["check", str(cjk_brand)]):
        code, out = cli(*command)
        assert code == 1, out
        assert "Traceback" not in out and "KeyError" not in out
        assert out.count("are both named 'NotoSansCJKhk-Regular' inside") == 1
        assert "leaflet.yaml:12" in out
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_a_brand_font_that_is_the_pinned_file_shares_its_face(cjk_brand, tmp_path):
    shutil.copy(REPO / "fonts" / "NotoSansCJKhk-Regular.otf", cjk_brand / "fonts" / "Brand.otf")
    pdf = build(cjk_brand, tmp_path / "out").pdf
    assert "Starting" in text_by_font(pdf, 1)["NotoSansCJKhk-Regular"]


def test_an_unreadable_brand_font_is_one_message(cjk_brand, tmp_path):
    (cjk_brand / "fonts" / "Brand.otf").write_bytes(b"not a font")
    code, out = cli("build", cjk_brand, "--out", tmp_path / "out")
    assert code == 1 and "Traceback" not in out
    assert out.count("cannot be read as a font") == 1
