"""The visual witness: a PDF is judged on what it prints, against a fresh build
of the approved content. Tampered copies are made by editing the real content
stream, rewrites by the tools printers and agencies use."""
import re
import shutil
import subprocess

import pikepdf
import pytest
from PIL import Image, ImageChops, ImageFilter
from reportlab.lib.units import mm

from attacks.attacks import ATTACKS
from conftest import approved_example
from leaflet.errors import OutputError
from leaflet.proof.visual import DPI, _spread, visual_findings

needs_gs = pytest.mark.skipif(not shutil.which("gs"), reason="Ghostscript is installed by .ci/run")
WAIT = "Wait at least 8 hours between applications."


@pytest.fixture(scope="module")
def layout():
    return approved_example("hk").layout


@pytest.fixture(scope="module")
def reference():
    return approved_example("hk").reference


@pytest.fixture(scope="module")
def clean(built):
    return built.pdf.read_bytes()


def findings(data, layout, reference, diff_dir=None):
    return visual_findings(data, reference, layout, diff_dir)


def edit_page(data, tmp_path, page, change):
    """A copy whose page content stream (bytes) is rewritten by `change`."""
    pdf = pikepdf.open(_write(tmp_path / "in.pdf", data))
    stream = pdf.pages[page].Contents.read_bytes()
    new = change(stream)
    assert new != stream, "the tampering found nothing to change"
    pdf.pages[page].Contents = pdf.make_stream(new)
    pdf.save(tmp_path / "edited.pdf")
    return (tmp_path / "edited.pdf").read_bytes()


def replace(old, new):
    return lambda stream: stream.replace(old, new)


def distil(data, tmp_path, settings="/prepress"):
    """Re-distil with Ghostscript, as a printer's prepress does."""
    source, target = _write(tmp_path / "to-distil.pdf", data), tmp_path / "distilled.pdf"
    subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=pdfwrite", f"-dPDFSETTINGS={settings}",
                    f"-sOutputFile={target}", str(source)], check=True, capture_output=True)
    return target.read_bytes()


def _write(path, data):
    path.write_bytes(data)
    return path


def placed(layout, text):
    return next(p for page in layout.pages for p in page.lines if p.line.text.strip().startswith(text))


def test_clean_edition_prints_as_approved(clean, layout, reference):
    assert findings(clean, layout, reference) == []


@pytest.mark.parametrize("old,new,quoted", [
    (b"least 8 hours", b"least 6 hours", f"near “{WAIT}"),
    (b"eam twice daily", b"eam once daily", "cream twice daily to the”"),
], ids=["digit", "word"])
def test_changed_word_is_one_finding_naming_panel_story_and_line(clean, layout, reference, tmp_path, old, new,
                                                                 quoted):
    found = findings(edit_page(clean, tmp_path, 1, replace(old, new)), layout, reference)
    assert len(found) == 1, found
    finding = found[0]
    assert (finding.page, finding.panel, finding.story, finding.language, finding.witness) == \
        (1, "inside-middle", "starting-lumirix", "en", "visual")
    assert quoted in finding.what and "prints differently from the approved build" in finding.what


def test_changed_7pt_digit_in_the_reference_list_is_found(clean, layout, reference, tmp_path):
    tampered = edit_page(clean, tmp_path, 0, replace(b"2022;387:1445-55.", b"2022;387:1445-56."))
    found = findings(tampered, layout, reference)
    assert [(f.page, f.panel, f.story) for f in found] == [(0, "back", "references")], found
    assert "1445-55" in found[0].what


def test_area_is_placed_in_mm_from_the_panel_corner(clean, layout, reference, tmp_path):
    tampered = edit_page(clean, tmp_path, 1, replace(b"least 8 hours", b"least 6 hours"))
    [finding] = findings(tampered, layout, reference)
    line, panel = placed(layout, WAIT), layout.sheet.panels["inside-middle"].trim
    left = int(re.search(r"(\d+) mm from the left", finding.what)[1])
    top = int(re.search(r"(\d+) mm from the top", finding.what)[1])
    assert (line.x - panel.x) / mm < left < (line.x + line.line.width - panel.x) / mm
    assert abs(top - (panel.top - line.baseline) / mm) <= 3


@needs_gs
@pytest.mark.parametrize("settings", ["/prepress", "/printer"])
def test_redistilled_clean_edition_prints_as_approved(clean, layout, reference, tmp_path, settings):
    assert findings(distil(clean, tmp_path, settings), layout, reference) == []


