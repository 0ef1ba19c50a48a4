"""Tables: a header row in bold, cells wrapped within their columns, thin black rules,
kept whole on one panel; cells cite and carry added marks like paragraphs; a changed
cell in the PDF is a finding; bad tables are refused naming file and line."""
import re

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

import tamper
from leaflet.cli import main
from leaflet.errors import LeafletError
from leaflet.pipeline import build, check, lay_out_content, verify_file
from leaflet.proof.paint import paint_pages
from leaflet.proof.text import reading
from story_leaflet import line_of, write_leaflet

SCHEDULE = """
- Follow this schedule unless your doctor tells you otherwise.
- table:
    header: [When, How much, Notes]
    rows:
      - [Morning, A thin layer on each **affected** area, Wash your hands after use]
      - [Evening, A thin layer, "At least 8 hours after the morning dose[@pi]"]
      - cells: [Week 12, Review with your doctor, –]
        added: completion
- Keep the cream out of reach of children.
"""
MM = 72 / 25.4
PAD = 1.5 * MM


@pytest.fixture(scope="module")
def schedule(tmp_path_factory):
    folder = write_leaflet(tmp_path_factory.mktemp("table") / "schedule", {"dosing": SCHEDULE})
    return folder, build(folder, folder.parent / "out").pdf


def inside(pdf):
    return paint_pages(PdfReader(pdf))[1]


def table_glyphs(page):
    """The glyphs between the table's top and bottom rules (the strokes in process ink: crop
    and fold marks print in registration colour), and the rules."""
    rules = sorted((p for p in page.paints if p.kind == "stroke" and p.ink.space == "DeviceCMYK"),
                   key=lambda p: -p.box[1])
    top, bottom = rules[0].box[1], rules[-1].box[3]
    return [g for g in page.glyphs if bottom < g.y < top and rules[0].box[0] <= g.x < rules[0].box[2]
            and not g.char.isspace() and abs(g.angle) < 1], rules  # not the DRAFT watermark


def test_cells_print_in_reading_order_each_within_its_column(schedule):
    glyphs, rules = table_glyphs(inside(schedule[1]))
    text = reading(glyphs)
    order = [text.index(cell) for cell in ("When", "How much", "Notes", "Morning", "Evening", "Week 12")]
    assert order == sorted(order), text
    # columns start where their header cells start and end where the next begins (the last at the rules' end)
    header = sorted((g for g in glyphs if g.font.name.endswith("Bold")), key=lambda g: g.x)
    starts = [min(g.x for g in header if g.char == c) for c in "WHN"]
    bounds = list(zip(starts, starts[1:] + [rules[0].box[2]]))
    columns = ["WhenMorningEveningWeek12",
               "HowmuchAthinlayeroneachaffectedareaAthinlayerReviewwithyourdoctor",
               "NotesWashyourhandsafteruseAtleast8hoursafterthemorningdose1–"]
    for i, ((left, right), cells) in enumerate(zip(bounds, columns)):
        mine = [g for g in glyphs if left - 0.1 <= g.x < right]
        assert reading(mine).replace(" ", "") == cells
        assert all(g.x + g.advance <= right - PAD + 0.5 for g in mine), f"column {i + 1} runs into the next"
        text = [g for g in mine if g.size > 8]  # not the raised citation numbers
        lines = {round(g.y, 1): min(h.x for h in text if round(h.y, 1) == round(g.y, 1)) for g in text}
        assert all(abs(x - left) < 0.1 for x in lines.values()), "every line of a cell starts at its column"


def test_header_is_bold_and_cells_are_regular(schedule):
    glyphs, _ = table_glyphs(inside(schedule[1]))
    rows = sorted({round(g.y, 1) for g in glyphs}, reverse=True)
    header = [g for g in glyphs if round(g.y, 1) == rows[0]]
    assert "".join(g.char for g in sorted(header, key=lambda g: g.x)).replace(" ", "") == "WhenHowmuchNotes"
    assert {g.font.name for g in header} == {"NotoSans-Bold"}
    body = [g for g in glyphs if round(g.y, 1) != rows[0] and g.char not in "affected"]
    assert {g.font.name for g in body} == {"NotoSans-Regular"}


def test_rules_are_thin_black_strokes_above_below_and_between_rows(schedule):
    glyphs, rules = table_glyphs(inside(schedule[1]))
    assert len(rules) == 5  # top, under the header, between the three rows, bottom
    for rule in rules:
        assert rule.ink.space == "DeviceCMYK" and rule.ink.values == (0.0, 0.0, 0.0, 1.0)
        assert rule.box[3] - rule.box[1] <= 0.8  # points: thin
    assert len({round(r.box[0]) for r in rules}) == 1 and len({round(r.box[2]) for r in rules}) == 1
    # no rule runs through a letter
    for g in glyphs:
        for rule in rules:
            assert not (g.box[1] < rule.box[3] and rule.box[1] < g.box[3]), f"a rule touches “{g.char}”"


