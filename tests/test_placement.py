"""Placement: where a flow moves on to its next panel, on small fixture editions.

Each fixture is a one-language edition (regions/fx.yaml) pouring the English
stories through the panels a test gives it; the layout chooses the breaks.
"""

from conftest import edit
from leaflet.typeset.fonts import prepare_fonts
from leaflet.typeset.layout import MIN_FILL, STRETCH_MAX, STRETCH_TARGET, lay_out, para_style
from leaflet.typeset.linebreak import Style, break_lines
from leaflet.content.load import load_leaflet
from leaflet.content.resolve import resolve

STORIES = ("understanding-vitiligo, process-of-repigmentation, how-lumirix-works, starting-lumirix, "
           "maintaining-your-results")
REGION = """name: Fixture
languages: [en]
job_code: FX-0001
agent: {language: en, lines: [Fixture agent]}
flows:
  - language: en
    panels: [%s]
    stories: [%s]
"""


def fixture_layout(content, panels, stories=STORIES):
    (content / "regions" / "fx.yaml").write_text(REGION % (", ".join(panels), stories), encoding="utf-8")
    leaflet = load_leaflet(content)
    edition = resolve(leaflet, leaflet.regions["fx"])
    return lay_out(edition, prepare_fonts(edition))


def lines_in(layout, panel):
    return [p for page in layout.pages for p in page.lines if p.panel == panel]


def fill(layout, panel):
    """The share of the panel's text frame between its top and its last line's foot."""
    lines = lines_in(layout, panel)
    frame = layout.sheet.panels[panel].frame
    if not lines:
        return 0.0
    foot = min(p.baseline - 0.3 * max(piece.style.size for piece in p.line.pieces) for p in lines)
    return (frame.top - foot) / frame.height


def first_lines(layout, panel):
    """Is the panel's first line the first line of its paragraph?"""
    first = lines_in(layout, panel)[0]
    return first.para.text.startswith(first.line.text.rstrip("-"))  # a hyphen is not in the text


def paragraphs_across(layout, panels):
    """Paragraphs with lines in more than one of the panels."""
    seen = {}
    for name in panels:
        for placed in lines_in(layout, name):
            seen.setdefault(id(placed.para), set()).add(name)
    return [p for p in seen.values() if len(p) > 1]


def test_two_panels_are_balanced_and_the_second_opens_on_a_paragraph(content):
    # Greedy filling would fill inside-left and leave inside-middle about half as full.
    layout = fixture_layout(content, ["inside-left", "inside-middle"])
    left, middle = fill(layout, "inside-left"), fill(layout, "inside-middle")
    assert left >= MIN_FILL and middle >= MIN_FILL, (left, middle)
    assert abs(left - middle) < 0.25, (left, middle)
    assert first_lines(layout, "inside-middle")
    assert not paragraphs_across(layout, ["inside-left", "inside-middle"])


def test_no_panel_is_blank_while_another_has_text(content):
    panels = ["inside-left", "inside-middle", "inside-right"]
    layout = fixture_layout(content, panels)
    fills = [fill(layout, p) for p in panels]
    assert all(f > 0.3 for f in fills), fills
    assert all(first_lines(layout, p) for p in panels)


def test_a_paragraph_never_continues_from_the_inside_to_the_outside(content):
    # inside-right backs the flap: the flow must turn over at a paragraph, not inside one
    layout = fixture_layout(content, ["inside-right", "flap"])
    assert lines_in(layout, "flap") and not paragraphs_across(layout, ["inside-right", "flap"])
    assert first_lines(layout, "flap")