@needs_gs
def test_redistilled_edition_with_a_changed_digit_fails_naming_where(clean, layout, reference, tmp_path):
    tampered = edit_page(clean, tmp_path, 1, replace(b"least 8 hours", b"least 6 hours"))
    found = findings(distil(tampered, tmp_path), layout, reference)
    assert [(f.page, f.panel, f.story) for f in found] == [(1, "inside-middle", "starting-lumirix")], found
    assert WAIT in found[0].what


@needs_gs
def test_redistilled_edition_with_a_changed_7pt_digit_fails(clean, layout, reference, tmp_path):
    tampered = edit_page(clean, tmp_path, 0, replace(b"2022;387:1445-55.", b"2022;387:1445-56."))
    found = findings(distil(tampered, tmp_path), layout, reference)
    assert [(f.page, f.panel, f.story) for f in found] == [(0, "back", "references")], found


@pytest.mark.parametrize("options", [
    {"linearize": True},
    {"object_stream_mode": pikepdf.ObjectStreamMode.generate},
    {},
], ids=["linearize", "object-streams", "pikepdf-save"])
def test_untampered_rewrite_prints_as_approved(clean, layout, reference, tmp_path, options):
    pdf = pikepdf.open(_write(tmp_path / "in.pdf", clean))
    pdf.save(tmp_path / "out.pdf", **options)
    assert findings((tmp_path / "out.pdf").read_bytes(), layout, reference) == []


def test_lines_in_another_stream_order_print_as_approved(clean, layout, reference, tmp_path):
    def reverse_text(stream):
        units = list(re.finditer(rb"(?m)^[-\d. ]+ k\nBT .* ET$", stream))
        assert len(units) > 50
        pieces, end = [], 0
        for unit, moved in zip(units, reversed(units)):
            pieces += [stream[end:unit.start()], moved[0]]
            end = unit.end()
        return b"".join(pieces) + stream[end:]

    assert findings(edit_page(clean, tmp_path, 1, reverse_text), layout, reference) == []


def test_line_covered_by_a_white_rectangle_is_found(clean, layout, reference, tmp_path):
    line = placed(layout, WAIT)
    cover = f"\nq 0 0 0 0 k {line.x:.2f} {line.baseline - 3:.2f} {line.line.width:.2f} 12 re f Q\n".encode()
    found = findings(edit_page(clean, tmp_path, 1, lambda s: s + cover), layout, reference)
    assert [(f.page, f.panel, f.story) for f in found] == [(1, "inside-middle", "starting-lumirix")], found
    assert WAIT in found[0].what


def test_text_in_paper_white_is_found(clean, layout, reference, tmp_path):
    white = lambda s: re.sub(rb"0 0 0 1 k\n(BT [^\n]*hours between)", rb"0 0 0 0 k\n\1", s)
    found = findings(edit_page(clean, tmp_path, 1, white), layout, reference)
    assert [(f.page, f.panel, f.story) for f in found] == [(1, "inside-middle", "starting-lumirix")], found


def test_removed_draft_watermark_is_found(clean, layout, reference, tmp_path):
    no_draft = lambda s: s.replace(b"(DRAFT) Tj", b"() Tj")
    found = findings(edit_page(clean, tmp_path, 0, no_draft), layout, reference)
    assert {f.panel for f in found} == {"flap", "back", "cover"}, found


def test_diff_png_boxes_the_change_in_red(clean, layout, reference, tmp_path):
    tampered = edit_page(clean, tmp_path, 1, replace(b"least 8 hours", b"least 6 hours"))
    [finding] = findings(tampered, layout, reference, diff_dir=tmp_path / "diff")
    png = tmp_path / "diff" / "verify-page2-diff.png"
    assert sorted(p.name for p in (tmp_path / "diff").iterdir()) == [png.name]
    assert str(png) in finding.what
    image = Image.open(png).convert("RGB")
    trim_width = round(layout.sheet.trim.width / 72 * DPI)
    candidate = image.crop((0, 0, trim_width, image.height))
    red = Image.eval(candidate.getchannel("R"), lambda v: 255 if v > 200 else 0)
    red = Image.composite(red, Image.new("L", red.size), Image.eval(candidate.getchannel("G"),
                                                                     lambda v: 255 if v < 60 else 0))
    box = red.getbbox()
    assert box is not None, "no red box on the candidate's side"
    line, trim, scale = placed(layout, WAIT), layout.sheet.trim, DPI / 72
    x0, x1 = (line.x - trim.x) * scale, (line.x + line.line.width - trim.x) * scale
    middle = (trim.top - line.baseline - 4) * scale  # half way up the digits
    assert x0 <= box[0] and box[2] <= x1, (box, x0, x1)  # on the line, around a word, not the whole line
    assert box[2] - box[0] < 6 * mm * scale
    assert box[1] < middle < box[3]


