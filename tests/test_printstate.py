"""The print-state witness and robust reading: each tampered copy of a real
edition, made with pikepdf as an attacker would, is a finding that names the
page and the problem; untampered rewrites pass."""
import io
import json
import os
import shutil
import subprocess
import threading
from pathlib import Path
from typing import NamedTuple

import pikepdf
import pytest
from PIL import ImageCms
from pikepdf import Array, Dictionary, Name, Stream
from pypdf import PdfWriter
from pypdf.generic import NameObject, NumberObject

from attacks.attacks import ATTACKS
from conftest import EXAMPLE
from test_figures import add_figure, artwork
from leaflet.errors import VerificationError
from leaflet.content.catalogue import PROFILES
from leaflet.pipeline import build, build_editions, lay_out_content
from leaflet.proof.manifest import manifest_findings
from leaflet.proof.printstate import VIEWER_DEPENDENT, PrintSpec, icc_problem, print_spec, print_state_findings
from leaflet.proof.reading import ENCRYPTED, open_pdf, read_pdf_file


class Built(NamedTuple):
    pdf: Path
    proof: Path
    spec: PrintSpec
    proof_spec: PrintSpec


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    """The Hong Kong edition built once for this module: its print PDF, its proof and their specs."""
    out = tmp_path_factory.mktemp("printstate")
    layout = lay_out_content(EXAMPLE, "hk")
    return Built(build(EXAMPLE, out, "hk").pdf, build(EXAMPLE, out, "hk", proof=True).pdf,
                 print_spec(layout), print_spec(layout, proof=True))


def findings_of(data: bytes, spec):
    reader, findings = open_pdf(data)
    return findings if reader is None else print_state_findings(reader, spec)


def tampered(pdf_path, change) -> bytes:
    """A copy of the PDF changed by `change(pdf)` and saved by pikepdf."""
    with pikepdf.open(pdf_path) as pdf:
        change(pdf)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def only(findings, page):
    assert findings, "expected a finding"
    assert {f.page for f in findings} == {page}, findings
    return " | ".join(f.what for f in findings)


# --- untampered files pass --------------------------------------------------------------

def test_the_built_pdf_has_no_print_state_findings(edition):
    pdf, spec = edition.pdf, edition.spec
    assert findings_of(pdf.read_bytes(), spec) == []


@pytest.mark.parametrize("options", [["--linearize"], ["--object-streams=generate"], ["--qdf"]])
def test_a_qpdf_rewrite_passes(edition, tmp_path, options):
    pdf, spec = edition.pdf, edition.spec
    rewritten = tmp_path / "rewritten.pdf"
    subprocess.run(["qpdf", *options, str(pdf), str(rewritten)], check=True)
    assert rewritten.read_bytes() != pdf.read_bytes()
    assert findings_of(rewritten.read_bytes(), spec) == []


def test_a_pikepdf_save_passes(edition):
    pdf, spec = edition.pdf, edition.spec
    assert findings_of(tampered(pdf, lambda p: None), spec) == []


def test_a_screen_proof_passes_as_a_proof_but_not_as_print(edition):
    proof, spec, proof_spec = edition.proof, edition.spec, edition.proof_spec
    data = proof.read_bytes()
    assert findings_of(data, proof_spec) == []
    as_print = " | ".join(f.what for f in findings_of(data, spec))
    assert "not identified as PDF/X-4" in as_print and "TrimBox or BleedBox is missing" in as_print
    assert "DeviceRGB colour (rg) in the page content" in as_print


# --- colour -------------------------------------------------------------------------

def add_content(pdf, page: int, content: bytes) -> None:
    pdf.pages[page].contents_add(Stream(pdf, content), prepend=False)


