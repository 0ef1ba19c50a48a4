"""Screen proofs and previews: for review, never mistaken for the print file."""
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ContentStream
from reportlab.lib.units import mm

from conftest import EXAMPLE, run_cli, squash
from leaflet.pipeline import build


def test_proof_is_rgb_trim_size_marked_and_named_apart(tmp_path):
    result = build(EXAMPLE, tmp_path, "hk", proof=True)
    assert result.pdf.name == "lumirix-hk-v1.0-proof.pdf"
    reader = PdfReader(result.pdf)
    for index, page in enumerate(reader.pages):
        assert round(float(page.mediabox.width) / mm) == 297 and round(float(page.mediabox.height) / mm) == 210
        ops = [op for _, op in ContentStream(page.get_contents(), reader).operations]
        assert b"rg" in ops and b"k" not in ops and b"K" not in ops, "screen colours only"
        text = squash(page.extract_text())
        assert "PROOF—notforprint" in text and "DRAFT" in text
        for name in (("flap", "back", "cover") if index == 0 else ("inside-left", "inside-middle", "inside-right")):
            assert name in text
    assert "/OutputIntents" not in reader.trailer["/Root"]
    assert "PROOF, not for print" in reader.metadata.title


def test_proof_build_keeps_the_print_files_and_manifest(tmp_path):
    assert run_cli("build", EXAMPLE, "--region", "hk", "--out", tmp_path).returncode == 0
    manifest = (tmp_path / "manifest.json").read_bytes()
    printed = (tmp_path / "lumirix-hk-v1.0.pdf").read_bytes()
    result = run_cli("build", EXAMPLE, "--region", "hk", "--proof", "--out", tmp_path)
    assert result.returncode == 0 and "manifest-proof.json" in result.stdout
    assert (tmp_path / "manifest.json").read_bytes() == manifest
    assert (tmp_path / "lumirix-hk-v1.0.pdf").read_bytes() == printed
    assert (tmp_path / "lumirix-hk-v1.0-proof.pdf").exists()


def test_preview_writes_pages_and_a_contact_sheet(built, tmp_path):
    result = run_cli("preview", built.pdf, "--dpi", "30", "--out", tmp_path)
    assert result.returncode == 0
    outside = Image.open(tmp_path / "lumirix-hk-v1.0-outside.png")
    inside = Image.open(tmp_path / "lumirix-hk-v1.0-inside.png")
    contact = Image.open(tmp_path / "lumirix-hk-v1.0-contact.png")
    media = PdfReader(built.pdf).pages[0].mediabox
    assert abs(outside.width - float(media.width) * 30 / 72) <= 1 and inside.size == outside.size
    assert contact.width > outside.width + inside.width and contact.height > outside.height
    # the cover's brand colour is on the right-hand part of the outside page
    r, g, b = outside.convert("RGB").getpixel((int(outside.width * 0.85), int(outside.height * 0.7)))
    assert g > r + 40 and b > r + 40, (r, g, b)


def test_preview_of_a_non_pdf_is_a_clear_error(tmp_path):
    (tmp_path / "x.pdf").write_text("not a pdf")
    result = run_cli("preview", tmp_path / "x.pdf")
    assert result.returncode == 1 and "cannot read the PDF" in result.stderr and "Traceback" not in result.stderr
