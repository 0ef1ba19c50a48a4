"""Any leaflet: references, agent, back stories and every cover part are optional; the
layout composes what is present. Each fixture is a small leaflet built and read back."""
import pytest

from conftest import squash
from leaflet.errors import CitationError
from leaflet.pipeline import build
from small_leaflet import cli, page_text, text_by_font, write_leaflet


def built(tmp_path, **parts):
    folder = write_leaflet(tmp_path / "fx", **parts)
    return build(folder, tmp_path / "out")


def test_a_leaflet_without_references_agent_back_stories_or_cover_builds_without_a_references_heading(tmp_path):
    result = built(tmp_path)
    text = page_text(result.pdf)
    assert "Your doctor will recommend a treatment plan" in text
    assert "References" not in text
    assert "Job code FX-0001" in text  # the approval line still prints on the back panel


def test_an_empty_reference_list_prints_no_heading(tmp_path):
    result = built(tmp_path, files={"references.yaml": "references: []\n"})
    assert "References" not in page_text(result.pdf)


def test_references_print_under_their_heading_when_given(tmp_path):
    refs = "references:\n  - {id: pi-hk, text: Hong Kong Lumirix® cream Prescribing Information.}\n"
    result = built(tmp_path, cite="[@pi-hk]", files={"references.yaml": refs})
    text = page_text(result.pdf)
    assert "References" in text and "1. Hong Kong Lumirix® cream Prescribing Information." in text


def test_a_citation_in_a_leaflet_without_references_is_one_clear_error(tmp_path):
    folder = write_leaflet(tmp_path / "fx", cite="[@pi-hk]")
    with pytest.raises(CitationError, match=r"cites a reference, but this edition has no references"):
        build(folder, tmp_path / "out")
    code, out = cli("build", folder, "--out", tmp_path / "out")
    assert code == 1 and "Traceback" not in out
    assert "text/en.yaml:6" in out and "remove the citation" in out
    assert not list((tmp_path / "out").glob("*.pdf"))


@pytest.mark.parametrize("cover,printed,absent", [
    ("cover: {title: Understanding vitiligo}", "Understanding vitiligo", "Ruxolitinib"),
    ("cover: {product: Lumirix®}", "Lumirix®", "IMAGINE"),
])
def test_a_title_only_cover_prints_just_its_one_line(tmp_path, cover, printed, absent):
    result = built(tmp_path, extra=cover)
    outside = text_by_font(result.pdf, 0)
    assert absent not in page_text(result.pdf)
    assert squash(outside["NotoSans-Bold"]).count(squash(printed)) == 1  # once, in the Latin face


def test_a_cover_title_sits_at_the_top_and_a_product_low(tmp_path):
    from leaflet.content.load import load_leaflet
    from leaflet.content.resolve import resolve
    from leaflet.typeset.fonts import prepare_fonts
    from leaflet.typeset.layout import lay_out

    folder = write_leaflet(tmp_path / "fx", extra="cover: {title: Understanding vitiligo, product: Lumirix®,"
                                                  " descriptor: Ruxolitinib Cream 15mg/g}")
    edition = resolve(load_leaflet(folder))
    layout = lay_out(edition, prepare_fonts(edition))
    placed = {}
    for line in (p for p in layout.pages[0].lines if p.panel == "cover"):
        placed.setdefault(line.para.role, line)  # each part's first line
    frame = layout.sheet.panels["cover"].frame
    assert placed["title"].baseline > frame.top - 40
    assert placed["descriptor"].baseline < placed["product"].baseline < frame.y + 100
    assert any(f.name == "accent rule" for f in layout.pages[0].fills)


def test_a_cover_part_that_is_not_text_names_its_line(tmp_path):
    folder = write_leaflet(tmp_path / "fx", extra="cover:\n  product: [1, 2]\n  colour: red")
    code, out = cli("check", folder)
    assert code == 1 and "Traceback" not in out
    assert "leaflet.yaml:12: 'cover.product' must be text" in out
    assert "unknown key 'colour' in 'cover'" in out


AGENTS = """agent:
  - {language: zh-Hant-HK, lines: [c/o 盧凱業務發展有限公司（代理）]}
  - {language: en, lines: [(distributor name and address to be supplied)]}"""


def test_agent_blocks_per_language_print_in_reading_order_and_follow_the_edition(tmp_path):
    folder = write_leaflet(tmp_path / "fx", languages=("en", "zh-Hant-HK"), extra=AGENTS,
                           files={"regions/sg.yaml": "name: Singapore\nlanguages: [en]\njob_code: SG-0001\n"
                                                     "flows: [{language: en, panels: [inside-left], stories: [plan]}]\n"})
    from leaflet.content.load import load_leaflet
    from leaflet.content.resolve import resolve

    leaflet = load_leaflet(folder)
    master = [story.paras[0].text for story in resolve(leaflet).back if story.id == "agent"]
    assert master == ["(distributor name and address to be supplied)", "c/o 盧凱業務發展有限公司（代理）"]
    singapore = squash(page_text(build(folder, tmp_path / "out", "sg").pdf))
    assert "distributornameandaddress" in singapore and "盧凱" not in singapore


def test_two_agent_blocks_in_one_language_are_refused(tmp_path):
    folder = write_leaflet(tmp_path / "fx", extra=AGENTS.replace("zh-Hant-HK", "en"))
    code, out = cli("check", folder)
    assert code == 1 and "leaflet.yaml:13: a second agent block in en" in out