@pytest.mark.parametrize("content, problem", [
    (b"q 1 0 0 rg 40 40 10 10 re f Q", "DeviceRGB colour (rg) in the page content"),
    (b"q 0 1 0 RG 40 40 m 50 50 l S Q", "DeviceRGB colour (RG) in the page content"),
    (b"q 0.5 g 40 40 10 10 re f Q", "DeviceGray colour (g) in the page content"),
    (b"q /DeviceRGB cs 1 0 0 sc 40 40 10 10 re f Q", "colour space /DeviceRGB (cs) in the page content is DeviceRGB"),
    (b"q BI /W 1 /H 1 /CS /RGB /BPC 8 ID \xff\x00\x00 EI Q", "an inline image in the page content is DeviceRGB"),
    (b"q BI /W 1 /H 1 /CS [/I /RGB 0 <ff0000>] /BPC 8 ID \x00 EI Q", "an inline image in the page content is DeviceRGB"),
])
def test_non_cmyk_colour_in_page_content_is_named_with_its_page(edition, content, problem):
    pdf, spec = edition.pdf, edition.spec
    text = only(findings_of(tampered(pdf, lambda p: add_content(p, 1, content)), spec), 1)
    assert problem in text


def test_an_rgb_operator_is_found_after_an_inline_image_whose_data_looks_like_a_string(edition):
    pdf, spec = edition.pdf, edition.spec
    content = b"q BI /W 3 /H 1 /CS /G /BPC 8 ID ((\x29 EI Q 1 0 0 rg 40 40 10 10 re f"
    text = only(findings_of(tampered(pdf, lambda p: add_content(p, 0, content)), spec), 0)
    assert text.startswith("DeviceRGB colour (rg) in the page content")  # the grey image itself is allowed


def test_colour_operators_inside_strings_and_comments_are_not_colour(edition):
    pdf, spec = edition.pdf, edition.spec
    content = b"% 1 0 0 rg\n BT (1 0 0 rg \\) (0 g)) Tj <7267> Tj ET"
    assert findings_of(tampered(pdf, lambda p: add_content(p, 1, content)), spec) == []


def add_form(pdf, holder, name: str, content: bytes, resources=None) -> Stream:
    """A Form XObject named `name` in the resources of `holder` (a page or a form), painted from it."""
    form = Stream(pdf, content, Type=Name.XObject, Subtype=Name.Form, BBox=[0, 0, 100, 100],
                  Resources=resources or Dictionary())
    if "/Resources" not in holder:
        holder.Resources = Dictionary()
    if "/XObject" not in holder.Resources:
        holder.Resources.XObject = Dictionary()
    holder.Resources.XObject[name] = form
    return form


def test_rgb_in_a_nested_form_xobject_names_the_page_and_both_forms(edition):
    pdf, spec = edition.pdf, edition.spec

    def change(p):
        outer = add_form(p, p.pages[1], "/Fm1", b"q /Fm2 Do Q")
        add_form(p, outer, "/Fm2", b"0 0 1 rg 0 0 5 5 re f")
        add_content(p, 1, b"q /Fm1 Do Q")

    text = only(findings_of(tampered(pdf, change), spec), 1)
    assert "DeviceRGB colour (rg) in Form XObject /Fm2 in Form XObject /Fm1" in text


def test_a_form_xobject_that_paints_itself_is_checked_once_without_hanging(edition):
    pdf, spec = edition.pdf, edition.spec

    def change(p):
        form = add_form(p, p.pages[0], "/Loop", b"/Loop Do 1 0 0 rg")
        form.Resources.XObject = Dictionary(Loop=form)
        add_content(p, 0, b"/Loop Do")

    findings = findings_of(tampered(pdf, change), spec)
    assert [f.what for f in findings] == [
        "DeviceRGB colour (rg) in Form XObject /Loop; print colour is CMYK only"]


def image(pdf, colour_space, samples: bytes) -> Stream:
    return Stream(pdf, samples, Type=Name.XObject, Subtype=Name.Image, Width=1, Height=1, BitsPerComponent=8,
                  ColorSpace=colour_space)


