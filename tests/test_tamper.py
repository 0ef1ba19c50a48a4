"""Attacks on a print PDF, one per class an attacker or a careless hand would
try: each must fail `verify`, naming the page, the panel and what differs;
and rewrites that print the same must pass."""
import re
import shutil
import subprocess

import pikepdf
import pytest
from pypdf import PdfWriter

import tamper
from conftest import EXAMPLE, approved_example, run_cli
from leaflet.pipeline import verify_against

INSIDE, OUTSIDE = "page 2 (inside)", "page 1 (outside)"
WAIT = b"Wait at least 8 hours"


@pytest.fixture(scope="module")
def original(built):
    return built.pdf


@pytest.fixture(scope="module")
def wait_line():
    """Where the layout puts the line “Wait at least 8 hours between applications.”"""
    layout = approved_example("hk").layout
    return next(p for p in layout.pages[1].lines if p.line.text.startswith("Wait at least 8 hours"))


def verify(pdf):
    return [str(f) for f in verify_against(pdf, approved_example("hk")).findings]


def one_naming(findings, *parts):
    hits = [f for f in findings if all(p in f for p in parts)]
    assert hits, f"no finding names {parts}: {findings}"
    return hits[0]


def text_op(font, size, x, y, text, ink="0 0 0 1 k"):
    return f"q {ink} BT /{font.lstrip('/')} {size} Tf 1 0 0 1 {x} {y} Tm ({text}) Tj ET Q".encode()


def regular(pdf_path, page):
    with pikepdf.open(pdf_path) as pdf:
        return str(tamper.font_named(pdf, page, "NotoSans-Regular"))


# --- added text, anywhere ---------------------------------------------------------------

@pytest.mark.parametrize("page,x,y,where", [
    (1, 340, 150, f"{INSIDE}, panel 'inside-middle'"),      # inside a text panel
    (0, 640, 300, f"{OUTSIDE}, panel 'cover'"),           # on the cover
    (0, 60, 22, f"{OUTSIDE}"),                            # in the slug area, below the bleed
])
def test_added_sentence_is_named_where_it_prints(original, tmp_path, page, x, y, where):
    pdf = tamper.append(original, tmp_path / "t.pdf", page, text_op(regular(original, page), 9, x, y,
                                                                     "Take two tablets daily."))
    finding = one_naming(verify(pdf), where, "not in the approved content", "Take two tablets daily.")
    if y < 30:
        assert "slug area" in finding


def test_added_text_off_the_page_is_named(original, tmp_path):
    pdf = tamper.append(original, tmp_path / "t.pdf", 1, text_op(regular(original, 1), 9, -900, 300, "Hidden note"))
    one_naming(verify(pdf), INSIDE, "outside the page", "Hidden note")


def text_form(pdf, x, y):
    """A Form XObject on page 2 that sets an added sentence in the page's own regular font."""
    font = tamper.font_named(pdf, 1, "NotoSans-Regular")
    form = pdf.make_stream(text_op(font, 9, x, y, "Take two tablets daily."))
    form.Type, form.Subtype, form.BBox = pikepdf.Name.XObject, pikepdf.Name.Form, [0, 0, 200, 20]
    form.Resources = pikepdf.Dictionary(Font=pdf.pages[1].Resources.Font)
    return form


def test_added_text_in_a_form_xobject_is_named(original, tmp_path):
    pdf = pikepdf.open(original)
    form = text_form(pdf, 0, 0)
    pdf.pages[1].Resources.XObject = pikepdf.Dictionary(Fm9=form)
    pdf.pages[1].contents_add(pdf.make_stream(b"q 1 0 0 1 340 150 cm /Fm9 Do Q"), prepend=False)
    pdf.save(tmp_path / "t.pdf")
    one_naming(verify(tmp_path / "t.pdf"), INSIDE, "panel 'inside-middle'", "Take two tablets daily.")


def test_added_text_in_a_printable_annotation_is_named(original, tmp_path):
    pdf = pikepdf.open(original)
    look = text_form(pdf, 2, 5)
    note = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.FreeText,
                                                Rect=[340, 70, 540, 90], F=4, AP=pikepdf.Dictionary(N=look),
                                                DA=pikepdf.String("/Helv 9 Tf")))
    pdf.pages[1].Annots = pdf.make_indirect(pikepdf.Array([note]))
    pdf.save(tmp_path / "t.pdf")
    one_naming(verify(tmp_path / "t.pdf"), INSIDE, "panel 'inside-middle'", "Take two tablets daily.")


