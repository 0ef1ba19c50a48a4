"""Attacks on `leaflet verify`: each function writes one tampered (or
innocently rewritten) copy of a built edition and says what verify must say.

    python -m tests.attacks.run [--out /tmp/breaker-out] [NAME ...]

Each attack is `fn(built: Path, target: Path) -> None`, `built` being the
folder `leaflet build` wrote. `MUST` says what a correct verify does:
"fail" (the PDF prints something other than the approved edition, or carries
what a print file must not) or "pass" (it prints identically).
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pikepdf

from .common import (EIGHT_X, INSIDE_BAND, WAIT_LINE, add_content, edit_content, line_block, open_pdf,
                     optional_group, resource, type4, vector_text, white_box)

HK = "lumirix-hk-v1.0.pdf"
ATTACKS: dict[str, tuple[str, object, str]] = {}  # name -> (must, function, region)
ENVIRONMENT: dict[str, dict[str, str]] = {}  # name -> environment verify runs in, when not the caller's
POISONED_CACHE = Path("/tmp/breaker-poisoned-cache")


def attack(must: str, region: str = "hk", env: dict[str, str] | None = None):
    def register(fn):
        ATTACKS[fn.__name__] = (must, fn, region)
        if env:
            ENVIRONMENT[fn.__name__] = env
        return fn
    return register


def _hk(built: Path) -> pikepdf.Pdf:
    return open_pdf(built / HK)


# --- print differs from screen: ink PDFium does not show -------------------------------

@attack("fail")
def separation_black_white_alternate(built: Path, target: Path) -> None:
    """Vector-path text in a spot colour named /Black whose alternate (what a viewer
    shows) is paper white. A RIP prints a process-colour separation on its plate:
    the press prints 'Apply three times daily.'; PDFium paints white on white."""
    pdf = _hk(built)
    space = pikepdf.Array([pikepdf.Name.Separation, pikepdf.Name.Black, pikepdf.Name.DeviceCMYK,
                           type4(pdf, b"{pop 0 0 0 0}")])
    resource(pdf, 1, "/ColorSpace", "/CSblk", space)
    add_content(pdf, 1, b"q /CSblk cs 1 scn " + vector_text("Apply three times daily.", 357.2, 250, 10) + b" Q")
    pdf.save(target)


@attack("fail")
def devicen_cyan_white_alternate(built: Path, target: Path) -> None:
    """The same with DeviceN [/Cyan]: prints on the cyan plate, shows as white."""
    pdf = _hk(built)
    space = pikepdf.Array([pikepdf.Name.DeviceN, pikepdf.Array([pikepdf.Name.Cyan]), pikepdf.Name.DeviceCMYK,
                           type4(pdf, b"{pop 0 0 0 0}")])
    resource(pdf, 1, "/ColorSpace", "/CSdn", space)
    add_content(pdf, 1, b"q /CSdn cs 1 scn " + vector_text("Double the dose if no effect.", 357.2, 235, 10) + b" Q")
    pdf.save(target)


def _knockout_state(pdf: pikepdf.Pdf, page: int) -> None:
    """Overprint off: the build leaves it on after its black text, and a white shape
    that overprints prints nothing."""
    resource(pdf, page, "/ExtGState", "/GSko", pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, OP=False,
                                                                  op=False, OPM=0))


def _overprint_state(pdf: pikepdf.Pdf, page: int) -> None:
    resource(pdf, page, "/ExtGState", "/GSop", pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, OP=True,
                                                                  op=True, OPM=1))


@attack("fail")
def black_text_under_overprinted_band(built: Path, target: Path) -> None:
    """Vector-path black text painted first, under the teal band, and the band set to
    overprint (OPM 1: its zero K leaves the black plate alone). On press the black
    text prints through the band; PDFium does not simulate overprint."""
    pdf = _hk(built)
    _overprint_state(pdf, 1)
    x, y, w, h = INSIDE_BAND
    band = f"n {x:.5f} {y:.4f} {w:.4f} {h:.4f} re f*".encode()
    band = b"n 28.34646 609.4488 858.8976 31.1811 re f*"
    edit_content(pdf, 1, lambda text: text.replace(band.decode(), f"q /GSop gs {band.decode()} Q", 1))
    add_content(pdf, 1, b"q 0 0 0 1 k " + vector_text("NOT FOR USE IN CHILDREN UNDER 12", 357.2, 615, 11) + b" Q",
                prepend=True)
    pdf.save(target)


@attack("fail")
def black_text_under_overprinted_cover(built: Path, target: Path) -> None:
    """The same under the teal cover panel of page 1, in its empty lower half."""
    pdf = _hk(built)
    _overprint_state(pdf, 0)
    def overprint_cover(text: str) -> str:  # the cover's colour: the one fill as tall as the sheet on the right
        band = next(m.group(0) for m in re.finditer(r"n ([\d.]+) [\d.]+ ([\d.]+) ([\d.]+) re f\*", text)
                    if float(m.group(1)) > 500 and float(m.group(3)) > 600)
        return text.replace(band, f"q /GSop gs {band} Q", 1)

    edit_content(pdf, 0, overprint_cover)
    add_content(pdf, 0, b"q 0 0 0 1 k " + vector_text("Apply 3 times daily", 625, 70, 14) + b" Q", prepend=True)
    pdf.save(target)


# --- optional content: what a PDF/X RIP prints (the default configuration) ------------------

def _in_group(pdf: pikepdf.Pdf, page: int, group, content: bytes) -> None:
    resource(pdf, page, "/Properties", "/OCx", group)
    add_content(pdf, page, b"/OC /OCx BDC " + content + b" EMC")


def _eight_to_six(pdf: pikepdf.Pdf) -> bytes:
    """A white box over the 8 of 'Wait at least 8 hours' and a vector 6 in its place."""
    page, _, y, size = WAIT_LINE
    x8 = EIGHT_X
    _knockout_state(pdf, page)
    return b"q /GSko gs " + white_box(x8 - 0.3, y - 2.0, 6.3, 10.0) + b" 0 0 0 1 k " + vector_text("6", x8, y, size) + b" Q"


@attack("fail")
def ocg_usage_print_off_without_as(built: Path, target: Path) -> None:
    """'8 hours' made '6 hours' inside a layer that is ON in the default configuration
    (what a PDF/X RIP uses; PDF/X-4 forbids /AS, and without /AS the /Usage
    dictionary changes nothing) but whose /Usage says PrintState OFF, which
    PDFium (printing) and verify's interpreter both take as hidden."""
    pdf = _hk(built)
    group = optional_group(pdf, "print-usage", usage={"/Print": pikepdf.Dictionary(PrintState=pikepdf.Name.OFF)})
    _in_group(pdf, 1, group, _eight_to_six(pdf))
    pdf.save(target)