def test_an_rgb_image_is_a_finding_and_a_grey_or_cmyk_image_is_not(edition):
    pdf, spec = edition.pdf, edition.spec

    def change(p):
        page = p.pages[1]
        mask = Stream(p, b"\x80", Type=Name.XObject, Subtype=Name.Image, Width=1, Height=1, BitsPerComponent=1,
                      ImageMask=True)
        page.Resources.XObject = Dictionary(Im1=image(p, Name.DeviceRGB, b"\xff\0\0"),
                                            Im2=image(p, Name.DeviceGray, b"\x80"),
                                            Im3=image(p, Name.DeviceCMYK, b"\0\0\0\xff"), Im4=mask)
        add_content(p, 1, b"q 10 0 0 10 40 40 cm /Im1 Do /Im2 Do /Im3 Do /Im4 Do Q")

    findings = findings_of(tampered(pdf, change), spec)
    assert [(f.page, f.what) for f in findings] == [
        (1, "image /Im1 in the page content is DeviceRGB; images must be CMYK or grey")]


def test_a_spot_colour_needs_a_cmyk_alternate(edition):
    pdf, spec = edition.pdf, edition.spec

    def change(p):
        tint = Stream(p, b"{dup dup}", FunctionType=4, Domain=[0, 1], Range=[0, 1, 0, 1, 0, 1])
        p.pages[0].Resources.ColorSpace.Gold = Array([Name.Separation, Name.Gold, Name.DeviceRGB, tint])
        add_content(p, 0, b"q /Gold cs 1 scn 40 40 10 10 re f Q")

    text = only(findings_of(tampered(pdf, change), spec), 0)
    assert "colour space /Gold (cs) in the page content is Separation without a DeviceCMYK alternate" in text


def test_an_rgb_shading_is_named(edition):
    pdf, spec = edition.pdf, edition.spec

    def change(p):
        ramp = Dictionary(FunctionType=2, Domain=[0, 1], C0=[1, 0, 0], C1=[0, 0, 1], N=1)
        p.pages[0].Resources.Shading = Dictionary(Sh1=Dictionary(ShadingType=2, ColorSpace=Name.DeviceRGB,
                                                                 Coords=[0, 0, 100, 0], Function=ramp))
        add_content(p, 0, b"q 40 40 100 100 re W n /Sh1 sh Q")

    text = only(findings_of(tampered(pdf, change), spec), 0)
    assert "shading /Sh1 in the page content is DeviceRGB; print colour is CMYK only" in text


# --- page geometry, rotation, scaling ---------------------------------------------------

@pytest.mark.parametrize("key, value, problem", [
    ("/Rotate", 180, "the page is rotated (/Rotate 180)"),
    ("/UserUnit", 2, "the page is scaled (/UserUnit 2)"),
])
def test_rotate_and_user_unit_on_a_page(edition, key, value, problem):
    pdf, spec = edition.pdf, edition.spec

    def change(p):
        p.pages[1][key] = value

    assert problem in only(findings_of(tampered(pdf, change), spec), 1)


def test_rotate_and_user_unit_inherited_from_the_page_tree_apply_to_every_page(edition):
    pdf, spec = edition.pdf, edition.spec

    def change(p):
        for page in p.pages:
            del page.obj["/Rotate"]
        p.Root.Pages.Rotate = 90
        p.Root.Pages.UserUnit = 3

    findings = findings_of(tampered(pdf, change), spec)
    for page in (0, 1):
        text = " | ".join(f.what for f in findings if f.page == page)
        assert "/Rotate 90" in text and "/UserUnit 3" in text


def test_a_bleed_box_cut_short_is_named(edition):
    pdf, spec = edition.pdf, edition.spec

    def change(p):
        box = [float(v) for v in p.pages[0].BleedBox]
        p.pages[0].BleedBox = [box[0] + 8.5, box[1], box[2], box[3]]

    text = only(findings_of(tampered(pdf, change), spec), 0)
    assert "bleed is 0.0, 3.0, 3.0, 3.0 mm, expected 3 mm on every side" in text


# --- PDF/X identification and the output profile ---------------------------------------

def test_a_garbage_output_profile_is_not_a_valid_cmyk_profile(edition):
    pdf, spec = edition.pdf, edition.spec

    def change(p):
        p.Root.OutputIntents[0].DestOutputProfile.write(b"garbage " * 500)

    findings = findings_of(tampered(pdf, change), spec)
    assert [(f.page, f.what) for f in findings] == [
        (None, ("the output-intent profile is not a valid CMYK output profile: it declares 1734439522 bytes "
               "but has 4000"))]


