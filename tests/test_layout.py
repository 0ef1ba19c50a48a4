"""Layout stage: fold geometry, flow into panels, overflow."""
import pytest
from reportlab.lib.units import mm

from conftest import hk_edition, EXAMPLE, edit
from leaflet.errors import StoryOverflow
from leaflet.typeset.fonts import prepare_fonts
from leaflet.typeset.layout import lay_out, sheet_for
from leaflet.content.load import load_leaflet


def layout_of(folder):
    edition = hk_edition(folder)
    return lay_out(edition, prepare_fonts(edition))


def test_letter_fold_flap_is_narrower_and_mirrored_inside():
    sheet = sheet_for(load_leaflet(EXAMPLE).format)
    widths = [round(sheet.panels[name].trim.width / mm, 6) for side in sheet.fold.sides for name in side]
    assert widths == [97, 100, 100, 100, 100, 97]
    assert sheet.panels["flap"].trim.width == pytest.approx(97 * mm)
    assert sheet.panels["cover"].trim.right == pytest.approx(sheet.trim.right)


def test_z_fold_has_equal_panels(content):
    edit(content / "leaflet.yaml", "  fold: letter", "  fold: z")
    edit(content / "leaflet.yaml", "panels: [flap, inside-right]", "panels: [outside-left, outside-middle]")
    sheet = sheet_for(load_leaflet(content).format)
    assert [p.trim.width / mm for p in sheet.panels.values()] == pytest.approx([99] * 6)
    layout = layout_of(content)
    for page in layout.pages:  # every line is set inside one of the equal panels
        for placed in page.lines:
            panel = layout.sheet.panels[placed.panel].trim
            assert panel.width == pytest.approx(99 * mm)
            assert panel.x <= placed.x and placed.x + placed.line.width <= panel.right


def test_every_line_stays_inside_its_panel_safe_area():
    layout = layout_of(EXAMPLE)
    safe = layout.edition.leaflet.format.safe_mm * mm
    for page in layout.pages:
        assert page.lines
        for placed in page.lines:
            panel = layout.sheet.panels[placed.panel]
            assert placed.x >= panel.trim.x + safe - 0.01
            assert placed.x + placed.line.width <= panel.trim.right - safe + 0.5
            assert panel.trim.y + safe <= placed.baseline <= panel.trim.top - safe


def test_no_lines_overlap_in_a_panel():
    layout = layout_of(EXAMPLE)
    for page in layout.pages:
        by_panel = {}
        for placed in page.lines:
            by_panel.setdefault(placed.panel, []).append(placed.baseline)
        for panel, baselines in by_panel.items():
            ordered = sorted(baselines, reverse=True)
            gaps = [a - b for a, b in zip(ordered, ordered[1:])]
            assert min(gaps) >= 8, f"lines closer than 8 pt in {panel}"


def test_body_text_is_at_least_nine_points():
    layout = layout_of(EXAMPLE)
    for placed in layout.pages[1].lines:
        for piece in placed.line.pieces:
            if not piece.style.rise:
                assert piece.style.size >= 9


def test_headings_are_kept_with_their_text():
    layout = layout_of(EXAMPLE)
    headings = {p.text for s in layout.edition.stories.values() for p in s.paras if p.role == "heading"}
    for page in layout.pages:
        lines = page.lines
        for i, placed in enumerate(lines):
            if placed.line.text in headings:
                assert i + 1 < len(lines) and lines[i + 1].panel == placed.panel, placed.line.text


def test_overflow_names_story_panel_and_amount(content):
    long = "Repigmentation is a gradual process that can take weeks to months. " * 60
    edit(content / "text" / "en.yaml", "      - Lumirix® is free from steroids.[@pi-hk]",
         f"      - Lumirix® is free from steroids.[@pi-hk] {long}")
    with pytest.raises(StoryOverflow) as info:
        layout_of(content)
    message = str(info.value)
    assert "story 'how-lumirix-works' (en) does not fit" in message
    assert "after panel 'inside-middle'" in message and "lines (" in message and " mm of column)" in message
    assert "en.yaml:" in message


def test_preflight_flags_text_in_the_safe_margin_or_across_a_fold():
    import dataclasses

    from leaflet.typeset.layout import safe_area_problems

    layout = layout_of(EXAMPLE)
    assert safe_area_problems(layout) == []
    inside = layout.pages[1]
    line = inside.lines[0]
    fold = layout.sheet.panels["inside-left"].trim.right
    inside.lines.append(dataclasses.replace(line, x=fold - 20))  # a line straddling the fold
    problems = safe_area_problems(layout)
    assert len(problems) == 1 and "safe margin of panel 'inside-left'" in str(problems[0])
    assert "understanding-vitiligo" in str(problems[0])