def test_added_text_in_an_incremental_update_is_named(original, tmp_path):
    from pypdf import PdfReader
    from pypdf.generic import ContentStream, NameObject

    writer = PdfWriter(original, incremental=True)
    page = writer.pages[1]
    content = ContentStream(page.get_contents(), writer)
    extra = ContentStream(None, writer)
    extra.set_data(text_op(regular(original, 1), 9, 340, 150, "Take two tablets daily."))
    content.operations = content.operations + extra.operations
    page[NameObject("/Contents")] = writer._add_object(content)
    with open(tmp_path / "t.pdf", "wb") as out:
        writer.write(out)
    assert (tmp_path / "t.pdf").read_bytes().startswith(original.read_bytes())  # the old revision is intact
    assert len(PdfReader(tmp_path / "t.pdf").pages) == 2
    one_naming(verify(tmp_path / "t.pdf"), INSIDE, "Take two tablets daily.")


@pytest.mark.parametrize("page,old,new,where,found", [
    (1, WAIT, b"Never Wait at least 8 hours", f"{INSIDE}, panel 'inside-middle'",
     "found “… your skin.3 Never Wait at"),
    (0, b"15mg/g", b"1 5mg/g", f"{OUTSIDE}, panel 'cover'", "found “…inib Cream 1 5mg/g…”"),
])
def test_words_inserted_into_an_approved_line_are_named(original, tmp_path, page, old, new, where, found):
    pdf = tamper.replace_text(original, tmp_path / "t.pdf", page, old, new)
    one_naming(verify(pdf), where, "not in the approved content", found)


def test_citation_number_with_an_added_digit_is_named(original, tmp_path):
    pdf = pikepdf.open(original)
    ops = tamper.instructions(pdf, 1)
    start, end = tamper.block(ops, WAIT)
    for k in range(start, end):  # the superscript 3 after “applications.”
        operands, op = ops[k]
        if str(op) in ("Tj", "TJ") and tamper.strings(operands) == b"3":
            ops[k] = pikepdf.ContentStreamInstruction([pikepdf.String(b"34")], pikepdf.Operator("Tj"))
            break
    else:
        raise AssertionError("test setup: no citation on the line")
    tamper.store(pdf, 1, ops)
    pdf.save(tmp_path / "t.pdf")
    one_naming(verify(tmp_path / "t.pdf"), INSIDE, "panel 'inside-middle'", "not in the approved content: “4”",
               "found “…plications.34", "after “Wait at least 8 hours between applications.3”")


# --- approved text hidden ------------------------------------------------------------------

@pytest.mark.parametrize("before,inside,reason", [
    (b"", b"0 0 0 0 k", "colour of what lies under it"),
    (b"", b"3 Tr", "invisible text render mode"),
    (b"q 0 0 5 5 re W n", b"", "clipped away"),
    (b"", b"1 Tz", "scaled to 1%"),
])
def test_hidden_approved_line_is_named(original, tmp_path, before, inside, reason):
    after = b"Q" if before else b""
    pdf = tamper.wrap_line(original, tmp_path / "t.pdf", 1, WAIT, before, after, inside)
    findings = verify(pdf)
    one_naming(findings, INSIDE, "panel 'inside-middle'", reason)
    if reason != "scaled to 1%":
        one_naming(findings, INSIDE, "panel 'inside-middle'", "missing", "Wait at least 8 hours")


def knockout(pdf_path, target, page, drawing: bytes):
    """Append a drawing that knocks out what lies under it (the page's last state overprints black)."""
    pdf = pikepdf.open(pdf_path)
    states = pdf.pages[page].Resources.ExtGState
    states.Knock = pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, op=False, OP=False)
    pdf.pages[page].contents_add(pdf.make_stream(b"q /Knock gs " + drawing + b" Q"), prepend=False)
    pdf.save(target)
    return target