def test_a_valid_profile_other_than_the_one_the_content_names_is_a_finding(edition):
    pdf, spec = edition.pdf, edition.spec

    def change(p):
        p.Root.OutputIntents[0].DestOutputProfile.write(PROFILES["japancolor2011"].path.read_bytes())

    findings = findings_of(tampered(pdf, change), spec)
    assert len(findings) == 1 and findings[0].page is None
    assert "is not the one the content names, FOGRA39" in findings[0].what


def test_pdfx_identification_and_trapped_are_required(edition):
    pdf, spec = edition.pdf, edition.spec

    def change(p):
        del p.trailer.Info["/GTS_PDFXVersion"]
        del p.trailer.Info["/Trapped"]
        del p.Root["/Metadata"]

    text = " | ".join(f.what for f in findings_of(tampered(pdf, change), spec))
    assert "GTS_PDFXVersion missing from the document info" in text
    assert "Trapped is not set to True or False" in text
    assert "not identified as PDF/X-4 in its XMP metadata" in text


def profile_bytes(name="fogra39") -> bytearray:
    return bytearray(PROFILES[name].path.read_bytes())


def with_tag_renamed(data: bytearray, old: bytes, new: bytes) -> bytearray:
    at = data.index(old, 132)
    data[at:at + 4] = new
    return data


@pytest.mark.parametrize("profile, problem", [
    (bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()),
     "it is a 'mntr' profile, not an output (printer) profile"),
    (profile_bytes()[:-10], "it declares 147208 bytes but has 147198"),
    (profile_bytes()[:36] + b"xxxx" + profile_bytes()[40:], "it has no ICC signature ('acsp')"),
    (profile_bytes()[:16] + b"RGB " + profile_bytes()[20:], "its colour space is RGB, not CMYK"),
    (with_tag_renamed(profile_bytes(), b"B2A0", b"B2AX"), "it lacks the B2A0 tag(s) an output profile needs"),
])
def test_icc_header_checks(profile, problem):
    assert icc_problem(bytes(profile)) == problem


def test_the_shipped_profiles_are_valid_cmyk_output_profiles():
    assert [icc_problem(p.path.read_bytes()) for p in PROFILES.values()] == [None, None]


# --- annotations, actions, JavaScript, embedded files ---------------------------------

def test_a_printable_annotation_and_its_rgb_appearance_are_named(edition):
    pdf, spec = edition.pdf, edition.spec

    def change(p):
        appearance = Stream(p, b"1 0 0 rg 0 0 80 20 re f BT /Helv 12 Tf 2 5 Td (FINAL) Tj ET",
                            Type=Name.XObject, Subtype=Name.Form, BBox=[0, 0, 80, 20],
                            Resources=Dictionary(Font=Dictionary(Helv=Dictionary(
                                Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))))
        stamp = Dictionary(Type=Name.Annot, Subtype=Name.Stamp, Rect=[100, 100, 180, 120], F=4,
                           AP=Dictionary(N=appearance))
        p.pages[0].Annots = p.make_indirect(Array([p.make_indirect(stamp)]))

    text = only(findings_of(tampered(pdf, change), spec), 0)
    assert "a printable Stamp annotation; a print file must have none" in text
    assert "DeviceRGB colour (rg) in the appearance of a Stamp annotation" in text
    assert "font /Helvetica is not embedded (in the appearance of a Stamp annotation)" in text


def test_a_hidden_link_is_not_printable_but_its_action_is_named(edition):
    pdf, spec = edition.pdf, edition.spec

    def change(p):
        link = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[0, 0, 10, 10], F=2,
                          A=Dictionary(S=Name.URI, URI=pikepdf.String("https://example.com")))
        p.pages[1].Annots = Array([p.make_indirect(link)])

    findings = findings_of(tampered(pdf, change), spec)
    assert [(f.page, f.what) for f in findings] == [(1, "a Link annotation runs an action (URI)")]