@attack("fail")
def ocg_usage_view_off_split_cover(built: Path, target: Path) -> None:
    """The same with /Usage /View /ViewState OFF (PDFium printing falls back to the
    view usage) and the white cover in two halves, so no single shape covers the 8."""
    pdf = _hk(built)
    group = optional_group(pdf, "view-usage", usage={"/View": pikepdf.Dictionary(ViewState=pikepdf.Name.OFF)})
    page, _, y, size = WAIT_LINE
    x8 = EIGHT_X
    _knockout_state(pdf, page)
    content = (b"q /GSko gs " + white_box(x8 - 0.3, y - 2.0, 3.2, 10.0) + b" " + white_box(x8 + 2.9, y - 2.0, 3.1, 10.0)
               + b" 0 0 0 1 k " + vector_text("6", x8, y, size) + b" Q")
    _in_group(pdf, 1, group, content)
    pdf.save(target)


# --- outside the trim: the slug (verify's pictures stop at the trim) ----------------------

@attack("fail")
def slug_draft_to_final_by_strips(built: Path, target: Path, source: Path | None = None) -> None:
    """'DRAFT — not approved for print' in the slug painted out by white strips 0.8 pt
    wide (no single shape covers a whole glyph), and 'FINAL — approved for print'
    drawn as vector paths in its place, on both pages."""
    pdf = pikepdf.open(source, allow_overwriting_input=True) if source else _hk(built)
    for page in (0, 1):
        _knockout_state(pdf, page)
        strips = b" ".join(white_box(181.5 + 0.8 * i, 9.0, 0.85, 8.0) for i in range(128))
        add_content(pdf, page, b"q /GSko gs " + strips + b" 0 0 0 1 k " +
                    vector_text("FINAL \u2014 approved for print", 182.0, 11.3, 6.5) + b" Q")
    pdf.save(target)


# --- below the visual witness's threshold -------------------------------------------------

