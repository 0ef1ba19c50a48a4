"""QR codes: the modules painted in the PDF are segno's matrix for the URL, in 100 % K,
with a 4-module quiet zone nothing else enters; too small a module, a quiet zone over a
fold and a tampered module are each caught."""
import dataclasses

import pikepdf
import pytest
import segno
from click.testing import CliRunner
from pypdf import PdfReader

import tamper
from leaflet.cli import main
from leaflet.errors import LeafletError
from leaflet.pipeline import build, check, lay_out_content, verify_file
from leaflet.proof.paint import paint_pages
from leaflet.typeset.insets import quiet_zone_problems
from leaflet.typeset.layout import BLACK, Fill, Rect
from story_leaflet import line_of, write_leaflet

URL = "https://example.com/testamol/patient-leaflet"
CODE = f"""
- Scan the code below with your phone's camera to read the full prescribing information.
- qr:
    url: {URL}
    size_mm: 22
    caption: Full prescribing information.
- Keep the cream out of reach of children.
"""
MM = 72 / 25.4


@pytest.fixture(scope="module")
def coded(tmp_path_factory):
    folder = write_leaflet(tmp_path_factory.mktemp("qr") / "coded", {"scan-me": CODE})
    return folder, build(folder, folder.parent / "out").pdf


def black_fills(pdf, page=1):
    paints = paint_pages(PdfReader(pdf))[page].paints
    return [p for p in paints if p.kind == "fill" and p.ink.space == "DeviceCMYK" and p.ink.values == (0, 0, 0, 1)]


def painted_matrix(fills, modules: int) -> list[list[bool]]:
    """The module grid the black rectangles cover, read from their positions alone."""
    x0, y1 = min(f.box[0] for f in fills), max(f.box[3] for f in fills)
    size = (max(f.box[2] for f in fills) - x0) / modules
    grid = [[False] * modules for _ in range(modules)]
    for f in fills:
        row = round((y1 - f.box[3]) / size)
        assert abs((f.box[3] - f.box[1]) - size) < 0.01, "each rectangle is one module high"
        for col in range(round((f.box[0] - x0) / size), round((f.box[2] - x0) / size)):
            assert not grid[row][col], "modules are painted once"
            grid[row][col] = True
    return grid


def test_the_painted_modules_are_segnos_matrix_for_the_url(coded):
    expected = [[bool(v) for v in row] for row in segno.make_qr(URL, error="m").matrix]
    fills = black_fills(coded[1])
    assert painted_matrix(fills, len(expected)) == expected
    width = max(f.box[2] for f in fills) - min(f.box[0] for f in fills)
    assert abs(width - 22 * MM) < 0.01  # size_mm is the symbol's width


def test_the_quiet_zone_of_four_modules_is_clear_in_the_pdf(coded):
    fills = black_fills(coded[1])
    modules = len(segno.make_qr(URL, error="m").matrix)
    x0, y0 = min(f.box[0] for f in fills), min(f.box[1] for f in fills)
    x1, y1 = max(f.box[2] for f in fills), max(f.box[3] for f in fills)
    quiet = 4 * (x1 - x0) / modules
    zone = (x0 - quiet, y0 - quiet, x1 + quiet, y1 + quiet)
    page = paint_pages(PdfReader(coded[1]))[1]

    def meets(box):
        return box[0] < zone[2] and zone[0] < box[2] and box[1] < zone[3] and zone[1] < box[3]

    others = [p for p in page.paints if p not in fills and meets(p.box)]
    letters = [g.char for g in page.glyphs if meets(g.box) and abs(g.angle) < 1 and not g.char.isspace()]
    assert not others and not letters, (others, letters)