def test_javascript_opening_the_pdf_is_named(edition):
    pdf, spec = edition.pdf, edition.spec

    def change(p):
        script = Dictionary(S=Name.JavaScript, JS=pikepdf.String("app.alert('hello')"))
        p.Root.OpenAction = p.make_indirect(script)
        p.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([pikepdf.String("x"), script])))

    findings = findings_of(tampered(pdf, change), spec)
    assert [(f.page, f.what) for f in findings] == [
        (None, "an action (JavaScript) runs when the PDF is opened"),
        (None, "the PDF holds JavaScript (Names /JavaScript)")]


def test_an_embedded_file_is_named(edition):
    pdf, spec = edition.pdf, edition.spec

    def change(p):
        p.attachments["final.txt"] = pikepdf.AttachedFileSpec(p, b"approved for print")

    findings = findings_of(tampered(pdf, change), spec)  # pikepdf lists the file in both places
    assert [(f.page, f.what) for f in findings] == [
        (None, "the PDF holds embedded files (Names /EmbeddedFiles)"),
        (None, "files are attached to the document (associated files, /AF); a print file carries none")]


def test_a_file_attachment_annotation_is_an_embedded_file(edition):
    pdf, spec = edition.pdf, edition.spec

    def change(p):
        attached = pikepdf.AttachedFileSpec(p, b"approved for print", filename="final.txt")
        note = Dictionary(Type=Name.Annot, Subtype=Name.FileAttachment, Rect=[0, 0, 10, 10], FS=attached.obj)
        p.pages[0].Annots = Array([p.make_indirect(note)])

    findings = findings_of(tampered(pdf, change), spec)
    assert [(f.page, f.what) for f in findings] == [(0, "an embedded file (FileAttachment annotation)")]


# --- fonts ------------------------------------------------------------------------

def test_a_font_that_is_not_embedded_in_a_form_xobject_is_named(edition):
    pdf, spec = edition.pdf, edition.spec

    def change(p):
        # The form uses one of the page's own (embedded) fonts, stripped of its font program.
        page = p.pages[1]
        name, font = next(iter(page.Resources.Font.items()))
        bare = p.make_indirect(Dictionary({k: v for k, v in font.items() if k != "/FontDescriptor"}))
        add_form(p, page, "/Fm1", f"BT {name} 9 Tf 40 40 Td (x) Tj ET".encode(),
                 Dictionary(Font=Dictionary({name: bare})))
        add_content(p, 1, b"q /Fm1 Do Q")

    text = only(findings_of(tampered(pdf, change), spec), 1)
    assert "is not embedded (in Form XObject /Fm1)" in text


# --- robust reading -------------------------------------------------------------------

def test_trailing_bytes_after_eof_are_fine(edition):
    pdf, spec = edition.pdf, edition.spec
    data = pdf.read_bytes()
    for tail in (b"\r\n", b"\0" * 5000, b"printer job 42 %%EOF\n%%EOF junk\n"):
        assert findings_of(data + tail, spec) == []