def test_a_paragraph_cut_by_a_panel_keeps_two_lines_each_side_and_headings_keep_two(content):
    long = " ".join(["Repigmentation is a gradual process that can take weeks to months."] * 30)
    edit(content / "text" / "en.yaml", "      - Lumirix® is free from steroids.[@pi-hk]",
         f"      - Lumirix® is free from steroids.[@pi-hk] {long}")
    layout = fixture_layout(content, ["inside-left", "inside-middle", "inside-right"])
    cut = paragraphs_across(layout, ["inside-left", "inside-middle", "inside-right"])
    assert cut, "the long paragraph cannot fit one panel"
    for panel in ("inside-left", "inside-middle", "inside-right"):
        lines = lines_in(layout, panel)
        by_para = {}
        for placed in lines:
            by_para.setdefault(id(placed.para), []).append(placed)
        for group in by_para.values():
            if group[0].para.role != "heading":
                assert len(group) >= 2 or len(group[0].para.text) == len(group[0].line.text), \
                    f"one line of a paragraph alone in {panel}: {group[0].line.text}"
        for a, b in zip(lines, lines[1:]):
            if a.para.role == "heading":
                assert b.para.role != "heading" and len(by_para[id(b.para)]) >= 2 or \
                    by_para[id(b.para)][0].para.text == by_para[id(b.para)][0].line.text
        assert lines[-1].para.role != "heading", f"{panel} ends with a heading"


def test_a_list_is_not_parted_when_a_section_break_will_do(content):
    layout = fixture_layout(content, ["inside-left", "inside-middle"])
    panels = {p.panel for p in lines_in(layout, "inside-left") + lines_in(layout, "inside-middle")
              if p.para.role == "bullet"}
    assert len(panels) == 1


def extra_space(layout, panel):
    """Space added between each two blocks of a panel beyond what their styles set."""
    lines, out = lines_in(layout, panel), []
    for a, b in zip(lines, lines[1:]):
        if a.para is not b.para:
            sa, sb = (para_style(x.para.role, x.para.language, layout.edition) for x in (a, b))
            nominal = 0.3 * sa.size + sa.space_after + sb.space_before + 0.9 * sb.size
            if a.para.role == "bullet" and b.para.role != "bullet":  # a list ends with a paragraph's space
                nominal += para_style("body", b.para.language, layout.edition).space_after - sa.space_after
            out.append(a.baseline - b.baseline - nominal)
    return out


def test_a_short_panel_is_spaced_out_within_limits(content):
    # The English stories in four panels: none has text for half its panel.
    panels = ["inside-left", "flap", "inside-middle", "inside-right"]
    layout = fixture_layout(content, panels)
    cap = 2 * STRETCH_MAX * layout.edition.leaflet.theme.body_size  # a heading's gap is two units
    spaced = 0
    for panel in panels:
        extra = extra_space(layout, panel)
        assert min(extra) > -0.01 and max(extra) <= cap + 0.01, extra
        if max(extra) > 0.01:  # spaced out, only as far as the target
            spaced += 1
            assert fill(layout, panel) <= STRETCH_TARGET + 0.01
        else:
            assert fill(layout, panel) >= MIN_FILL - 0.01, f"{panel} is short and not spaced out"
    assert spaced >= 2


def test_stretching_stops_when_a_panel_is_half_full(content):
    # the example's own English panels are well filled: plain spacing, as the theme sets it
    layout = fixture_layout(content, ["inside-left", "inside-middle"])
    for panel in ("inside-left", "inside-middle"):
        assert max(abs(e) for e in extra_space(layout, panel)) < 0.01


BODY = Style("no-such-font", 10)


def half_em(text, style):
    return len(text) * style.size / 2


def test_a_paragraph_never_ends_with_one_word():
    # greedy filling at 100 pt leaves "gel." alone on the last line
    text = "Your doctor will recommend how long you should use the gel."
    lines = break_lines([(text, BODY)], 100, half_em)
    assert len(lines[-1].text.split()) >= 2, [line.text for line in lines]
    assert all(line.width <= 100 for line in lines)


def test_a_chinese_paragraph_never_ends_with_two_characters_alone():
    text = "一般情況下，您應該在三個月後能夠看到色素恢復。"
    for width in range(60, 200, 5):
        lines = break_lines([(text, BODY)], width, half_em)
        if len(lines) > 1:
            body = [c for c in lines[-1].text if c.isalnum()]
            assert len(body) >= 3, (width, [line.text for line in lines])
        assert "".join(line.text for line in lines) == text