def test_a_white_box_that_overprints_hides_nothing_on_press_but_is_named(original, tmp_path, wait_line):
    """The page's state at its end overprints (black text does): a white box painted then
    changes no plate, so the line still prints; the box is still not part of the approved layout."""
    p = wait_line
    pdf = tamper.append(original, tmp_path / "t.pdf", 1,
                        f"q 0 0 0 0 k {p.x - 1} {p.baseline - 4} {p.line.width + 8} 14 re f Q".encode())
    findings = verify(pdf)
    assert not [f for f in findings if "missing" in f or "hidden text" in f], findings
    one_naming(findings, INSIDE, "panel 'inside-middle'",
               "a shape in no ink (white) that the approved layout does not paint")


def test_approved_line_covered_by_a_rectangle_is_named(original, tmp_path, wait_line):
    p = wait_line
    box = f"0 0 0 0 k {p.x - 1} {p.baseline - 4} {p.line.width + 8} 14 re f".encode()
    pdf = knockout(original, tmp_path / "t.pdf", 1, box)
    findings = verify(pdf)
    one_naming(findings, INSIDE, "panel 'inside-middle'", "covered by a shape painted over it", "Wait at least")
    one_naming(findings, INSIDE, "missing", "Wait at least 8 hours")


def test_approved_line_set_at_4_pt_is_named(original, tmp_path):
    tamper.edit_line_operator(original, tmp_path / "t.pdf", 1, WAIT, "Tf", lambda operands: [operands[0], 4])
    one_naming(verify(tmp_path / "t.pdf"), INSIDE, "panel 'inside-middle'", "is set at 4.0 pt", "10 pt")


@pytest.mark.parametrize("y,where", [(-2000, "outside the page"), (12, "slug area")])
def test_approved_line_moved_away_is_named(original, tmp_path, y, where):
    tamper.edit_line_operator(original, tmp_path / "t.pdf", 1, WAIT, "Tm",
                              lambda operands: [1, 0, 0, 1, operands[4], y])
    findings = verify(tmp_path / "t.pdf")
    one_naming(findings, INSIDE, "panel 'inside-middle'", "missing", "Wait at least 8 hours")
    one_naming(findings, INSIDE, where, "Wait at least 8 hours")


def test_approved_line_in_a_layer_switched_off_with_a_visible_replacement_is_named(original, tmp_path, wait_line):
    pdf = pikepdf.open(original)
    layer = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.OCG, Name=pikepdf.String("approved")))
    pdf.Root.OCProperties = pikepdf.Dictionary(OCGs=[layer], D=pikepdf.Dictionary(OFF=[layer]))
    pdf.pages[1].Resources.Properties = pikepdf.Dictionary(oc1=layer)
    ops = tamper.instructions(pdf, 1)
    start, end = tamper.block(ops, WAIT)
    begin = list(pikepdf.parse_content_stream(pdf.make_stream(b"/OC /oc1 BDC")))
    close = list(pikepdf.parse_content_stream(pdf.make_stream(b"EMC")))
    ops = ops[:start] + begin + ops[start:end + 1] + close + ops[end + 1:]
    tamper.store(pdf, 1, ops)
    font = tamper.font_named(pdf, 1, "NotoSans-Regular")
    pdf.pages[1].contents_add(pdf.make_stream(text_op(font, 10, wait_line.x, wait_line.baseline,
                                                      "Wait at least 6 hours between applications.")))
    pdf.save(tmp_path / "t.pdf")
    findings = verify(tmp_path / "t.pdf")
    one_naming(findings, INSIDE, "panel 'inside-middle'", "switched off", "Wait at least 8 hours")
    one_naming(findings, INSIDE, "panel 'inside-middle'", "6 hours")


# --- the page prints something other than its text layer -------------------------------------

