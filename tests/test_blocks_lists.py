"""Lists: generated markers (bullet, numbered, lettered, roman, Chinese), hanging indent,
one nested level, items kept whole across panels, and the errors a writer can make.
Each test writes a small leaflet and reads the PDF it builds back."""
import re

import pytest

from conftest import run_cli
from block_leaflet import check_problems, panel_lines, block_leaflet, story, text_of
from leaflet.content.blocks import marker
from leaflet.pipeline import build

APPLY = "Apply a thin layer of cream twice daily to the affected areas of your skin."
WAIT = "Wait at least 8 hours between applications."
AREA = "The cream should not be used on more than 10% of your body."
TUBES = "Do not use more than 2 tubes of Lumirix® 100g in a month."
PLAN = "Your doctor will recommend a treatment plan for you including how long you should use the cream."


def built(tmp_path, body: str, **kwargs):
    folder = block_leaflet(tmp_path / "fx", story(body), **kwargs)
    return build(folder, tmp_path / "out")


def check_output(tmp_path, body: str) -> str:
    return check_problems(block_leaflet(tmp_path / "fx", story(body)))


def lines_starting(lines, *starts):
    found = [line for line in lines if text_of(line).startswith(starts)]
    assert found, [text_of(line) for line in lines]
    return found


def test_numbered_list_prints_its_markers_from_its_start_in_order(tmp_path):
    result = built(tmp_path, f"""      - list:
          style: "(1)"
          start: 3
          items: ["{APPLY}", "{WAIT}", "{TUBES}"]
""")
    texts = [text_of(line) for panel in ("inside-left", "inside-middle", "inside-right")
             for line in panel_lines(result.pdf, panel)]
    items = [t for t in texts if t.startswith("(")]
    assert [t.split()[0] for t in items] == ["(3)", "(4)", "(5)"]
    assert items[0] == "(3) Apply a thin layer of cream twice" or items[0].startswith("(3) Apply a thin")
    assert items[1].startswith("(4) Wait at least") and items[2].startswith("(5) Do not use")


@pytest.mark.parametrize("style,number,printed", [
    ("1.", 12, "12."), ("(1)", 3, "(3)"), ("1)", 7, "7)"), ("a)", 1, "a)"), ("a.", 26, "z."), ("(a)", 3, "(c)"),
    ("A.", 2, "B."), ("i.", 4, "iv."), ("i.", 9, "ix."), ("(i)", 14, "(xiv)"), ("I.", 3, "III."),
    ("一、", 1, "一、"), ("一、", 10, "十、"), ("一、", 14, "十四、"), ("一、", 21, "二十一、"), ("（一）", 2, "（二）"),
    ("dash", 5, "–"), ("bullet", 2, ""),
])
def test_markers_are_written_in_their_style(style, number, printed):
    assert marker(style, number) == printed


def test_turn_lines_start_at_the_text_not_at_the_marker_and_markers_right_align(tmp_path):
    items = ", ".join(f'"{text}"' for text in [APPLY, WAIT, TUBES] * 3 + [WAIT, APPLY])  # 11 items
    result = built(tmp_path, f"      - numbered: [{items}]\n", panels="inside-left")
    left = panel_lines(result.pdf, "inside-left")
    starts = [k for k, line in enumerate(left) if re.match(r"\d+\. ", text_of(line))]
    text_x = {round(left[k][len(text_of(left[k]).split()[0])].x, 2) for k in starts}
    assert len(text_x) == 1, "every item's text starts at one x, 9. and 10. alike"
    x = text_x.pop()
    ends = {round(left[k][len(text_of(left[k]).split()[0]) - 1].x + left[k][len(text_of(left[k]).split()[0]) - 1]
                  .advance, 1) for k in starts}
    assert len(ends) == 1 and ends.pop() < x - 2, "markers end together, clear of the text"
    turns = [line for k, line in enumerate(left) if k > starts[0] and k not in starts]  # not the heading
    assert turns and all(abs(line[0].x - x) < 0.01 for line in turns), "turn lines hang at the text x"
    assert any(text_of(left[k]).startswith("10. ") for k in starts)