@attack("fail")
def watermark_faded_by_tint_strips(built: Path, target: Path) -> None:
    """The DRAFT watermarks of the white panels (all but the cover) drowned in a
    6 % black tint laid over them in 2 pt strips (no single strip covers a glyph):
    on paper the watermark no longer stands out from the tint, and the tint is
    within the visual witness's 24 grey levels of both paper and watermark."""
    pdf = _hk(built)
    centres = {0: (174.3307, 453.5433), 1: (178.5827, 457.7953, 737.0079)}
    for page, xs in centres.items():
        def tint(text: str, xs: tuple[float, ...] = xs) -> str:  # this page's watermark centres
            end = "(DRAFT) Tj T* ET\nQ\n"
            at = text.rfind(end) + len(end)
            strips = " ".join(f"{cx - 90:.2f} {y:.2f} 190 2.02 re f" for cx in xs for y in range(205, 460, 2))
            return text[:at] + f"q /GSko gs 0 0 0 .06 k {strips} Q\n" + text[at:]
        _knockout_state(pdf, page)
        edit_content(pdf, page, tint)
    pdf.save(target)


@attack("fail")
def pale_yellow_vector_text(built: Path, target: Path) -> None:
    """Vector-path text in 80 % yellow on white: readable on paper, within the visual
    witness's tolerance in grey."""
    pdf = _hk(built)
    add_content(pdf, 1, b"q 0 0 .8 0 k " + vector_text("Apply three times daily.", 357.2, 250, 10) + b" Q")
    pdf.save(target)


@attack("fail")
def extra_glyphs_mapped_to_space(built: Path, target: Path) -> None:
    """Text in the page's own font whose codes the ToUnicode map calls spaces:
    neither the text nor the glyph witness looks at a 'space'."""
    pdf = _hk(built)
    font = pdf.pages[1].Resources.Font["/F4+0"]
    cmap = font.ToUnicode.read_bytes().decode("latin-1")
    import re
    codes = {dst.upper(): int(src, 16) for src, dst in re.findall(r"<([0-9A-Fa-f]{2})>\s*<([0-9A-Fa-f]{4})>", cmap)}
    word = "once"
    raw = bytes(codes[c.encode("utf-16-be").hex().upper()] for c in word)
    # a copy of the font whose map says every code is a space
    copy = pdf.copy_foreign(font) if False else pikepdf.Dictionary(font)
    copy = pdf.make_indirect(pikepdf.Dictionary({k: font[k] for k in font.keys()}))
    mapping = "".join(f"<{c:02X}> <0020>\n" for c in range(1, 256))
    copy.ToUnicode = pdf.make_stream((
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /x def\n"
        "1 begincodespacerange <00> <FF> endcodespacerange\n"
        f"255 beginbfchar\n{mapping}endbfchar endcmap CMapName currentdict /CMap defineresource pop end end").encode())
    resource(pdf, 1, "/Font", "/Fsp", copy)
    add_content(pdf, 1, b"BT /Fsp 10 Tf 1 0 0 1 357.2 250 Tm (" + raw + b") Tj ET")
    pdf.save(target)


@attack("fail")
def draft_passed_as_final(built: Path, target: Path) -> None:
    """Both at once: the slug says FINAL and the white panels' watermarks are faded."""
    watermark_faded_by_tint_strips(built, target)
    slug_draft_to_final_by_strips(target.parent, target, source=target)


# --- denial of service: crashes, hangs, slowness ----------------------------------------------

def _type0(pdf: pikepdf.Pdf, descendant_extra: dict, to_unicode: bytes | None = None) -> pikepdf.Object:
    """A Type 0 font reusing the page's embedded NotoSans-Regular program."""
    regular = pdf.pages[1].Resources.Font["/F4+0"]
    descendant = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType2,
                                    BaseFont=pikepdf.Name("/AAAAAC+NotoSans-Regular"),
                                    CIDSystemInfo=pikepdf.Dictionary(Registry=pikepdf.String("Adobe"),
                                                                     Ordering=pikepdf.String("Identity"),
                                                                     Supplement=0),
                                    FontDescriptor=regular.FontDescriptor, CIDToGIDMap=pikepdf.Name.Identity)
    for key, value in descendant_extra.items():
        descendant[key] = value
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0,
                              BaseFont=pikepdf.Name("/AAAAAC+NotoSans-Regular"), Encoding=pikepdf.Name("/Identity-H"),
                              DescendantFonts=[pdf.make_indirect(descendant)])
    if to_unicode is not None:
        font.ToUnicode = pdf.make_stream(to_unicode)
    return pdf.make_indirect(font)


def _use_font(pdf: pikepdf.Pdf, font, text: bytes = b"<00410042>") -> None:
    resource(pdf, 1, "/Font", "/Fx", font)
    add_content(pdf, 1, b"BT /Fx 10 Tf 1 0 0 1 357.2 250 Tm " + text + b" Tj ET")


@attack("fail")
def hang_cid_widths_range(built: Path, target: Path) -> None:
    """/W [0 400000000 500]: one range entry that verify expands code by code."""
    pdf = _hk(built)
    _use_font(pdf, _type0(pdf, {"/W": pikepdf.Array([0, 400000000, 500])}))
    pdf.save(target)


