"""The cover's composition, the slug line and the proof footer: boxes that never collide."""
import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from conftest import EXAMPLE, edit
from small_leaflet import cli, write_leaflet
from leaflet.errors import LeafletError
from leaflet.typeset.fonts import prepare_fonts
from leaflet.typeset.layout import (CLEAR_MM, FOLD_OVERLAP_MM, SLUG_CLEAR_MM, SLUG_MIN_SIZE, SLUG_SIZE, Fill, Rect, cover_problems, lay_out,
                            proof_footer, proof_footer_place, slug_place, slug_text, text_box)
from leaflet.typeset.linebreak import Style
from leaflet.content.load import load_leaflet
from leaflet.pipeline import build
from leaflet.content.resolve import resolve


def layout_for(region="hk", folder=EXAMPLE):
    leaflet = load_leaflet(folder)
    edition = resolve(leaflet, leaflet.regions[region])
    return lay_out(edition, prepare_fonts(edition))


def cover_fill(layout, name):
    return [f for f in layout.pages[0].fills if f.name == name]


@pytest.mark.parametrize("region", ["hk", "mo", "sg", "tw"])
def test_the_shipped_covers_have_no_collisions(region):
    assert cover_problems(layout_for(region)) == []


def test_the_accent_rule_clears_the_wordmark_and_runs_past_the_fold():
    layout = layout_for()
    (rule,) = cover_fill(layout, "accent rule")
    wordmark = next(p for p in layout.pages[0].lines if p.para.role == "product")
    fold = layout.sheet.panels["cover"].trim.x
    assert rule.rect.right < wordmark.x - 2 * mm, "the rule stops short of the wordmark"
    assert wordmark.baseline < rule.rect.y < rule.rect.top < wordmark.baseline + 0.72 * 30, \
        "the rule sits within the wordmark's x-height, above its baseline"
    assert rule.rect.x == pytest.approx(fold - FOLD_OVERLAP_MM * mm)


def test_the_cover_colour_runs_past_the_fold_and_the_discs_clear_the_trim():
    layout = layout_for()
    (art,) = cover_fill(layout, "cover art")
    cover = layout.sheet.panels["cover"].trim
    assert art.rect.x == pytest.approx(cover.x - FOLD_OVERLAP_MM * mm)
    assert art.rect.right == pytest.approx(layout.sheet.bleed.right)
    for disc in cover_fill(layout, "disc"):
        assert disc.rect.right <= cover.right - CLEAR_MM * mm + 0.01
        assert disc.rect.x >= cover.x + CLEAR_MM * mm and disc.rect.y >= cover.y + CLEAR_MM * mm


def test_an_element_over_the_wordmark_is_an_error():
    layout = layout_for()
    wordmark = next(p for p in layout.pages[0].lines if p.para.role == "product")
    box = text_box(wordmark)
    layout.pages[0].fills.append(Fill(Rect(box.x + 5, box.y + 2, 40, 1.2 * mm), (0, 0.4, 0.75, 0), name="accent rule"))
    problems = [str(p) for p in cover_problems(layout)]
    # named by its own line: the product's, not the cover's
    assert problems == [f"{EXAMPLE / 'leaflet.yaml'}:37: on the cover, the product “Lumirix®” runs into the accent "
                        "rule — shorten the cover text; it must clear every other element"]


def test_a_tagline_too_long_runs_into_the_discs_and_is_named(content):
    edit(content / "leaflet.yaml", '"WHAT\'S YOURS"]', '"WHAT\'S YOURS", "AND", "SO", "MUCH", "MORE", "THAN"]')
    with pytest.raises(LeafletError) as info:
        layout_for(folder=content)
    assert "leaflet.yaml:36: on the cover, the tagline “MORE” runs into the disc" in str(info.value)