def test_a_truncated_pdf_is_truncated_or_damaged(edition):
    pdf, spec = edition.pdf, edition.spec
    data = pdf.read_bytes()
    for cut in (data[: len(data) // 2], data[:-20]):
        findings = findings_of(cut, spec)
        assert len(findings) == 1 and findings[0].page is None
        assert findings[0].what.startswith("the PDF is truncated or damaged")


def test_objects_after_the_end_of_file_marker_are_refused(edition):
    pdf, spec = edition.pdf, edition.spec
    findings = findings_of(pdf.read_bytes() + b"\n40 0 obj\n(FINAL) \nendobj\n", spec)
    assert [f.what for f in findings] == [("the PDF is truncated or damaged: it has PDF objects after its last "
                                          "end-of-file marker — ask the sender for the complete file")]


@pytest.mark.parametrize("revision", [4, 6])
def test_an_encrypted_pdf_gets_one_clear_refusal(edition, revision):
    with pikepdf.open(edition.pdf) as p:
        out = io.BytesIO()
        p.save(out, encryption=pikepdf.Encryption(owner="owner", user="", R=revision))
    reader, findings = open_pdf(out.getvalue())
    assert reader is None and [f.what for f in findings] == [ENCRYPTED]
    assert "cryptography" not in ENCRYPTED


def test_a_file_that_is_not_a_pdf(tmp_path, edition):
    spec = edition.spec
    text = tmp_path / "notes.pdf"
    text.write_text("approved for print\n")
    assert [f.what for f in findings_of(read_pdf_file(text), spec)] == ["this file is not a PDF (no %PDF- header)"]


def refusal(path, **kwargs) -> str:
    """read_pdf_file's error, from a thread that must finish at once: a hang fails the test, not the run."""
    result = {}

    def read():
        try:
            read_pdf_file(path, **kwargs)
        except VerificationError as exc:
            result["error"] = str(exc)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    thread.join(timeout=10)
    assert not thread.is_alive(), f"reading {path} hung"
    return result["error"]


def test_a_device_is_refused_without_reading_it():
    assert refusal("/dev/zero") == "/dev/zero: this is not a PDF file but a device — give the path of the PDF file itself"


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "leaflet.pdf"
    os.mkfifo(fifo)
    assert refusal(fifo) == f"{fifo}: this is not a PDF file but a pipe (FIFO) — give the path of the PDF file itself"


def test_a_missing_a_folder_and_a_too_large_file_are_refused(tmp_path, edition):
    pdf = edition.pdf
    assert refusal(tmp_path / "gone.pdf") == f"{tmp_path / 'gone.pdf'}: the PDF does not exist — check the path"
    assert "is not a PDF file but a folder" in refusal(tmp_path)
    assert "far too large for a leaflet PDF" in refusal(pdf, limit=1000)
    assert read_pdf_file(pdf) == pdf.read_bytes()


# --- the manifest ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def manifested(tmp_path_factory):
    """The hk edition built as a batch, so it has a real manifest next to it."""
    out = tmp_path_factory.mktemp("manifest")
    build_editions(EXAMPLE, out, ["hk"], jobs=1)
    return out / "lumirix-hk-v1.0.pdf", out / "manifest.json"


def test_the_manifest_confirms_the_file_the_build_wrote(manifested):
    pdf, manifest = manifested
    assert manifest_findings(pdf.read_bytes(), manifest, pdf.name, "hk", status="draft") == []


def test_a_changed_pdf_does_not_match_the_manifest(manifested, tmp_path):
    pdf, manifest = manifested
    renamed = tmp_path / "lumirix-hk-printer-proof.pdf"  # found by its region when renamed
    shutil.copy(pdf, renamed)
    findings = manifest_findings(pdf.read_bytes() + b"\n", manifest, renamed.name, "hk")
    assert len(findings) == 1
    assert "is not the one the manifest records for lumirix-hk-v1.0.pdf" in findings[0].what
    assert "draft" in findings[0].what and "this is not the file the build wrote" in findings[0].what


def test_a_status_other_than_the_content_s_is_named(manifested):
    pdf, manifest = manifested
    findings = manifest_findings(pdf.read_bytes(), manifest, pdf.name, "hk", status="final")
    assert [f.what for f in findings] == ["the manifest records this edition as draft; its content is final"]


def test_a_pdf_without_a_manifest_entry(manifested):
    pdf, manifest = manifested
    findings = manifest_findings(pdf.read_bytes(), manifest, "lumirix-tw-v1.0.pdf", "tw")
    assert [f.what for f in findings] == [
        f"the manifest {manifest} has no entry for lumirix-tw-v1.0.pdf or region 'tw'"]


def test_a_missing_or_broken_manifest_is_a_clear_error(manifested, tmp_path):
    pdf, _ = manifested
    with pytest.raises(VerificationError, match="the manifest does not exist"):
        manifest_findings(pdf.read_bytes(), tmp_path / "manifest.json", pdf.name)
    broken = tmp_path / "broken.json"
    broken.write_text('{"editions": [\n  {"file": "x.pdf",}\n]}\n')
    with pytest.raises(VerificationError) as error:
        manifest_findings(pdf.read_bytes(), broken, pdf.name)
    assert str(error.value).startswith(f"{broken}:2: the manifest is not valid JSON")
    broken.write_text(json.dumps({"editions": "none"}))
    with pytest.raises(VerificationError, match="the manifest lists no editions"):
        manifest_findings(pdf.read_bytes(), broken, pdf.name)


def test_a_transfer_function_that_remaps_ink_is_named(edition):
    pdf, spec = edition.pdf, edition.spec

    def change(p):
        invert = Dictionary(FunctionType=2, Domain=[0, 1], C0=[1], C1=[0], N=1)
        p.pages[1].Resources.ExtGState.GSX = Dictionary(TR=invert)
        add_content(p, 1, b"q /GSX gs Q")

    text = only(findings_of(tampered(pdf, change), spec), 1)
    assert "graphics state /GSX in the page content sets a transfer function" in text


def test_bookmark_and_form_field_actions_and_xfa_are_named(edition):
    pdf, spec = edition.pdf, edition.spec

    def change(p):
        script = Dictionary(S=Name.JavaScript, JS=pikepdf.String("this.print()"))
        first = p.make_indirect(Dictionary(Title=pikepdf.String("Dose")))
        second = p.make_indirect(Dictionary(Title=pikepdf.String("Print"), A=script, Prev=first))
        first.Next = second
        second.Next = first  # a cycle must not loop the walk
        p.Root.Outlines = Dictionary(Type=Name.Outlines, First=first, Last=second, Count=2)
        field = p.make_indirect(Dictionary(FT=Name.Tx, T=pikepdf.String("dose"), AA=Dictionary(F=script)))
        p.Root.AcroForm = Dictionary(Fields=Array([field]), XFA=pikepdf.String("<xdp/>"))

    findings = findings_of(tampered(pdf, change), spec)
    assert [(f.page, f.what) for f in findings] == [
        (None, "a bookmark runs an action (/A)"),
        (None, "the PDF holds an XFA form, whose content a viewer builds at run time"),
        (None, "a form field runs actions (/A or /AA)")]


def test_an_incremental_update_is_judged_by_its_latest_revision(edition):
    writer = PdfWriter(edition.pdf, incremental=True)
    writer.pages[1][NameObject("/Rotate")] = NumberObject(180)
    out = io.BytesIO()
    writer.write(out)
    assert out.getvalue().startswith(edition.pdf.read_bytes())  # the original bytes, then the update
    assert "/Rotate 180" in only(findings_of(out.getvalue(), edition.spec), 1)


@pytest.mark.parametrize("mode, space", [("CMYK", "/DeviceCMYK"), ("L", "/DeviceGray")])
def test_a_built_edition_with_cmyk_or_grey_artwork_passes(content, tmp_path, mode, space):
    artwork(content, mode=mode)
    add_figure(content)
    pdf = build(content, tmp_path, "hk").pdf
    with pikepdf.open(pdf) as p:
        assert [str(x.ColorSpace) for x in p.pages[1].Resources.XObject.values()] == [space]
    assert findings_of(pdf.read_bytes(), print_spec(lay_out_content(content, "hk"))) == []


# --- attacks from the hostile review (tests/attacks/attacks.py) -----------------------------

def attacked(edition, name, tmp_path) -> bytes:
    """The edition as the named attack leaves it."""
    target = tmp_path / f"{name}.pdf"
    ATTACKS[name][1](edition.pdf.parent, target)
    return target.read_bytes()


def test_a_halftone_whose_transfer_function_erases_black_is_named(edition, tmp_path):
    text = only(findings_of(attacked(edition, "halftone_transfer_function_erases_black", tmp_path), edition.spec), 1)
    assert text == "the halftone of graphics state /GSht in the page content has a transfer function, which remaps " \
                   "printed ink"


def test_a_type_1_halftone_with_a_transfer_function_is_named_and_an_identity_one_is_not(edition):
    def halftone(transfer):
        def change(p):
            screen = Dictionary(Type=Name.Halftone, HalftoneType=1, Frequency=150, Angle=45,
                                SpotFunction=Name.Round, TransferFunction=transfer(p))
            p.pages[1].Resources.ExtGState.GSht = Dictionary(HT=screen)
            add_content(p, 1, b"q /GSht gs Q")
        return tampered(edition.pdf, change)

    invert = lambda p: Dictionary(FunctionType=2, Domain=[0, 1], C0=[1], C1=[0], N=1)
    assert "halftone of graphics state /GSht" in only(findings_of(halftone(invert), edition.spec), 1)
    assert findings_of(halftone(lambda p: Name.Identity), edition.spec) == []


def test_a_file_attached_to_the_catalog_through_af_is_named(edition, tmp_path):
    findings = findings_of(attacked(edition, "embedded_file_via_associated_files", tmp_path), edition.spec)
    assert [(f.page, f.what) for f in findings] == [
        (None, "files are attached to the document (associated files, /AF); a print file carries none")]


@pytest.mark.parametrize("holder", ["page", "annotation", "xobject"])
def test_a_file_attached_through_af_anywhere_on_a_page_is_named(edition, holder):
    def change(p):
        stream = p.make_stream(b"#!/bin/sh\n", Type=Name.EmbeddedFile)
        files = Array([p.make_indirect(Dictionary(Type=Name.Filespec, F=pikepdf.String("run.sh"),
                                                  EF=Dictionary(F=stream)))])
        page = p.pages[1]
        if holder == "page":
            page.obj.AF = files
        elif holder == "annotation":
            page.obj.Annots = Array([p.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Text,
                                                                Rect=[0, 0, 1, 1], AF=files))])
        else:
            form = p.make_stream(b"", Type=Name.XObject, Subtype=Name.Form, BBox=[0, 0, 1, 1], AF=files)
            page.Resources.XObject = Dictionary(Fx=form)
            add_content(p, 1, b"q /Fx Do Q")

    text = only(findings_of(tampered(edition.pdf, change), edition.spec), 1)
    assert "(associated files, /AF); a print file carries none" in text