@attack("fail")
def hang_tounicode_ranges(built: Path, target: Path) -> None:
    """A ToUnicode map of 3000 full two-byte ranges: 196 million entries to expand."""
    pdf = _hk(built)
    ranges = b"\n".join(b"<0000> <FFFF> <0041>" for _ in range(3000))
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n1 begincodespacerange <0000> <FFFF> "
            b"endcodespacerange\n3000 beginbfrange\n" + ranges + b"\nendbfrange endcmap end end")
    _use_font(pdf, _type0(pdf, {}, cmap))
    pdf.save(target)


@attack("fail")
def hang_form_xobject_bomb(built: Path, target: Path) -> None:
    """Form XObjects ten deep, each drawing the next ten times: 10^10 draws of one glyph."""
    pdf = _hk(built)
    font = pdf.pages[1].Resources.Font["/F4+0"]
    inner = pdf.make_stream(b"BT /F 10 Tf 1 0 0 1 0 0 Tm (\x01) Tj ET", Type=pikepdf.Name.XObject,
                            Subtype=pikepdf.Name.Form, BBox=[0, 0, 1, 1],
                            Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F=font)))
    for _ in range(10):
        inner = pdf.make_stream(b"/X Do " * 10, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form,
                                BBox=[0, 0, 1, 1], Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(X=inner)))
    resource(pdf, 1, "/XObject", "/Bomb", inner)
    add_content(pdf, 1, b"q 1 0 0 1 -100 -100 cm /Bomb Do Q")  # off the page: prints nothing
    pdf.save(target)


@attack("fail")
def crash_tf_without_size(built: Path, target: Path) -> None:
    """'/F4+0 Tf' with its size operand missing (a reader ignores the operator)."""
    pdf = _hk(built)
    add_content(pdf, 1, b"BT /F4+0 Tf ET")
    pdf.save(target)


@attack("pass")
def crash_operators_without_operands(built: Path, target: Path) -> None:
    """Operators short of operands, which readers skip: 'w', 'Td', 'Tc', 'gs', 'Do'."""
    pdf = _hk(built)
    add_content(pdf, 1, b"q w Tc Tw Tz TL Ts Tr Q BT Td T* ET q gs Do Q")
    pdf.save(target)


@attack("fail")
def crash_huge_numbers(built: Path, target: Path) -> None:
    """A 400-digit line width (PDF numbers have no exponent; this one exceeds a float)
    on a path that is never painted."""
    pdf = _hk(built)
    add_content(pdf, 1, b"q 1" + b"0" * 400 + b" w 0 0 m n Q")
    pdf.save(target)


@attack("fail")
def slow_glyph_identification(built: Path, target: Path) -> None:
    """255 codes of the embedded CJK Bold program, renamed Regular, with no ToUnicode:
    each unlabelled glyph is compared as a raster with every character of the face."""
    pdf = _hk(built)
    bold = pdf.pages[1].Resources.Font["/F2+0"]
    copy = pdf.make_indirect(pikepdf.Dictionary({k: bold[k] for k in bold.keys() if k != "/ToUnicode"}))
    copy.BaseFont = pikepdf.Name("/AAAAAD+NotoSansCJKhk-Regular")
    resource(pdf, 1, "/Font", "/Fcjk", copy)
    add_content(pdf, 1, b"BT /Fcjk 1 Tf 1 0 0 1 357.2 250 Tm (" + bytes(range(1, 256)).replace(b"(", b"\\(")
                .replace(b")", b"\\)").replace(b"\\", b"\\\\").replace(b"\\\\(", b"\\(").replace(b"\\\\)", b"\\)")
                + b") Tj ET")
    pdf.save(target)


@attack("fail")
def slow_long_added_text(built: Path, target: Path) -> None:
    """40 000 extra glyphs in one panel: the text witness aligns the panel's text with
    the approved text character by character."""
    pdf = _hk(built)
    lines = b" ".join(b"1 0 0 1 357.2 %.1f Tm (%s) Tj" % (250 - i * 0.5, b"\x01\x02\x03\x04" * 100)
                      for i in range(100))
    add_content(pdf, 1, b"BT /F4+0 1 Tf " + lines + b" ET")
    pdf.save(target)


# --- innocent rewrites that print identically: must pass ----------------------------------------

def _tool(command: list[str]) -> None:
    subprocess.run(command, check=True, capture_output=True)


@attack("pass")
def rewrite_qpdf_qdf(built: Path, target: Path) -> None:
    _tool(["qpdf", "--qdf", "--object-streams=disable", str(built / HK), str(target)])


