"""The back panel's setting (references, approval line) and an edition's own type sizes."""
import pytest
from reportlab.lib.units import mm

from conftest import edit, run_cli
from test_composition import layout_for


def test_references_hang_their_numbers():
    layout = layout_for("hk")
    refs = [p for p in layout.pages[0].lines if p.para.role == "reference"]
    firsts = [p for p in refs if p.para.text.startswith(p.line.text)]
    turns = [p for p in refs if p not in firsts]
    assert turns, "some reference runs over a line"
    margin = firsts[0].x
    assert all(p.x == margin for p in firsts)
    assert all(p.x == pytest.approx(margin + 7 * (0.57 + 0.55)) for p in turns)
    assert all(p.x + p.line.width <= layout.sheet.panels["back"].frame.right + 0.01 for p in refs)


@pytest.mark.parametrize("region", ["hk", "mo", "sg", "tw"])
def test_the_approval_line_never_parts_a_label_from_its_value(region):
    layout = layout_for(region)
    lines = [p.line.text for p in layout.pages[0].lines if p.story == "approval"]
    assert len(lines) == 2, lines  # too long for one line of the back panel
    assert any(line.startswith("Date of preparation ") and line.endswith("2025") for line in lines), lines
    assert any("Job code" in line and "Version 1.0" in line for line in lines), lines


def test_a_list_ends_with_a_paragraphs_space():
    layout = layout_for("hk")
    lines = [p for p in layout.pages[1].lines if p.story == "starting-lumirix" and p.para.language == "en"]
    bullets = [i for i, p in enumerate(lines) if p.para.role == "bullet"]
    last, after = lines[bullets[-1]], lines[bullets[-1] + 1]
    between_items = [a.baseline - b.baseline for a, b in zip(lines, lines[1:])
                     if a.para.role == b.para.role == "bullet" and a.para is not b.para]
    between_paras = [a.baseline - b.baseline for a, b in zip(lines, lines[1:])
                     if a.para.role == b.para.role == "body" and a.para is not b.para]
    assert last.baseline - after.baseline == pytest.approx(between_paras[0])
    assert between_items[0] < between_paras[0]


def test_an_edition_sets_its_own_type_sizes():
    tw, hk = layout_for("tw"), layout_for("hk")
    assert tw.edition.leaflet.theme.body_size == 13 and hk.edition.leaflet.theme.body_size == 10
    heading = {p.line.pieces[0].style.size for p in tw.pages[1].lines if p.para.role == "heading"}
    assert heading == {12.5 * 13 / 10}  # the heading scales with the body unless set


@pytest.mark.parametrize("old,new,message", [
    ("  body_size_pt: 13", "  body_sise_pt: 13", "did you mean 'body_size_pt'"),
    ("  body_size_pt: 13", "  body_size_pt: 7", "'type.body_size_pt' is 7"),
])
def test_type_size_mistakes_are_named(content, old, new, message):
    edit(content / "regions" / "tw.yaml", old, new)
    result = run_cli("check", content)
    assert result.returncode == 1 and message in result.stdout and "tw.yaml:" in result.stdout, result.stdout