def test_text_map_lie_is_named(original, tmp_path):
    """The page prints another character where the text layer still reads 兩 (as in 兩次 → 一次)."""
    pdf = pikepdf.open(original)
    font = next(f for f in pdf.pages[1].Resources.Font.values()
                if "NotoSansCJKhk-Regular" in str(f.BaseFont) and "<5169>" in f.ToUnicode.read_bytes().decode())
    cmap = font.ToUnicode.read_bytes().decode()
    other = next(chr(int(dst, 16)) for dst in re.findall(r"<[0-9A-F]{2}> <([0-9A-F]{4})>", cmap)
                 if int(dst, 16) >= 0x4E00 and dst != "5169")
    code, two = tamper.code_of(pdf, font, other), tamper.code_of(pdf, font, "兩")
    lie = f"<{code:02X}> <{ord(other):04X}>"
    font.ToUnicode.write(cmap.replace(lie, f"<{code:02X}> <5169>").encode())
    ops = tamper.instructions(pdf, 1)
    for k, (operands, op) in enumerate(ops):
        if str(op) in ("Tj", "TJ") and bytes([two]) in tamper.strings(operands):
            text = tamper.strings(operands).replace(bytes([two]), bytes([code]), 1)
            ops[k] = pikepdf.ContentStreamInstruction([pikepdf.String(text)], pikepdf.Operator("Tj"))
            break
    tamper.store(pdf, 1, ops)
    pdf.save(tmp_path / "t.pdf")
    one_naming(verify(tmp_path / "t.pdf"), INSIDE, "NotoSansCJKhk-Regular draws a different glyph",
               f"“兩” (U+5169) (it prints “{other}”)")


def test_swapped_digit_outlines_are_named(original, tmp_path):
    """The font program draws a 6 where the text layer says 8: the page prints “6 hours”."""
    def swap(tt, cmap):
        glyf = tt["glyf"]
        six, eight = cmap[ord("6")], cmap[ord("8")]
        glyf[six], glyf[eight] = glyf[eight], glyf[six]

    pdf = tamper.edit_font_program(original, tmp_path / "t.pdf", 1, "NotoSans-Regular", swap)
    one_naming(verify(pdf), INSIDE, "NotoSans-Regular draws a different glyph", "“8” (U+0038) (it prints “6”)")


def test_regular_font_program_replaced_by_bold_is_named(original, tmp_path):
    pdf = pikepdf.open(original)
    fonts = pdf.pages[1].Resources.Font
    regular_font = fonts[tamper.font_named(pdf, 1, "NotoSans-Regular")]
    bold = fonts[tamper.font_named(pdf, 1, "NotoSans-Bold")]
    regular_font.FontDescriptor.FontFile2 = bold.FontDescriptor.FontFile2
    pdf.save(tmp_path / "t.pdf")
    finding = one_naming(verify(tmp_path / "t.pdf"), INSIDE, "embedded NotoSans-Regular draws a different glyph")
    assert "more" in finding  # every letter differs: one finding names the first few


# --- a draft passed off as final ------------------------------------------------------------------

def test_draft_passed_off_as_final_is_named(original, tmp_path):
    pdf = pikepdf.open(original)
    for page in (0, 1):
        ops = tamper.instructions(pdf, page)
        kept = []
        for operands, op in ops:
            text = tamper.strings(operands) if str(op) in ("Tj", "TJ") else b""
            if text == b"DRAFT":
                continue
            if b"DRAFT" in text:
                operands = [pikepdf.String(text.replace(b"DRAFT \xe2\x80\x94 not approved for print",
                                                        b"FINAL").replace(b"DRAFT", b"FINAL"))]
                op = pikepdf.Operator("Tj")
            kept.append(pikepdf.ContentStreamInstruction(operands, op))
        tamper.store(pdf, page, kept)
    pdf.save(tmp_path / "t.pdf")
    findings = verify(tmp_path / "t.pdf")
    one_naming(findings, INSIDE, "panel 'inside-middle'", "DRAFT watermark is missing")
    one_naming(findings, OUTSIDE, "panel 'cover'", "DRAFT watermark is missing")
    one_naming(findings, "slug area", "FINAL")
    result = run_cli("verify", original, "--content", EXAMPLE, "--region", "hk")
    assert result.returncode == 0 and "DRAFT" in result.stdout and "not approved for print" in result.stdout
    assert "matches the approved content" not in result.stdout


def test_rich_black_text_is_named(original, tmp_path):
    pdf = tamper.wrap_line(original, tmp_path / "t.pdf", 1, WAIT, b"", b"", b"1 1 1 1 k")
    one_naming(verify(pdf), INSIDE, "panel 'inside-middle'", "prints in C100 M100 Y100 K100", "K100")


# --- what must pass ---------------------------------------------------------------------------