@attack("fail")
def rewrite_pdftocairo(built: Path, target: Path) -> None:
    """poppler's cairo backend re-writes every page: colour to RGB, boxes and PDF/X
    identity dropped. Refusing it is right; the findings must be only those losses."""
    _tool(["pdftocairo", "-pdf", str(built / HK), str(target)])


@attack("fail")
def rewrite_ghostscript_printer(built: Path, target: Path) -> None:
    """Re-distilled: the content prints the same; only the PDF/X identity is lost,
    and that must be all verify names."""
    _tool(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite", "-dPDFSETTINGS=/printer",
           f"-sOutputFile={target}", str(built / HK)])


@attack("fail")
def rewrite_ghostscript_prepress_cmyk(built: Path, target: Path) -> None:
    """As above, /prepress, colour left unchanged."""
    _tool(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite", "-dPDFSETTINGS=/prepress",
           "-sColorConversionStrategy=LeaveColorUnchanged", f"-sOutputFile={target}", str(built / HK)])


@attack("pass")
def rewrite_pikepdf_object_streams(built: Path, target: Path) -> None:
    pdf = _hk(built)
    pdf.save(target, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True,
             recompress_flate=True)


for _region in ("mo", "sg", "tw"):
    def _edition(built: Path, target: Path, region=_region) -> None:
        shutil.copyfile(built / f"lumirix-{region}-v1.0.pdf", target)
    _edition.__name__ = f"edition_{_region}_as_built"
    ATTACKS[_edition.__name__] = ("pass", _edition, _region)


@attack("pass")
def white_multiply_box_over_text(built: Path, target: Path) -> None:
    """A white box over a line in blend mode Multiply: white multiplies to no change."""
    pdf = _hk(built)
    resource(pdf, 1, "/ExtGState", "/GSmul", pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, BM=pikepdf.Name.Multiply))
    add_content(pdf, 1, b"q /GSmul gs " + white_box(355, 520, 230, 14) + b" Q")
    pdf.save(target)


@attack("pass")
def text_painted_twice_in_place(built: Path, target: Path) -> None:
    """The 'Wait at least 8 hours' line painted a second time exactly on top of itself."""
    pdf = _hk(built)
    edit_content(pdf, 1, lambda text: text.replace(line_block(text, "ait at least 8 hours"),
                                                   line_block(text, "ait at least 8 hours") * 2, 1))
    pdf.save(target)


def _page_as_form(pdf: pikepdf.Pdf, page: int, resources) -> pikepdf.Object:
    source = pdf.pages[page]
    return pdf.make_stream(source.Contents.read_bytes(), Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form,
                           BBox=source.MediaBox, Resources=resources)


@attack("pass")
def page_drawn_twice_via_form(built: Path, target: Path) -> None:
    """The whole of page 2 made into a Form XObject that the page draws twice in place."""
    pdf = _hk(built)
    page = pdf.pages[1]
    form = _page_as_form(pdf, 1, pikepdf.Dictionary({k: v for k, v in page.Resources.items()}))
    page.Resources.XObject = pikepdf.Dictionary(Whole=form)
    page.Contents = pdf.make_stream(b"q /Whole Do Q q /Whole Do Q")
    pdf.save(target)


@attack("pass")
def form_sharing_page_resources(built: Path, target: Path) -> None:
    """Page 2 drawn once through a Form XObject whose /Resources is the page's own
    resource dictionary, which names the form: a cycle of dictionaries that PDF
    writers make all the time (the form never draws itself)."""
    pdf = _hk(built)
    page = pdf.pages[1]
    form = _page_as_form(pdf, 1, page.Resources)
    resource(pdf, 1, "/XObject", "/Whole", form)
    page.Contents = pdf.make_stream(b"q /Whole Do Q")
    pdf.save(target)


@attack("fail")
def hang_page_contents_is_self_drawing_form(built: Path, target: Path) -> None:
    """What pikepdf's as_form_xobject() then a Contents edit produced by accident: the
    page's content stream is itself a Form XObject named in the page's resources,
    drawing a name its own resources do not define. PDFium never returns."""
    pdf = _hk(built)
    page = pdf.pages[1]
    form = page.as_form_xobject()
    form.Resources = pikepdf.Dictionary({k: v for k, v in page.Resources.items()})
    page.Resources.XObject = pikepdf.Dictionary(Whole=form)
    page.Contents = pdf.make_stream(b"q /Whole Do Q q /Whole Do Q")
    pdf.save(target)