def test_an_element_near_the_fold_that_does_not_run_past_it_is_an_error():
    layout = layout_for()
    fold = layout.sheet.panels["cover"].trim.x
    layout.pages[0].fills.append(Fill(Rect(fold + 1 * mm, 200, 20 * mm, 1.2 * mm), (0, 0.4, 0.75, 0), name="rule"))
    assert any("the rule is within 3 mm of the fold" in str(p) for p in cover_problems(layout))


@pytest.mark.parametrize("region", ["hk", "mo", "sg", "tw"])
def test_the_slug_keeps_clear_of_every_mark(region):
    layout = layout_for(region)
    font = layout.fonts.name(layout.edition.furniture_language, "regular")
    for page in (0, 1):
        x, size = slug_place(layout, page)
        width = layout.fonts.measure(slug_text(layout.edition, layout.pages[page].name), Style(font, size))
        assert size == SLUG_SIZE
        for mark in (layout.sheet.trim.x, *layout.sheet.folds[page], layout.sheet.trim.right):
            assert x - mark >= SLUG_CLEAR_MM * mm - 0.01 or mark - (x + width) >= SLUG_CLEAR_MM * mm - 0.01, \
                (region, page, mark)


def slug_leaflet(tmp_path, job_code):
    folder = write_leaflet(tmp_path / "fx")
    edit(folder / "leaflet.yaml", "job_code: FX-0001", f"job_code: {job_code}")
    return folder


def test_a_slug_too_long_for_any_stretch_between_the_marks_is_set_smaller_and_kept_clear(tmp_path):
    """A long job code (or a wide brand face) makes the slug longer than any stretch between
    the crop and fold marks: it is set smaller in the widest, never across a mark."""
    job_code = "LUMIRIX-HK-PATIENT-LEAFLET-2026-0001-REV-B"
    folder = slug_leaflet(tmp_path, job_code)
    leaflet = load_leaflet(folder)
    edition = resolve(leaflet, None)
    layout = lay_out(edition, prepare_fonts(edition))
    font = layout.fonts.name(layout.edition.furniture_language, "regular")
    for page in (0, 1):
        x, size = slug_place(layout, page)
        assert SLUG_MIN_SIZE <= size < SLUG_SIZE
        width = layout.fonts.measure(slug_text(layout.edition, layout.pages[page].name), Style(font, size))
        for mark in (layout.sheet.trim.x, *layout.sheet.folds[page], layout.sheet.trim.right):
            assert x - mark >= SLUG_CLEAR_MM * mm - 0.01 or mark - (x + width) >= SLUG_CLEAR_MM * mm - 0.01, mark
    pdf = build(folder, tmp_path / "out").pdf  # which verified its own slug, at that size
    assert all(job_code in page.extract_text() for page in PdfReader(pdf).pages)


def test_a_slug_too_long_to_read_even_set_smaller_is_an_error_naming_the_approval(tmp_path):
    folder = slug_leaflet(tmp_path, "LUMIRIX-" * 16 + "0001")
    code, out = cli("build", folder, "--out", tmp_path / "out")
    assert code == 1 and "Traceback" not in out
    assert "the slug line “fx · LUMIRIX-LUMIRIX-" in out and "is too long to print between the marks" in out
    assert "leaflet.yaml:3:" in out and "shorten the job code or the leaflet folder's name" in out
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_the_proof_footer_stays_between_the_folds(tmp_path):
    result = build(EXAMPLE, tmp_path, "mo", proof=True)
    layout = layout_for("mo")
    font = layout.fonts.name(layout.edition.furniture_language, "regular")
    trim = layout.sheet.trim
    for page in (0, 1):
        centre, size = proof_footer_place(layout, page)
        half = layout.fonts.measure(proof_footer(layout.edition), Style(font, size)) / 2
        left, right = (x - trim.x for x in layout.sheet.folds[page])
        assert left + CLEAR_MM * mm - 0.01 <= centre - half and centre + half <= right - CLEAR_MM * mm + 0.01
        assert size >= 5
    # the footer is drawn there: its text is on each page of the proof, which verified itself
    pages = PdfReader(result.pdf).pages
    assert all("PROOF — not for print" in p.extract_text() for p in pages)
