"""Figures: artwork is checked for print (inside the folder, readable, CMYK or grey, ≥ 300 ppi) and placed."""
import pytest
from PIL import Image
from pypdf import PdfReader

from conftest import edit, run_cli, squash
from leaflet.errors import LeafletError
from leaflet.content.load import load_leaflet
from leaflet.pipeline import build

ANCHOR = "      - Lumirix® is free from steroids.[@pi-hk]\n"


CAPTION = "Illustration adapted from Reference 8.[@incyte-jakstat]"


def add_figure(content, file="assets/skin.jpg", width=40, caption=CAPTION):
    edit(content / "text" / "en.yaml", ANCHOR,
         ANCHOR + f"      - figure:\n          file: {file}\n          width_mm: {width}\n"
                  f"          caption: \"{caption}\"\n")


def artwork(content, mode="CMYK", size=(800, 400), name="skin.jpg"):
    (content / "assets").mkdir(exist_ok=True)
    image = Image.new(mode, size, (10, 60, 70, 5) if mode == "CMYK" else 128 if mode == "L" else (200, 80, 90))
    image.save(content / "assets" / name)
    return content / "assets" / name


def test_cmyk_figure_is_placed_with_its_caption_and_cited_reference(content, tmp_path):
    artwork(content)
    add_figure(content)
    result = build(content, tmp_path, "hk")
    reader = PdfReader(result.pdf)
    images = [x.get_object() for x in reader.pages[1]["/Resources"]["/XObject"].values()]
    assert len(images) == 1 and images[0]["/ColorSpace"] == "/DeviceCMYK" and images[0]["/Width"] == 800
    text = squash(reader.pages[1].extract_text())
    # the caption now cites the Incyte reference, which takes a number in reading order
    assert "IllustrationadaptedfromReference8.4" in text
    assert squash("4. Incyte.") in squash(reader.pages[0].extract_text())


def problems_for(content):
    result = run_cli("check", content)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    return result.stdout


def test_low_resolution_is_refused_with_the_size_needed(content):
    artwork(content, size=(400, 200))
    add_figure(content)
    out = problems_for(content)
    assert "skin.jpg is 400 pixels wide: 254 ppi at 40 mm, below the 300 ppi print minimum" in out
    assert "at least 472 pixels wide" in out and "en.yaml:" in out


def test_rgb_artwork_is_refused_with_a_hint(content):
    artwork(content, mode="RGB", name="skin.png")
    add_figure(content, file="assets/skin.png")
    assert "skin.png is RGB, not CMYK or greyscale" in problems_for(content)


def test_greyscale_artwork_is_placed_on_black_alone(content, tmp_path):
    artwork(content, mode="L", name="grey.png")
    add_figure(content, file="assets/grey.png")
    reader = PdfReader(build(content, tmp_path, "hk").pdf)
    images = [x.get_object() for x in reader.pages[1]["/Resources"]["/XObject"].values()]
    assert [(i["/ColorSpace"], i["/Width"], i["/Height"]) for i in images] == [("/DeviceGray", 800, 400)]


def test_corrupt_image_is_a_clear_error(content):
    path = artwork(content)
    path.write_bytes(path.read_bytes()[:300])
    add_figure(content)
    assert "the image skin.jpg cannot be read" in problems_for(content)


@pytest.mark.parametrize("file", ["../../outside.jpg", "/etc/hostname"])
def test_image_outside_the_content_folder_is_refused(content, file):
    add_figure(content, file=file)
    with pytest.raises(LeafletError, match="points outside the content folder"):
        load_leaflet(content)


def test_missing_image_is_named(content):
    add_figure(content, file="assets/nothere.jpg")
    assert "names a file that does not exist: assets/nothere.jpg" in problems_for(content)


def test_figure_wider_than_the_panel_is_refused(content):
    artwork(content, size=(2400, 1500))
    add_figure(content, width=150)
    assert "is 150 mm wide; panel 'inside-left' has" in problems_for(content)