@attack("pass")
def white_overprint_box_over_text(built: Path, target: Path) -> None:
    """A white box set to overprint (OPM 1) over a line: on press it prints nothing
    (zero components do not knock out). PDFium shows it as a white box."""
    pdf = _hk(built)
    _overprint_state(pdf, 1)
    add_content(pdf, 1, b"q /GSop gs " + white_box(355, 520, 230, 14) + b" Q")
    pdf.save(target)


# --- structure and print state ----------------------------------------------------------------

@attack("fail")
def concatenated_second_pdf_tampered(built: Path, target: Path) -> None:
    """The approved PDF followed by a whole second PDF (the one with '6 hours'),
    %PDF header and all. Readers differ on which one they show."""
    target.write_bytes((built / HK).read_bytes() + _visible_change(built, target))


def _visible_change(built: Path, target: Path) -> bytes:
    """A copy of the edition that prints '6 hours' where the approved says '8 hours', plainly."""
    pdf = _hk(built)
    _knockout_state(pdf, 1)
    _, _, y, size = WAIT_LINE
    add_content(pdf, 1, b"q /GSko gs " + white_box(EIGHT_X - 0.3, y - 2.0, 6.3, 10.0) + b" 0 0 0 1 k "
                + vector_text("6", EIGHT_X, y, size) + b" Q")
    scratch = target.with_name("_visible.pdf")
    pdf.save(scratch)
    return scratch.read_bytes()


@attack("pass")
def concatenated_tampered_then_approved(built: Path, target: Path) -> None:
    """The tampered PDF first, then the approved one. PDFium, pypdf, poppler and
    Ghostscript all read the last one (the approved): the tampered one is dead bytes."""
    target.write_bytes(_visible_change(built, target) + (built / HK).read_bytes())


@attack("fail")
def incremental_update_deletes_page(built: Path, target: Path) -> None:
    shutil.copyfile(built / HK, target)
    pdf = pikepdf.open(target, allow_overwriting_input=True)
    del pdf.pages[1]
    pdf.save(target)  # pikepdf cannot append; qpdf rewrites: the deletion is what matters here


@attack("fail")
def rotate_on_pages_root(built: Path, target: Path) -> None:
    """/Rotate 180 on the page tree's root only, inherited by both pages."""
    pdf = _hk(built)
    for page in pdf.pages:
        if "/Rotate" in page.obj:
            del page.obj["/Rotate"]
    pdf.Root.Pages.Rotate = 180
    pdf.save(target)


@attack("fail")
def cropbox_inside_trim(built: Path, target: Path) -> None:
    """A CropBox that leaves out the lower third of the page: viewers and printers show only the crop."""
    pdf = _hk(built)
    for page in pdf.pages:
        page.CropBox = [0, 250, 915.5906, 668.9764]
    pdf.save(target)


@attack("fail")
def halftone_transfer_function_erases_black(built: Path, target: Path) -> None:
    """A halftone whose transfer function maps every black tint to none, set before
    the text: a RIP that screens with the file's halftone prints no black text.
    PDF/X forbids TransferFunction in halftones; verify checks only /TR and /TR2."""
    pdf = _hk(built)
    nothing = type4(pdf, b"{pop 0}", outputs=1)
    screen = pikepdf.Dictionary(Type=pikepdf.Name.Halftone, HalftoneType=1, Frequency=150, Angle=45,
                                SpotFunction=pikepdf.Name.Round, TransferFunction=nothing)
    halftone = pikepdf.Dictionary(Type=pikepdf.Name.Halftone, HalftoneType=5, Default=screen, Black=screen)
    resource(pdf, 1, "/ExtGState", "/GSht", pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, HT=halftone))
    add_content(pdf, 1, b"/GSht gs", prepend=True)
    pdf.save(target)


@attack("fail")
def embedded_file_via_associated_files(built: Path, target: Path) -> None:
    """An embedded file attached through the catalog's /AF (associated files, PDF 2.0),
    not the /EmbeddedFiles name tree."""
    pdf = _hk(built)
    stream = pdf.make_stream(b"#!/bin/sh\necho payload\n", Type=pikepdf.Name.EmbeddedFile)
    spec = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Filespec, F=pikepdf.String("run.sh"),
                                                UF=pikepdf.String("run.sh"),
                                                EF=pikepdf.Dictionary(F=stream),
                                                AFRelationship=pikepdf.Name.Unspecified))
    pdf.Root.AF = pikepdf.Array([spec])
    pdf.save(target)