def test_no_diff_png_for_a_page_that_prints_as_approved(clean, layout, reference, tmp_path):
    assert findings(clean, layout, reference, diff_dir=tmp_path / "diff") == []
    assert not (tmp_path / "diff").exists()


def test_missing_page_is_one_finding(clean, layout, reference, tmp_path):
    pdf = pikepdf.open(_write(tmp_path / "in.pdf", clean))
    del pdf.pages[1]
    pdf.save(tmp_path / "out.pdf")
    found = findings((tmp_path / "out.pdf").read_bytes(), layout, reference)
    assert [str(f) for f in found] == ["page 2 (inside): is missing: the PDF has 1 page(s), the approved build 2"]


def test_page_without_trimbox_is_named_and_compared_at_the_centre(clean, layout, reference, tmp_path):
    pdf = pikepdf.open(_write(tmp_path / "in.pdf", clean))
    for page in pdf.pages:
        del page.obj["/TrimBox"]
    pdf.save(tmp_path / "out.pdf")
    found = findings((tmp_path / "out.pdf").read_bytes(), layout, reference)
    assert [(f.page, f.what.split(":")[0]) for f in found] == [(0, "has no TrimBox"), (1, "has no TrimBox")]


def test_page_of_another_size_is_not_compared_but_named(clean, layout, reference, tmp_path):
    pdf = pikepdf.open(_write(tmp_path / "in.pdf", clean))
    box = pdf.pages[0].obj["/TrimBox"]
    pdf.pages[0].obj["/TrimBox"] = pikepdf.Array([box[0], box[1], float(box[2]) - 20, box[3]])
    pdf.save(tmp_path / "out.pdf")
    found = findings((tmp_path / "out.pdf").read_bytes(), layout, reference)
    assert [str(f) for f in found] == ["page 1 (outside): cannot be compared with the approved build: its trim is "
                                       "289.9 × 210.0 mm, the approved build's 297.0 × 210.0 mm"]


def test_page_turned_upside_down_is_found_in_every_panel(clean, layout, reference, tmp_path):
    pdf = pikepdf.open(_write(tmp_path / "in.pdf", clean))
    pdf.pages[1].obj["/Rotate"] = 180
    pdf.save(tmp_path / "out.pdf")
    found = findings((tmp_path / "out.pdf").read_bytes(), layout, reference)
    assert {f.panel for f in found} == {"inside-left", "inside-middle", "inside-right"}
    assert all(f.page == 1 for f in found) and len(found) <= 3 * 8


@pytest.mark.parametrize("data", [b"", b"a README, not a PDF", b"%PDF-1.4\n" + b"garbage " * 100 + b"\n%%EOF\n"])
def test_unrenderable_candidate_is_one_finding(layout, reference, data):
    [finding] = findings(data, layout, reference)
    assert finding.page is None and finding.witness == "visual"
    assert finding.what == "cannot be rendered (it is damaged or not a PDF), so what it prints cannot be compared"


def test_encrypted_candidate_is_one_clear_finding(clean, layout, reference, tmp_path):
    pdf = pikepdf.open(_write(tmp_path / "in.pdf", clean))
    pdf.save(tmp_path / "out.pdf", encryption=pikepdf.Encryption(owner="owner", user="user"))
    [finding] = findings((tmp_path / "out.pdf").read_bytes(), layout, reference)
    assert "it is encrypted: ask for the PDF without a password" in finding.what


def test_neighbourhood_minimum_and_maximum_match_pillows_rank_filters():
    image = Image.effect_noise((53, 41), 90)
    for pick, rank in ((ImageChops.lighter, ImageFilter.MaxFilter(3)), (ImageChops.darker, ImageFilter.MinFilter(3))):
        assert ImageChops.difference(_spread(image, pick), image.filter(rank)).getbbox() is None


@pytest.mark.parametrize("flags,prints", [(4, True), (0, False)], ids=["printable", "screen-only"])
def test_annotation_is_judged_by_whether_it_prints(clean, layout, reference, tmp_path, flags, prints):
    pdf = pikepdf.open(_write(tmp_path / "in.pdf", clean))
    line = placed(layout, WAIT)
    rect = [line.x, line.baseline - 3, line.x + 30, line.baseline + 9]
    ink = pdf.make_stream(b"0 0 0 1 k 0 0 30 12 re f", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form,
                          BBox=[0, 0, 30, 12])
    annotation = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Square,
                                                      Rect=rect, F=flags, AP=pikepdf.Dictionary(N=ink)))
    pdf.pages[1].obj["/Annots"] = pikepdf.Array([annotation])
    pdf.save(tmp_path / "out.pdf")
    found = findings((tmp_path / "out.pdf").read_bytes(), layout, reference)
    assert [(f.page, f.panel) for f in found] == ([(1, "inside-middle")] if prints else []), found