def test_too_small_a_module_is_refused_with_the_smallest_size_that_works(tmp_path):
    folder = write_leaflet(tmp_path / "small", {"scan-me": CODE.replace("size_mm: 22", "size_mm: 8")})
    modules = len(segno.make_qr(URL, error="m").matrix)
    problems = [str(d) for d in check(folder)]
    smallest = -(-0.33 * modules * 10 // 1) / 10
    assert any(f"en.yaml:{line_of(folder, 'size_mm')}: the QR code for {URL} is {modules} modules across: at 8 mm "
               f"each module is {8 / modules:.2f} mm, below the 0.33 mm print minimum" in p
               and f"set size_mm to {smallest:g} or more" in p for p in problems), problems


def test_a_quiet_zone_over_the_fold_is_refused(tmp_path):
    # 25 modules at 60 mm: 2.4 mm each, a 9.6 mm quiet zone, wider than the 9 mm from column to fold
    body = "- qr:\n    url: https://ex.com/a\n    size_mm: 60\n"
    assert len(segno.make_qr("https://ex.com/a", error="m").matrix) == 25
    folder = write_leaflet(tmp_path / "big", {"scan-me": body})
    problems = [str(d) for d in check(folder)]
    assert any(f"en.yaml:{line_of(folder, 'url:')}: the quiet zone of the QR code in story 'scan-me' runs over "
               "the edge of panel" in p for p in problems), problems


def test_anything_within_the_quiet_zone_is_named(coded):
    layout = lay_out_content(coded[0])
    page = layout.pages[1]
    code, = page.codes
    assert quiet_zone_problems(layout) == []
    near = Rect(code.symbol.right + 1 * MM, code.symbol.y, 2 * MM, 2 * MM)  # inside the 4-module margin
    page.fills.append(Fill(near, BLACK, name="disc"))
    caption = next(p for p in page.lines if p.line.text.startswith("Full prescribing"))
    page.lines.append(dataclasses.replace(caption, baseline=code.symbol.y - 2))
    problems = [str(p) for p in quiet_zone_problems(layout)]
    assert any("is not clear: a disc lies within it" in p for p in problems), problems
    assert any("is not clear: the text “Full prescribing information.” lies within it" in p for p in problems)


@pytest.mark.parametrize("url", ["example.com/leaflet", "https://example com", "mailto:info@example.com"])
def test_a_url_that_is_not_a_web_address_is_refused(tmp_path, url):
    folder = write_leaflet(tmp_path / "bad", {"scan-me": CODE.replace(URL, url)})
    problems = [str(d) for d in check(folder)]
    assert any(f"en.yaml:{line_of(folder, 'url:')}: the QR code's url" in p and "is not a web address" in p
               for p in problems), problems


def test_a_module_added_to_the_pdf_is_a_finding(coded, tmp_path):
    folder, pdf = coded
    expected = segno.make_qr(URL, error="m").matrix
    fills = black_fills(pdf)
    x0, y1 = min(f.box[0] for f in fills), max(f.box[3] for f in fills)
    size = (max(f.box[2] for f in fills) - x0) / len(expected)
    row, col = next((r, c) for r in range(8, len(expected)) for c in range(8, len(expected))
                    if not expected[r][c] and not expected[r][c - 1] and not expected[r][c + 1])
    module = f"q 0 0 0 1 k {x0 + col * size} {y1 - (row + 1) * size} {size} {size} re f Q".encode()
    findings = [str(f) for f in verify_file(tamper.append(pdf, tmp_path / "t.pdf", 1, module), folder).findings]
    assert any("shape in K100 that the approved layout does not paint" in f for f in findings), findings


def test_a_module_removed_from_the_pdf_is_a_finding(coded, tmp_path):
    folder, pdf = coded
    with pikepdf.open(pdf) as doc:
        ops = tamper.instructions(doc, 1)
        paints = [i for i, (_, op) in enumerate(ops) if str(op) == "re"]
        # the QR's rectangles are the run of 're' after the page's first; drop one of its modules
        del ops[paints[len(paints) // 2]:paints[len(paints) // 2] + 2]
        tamper.store(doc, 1, ops)
        doc.save(tmp_path / "t.pdf")
    findings = [str(f) for f in verify_file(tmp_path / "t.pdf", folder).findings]
    assert any("missing: the approved K100 fill" in f for f in findings), findings


def test_a_final_build_of_a_leaflet_with_a_qr_code_is_allowed(tmp_path):
    folder = write_leaflet(tmp_path / "final", {"scan-me": CODE}, status="approved")
    result = build(folder, tmp_path / "out", final=True)
    assert result.edition.status == "final"
    with pytest.raises(LeafletError, match="is 100 mm wide; panel"):
        build(write_leaflet(tmp_path / "wide", {"scan-me": CODE.replace("size_mm: 22", "size_mm: 100")}),
              tmp_path / "out2")


def test_a_web_address_too_long_for_any_qr_code_is_refused(tmp_path):
    folder = write_leaflet(tmp_path / "long", {"scan-me": CODE.replace(URL, "https://example.com/" + "a" * 3000)})
    problems = [str(d) for d in check(folder)]
    assert any(f"en.yaml:{line_of(folder, 'url:')}: the web address is too long for a QR code (3020 characters)" in p
               for p in problems), problems


def test_leaflet_verify_reports_a_tampered_code(coded, tmp_path):
    folder, pdf = coded
    fills = black_fills(pdf)
    first = min(fills, key=lambda f: (-f.box[3], f.box[0]))  # the finder pattern's top row
    stretched = f"q 0 0 0 1 k {first.box[0]} {first.box[1]} {first.box[2] - first.box[0] + 3} " \
                f"{first.box[3] - first.box[1]} re f Q".encode()
    result = CliRunner().invoke(main, ["verify", str(tamper.append(pdf, tmp_path / "t.pdf", 1, stretched)),
                                       "--content", str(folder)])
    assert result.exit_code == 1
    assert "panel 'inside-left'" in result.output or "panel 'inside-middle'" in result.output
    assert "that the approved layout does not paint" in result.output


def test_diff_shows_a_changed_web_address(tmp_path):
    old = write_leaflet(tmp_path / "old" / "t", {"scan-me": CODE})
    new = write_leaflet(tmp_path / "new" / "t", {"scan-me": CODE.replace("patient-leaflet", "leaflet-2")})
    result = CliRunner().invoke(main, ["diff", str(old), str(new)])
    assert result.exit_code == 0, result.output
    assert (f"~ [-[QR code for {URL}, 22 mm]-]{{+[QR code for https://example.com/testamol/leaflet-2, 22 mm]+}}  "
            f"(text/en.yaml:{line_of(new, 'url:')})") in result.output, result.output