@attack("fail")
def image_with_print_alternate(built: Path, target: Path) -> None:
    """A white image on white paper whose /Alternates entry, marked DefaultForPrinting,
    is a picture of the words 'Apply three times daily.': a printing reader uses
    the alternate; PDFium shows the white base image. PDF/X forbids /Alternates."""
    from PIL import Image, ImageDraw, ImageFont
    from .common import NOTO
    pdf = _hk(built)
    width, height = 900, 60
    picture = Image.new("L", (width, height), 0)
    ImageDraw.Draw(picture).text((4, 4), "Apply three times daily.", fill=255,
                                 font=ImageFont.truetype(str(NOTO), 44))
    k = picture.tobytes()
    cmyk = b"".join(b"\0\0\0" + bytes([v]) for v in k)
    alternate = pdf.make_stream(cmyk, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image, Width=width,
                                Height=height, ColorSpace=pikepdf.Name.DeviceCMYK, BitsPerComponent=8)
    base = pdf.make_stream(b"\0" * 4, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image, Width=1, Height=1,
                           ColorSpace=pikepdf.Name.DeviceCMYK, BitsPerComponent=8,
                           Alternates=[pikepdf.Dictionary(Image=alternate, DefaultForPrinting=True)])
    resource(pdf, 1, "/XObject", "/Im9", base)
    add_content(pdf, 1, b"q 150 0 0 10 357.2 246 cm /Im9 Do Q")
    pdf.save(target)


@attack("pass")
def slow_many_shapes(built: Path, target: Path) -> None:
    """60 000 tiny white squares off the trim (they print nothing): each glyph's
    visibility is checked against every shape on the page, so verify takes 25-60 s."""
    pdf = _hk(built)
    add_content(pdf, 1, b"q 0 0 0 0 k " + b"1 1 0.1 0.1 re f " * 60000 + b"Q")
    pdf.save(target)


@attack("fail")
def type3_font_text(built: Path, target: Path) -> None:
    """Added words set in a Type 3 font whose glyph procedures draw the letters as paths;
    its ToUnicode calls every glyph a space."""
    pdf = _hk(built)
    procs = pikepdf.Dictionary()
    word = "x3 daily"
    for i, char in enumerate(word):
        procs[f"/g{i}"] = pdf.make_stream(b"600 0 d0 " + vector_text(char, 0, 0, 1000))
    differences = pikepdf.Array([1] + [pikepdf.Name(f"/g{i}") for i in range(len(word))])
    spaces = "".join(f"<{i + 1:02X}> <0020>\n" for i in range(len(word)))
    font = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type3, FontBBox=[0, -300, 1000, 1000],
        FontMatrix=[0.001, 0, 0, 0.001, 0, 0], CharProcs=procs, FirstChar=1, LastChar=len(word),
        Widths=[600] * len(word), Encoding=pikepdf.Dictionary(Type=pikepdf.Name.Encoding, Differences=differences),
        ToUnicode=pdf.make_stream((f"begincmap {len(word)} beginbfchar\n{spaces}endbfchar endcmap").encode())))
    resource(pdf, 1, "/Font", "/T3", font)
    add_content(pdf, 1, b"BT 0 0 0 1 k /T3 10 Tf 1 0 0 1 357.2 250 Tm (" + bytes(range(1, len(word) + 1)) + b") Tj ET")
    pdf.save(target)


# --- the font cache ----------------------------------------------------------------------------

def _poison_cache(cache: Path) -> None:
    """Build into a fresh cache, then give the space glyph of every prepared Noto Sans
    an outline (a copy of the hyphen's), and store each entry under the name
    that the cache's self-check expects: the SHA-256 of its new bytes."""
    import hashlib
    import io
    import os
    from fontTools.ttLib import TTFont

    shutil.rmtree(cache, ignore_errors=True)
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, LEAFLET_CACHE_DIR=str(cache))
    subprocess.run([str(Path(shutil.which("leaflet") or "leaflet")), "build", "--region", "hk", "--out",
                    str(cache / "_build")], check=True, capture_output=True, env=env, cwd=root)
    for entry in cache.glob("NotoSans-*.ttf") if False else cache.rglob("*.ttf"):
        font = TTFont(entry)
        if "space" not in font.getGlyphOrder() or "hyphen" not in font.getGlyphOrder():
            continue
        glyf = font["glyf"]
        glyf["space"] = glyf["hyphen"]
        out = io.BytesIO()
        font.save(out)
        data = out.getvalue()
        key = entry.name.rsplit("-", 1)[0]
        entry.unlink()
        (entry.parent / f"{key}-{hashlib.sha256(data).hexdigest()}.ttf").write_bytes(data)


