"""FPO placeholders: a draft prints a crossed box labelled “FPO — <label>” where artwork
is still to come; `check` warns of it; a final build refuses it, naming file and line;
an edition holding one is never final."""
import pikepdf
import pytest
from pypdf import PdfReader

import tamper
from leaflet.errors import LeafletError
from leaflet.pipeline import build, check, verify_file
from leaflet.proof.paint import paint_pages
from leaflet.proof.text import reading
from story_leaflet import line_of, write_leaflet

PHOTO = """
- Apply a thin layer of cream to the affected skin.
- figure:
    fpo: Photo of applying cream
    width_mm: 60
    height_mm: 40
    caption: Applying the cream.
"""
MM = 72 / 25.4


@pytest.fixture(scope="module")
def draft(tmp_path_factory):
    folder = write_leaflet(tmp_path_factory.mktemp("fpo") / "draft", {"applying": PHOTO})
    return folder, build(folder, folder.parent / "out").pdf


def test_a_draft_prints_the_labelled_box_with_its_cross_clear_of_the_label(draft):
    page = paint_pages(PdfReader(draft[1]))[1]
    rules = [p for p in page.paints if p.kind == "stroke" and p.ink.space == "DeviceCMYK"]
    assert len(rules) == 8 and all(r.ink.values == (0, 0, 0, 1) for r in rules)  # 4 sides, the cross in 4
    box = (min(r.box[0] for r in rules), min(r.box[1] for r in rules),
           max(r.box[2] for r in rules), max(r.box[3] for r in rules))
    assert abs((box[2] - box[0]) - 60 * MM) < 1 and abs((box[3] - box[1]) - 40 * MM) < 1
    label = [g for g in page.glyphs if box[0] < g.x < box[2] and box[1] < g.y < box[3] and abs(g.angle) < 1]
    assert reading(label) == "FPO — Photo of applying cream"
    diagonals = [r for r in rules if r.box[2] - r.box[0] > 2 and r.box[3] - r.box[1] > 2]
    assert len(diagonals) == 4
    for g in label:  # the cross stops short of every letter
        for d in diagonals:
            assert not (g.box[0] < d.box[2] and d.box[0] < g.box[2] and g.box[1] < d.box[3] and d.box[1] < g.box[3])


def test_check_warns_of_the_placeholder_naming_its_line(draft):
    folder = draft[0]
    warnings = [str(d) for d in check(folder) if d.severity == "warning"]
    assert any(f"en.yaml:{line_of(folder, 'fpo:')}: the edition prints an FPO placeholder “Photo of applying "
               "cream”" in w for w in warnings), warnings


def test_a_final_build_refuses_it_and_an_approved_leaflet_with_it_stays_a_draft(tmp_path):
    folder = write_leaflet(tmp_path / "approved", {"applying": PHOTO}, status="approved")
    with pytest.raises(LeafletError) as refused:
        build(folder, tmp_path / "out", final=True)
    assert (f"en.yaml:{line_of(folder, 'fpo:')}: the FPO placeholder “Photo of applying cream” stands where "
            "artwork is still to be supplied, so this edition cannot be final") in str(refused.value)
    assert not (tmp_path / "out" / "approved-v1.0.pdf").exists()
    draft = build(folder, tmp_path / "out")
    assert draft.edition.status == "draft"
    assert "DRAFT" in PdfReader(draft.pdf).pages[1].extract_text()


def test_a_label_too_long_for_its_box_is_refused(tmp_path):
    body = PHOTO.replace("height_mm: 40", "height_mm: 10").replace(
        "Photo of applying cream", "Photo of a patient applying a thin layer of cream to the back of the hand")
    problems = [str(d) for d in check(write_leaflet(tmp_path / "tight", {"applying": body}))]
    assert any("is too small for its label" in p and "set height_mm to" in p for p in problems), problems


def test_a_removed_rule_of_the_box_is_a_finding(draft, tmp_path):
    folder, pdf = draft
    with pikepdf.open(pdf) as doc:
        ops = tamper.instructions(doc, 1)
        strokes = [i for i, (_, op) in enumerate(ops) if str(op) == "S"]  # the box's first; marks come last
        ops[strokes[0]] = pikepdf.ContentStreamInstruction([], pikepdf.Operator("n"))  # the path, not painted
        tamper.store(doc, 1, ops)
        doc.save(tmp_path / "t.pdf")
    findings = [str(f) for f in verify_file(tmp_path / "t.pdf", folder).findings]
    assert any("missing: the approved K100 rule" in f for f in findings), findings
