"""Sub-headings and callout boxes: set, kept with what follows or kept whole, boxes clear of
their text; read back from the built PDF, and the writer's errors."""
import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from block_leaflet import PAGES, check_problems, panel_lines, block_leaflet, story, text_of
from leaflet.content.load import load_leaflet
from leaflet.content.model import Callout
from leaflet.content.resolve import resolve
from leaflet.pipeline import build
from leaflet.proof.paint import paint_pages
from leaflet.typeset.fonts import prepare_fonts
from leaflet.typeset.layout import lay_out, text_box

TUBES = "Do not use more than 2 tubes of Lumirix® 100g in a month."
WAIT = "Wait at least 8 hours between applications."
PLAN = "Your doctor will recommend a treatment plan for you including how long you should use the cream."
REGIMEN = "It is important that you adhere to the prescribed dosing regimen for optimal results."
TINT = (0.1, 0.0, 0.04, 0.0)
BRAND = (0.78, 0.08, 0.32, 0.0)


def laid_out(tmp_path, body: str, panels="inside-left"):
    folder = block_leaflet(tmp_path / "fx", story(body), panels=panels)
    edition = resolve(load_leaflet(folder))
    return lay_out(edition, prepare_fonts(edition))


def fills_in(pdf, page: int, ink) -> list[tuple[float, float, float, float]]:
    """The boxes of the fills painted in this CMYK ink, read back from the PDF."""
    return [p.box for p in paint_pages(PdfReader(pdf))[page].paints
            if p.kind == "fill" and p.ink is not None and p.ink.cmyk() is not None
            and all(abs(a - b) < 0.005 for a, b in zip(p.ink.cmyk(), ink))]


def glyphs_of(pdf, panel: str, text: str) -> list:
    line = next(line for line in panel_lines(pdf, panel) if text_of(line).startswith(text[:20]))
    return line


def inside(box, glyph_box, margin) -> bool:
    return (glyph_box[0] >= box[0] + margin and glyph_box[2] <= box[2] - margin
            and glyph_box[1] >= box[1] + margin and glyph_box[3] <= box[3] - margin)


def test_a_shaded_callout_prints_a_tint_box_around_its_text_with_padding(tmp_path):
    folder = block_leaflet(tmp_path / "fx", story(f'      - "{REGIMEN}"\n      - callout: "{TUBES}"\n'),
                           panels="inside-left")
    pdf = build(folder, tmp_path / "out").pdf
    box, = fills_in(pdf, PAGES["inside-left"], TINT)
    lines = [line for line in panel_lines(pdf, "inside-left") if (box[1] < line[0].y < box[3])]
    assert "".join(text_of(line) + " " for line in lines).strip() == TUBES
    for glyph in (g for line in lines for g in line):
        assert inside(box, glyph.box, 2 * mm), (glyph.char, glyph.box, box)
    regimen = glyphs_of(pdf, "inside-left", REGIMEN)
    assert regimen[0].y > box[3], "the paragraph before the box stays outside it"


def test_a_ruled_callout_keeps_its_text_clear_of_the_rules(tmp_path):
    body = f"""      - callout:
          style: ruled
          body: ["{WAIT}", "{PLAN}"]
"""
    folder = block_leaflet(tmp_path / "fx", story(body), panels="inside-left")
    pdf = build(folder, tmp_path / "out").pdf
    rules = fills_in(pdf, PAGES["inside-left"], BRAND)
    rules = [r for r in rules if min(r[2] - r[0], r[3] - r[1]) < 1]  # thin: not the band or a disc
    assert len(rules) == 4
    outer = (min(r[0] for r in rules), min(r[1] for r in rules), max(r[2] for r in rules), max(r[3] for r in rules))
    inner = (outer[0] + 0.75, outer[1] + 0.75, outer[2] - 0.75, outer[3] - 0.75)
    lines = [line for line in panel_lines(pdf, "inside-left") if outer[1] < line[0].y < outer[3]]
    assert " ".join(text_of(line) for line in lines) == f"{WAIT} {PLAN}"
    assert all(inside(inner, g.box, 2 * mm) for line in lines for g in line)
    assert not fills_in(pdf, PAGES["inside-left"], TINT), "a ruled box has no tint"


def test_the_layout_box_encloses_every_line_of_its_callout(tmp_path):
    layout = laid_out(tmp_path, f'      - callout: ["{WAIT}", "{PLAN}", "{TUBES}"]\n')
    box, = [f.rect for f in layout.pages[1].fills if f.name == "callout tint"]
    boxed = [p for p in layout.pages[1].lines if p.para.callout is not None]
    assert len(boxed) >= 4
    for placed in boxed:
        line = text_box(placed)
        assert box.x + 2 * mm <= line.x and line.right <= box.right - 2 * mm
        assert box.y + 2 * mm <= line.y and line.top <= box.top - 2 * mm


