"""Printer-ready output: PDF/X-4 identification, output intent, CMYK only, overprint, separations."""
import shutil
import subprocess

import pytest
from PIL import Image, ImageCms
from pypdf import PdfReader
from pypdf.generic import ContentStream

from conftest import REPO, edit
from leaflet.errors import LeafletError
from leaflet.pipeline import build, lay_out_content


@pytest.fixture(scope="module")
def pdf(built):
    return PdfReader(built.pdf)


def test_pdfx4_identification_in_info_and_xmp(built, pdf):
    assert built.pdf.read_bytes().startswith(b"%PDF-1.6")
    info = pdf.trailer["/Info"].get_object()
    assert info["/GTS_PDFXVersion"] == "PDF/X-4" and info["/Trapped"] == "/False"
    assert info["/CreationDate"] == info["/ModDate"] == "D:20250122000000Z"  # the date of preparation, no clock
    assert "Lumirix" in info["/Title"]
    xmp = pdf.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp
    assert "<pdf:Trapped>False</pdf:Trapped>" in xmp and "<xmp:CreateDate>2025-01-22T00:00:00Z" in xmp
    assert "Lumirix" in xmp and not pdf.is_encrypted


def test_output_intent_embeds_the_shipped_cmyk_profile(pdf):
    intents = pdf.trailer["/Root"]["/OutputIntents"]
    assert len(intents) == 1
    intent = intents[0].get_object()
    assert intent["/S"] == "/GTS_PDFX" and intent["/OutputConditionIdentifier"] == "FOGRA39"
    profile = intent["/DestOutputProfile"].get_object()
    data = profile.get_data()
    assert profile["/N"] == 4 and data[12:20] == b"prtrCMYK"
    assert data == (REPO / "icc" / "ISOcoated_v2_300_compact.icc").read_bytes()


def test_print_pdf_stays_under_one_megabyte(built):
    assert built.size < 1_000_000


def test_every_page_has_trim_and_bleed_boxes(pdf):
    for page in pdf.pages:
        assert "/TrimBox" in page and "/BleedBox" in page


def test_black_text_overprints_and_other_text_knocks_out(pdf):
    states = {name: gs.get_object() for name, gs in pdf.pages[1]["/Resources"]["/ExtGState"].items()}
    fill, overprint, mode, seen = None, False, 0, []
    for operands, op in ContentStream(pdf.pages[1].get_contents(), pdf).operations:
        if op == b"k":
            fill = tuple(float(v) for v in operands)
        elif op == b"gs":
            state = states[operands[0]]
            overprint = bool(state.get("/op", overprint))
            mode = int(state.get("/OPM", mode))
        elif op == b"BT":
            seen.append((fill, overprint and mode == 1))
    black = [on for colour, on in seen if colour == (0, 0, 0, 1)]
    assert len(black) > 30 and all(black), "every black text object overprints (op true, OPM 1)"
    assert not any(on for colour, on in seen if colour != (0, 0, 0, 1)), "coloured text knocks out"


def test_japan_color_is_chosen_in_print_settings(content, tmp_path):
    edit(content / "leaflet.yaml", "title: ", "print:\n  output_intent: japancolor2011\ntitle: ")
    intent = PdfReader(build(content, tmp_path, "hk").pdf).trailer["/Root"]["/OutputIntents"][0].get_object()
    assert intent["/OutputConditionIdentifier"] == "JC200103"
    assert intent["/DestOutputProfile"].get_object().get_data() == \
        (REPO / "icc" / "JapanColor2011coated_350_compact.icc").read_bytes()


def test_print_shops_own_profile_wins(content, tmp_path):
    (content / "press").mkdir()
    shop = (REPO / "icc" / "JapanColor2011coated_350_compact.icc").read_bytes()
    (content / "press" / "shop.icc").write_bytes(shop)
    edit(content / "leaflet.yaml", "title: ", "print:\n  output_intent: fogra39\n  profile_file: press/shop.icc\n"
                                              "  condition: ShopPress-2026\ntitle: ")
    intent = PdfReader(build(content, tmp_path, "hk").pdf).trailer["/Root"]["/OutputIntents"][0].get_object()
    assert intent["/OutputConditionIdentifier"] == "ShopPress-2026"
    assert intent["/DestOutputProfile"].get_object().get_data() == shop


def test_screen_rgb_profile_is_refused_as_print_profile(content):
    (content / "press").mkdir()
    (content / "press" / "srgb.icc").write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    edit(content / "leaflet.yaml", "title: ", "print:\n  profile_file: press/srgb.icc\ntitle: ")
    with pytest.raises(LeafletError, match="srgb.icc is not a CMYK printer"):
        lay_out_content(content, "hk")