def test_nested_items_hang_one_level_in_with_their_own_markers(tmp_path):
    result = built(tmp_path, f"""      - numbered:
          - text: "{WAIT}"
            items: ["{AREA}", "{TUBES}"]
          - "{PLAN}"
""", panels="inside-left")
    lines = panel_lines(result.pdf, "inside-left")
    parent, = lines_starting(lines, "1. ")
    nested = lines_starting(lines, "a) ", "b) ")
    assert [text_of(line)[:2] for line in nested] == ["a)", "b)"]
    parent_text_x = parent[2].x
    assert all(line[0].x >= parent_text_x - 0.01 for line in nested), "nested markers sit in the parent's text"
    nested_text_x = {round(line[2].x, 2) for line in nested}
    assert len(nested_text_x) == 1 and nested_text_x.pop() > parent_text_x + 5
    assert text_of(lines_starting(lines, "2. ")[0]).startswith("2. Your doctor"), "numbering resumes after"


def test_bullets_nest_with_dashes(tmp_path):
    result = built(tmp_path, f"""      - bullets:
          - text: "{WAIT}"
            items: ["{AREA}"]
""")
    dash, = lines_starting(panel_lines(result.pdf, "inside-left"), "– ")
    assert text_of(dash).startswith("– The cream should not")


def test_chinese_markers_print_in_the_chinese_face(tmp_path):
    chinese = """      - list:
          style: 一、
          items:
            - 每天在受影響的皮膚區域塗抹一層薄薄的藥膏兩次。
            - text: 兩次之間至少相隔8小時。
              items: [藥膏的使用面積不得超過身體面積的10%。]
"""
    folder = block_leaflet(tmp_path / "fx", story(f'      - "{WAIT}"\n'), {"starting": f"    body:\n{chinese}"})
    result = build(folder, tmp_path / "out")
    lines = panel_lines(result.pdf, "flap")  # the Chinese flow pours into the flap
    first, = lines_starting(lines, "一、")
    second, = lines_starting(lines, "二、")
    nested, = lines_starting(lines, "（一）")
    for line, width in ((first, 2), (second, 2), (nested, 3)):
        assert all("CJK" in g.font.name for g in line[:width]), [g.font.name for g in line[:width]]
    assert text_of(first).startswith("一、每天"), "the 、 brings its own space: none is added"


def test_an_item_is_never_split_between_panels(tmp_path):
    # Enough items for two panels: wherever the first panel ends, no item has lines in both.
    items = ", ".join(f'"{text}"' for text in [APPLY, PLAN, TUBES, AREA] * 6)
    result = built(tmp_path, f"      - numbered: [{items}]\n", panels="inside-left, inside-middle")
    panels = {"left": panel_lines(result.pdf, "inside-left"), "middle": panel_lines(result.pdf, "inside-middle")}
    assert panels["left"] and panels["middle"]
    middle_first = text_of(panels["middle"][0])
    assert middle_first.split()[0].rstrip(".").isdigit(), f"inside-middle opens on an item: {middle_first!r}"
    number = int(middle_first.split(".")[0])
    last_left = [text_of(line) for line in panels["left"] if text_of(line).split()[0].rstrip(".").isdigit()][-1]
    assert int(last_left.split(".")[0]) == number - 1


def test_a_typed_marker_is_an_error_naming_the_line(tmp_path):
    out = check_output(tmp_path, f'      - numbered: ["{APPLY}", "2. {WAIT}"]\n')
    assert "en.yaml:6: a list item starts with its own marker '2.'" in out
    assert "the tool numbers the items" in out and "remove '2.'" in out


def test_a_typed_bullet_is_an_error(tmp_path):
    out = check_output(tmp_path, f'      - bullets: ["• {APPLY}"]\n')
    assert "starts with its own marker '•'" in out and "draws the bullets" in out


def test_an_unknown_style_gets_a_suggestion(tmp_path):
    out = check_output(tmp_path, f'      - list: {{style: "(1", items: ["{APPLY}"]}}\n')
    assert "en.yaml:6: 'stories.starting.body.0.list.style' is '(1', which is not a list style" in out
    assert "did you mean '(1)'?" in out


def test_a_list_with_no_items_is_an_error(tmp_path):
    out = check_output(tmp_path, "      - numbered: []\n")
    assert "en.yaml:6: 'stories.starting.body.0.numbered' is empty" in out