def test_a_cell_cites_and_a_row_is_marked_as_added(schedule, tmp_path):
    folder, pdf = schedule
    layout = lay_out_content(folder)
    cited = next(p for p in layout.pages[1].lines if p.line.text.startswith("morning dose"))
    assert cited.line.pieces[-1].text == "1" and cited.line.pieces[-1].style.rise > 0
    unapproved = layout.edition.unapproved
    assert [p.inlines[0].text for p in unapproved] == ["Week 12", "Review with your doctor", "–"]
    approved = write_leaflet(tmp_path / "approved", {"dosing": SCHEDULE}, status="approved")
    with pytest.raises(LeafletError) as refused:
        build(approved, tmp_path / "out", final=True)
    assert f"en.yaml:{line_of(approved, 'Week 12')}" in str(refused.value)
    assert "completion not yet approved" in str(refused.value)


def test_a_table_is_kept_whole_on_one_panel(tmp_path):
    rows = "".join(f"      - [Week {n}, Apply a thin layer twice daily, Check the skin]\n" for n in range(1, 15))
    body = "- Read this first.\n" * 3 + "- table:\n    header: [Week, Dose, Check]\n    rows:\n" + rows
    filler = "\n".join(f"- Paragraph {n} of the story that comes before the table, long enough to wrap onto more "
                       "than one line of the column." for n in range(12))
    folder = write_leaflet(tmp_path / "long", {"before": filler, "dosing": body}, panels=("inside-left", "inside-middle", "inside-right"))
    layout = lay_out_content(folder)
    panels = {p.panel for page in layout.pages for p in page.lines if p.para.role.startswith("table")}
    assert len(panels) == 1


def test_a_table_taller_than_any_panel_is_refused_naming_its_line(tmp_path):
    rows = "".join(f"      - [Week {n}, Apply a thin layer twice daily to the skin, Check the skin]\n"
                   for n in range(1, 45))
    folder = write_leaflet(tmp_path / "huge", {"dosing": "- table:\n    header: [Week, Dose, Check]\n    rows:\n"
                                               + rows})
    problems = [str(d) for d in check(folder)]
    assert any(f"en.yaml:{line_of(folder, 'table:')}" in p and "the table in story 'dosing' is" in p
               and "kept whole" in p for p in problems), problems


def test_even_widths_share_the_column_equally(tmp_path):
    body = "- table:\n    widths: even\n    header: [A, B, C, D]\n    rows:\n      - [one, two, three, four]\n"
    layout = lay_out_content(write_leaflet(tmp_path / "even", {"grid": body}))
    xs = sorted(p.x for p in layout.pages[1].lines if p.para.role == "table-header")
    gaps = {round(b - a, 2) for a, b in zip(xs, xs[1:])}
    assert len(gaps) == 1


def test_a_row_with_the_wrong_number_of_cells_names_file_and_line(tmp_path):
    body = ("- table:\n    header: [When, How much]\n    rows:\n      - [Morning, A thin layer]\n"
            "      - [Evening, A thin layer, Wash your hands]\n")
    folder = write_leaflet(tmp_path / "short", {"dosing": body})
    problems = [str(d) for d in check(folder)]
    line = line_of(folder, "Wash your hands")
    assert any(f"en.yaml:{line}: row 2 of the table has 3 cell(s); its header has 2 columns" in p
               for p in problems), problems


@pytest.mark.parametrize("header,message", [
    ("[A, B, C, D, E]", "a table has 2 to 4 columns; this header has 5"),
    ("[Only]", "a table has 2 to 4 columns; this header has 1"),
])
def test_a_table_of_more_than_four_columns_or_one_is_refused(tmp_path, header, message):
    body = f"- table:\n    header: {header}\n    rows:\n      - [a, b, c, d, e]\n"
    folder = write_leaflet(tmp_path / "wide", {"dosing": body})
    problems = [str(d) for d in check(folder)]
    assert any(f"en.yaml:{line_of(folder, 'header:')}: {message}" in p for p in problems), problems


def test_a_word_too_wide_for_its_column_is_refused(tmp_path):
    body = ("- table:\n    widths: even\n    header: [A, B, C, D]\n    rows:\n"
            "      - [one, Hydroxypropylmethylcellulose, three, four]\n")
    problems = [str(d) for d in check(write_leaflet(tmp_path / "word", {"dosing": body}))]
    assert any("“Hydroxypropylmethylcellulose” in column 2 needs" in p and "widths: content" in p
               for p in problems), problems


def test_a_changed_cell_in_the_pdf_is_a_finding(schedule, tmp_path):
    folder, pdf = schedule
    tampered = tamper.replace_text(pdf, tmp_path / "t.pdf", 1, b"Evening", b"Evenin9")
    findings = [str(f) for f in verify_file(tampered, folder).findings]
    assert any("altered" in f and "Evening" in f and "story 'dosing'" in f for f in findings), findings


