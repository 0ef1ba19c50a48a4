"""The back panel's setting (references, approval line) and an edition's own type sizes."""
import pytest

from conftest import edit, run_cli
from leaflet.typeset.linebreak import JUSTIFY_MAX_EM, SCRIPT_SPACE_EM, is_cjk
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


def test_chinese_is_justified_latin_never_spaced_and_the_last_line_ragged():
    layout = layout_for("hk")
    frame = layout.sheet.panels["inside-right"].frame
    lines = [p for p in layout.pages[1].lines if p.panel == "inside-right" and p.para.role == "body"]
    by_para = {}
    for placed in lines:
        by_para.setdefault(id(placed.para), []).append(placed)
    justified = 0
    for group in by_para.values():
        for placed in group[:-1]:
            for piece, after in zip(placed.line.pieces, placed.line.pieces[1:]):
                if piece.tracking:  # Chinese spaced out, or one Latin character before Chinese
                    assert all(is_cjk(c) for c in piece.text) or len(piece.text) == 1 and is_cjk(after.text[0]), \
                        f"Latin spaced out: {piece.text!r}"
                    assert piece.tracking <= max(JUSTIFY_MAX_EM, SCRIPT_SPACE_EM) * piece.style.size + 0.01
            if any(p.tracking for p in placed.line.pieces):
                justified += 1
                assert placed.x + placed.line.width == pytest.approx(frame.right, abs=0.01), placed.line.text
        assert not any(p.tracking for p in group[-1].line.pieces), "the last line stays ragged"
    assert justified >= 3


def test_justified_chinese_prints_the_contents_own_characters(tmp_path):
    from pypdf import PdfReader

    from conftest import EXAMPLE, squash
    from leaflet.pipeline import build

    result = build(EXAMPLE, tmp_path, "hk")  # a build verifies itself: the witnesses read the spacing too
    inside = squash(PdfReader(result.pdf).pages[1].extract_text())
    assert "遵守規定的用藥方案以獲得最佳效果是非常重要。" in inside


def test_chinese_and_latin_are_a_quarter_em_apart_however_typed():
    layout = layout_for("hk")
    lines = [p for page in layout.pages for p in page.lines if p.para.language == "zh-Hant-HK"]
    typed_tight = next(p for p in lines if "JAK-STAT的" in p.line.text)
    pieces = typed_tight.line.pieces
    t = next(i for i, piece in enumerate(pieces) if piece.text.endswith("T") and pieces[i + 1].text.startswith("的"))
    assert pieces[t].text == "T" and pieces[t].tracking == pytest.approx(SCRIPT_SPACE_EM * 10, abs=0.3)
    typed_spaced = next(p for p in lines if "在 3 個月" in p.line.text)
    for piece in typed_spaced.line.pieces:  # the typed space is the gap: nothing added beside it
        if piece.text.endswith("3"):
            assert piece.tracking == 0, piece
    space = layout.fonts.measure(" ", typed_spaced.line.pieces[0].style)
    assert space == pytest.approx(SCRIPT_SPACE_EM * 10, abs=0.05 * 10)  # a typed space is about a quarter em too


def test_the_registered_mark_prints_alike_in_chinese_and_in_english():
    """® is Latin: in Chinese text it is the English mark, in the Latin face, raised the same."""
    layout = layout_for("hk")
    marks = {}
    for placed in (p for page in layout.pages for p in page.lines if p.para.role == "body"):
        for piece in placed.line.pieces:
            if "®" in piece.text:
                marks.setdefault(placed.para.language, piece.style)
    en, zh = marks["en"], marks["zh-Hant-HK"]
    assert zh == en
    assert layout.fonts.faces[("en", "regular")].name == zh.font