def test_a_list_nests_one_level_only(tmp_path):
    out = check_output(tmp_path, f"""      - numbered:
          - text: "{WAIT}"
            items:
              - text: "{AREA}"
                items: ["{TUBES}"]
""")
    assert "a list nests only one level" in out and "en.yaml:10" in out


def test_an_unknown_block_names_every_kind_and_guesses(tmp_path):
    out = check_output(tmp_path, f'      - numbred: ["{APPLY}"]\n')
    assert "en.yaml:6: unknown key 'numbred'" in out and "did you mean 'numbered'?" in out
    assert "bullets, numbered, lettered, list, subheading, callout, figure" in out


def test_a_lettered_list_longer_than_the_alphabet_is_an_error(tmp_path):
    items = ", ".join([f'"{WAIT}"'] * 27)
    out = check_output(tmp_path, f"      - lettered: [{items}]\n")
    assert "a lettered list runs from a to z; this one would need 27 letters" in out


def test_chinese_numbering_in_english_text_is_an_error(tmp_path):
    out = check_output(tmp_path, f'      - list: {{style: 一、, items: ["{APPLY}"]}}\n')
    assert "the list style '一、' numbers in Chinese, but this is en text" in out


def test_a_start_that_is_not_a_number_is_an_error(tmp_path):
    out = check_output(tmp_path, f'      - numbered: ["{APPLY}"]\n        start: c\n')
    assert "en.yaml:7: 'stories.starting.body.0.start' is 'c'; it must be the number of the first item" in out


def test_items_that_fit_only_if_one_were_split_are_an_overflow_not_a_cut_item(tmp_path):
    # Three items each over half a panel tall, in two panels: the text would fit if the
    # second item were cut between the panels; an item is never cut, so nothing is printed.
    long = " ".join([APPLY, PLAN] * 6)
    folder = block_leaflet(tmp_path / "fx", story(f'      - numbered: ["{long}", "{long}", "{long}"]\n'),
                           panels="inside-left, inside-middle")
    result = run_cli("build", folder, "--out", tmp_path / "out")
    assert result.returncode == 1 and "story 'starting' (en) does not fit its panels" in result.stdout + result.stderr
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_an_item_taller_than_a_panel_is_named(tmp_path):
    long = " ".join([APPLY, PLAN] * 12)
    out = check_output(tmp_path, f'      - numbered: ["{long}"]\n')
    assert "a list item of story 'starting' is taller than panel" in out and "never split between panels" in out


def test_nested_bullets_under_numbers_are_discs_in_the_parents_text_column(tmp_path):
    from pypdf import PdfReader

    from leaflet.proof.paint import paint_pages

    result = built(tmp_path, f"""      - numbered:
          - text: "{WAIT}"
            items: ["{AREA}", "{TUBES}"]
        sub_style: bullet
""", panels="inside-left")
    parent, = lines_starting(panel_lines(result.pdf, "inside-left"), "1. ")
    discs = [p.box for p in paint_pages(PdfReader(result.pdf))[1].paints
             if p.kind == "fill" and p.box[2] - p.box[0] < 5 and p.ink.cmyk() == (0.78, 0.08, 0.32, 0.0)]
    assert len(discs) == 2
    assert all(parent[2].x - 0.01 <= box[0] < parent[2].x + 3 for box in discs), "each disc hangs at the parent's text"


def test_items_carry_the_added_and_approved_marks_of_paragraphs(tmp_path):
    from leaflet.change.snapshot import snapshot
    from leaflet.content.load import load_leaflet
    from leaflet.content.resolve import resolve

    folder = block_leaflet(tmp_path / "fx", story(f"""      - numbered:
          - text: "{WAIT}"
            added: completion
            note: completed from the Chinese text
            items:
              - {{text: "{AREA}", added: translation, approved: MLR-2025-014}}
          - "{TUBES}"
"""))
    edition = resolve(load_leaflet(folder))
    assert [p.where.line for p in edition.unapproved] == [7], "the completion is not yet approved; the rest is"
    roles = {p["role"]: p.get("added") for p in snapshot(edition)["stories"][0]["paragraphs"]}
    assert roles == {"heading": None, "item 1.": "completion", "nested item a)": "translation", "item 2.": None}