@pytest.mark.parametrize("fillers", range(8, 16))
def test_a_callout_is_kept_whole_on_one_panel(tmp_path, fillers):
    # The box comes after more or fewer paragraphs, so it meets the foot of inside-left at
    # some point of itself: it always moves whole.
    body = "".join(f'      - "{PLAN}"\n' for _ in range(fillers))
    body += f'      - callout: ["{WAIT}", "{PLAN}", "{TUBES}"]\n      - "{REGIMEN}"\n'
    layout = laid_out(tmp_path, body, panels="inside-left, inside-middle")
    boxed = {p.panel for p in layout.pages[1].lines if p.para.callout is not None}
    box, = [f.rect for f in layout.pages[1].fills if f.name == "callout tint"]
    assert len(boxed) == 1
    frame = layout.sheet.panels[boxed.pop()].frame
    assert frame.x <= box.x and box.right <= frame.right + 0.01 and frame.y <= box.y and box.top <= frame.top


@pytest.mark.parametrize("fillers", range(24, 34))
def test_a_subheading_is_never_last_on_a_panel(tmp_path, fillers):
    # One-line paragraphs move the sub-heading down inside-left a line at a time, past its foot.
    body = "".join(f'      - "{WAIT}"\n' for _ in range(fillers))
    body += f'      - subheading: If you forget a dose\n      - "{WAIT} {PLAN}"\n      - "{REGIMEN}"\n'
    body += "".join(f'      - "{PLAN}"\n' for _ in range(6))
    layout = laid_out(tmp_path, body, panels="inside-left, inside-middle")
    lines = layout.pages[1].lines
    sub = next(k for k, p in enumerate(lines) if p.para.role == "subheading")
    assert lines[sub].line.text == "If you forget a dose"
    assert lines[sub + 1].panel == lines[sub].panel, "the text after a sub-heading starts on its panel"


def test_a_subheading_is_set_bold_in_the_brand_colour(tmp_path):
    folder = block_leaflet(tmp_path / "fx", story(f'      - subheading: If you forget a dose\n      - "{WAIT}"\n'),
                           panels="inside-left")
    pdf = build(folder, tmp_path / "out").pdf
    line = glyphs_of(pdf, "inside-left", "If you forget a dose")
    assert text_of(line) == "If you forget a dose"
    assert {g.font.name for g in line} == {"NotoSans-Bold"}
    assert {g.ink.cmyk() for g in line} == {(0.9, 0.35, 0.45, 0.25)}


def check_output(tmp_path, body: str) -> str:
    return check_problems(block_leaflet(tmp_path / "fx", story(body)))


def test_an_unknown_callout_style_is_named_with_the_choices(tmp_path):
    out = check_output(tmp_path, f'      - callout: {{style: dotted, body: ["{TUBES}"]}}\n')
    assert "en.yaml:6: 'stories.starting.body.0.callout.style' is 'dotted'; it must be one of: shaded, ruled" in out


def test_a_callout_holds_paragraphs_only(tmp_path):
    out = check_output(tmp_path, f'      - callout: [{{numbered: ["{TUBES}"]}}]\n')
    assert "a callout holds paragraphs only" in out


def test_a_subheading_cannot_cite(tmp_path):
    out = check_output(tmp_path, f'      - subheading: "If you forget a dose[@pi-hk]"\n      - "{WAIT}"\n')
    assert "en.yaml:6: a heading cannot cite a reference" in out


def test_a_callout_taller_than_a_panel_is_named(tmp_path):
    out = check_output(tmp_path, f'      - callout: ["{" ".join([PLAN] * 40)}"]\n')
    assert "a callout box of story 'starting' is taller than panel" in out


def test_regional_wording_reaches_items_sub_headings_and_callouts(tmp_path):
    body = f"""      - subheading: If you forget a dose
      - numbered: ["{WAIT}", "{PLAN}"]
      - callout: "{TUBES}"
"""
    folder = block_leaflet(tmp_path / "fx", story(body), panels="inside-left")
    (folder / "regions").mkdir()
    (folder / "regions" / "xx.yaml").write_text("""name: Fixture region
languages: [en]
job_code: FX-BLK-XX
agent: {language: en, lines: [Fixture agent]}
replace:
  - {language: en, find: 8 hours, replace: 12 hours}
  - {language: en, find: a dose, replace: an application}
  - {language: en, find: 2 tubes, replace: 3 tubes}
""", encoding="utf-8")
    result = build(folder, tmp_path / "out", "xx")
    texts = [text_of(line) for line in panel_lines(result.pdf, "inside-left")]
    assert "If you forget an application" in texts
    assert any(t.startswith("1. Wait at least 12 hours") for t in texts)
    assert any(t.startswith("Do not use more than 3 tubes") for t in texts)
    unapproved = {p.inlines[0].text for p in result.edition.unapproved}
    assert {"If you forget an application", WAIT.replace("8", "12"), TUBES.replace("2 tubes", "3 tubes")} <= unapproved


def test_a_callout_may_be_one_marked_paragraph(tmp_path):
    """`callout: {text: ..., added: translation}`: the boxed paragraph carries its mark, so the
    edition stays a draft until the added wording is approved."""
    from small_leaflet import write_leaflet

    text = ("language: en\nstories:\n  plan:\n    heading: Plan\n    body:\n"
            "      - callout: {text: Keep out of reach of children., added: translation}\n")
    folder = write_leaflet(tmp_path / "fx", texts={"en": text})
    leaflet = load_leaflet(folder)
    [callout] = [block for block in leaflet.stories[("en", "plan")].blocks if isinstance(block, Callout)]
    assert ["".join(inline.text for inline in p.inlines) for p in callout.paragraphs] == \
        ["Keep out of reach of children."]
    assert callout.paragraphs[0].added == "translation"