def test_lines_written_in_another_stream_order_pass(original, tmp_path):
    pdf = pikepdf.open(original)
    ops = tamper.instructions(pdf, 1)
    segments, current, depth = [], [], 0
    for instruction in ops:  # each segment ends with a text block (and its q … Q) and holds the state it sets
        current.append(instruction)
        op = str(instruction[1])
        depth += {"q": 1, "Q": -1}.get(op, 0)
        if op in ("ET", "Q") and depth == 0 and any(str(i[1]) == "BT" for i in current):
            segments.append(current)
            current = []
    assert len(segments) > 40, "test setup: the page should have many lines"
    # The shapes and the DRAFT watermarks (drawn rotated, under the text) stay first; the lines go last first.
    under = [s for s in segments if any(str(i[1]) == "cm" for i in s)] or segments[:1]
    lines = [s for s in segments if s not in under]
    reordered = [i for segment in under + lines[::-1] for i in segment] + current
    tamper.store(pdf, 1, reordered)
    pdf.save(tmp_path / "t.pdf")
    assert verify(tmp_path / "t.pdf") == []


@pytest.mark.parametrize("rewrite", [
    {"object_stream_mode": pikepdf.ObjectStreamMode.generate},  # qpdf --object-streams=generate
    {"linearize": True},                                          # qpdf --linearize
    {},                                                           # a plain pikepdf save
], ids=["object-streams", "linearize", "pikepdf-save"])
def test_untampered_rewrites_pass(original, tmp_path, rewrite):
    target = tmp_path / "t.pdf"
    pikepdf.open(original).save(target, **rewrite)  # pikepdf is qpdf's library: the same rewrites as its flags
    assert verify(target) == []


def test_trailing_bytes_after_the_end_of_file_pass(original, tmp_path):
    target = tmp_path / "t.pdf"
    target.write_bytes(original.read_bytes() + b"\n% a mail gateway added this\n" * 20)
    assert verify(target) == []


# --- a printer's proof, re-distilled by another tool ----------------------------------------------

needs_gs = pytest.mark.skipif(not shutil.which("gs"), reason="Ghostscript is installed by .ci/run")


def redistill(source, target):
    subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=pdfwrite", "-dPDFSETTINGS=/prepress",
                    f"-sOutputFile={target}", str(source)], check=True)
    return target


@needs_gs
def test_redistilled_clean_edition_loses_only_its_pdfx_identification(original, tmp_path):
    findings = verify(redistill(original, tmp_path / "gs.pdf"))
    assert findings and all(f.startswith("document:") and "PDF/X" in f for f in findings), findings


@needs_gs
def test_redistilled_edition_with_a_changed_digit_is_named(original, tmp_path):
    changed = tamper.replace_text(original, tmp_path / "t.pdf", 1, WAIT, b"Wait at least 6 hours")
    findings = verify(redistill(changed, tmp_path / "gs.pdf"))
    one_naming(findings, INSIDE, "panel 'inside-middle'", "story 'starting-lumirix' (en)", "8 hours", "6 hours")


def test_verify_writes_diff_pictures_of_what_prints_differently(original, tmp_path):
    changed = tamper.replace_text(original, tmp_path / "t.pdf", 1, WAIT, b"Wait at least 6 hours")
    result = run_cli("verify", changed, "--content", EXAMPLE, "--region", "hk", "--diff-dir", tmp_path / "diff")
    assert result.returncode == 1
    assert "prints differently" in result.stdout and "panel 'inside-middle'" in result.stdout
    assert [p.name for p in (tmp_path / "diff").iterdir()] == ["t-page2-diff.png"]


def test_a_fill_set_to_overprint_is_named(original, tmp_path):
    """The inside band set to overprint (OPM 1): on press whatever lies under it prints through."""
    pdf = pikepdf.open(original)
    pdf.pages[1].Resources.ExtGState.Over = pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, op=True, OP=True, OPM=1)
    ops = tamper.instructions(pdf, 1)
    first_fill = next(k for k, (_, op) in enumerate(ops) if str(op) == "f*")
    gs = list(pikepdf.parse_content_stream(pdf.make_stream(b"/Over gs")))
    tamper.store(pdf, 1, ops[:first_fill] + gs + ops[first_fill:])
    pdf.save(tmp_path / "t.pdf")
    one_naming(verify(tmp_path / "t.pdf"), INSIDE, "set to overprint: on press what lies under it prints through")