@pytest.mark.parametrize("name, usage", [("ocg_usage_print_off_without_as", "/Print"),
                                         ("ocg_usage_view_off_split_cover", "/View")])
def test_a_layer_with_print_or_view_usage_is_named_on_its_page(edition, tmp_path, name, usage):
    text = only(findings_of(attacked(edition, name, tmp_path), edition.spec), 1)
    assert text.startswith(VIEWER_DEPENDENT)
    assert f"has /Usage {usage} settings, marked content /OCx in the page content" in text


def test_a_visibility_expression_is_named_on_its_page(edition, tmp_path):
    findings = findings_of(attacked(edition, "approved_text_in_visibility_expression", tmp_path), edition.spec)
    assert [(f.page, f.what) for f in findings] == [
        (1, f"{VIEWER_DEPENDENT} (a membership with a visibility expression (/VE), marked content /MC0 in the "
            "page content)")]


def test_an_auto_state_array_in_the_layer_configuration_is_named(edition):
    def change(p):
        group = p.make_indirect(Dictionary(Type=Name.OCG, Name=pikepdf.String("layer")))
        p.Root.OCProperties = Dictionary(OCGs=Array([group]), D=Dictionary(ON=Array([group]), AS=Array([
            Dictionary(Event=Name.Print, Category=Array([Name.Print]), OCGs=Array([group]))])))

    findings = findings_of(tampered(edition.pdf, change), edition.spec)
    assert [(f.page, f.what) for f in findings] == [(None, f"{VIEWER_DEPENDENT} (an optional-content "
                                                           "configuration has /AS)")]


def test_a_plain_layer_that_is_on_is_not_a_finding(edition):
    def change(p):
        group = p.make_indirect(Dictionary(Type=Name.OCG, Name=pikepdf.String("plain")))
        p.Root.OCProperties = Dictionary(OCGs=Array([group]), D=Dictionary(ON=Array([group])))
        p.pages[1].Resources.Properties = Dictionary(OC0=group)
        add_content(p, 1, b"/OC /OC0 BDC EMC")

    assert findings_of(tampered(edition.pdf, change), edition.spec) == []


def test_a_font_set_by_a_graphics_state_that_is_not_embedded_is_named(edition, tmp_path):
    text = only(findings_of(attacked(edition, "font_set_by_graphics_state", tmp_path), edition.spec), 1)
    assert text == "font /Helvetica is not embedded (in graphics state /GSfont in the page content)"