# --- attacks from the hostile review (tests/attacks/attacks.py) -----------------------------

def attacked(built, name, tmp_path):
    target = tmp_path / f"{name}.pdf"
    ATTACKS[name][1](built.pdf.parent, target)
    return target.read_bytes()


@pytest.mark.parametrize("name, page, panel", [("red_text_on_teal_cover", 0, "cover"),
                                               ("magenta_text_on_inside_band", 1, "inside-middle")])
def test_text_as_light_as_its_background_but_another_hue_is_found(built, layout, reference, tmp_path, name, page,
                                                                  panel):
    found = findings(attacked(built, name, tmp_path), layout, reference)
    assert (page, panel) in {(f.page, f.panel) for f in found}, found
    assert all("prints differently" in f.what for f in found)


def test_a_form_that_draws_itself_is_named_not_rendered(built, layout, reference, tmp_path):
    found = findings(attacked(built, "hang_page_contents_is_self_drawing_form", tmp_path), layout, reference)
    assert [str(f) for f in found] == ["page 2 (inside): Form XObject /Whole in Form XObject /Whole draws itself: "
                                       "not rendered, so what it prints cannot be compared"]


def test_a_form_that_is_the_pages_own_content_is_named_not_rendered(clean, layout, reference, tmp_path):
    pdf = pikepdf.open(_write(tmp_path / "in.pdf", clean))
    page = pdf.pages[1]
    page.Contents.Type, page.Contents.Subtype, page.Contents.BBox = pikepdf.Name.XObject, pikepdf.Name.Form, page.MediaBox
    page.Resources.XObject = pikepdf.Dictionary(Again=page.Contents)
    page.contents_add(pdf.make_stream(b"q /Again Do Q"))
    pdf.save(tmp_path / "out.pdf")
    found = findings((tmp_path / "out.pdf").read_bytes(), layout, reference)
    assert [(f.page, f.what.split(":")[0]) for f in found] == [(1, "Form XObject /Again in the page draws itself")]


def test_a_form_xobject_bomb_is_named_not_rendered(built, layout, reference, tmp_path):
    found = findings(attacked(built, "hang_form_xobject_bomb", tmp_path), layout, reference)
    assert [(f.page, f.what.split(":")[0]) for f in found] == [(1, "it draws Form XObjects more than 10 000 times")]


def test_a_form_sharing_the_pages_resources_is_rendered(built, layout, reference, tmp_path):
    assert findings(attacked(built, "form_sharing_page_resources", tmp_path), layout, reference) == []


def test_pages_beyond_the_approved_ones_are_one_finding(built, layout, reference, tmp_path):
    found = findings(attacked(built, "slow_thousand_pages", tmp_path), layout, reference)
    assert [str(f) for f in found] == ["page 3: and the 997 after it are not in the approved build, which has 2 "
                                       "page(s); not compared"]


def test_a_diff_dir_that_cannot_be_written_names_diff_dir(clean, layout, reference, tmp_path):
    tampered = edit_page(clean, tmp_path, 1, replace(b"least 8 hours", b"least 6 hours"))
    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(OutputError) as raised:
        findings(tampered, layout, reference, diff_dir=tmp_path / "a-file" / "diff")
    assert "--diff-dir" in str(raised.value) and "--out" not in str(raised.value)


def test_an_annotation_appearance_that_draws_itself_is_named_not_rendered(clean, layout, reference, tmp_path):
    pdf = pikepdf.open(_write(tmp_path / "in.pdf", clean))
    ink = pdf.make_stream(b"0 0 0 1 k 0 0 30 12 re f /Me Do", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form,
                          BBox=[0, 0, 30, 12])
    ink.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Me=ink))
    states = pikepdf.Dictionary(On=ink)  # an appearance with states: each is drawn by some viewer
    annotation = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Square, F=4,
                                                      Rect=[100, 100, 130, 112], AP=pikepdf.Dictionary(N=states)))
    pdf.pages[1].obj["/Annots"] = pikepdf.Array([annotation])
    pdf.save(tmp_path / "out.pdf")
    found = findings((tmp_path / "out.pdf").read_bytes(), layout, reference)
    assert [(f.page, f.what.split(":")[0]) for f in found] == [(1, "Form XObject /Me in an annotation draws itself")]
