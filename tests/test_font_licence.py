"""A brand font's licence (its OS/2 fsType) must allow what every build does with it: embed
its outlines in the PDF, as a subset. One that forbids it is refused, naming the file, the
theme line and what the licence forbids; one that allows it (preview & print, editable,
installable) builds."""
import io

import pytest
from fontTools.ttLib import TTFont

from conftest import REPO
from small_leaflet import cli, write_leaflet


def with_fs_type(fs_type: int) -> bytes:
    font = TTFont(REPO / "fonts" / "NotoSans-Regular.ttf")
    font["OS/2"].fsType = fs_type
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def build_with(tmp_path, fs_type):
    folder = write_leaflet(tmp_path / "fx", extra="  fonts:\n    en: {regular: brand.ttf, bold: brand.ttf}")
    (folder / "brand.ttf").write_bytes(with_fs_type(fs_type))
    return cli("build", folder, "--out", tmp_path / "out")


@pytest.mark.parametrize("fs_type,forbids", [(0x0002, "restricted licence: it may not be embedded at all"),
                                             (0x0104, "no subsetting: the tool embeds only the glyphs"),
                                             (0x0208, "bitmap embedding only: a print PDF needs the outlines")])
def test_a_brand_font_whose_licence_forbids_embedding_it_is_refused(tmp_path, fs_type, forbids):
    code, out = build_with(tmp_path, fs_type)
    assert code == 1 and "Traceback" not in out
    assert out.count(f"the licence of font file {tmp_path / 'fx' / 'brand.ttf'} does not allow this use") == 1, out
    assert forbids in out and "leaflet.yaml:12:" in out
    assert not list((tmp_path / "out").glob("*.pdf"))


@pytest.mark.parametrize("fs_type", [0x0000, 0x0004, 0x0008, 0x0006])  # 0x0006: an old font's two bits, the laxer wins
def test_a_brand_font_whose_licence_allows_embedding_builds(tmp_path, fs_type):
    code, out = build_with(tmp_path, fs_type)
    assert code == 0 and "verified" in out, out