def test_diff_shows_a_changed_cell(tmp_path):
    old = write_leaflet(tmp_path / "old" / "t", {"dosing": SCHEDULE})
    new = write_leaflet(tmp_path / "new" / "t", {"dosing": SCHEDULE.replace("A thin layer,", "Two thin layers,")})
    result = CliRunner().invoke(main, ["diff", str(old), str(new)])
    assert result.exit_code == 0, result.output
    assert f"~ [-A-]{{+Two+}} thin [-layer-]{{+layers+}}  (text/en.yaml:{line_of(new, 'Two thin layers')})" \
        in result.output, result.output


def test_chinese_cells_are_set_in_the_cjk_face_and_verified(tmp_path):
    body = "- table:\n    header: [時間, 用量]\n    rows:\n      - [早上, 在患處塗上薄薄一層]\n      - [晚上, 與早上相隔最少8小時]\n"
    folder = write_leaflet(tmp_path / "zh", {"dosing": body}, language="zh-Hant-HK")
    glyphs, _ = table_glyphs(inside(build(folder, tmp_path / "out").pdf))  # the build verified it
    assert reading(glyphs).replace(" ", "") == "時間用量早上在患處塗上薄薄一層晚上與早上相隔最少8小時"
    assert {g.font.name for g in glyphs if g.char in "間用量"} == {"NotoSansCJKhk-Bold"}
    assert {g.font.name for g in glyphs if g.char == "早"} == {"NotoSansCJKhk-Regular"}


def test_regional_wording_in_a_cell_is_marked_as_such(tmp_path):
    folder = write_leaflet(tmp_path / "regional", {"dosing": SCHEDULE})
    (folder / "regions").mkdir()
    (folder / "regions" / "hk.yaml").write_text(
        "name: Test HK\nlanguages: [en]\njob_code: T-HK-01\nagent: {language: en, lines: [Test Pharma HK]}\n"
        "replace:\n  - {language: en, find: Evening, replace: Night}\n", encoding="utf-8")
    layout = lay_out_content(folder, "hk")
    cells = [p.line.text for p in layout.pages[1].lines if p.para.role == "table-cell"]
    assert "Night" in cells and "Evening" not in cells
    assert ("regional wording", "Night") in [(p.added, p.inlines[0].text) for p in layout.edition.unapproved]


def test_a_table_whose_words_together_are_wider_than_the_panel_is_refused(tmp_path):
    words = ["Hydroxypropylmethylcellulose", "Carboxymethylcellulose", "Polyoxyethylene", "Dimethylpolysiloxane"]
    body = f"- table:\n    header: [{', '.join(words)}]\n    rows:\n      - [a, b, c, d]\n"
    problems = [str(d) for d in check(write_leaflet(tmp_path / "words", {"dosing": body}))]
    assert any("the table in story 'dosing' is too wide for panel" in p and "“Hydroxypropylmethylcellulose”" in p
               for p in problems), problems


def test_a_cell_changed_since_approval_blocks_the_final_build_naming_it(tmp_path):
    folder = write_leaflet(tmp_path / "approved", {"dosing": SCHEDULE.replace("        added: completion\n", "")})
    approve = CliRunner().invoke(main, ["approve", str(folder), "--by", "Dr Mei Chan", "--reference", "MLR-1",
                                        "--date", "2026-11-30"])
    assert approve.exit_code == 0, approve.output
    assert build(folder, tmp_path / "out", final=True).edition.status == "final"
    text = folder / "text" / "en.yaml"
    text.write_text(text.read_text(encoding="utf-8").replace("A thin layer,", "Two thin layers,"), encoding="utf-8")
    with pytest.raises(LeafletError) as refused:
        build(folder, tmp_path / "out", final=True)
    assert "changed since approval MLR-1" in str(refused.value)
    assert "story 'dosing' (en): sentence changed: “[-A-]{+Two+} thin [-layer-]{+layers+}”" in str(refused.value)
    assert f"en.yaml:{line_of(folder, 'Two thin layers')}" in str(refused.value)


def test_a_table_past_the_last_panel_reports_its_own_size(tmp_path):
    rows = "".join(f"      - [Week {n}, Thin layer, Skin]\n" for n in range(1, 11))
    table = "- table:\n    header: [Week, Dose, Check]\n    rows:\n" + rows
    alone = lay_out_content(write_leaflet(tmp_path / "alone", {"dosing": table}))
    ys = [y for rule in alone.pages[1].rules for y in (rule.start[1], rule.end[1])]
    height_mm = (max(ys) - min(ys)) / MM
    filler = "\n".join(f"- Paragraph {n} of the story before the table, long enough to wrap onto a second line."
                       for n in range(12))  # most of one panel: the table is left over whole
    folder = write_leaflet(tmp_path / "overflow", {"before": filler, "dosing": table}, panels=("inside-left",))
    message = next(str(d) for d in check(folder) if "story 'dosing' (en) does not fit its panels" in str(d))
    lines, left_over = map(int, re.search(r"about (\d+) lines \((\d+) mm of column\)", message).groups())
    # the story's heading is kept with its table, so it is left over with it: one line more
    # (the heading's line and the space around it add some 10 to 16 mm to the table's own height)
    assert lines == 1 + 11 and height_mm - 6 < left_over < height_mm + 20, message
