"""Verify judges the new blocks by what prints: a list number changed or deleted in the PDF,
or a callout's tint or rule removed, is a finding naming the page and panel."""
import pikepdf
import pytest

import tamper
from block_leaflet import block_leaflet
from leaflet.content.load import load_leaflet
from leaflet.content.resolve import resolve
from leaflet.pipeline import build, verify_file
from leaflet.typeset.fonts import prepare_fonts
from leaflet.typeset.layout import lay_out

WAIT = "Wait at least 8 hours between applications."
TUBES = "Do not use more than 2 tubes of Lumirix® 100g in a month."
AREA = "The cream should not be used on more than 10% of your body."
BODY = f"""    heading: Starting Lumirix®
    body:
      - list:
          style: "(1)"
          start: 3
          items: ["{WAIT}", "{AREA}"]
      - callout: "{TUBES}"
      - callout: {{style: ruled, body: ["{WAIT}"]}}
"""
INSIDE = "page 2 (inside), panel 'inside-left'"


@pytest.fixture(scope="module")
def leaflet_pdf(tmp_path_factory):
    folder = block_leaflet(tmp_path_factory.mktemp("blocks") / "fx", {"starting": BODY}, panels="inside-left")
    return folder, build(folder, folder.parent / "out").pdf


def findings(pdf, folder) -> list[str]:
    return [str(f) for f in verify_file(pdf, folder).findings]


def one_naming(found, *parts):
    hits = [f for f in found if all(p in f for p in parts)]
    assert hits, f"no finding names {parts}: {found}"


def test_the_untouched_pdf_passes(leaflet_pdf):
    folder, pdf = leaflet_pdf
    assert findings(pdf, folder) == []


def test_a_changed_list_number_is_a_finding(leaflet_pdf, tmp_path):
    folder, pdf = leaflet_pdf
    changed = tamper.replace_text(pdf, tmp_path / "t.pdf", 1, b"(4)", b"(5)")
    one_naming(findings(changed, folder), INSIDE, "altered", "(4)", "(5)")


def test_a_deleted_list_number_is_a_finding(leaflet_pdf, tmp_path):
    folder, pdf = leaflet_pdf
    changed = tamper.replace_text(pdf, tmp_path / "t.pdf", 1, b"(3)", b"")
    one_naming(findings(changed, folder), INSIDE, "missing: “(3)”")


def without_fill(source, target, rect) -> None:
    """The page with the rectangle fill drawn at `rect` taken out of its content."""
    pdf = pikepdf.open(source)
    ops = tamper.instructions(pdf, 1)
    at = next(k for k, (operands, op) in enumerate(ops) if str(op) == "re" and
              all(abs(float(a) - b) < 0.01 for a, b in zip(operands, (rect.x, rect.y, rect.width, rect.height))))
    assert str(ops[at + 1][1]) in ("f", "f*"), "test setup: the rectangle is filled at once"
    tamper.store(pdf, 1, ops[:at] + ops[at + 2:])
    pdf.save(target)


@pytest.mark.parametrize("name", ["callout tint", "callout rule"])
def test_a_removed_callout_tint_or_rule_is_a_finding(leaflet_pdf, tmp_path, name):
    folder, pdf = leaflet_pdf
    edition = resolve(load_leaflet(folder))
    fill = next(f for f in lay_out(edition, prepare_fonts(edition)).pages[1].fills if f.name == name)
    without_fill(pdf, tmp_path / "t.pdf", fill.rect)
    ink = "C10 Y4" if name == "callout tint" else "C78 M8 Y32"
    one_naming(findings(tmp_path / "t.pdf", folder), INSIDE, f"missing: the approved {ink} fill")
