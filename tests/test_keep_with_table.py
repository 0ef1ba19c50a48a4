"""Found by a new user's gate-fold leaflet (tests/fixtures/handwash, written from the README alone):
a heading followed by a table stayed at the foot of a narrow panel while the table moved on, and a
table or a heading that moved on to the wide centre panel kept the narrow panel's line breaks."""
from conftest import REPO
from leaflet.pipeline import lay_out_content

HANDWASH = REPO / "tests" / "fixtures" / "handwash"


def placed(layout, text):
    return [(p, page) for page in layout.pages for p in page.lines if p.line.text == text]


def test_a_heading_moves_on_with_its_table_and_both_are_set_at_the_new_panels_width():
    layout = lay_out_content(HANDWASH, "uk")
    [(heading, page)] = placed(layout, "When to wash your hands")  # one line: set at the wide panel's width
    [(cell, _)] = placed(layout, "After using the toilet")
    assert heading.panel == cell.panel == "inside-middle"
    frame = layout.sheet.panels[heading.panel].frame
    widths = {round(r.end[0] - r.start[0], 1) for r in page.rules if abs(r.start[1] - r.end[1]) < 0.01
              and frame.x - 0.1 <= r.start[0] <= frame.right}
    assert widths == {round(frame.width, 1)}, "the table's rules span the panel it is set in"
    [(what, _)] = placed(layout, "Wash with soap and water")[:1]
    assert what.x > frame.x + frame.width / 3, "columns share the wide panel, not the narrow one"