def test_rich_black_small_text_is_refused(content):
    edit(content / "leaflet.yaml", "    brand_dark: [90, 35, 45, 25]", "    brand_dark: [60, 40, 40, 100]")
    edit(content / "leaflet.yaml", "  heading_size_pt: 12.5", "  heading_size_pt: 11.5")
    with pytest.raises(LeafletError, match=r"11.5 pt in rich black \(C60% M40% Y40% K100%\)"):
        lay_out_content(content, "hk")


def test_no_rgb_colour_in_images(content, tmp_path):
    (content / "assets").mkdir()
    Image.new("CMYK", (800, 400), (10, 60, 70, 5)).save(content / "assets" / "a.jpg")
    edit(content / "text" / "en.yaml", "      - Lumirix® is free from steroids.[@pi-hk]\n",
         "      - Lumirix® is free from steroids.[@pi-hk]\n      - figure: {file: assets/a.jpg, width_mm: 40}\n")
    reader = PdfReader(build(content, tmp_path, "hk").pdf)
    for page in reader.pages:
        for xobject in page["/Resources"].get("/XObject", {}).values():
            assert xobject.get_object()["/ColorSpace"] in ("/DeviceCMYK", "/DeviceGray")


@pytest.mark.skipif(not shutil.which("gs"), reason="Ghostscript is installed by .ci/run")
def test_separations_put_body_text_on_the_black_plate_only(built, tmp_path):
    dpi = 100
    subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiffsep", f"-r{dpi}",
                    "-dFirstPage=2", "-dLastPage=2", f"-sOutputFile={tmp_path}/p.tif", str(built.pdf)], check=True)
    plates = {name: Image.open(tmp_path / f"p({name}).tif").convert("L")
              for name in ("Cyan", "Magenta", "Yellow", "Black")}
    layout = lay_out_content(REPO / "content" / "lumirix", "hk")
    height = plates["Black"].size[1]
    body = [p for p in layout.pages[1].lines if p.para.role == "body" and p.panel == "inside-left"][:8]
    assert len(body) == 8
    for placed in body:
        box = [round(v * dpi / 72) for v in (placed.x, placed.baseline - 2, placed.x + placed.line.width,
                                             placed.baseline + 7)]
        box = (box[0], height - box[3], box[2], height - box[1])
        inked = {name: sum(1 for v in plate.crop(box).get_flattened_data() if v < 200)
                 for name, plate in plates.items()}
        assert inked["Black"] > 20, placed.line.text
        assert inked["Cyan"] == inked["Magenta"] == inked["Yellow"] == 0, (placed.line.text, inked)


def test_marks_print_in_registration_colour_on_every_plate(pdf):
    spaces = {name: cs for name, cs in pdf.pages[0]["/Resources"]["/ColorSpace"].items()}
    registration = [name for name, cs in spaces.items() if cs[0] == "/Separation" and cs[1] == "/All"]
    assert registration, "a Separation named All (registration) is used"
    stroke = [operands[0] for operands, op in ContentStream(pdf.pages[0].get_contents(), pdf).operations
              if op == b"CS"]
    assert stroke and set(stroke) <= set(registration)


def spot_build(content, tmp_path):
    edit(content / "leaflet.yaml", "    brand: [78, 8, 32, 0]", "    brand: {cmyk: [78, 8, 32, 0], spot: Lumirix Teal}")
    return build(content, tmp_path, "hk").pdf


def test_spot_brand_colour_is_a_separation_with_a_cmyk_alternate(content, tmp_path):
    reader = PdfReader(spot_build(content, tmp_path))
    spaces = [cs.get_object() for cs in reader.pages[0]["/Resources"]["/ColorSpace"].values()]
    teal = [cs for cs in spaces if str(cs[1]).replace("#20", " ") == "/Lumirix Teal"]
    assert len(teal) == 1 and teal[0][0] == "/Separation" and teal[0][2] == "/DeviceCMYK"


@pytest.mark.skipif(not shutil.which("gs"), reason="Ghostscript is installed by .ci/run")
def test_spot_brand_colour_prints_on_its_own_plate(content, tmp_path):
    pdf = spot_build(content, tmp_path)
    subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiffsep", "-r20", "-dFirstPage=1",
                    "-dLastPage=1", f"-sOutputFile={tmp_path}/p.tif", str(pdf)], check=True)
    plate = Image.open(tmp_path / "p(Lumirix Teal).tif").convert("L")
    assert sum(1 for v in plate.get_flattened_data() if v < 128) > 1000, "the cover prints on the spot plate"