@attack("fail", env={"LEAFLET_CACHE_DIR": str(POISONED_CACHE)})
def cache_poisoned_space_glyph(built: Path, target: Path) -> None:
    """A poisoned font cache (every space prints as a hyphen): the build calls the PDF
    verified, and verify on the same machine builds its reference from the same cache."""
    import os
    _poison_cache(POISONED_CACHE)
    env = dict(os.environ, LEAFLET_CACHE_DIR=str(POISONED_CACHE))
    out = target.parent / "_poisoned-build"
    done = subprocess.run([str(Path(shutil.which("leaflet") or "leaflet")), "build", "--region", "hk", "--out",
                           str(out)], capture_output=True, text=True, env=env,
                          cwd=Path(__file__).resolve().parents[2])
    if done.returncode != 0:
        raise RuntimeError(f"the build refused the poisoned cache: {done.stdout}{done.stderr}")
    shutil.copyfile(out / HK, target)


@attack("fail")
def cache_poisoned_space_glyph_clean_verifier(built: Path, target: Path) -> None:
    """The same PDF, verified on a machine whose cache is clean."""
    cache_poisoned_space_glyph(built, target)


@attack("fail")
def font_set_by_graphics_state(built: Path, target: Path) -> None:
    """Words shown with a font chosen by an ExtGState /Font entry instead of Tf: the
    font is Helvetica, not embedded. verify's interpreter knows no font at that point."""
    pdf = _hk(built)
    helvetica = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                     BaseFont=pikepdf.Name.Helvetica))
    resource(pdf, 1, "/ExtGState", "/GSfont", pikepdf.Dictionary(Type=pikepdf.Name.ExtGState,
                                                                 Font=pikepdf.Array([helvetica, 10])))
    add_content(pdf, 1, b"q /GSfont gs BT 0 0 0 1 k 1 0 0 1 357.2 250 Tm (Apply three times daily.) Tj ET Q")
    pdf.save(target)


@attack("pass")
def approved_text_in_visibility_expression(built: Path, target: Path) -> None:
    """The 'Wait at least 8 hours' line inside an optional-content membership whose
    visibility expression /VE [/Not OFFGROUP] makes it visible (VE overrides /OCGs):
    it prints; verify reads only /OCGs, sees a group that is off, and calls it hidden."""
    pdf = _hk(built)
    group = optional_group(pdf, "off", off=True)
    membership = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.OCMD, OCGs=group,
                                                      VE=pikepdf.Array([pikepdf.Name.Not, group])))
    resource(pdf, 1, "/Properties", "/MC0", membership)
    def wrap(text: str) -> str:
        line = line_block(text, "ait at least 8 hours")
        return text.replace(line, "/OC /MC0 BDC " + line + " EMC", 1)

    edit_content(pdf, 1, wrap)
    pdf.save(target)


# --- colour the visual witness cannot see: it compares in grey ----------------------------------

@attack("fail")
def red_text_on_teal_cover(built: Path, target: Path) -> None:
    """Vector-path text in C0 M80 Y100 K0 (red-orange) on the teal cover: on paper it
    stands out; in PDFium's greyscale both are about grey 125, within 24 levels."""
    pdf = _hk(built)
    _knockout_state(pdf, 0)
    add_content(pdf, 0, b"q /GSko gs 0 .8 1 0 k " + vector_text("Safe for children.", 625, 100, 14) + b" "
                + vector_text("Apply 3 times daily.", 625, 80, 14) + b" Q")
    pdf.save(target)


@attack("fail")
def magenta_text_on_inside_band(built: Path, target: Path) -> None:
    """The same in C20 M80 (purple) on the teal band along the top of the inside page."""
    pdf = _hk(built)
    _knockout_state(pdf, 1)
    add_content(pdf, 1, b"q /GSko gs .2 .8 0 0 k " + vector_text("Double the dose if there is no effect after "
                                                                "one week.", 357.2, 616, 11) + b" Q")
    pdf.save(target)


@attack("fail")
def slow_thousand_pages(built: Path, target: Path) -> None:
    """1 000 pages, every one the inside page (content and resources shared, so the
    file stays small): verify interprets and judges every page, not only the two it expects."""
    pdf = _hk(built)
    inside = pdf.pages[1]
    for _ in range(998):
        pdf.pages.append(inside)
    pdf.save(target)


@attack("pass")
def hidden_printable_annotation(built: Path, target: Path) -> None:
    """A Text annotation flagged Hidden and Print (/F 6): Hidden wins, it neither shows
    nor prints. (A print file is cleaner without it; this records what verify says.)"""
    pdf = _hk(built)
    note = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Text,
                                                Rect=[0, 0, 10, 10], F=6, Contents=pikepdf.String("note")))
    pdf.pages[1].Annots = pdf.make_indirect(pikepdf.Array([note]))
    pdf.save(target)
