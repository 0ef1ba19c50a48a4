"""The per-user cache of prepared fonts: reused when sound, rebuilt when not, never trusted blindly."""
import hashlib
import io
import shutil

import fontTools
import pytest
import reportlab
from click.testing import CliRunner
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from reportlab.pdfbase.ttfonts import TTFont as RLFont

from conftest import squash
from small_leaflet import write_leaflet
from leaflet import __version__
from leaflet.typeset import fonts
from leaflet.typeset.cache import cache_dir
from leaflet.cli import main
from leaflet.errors import LeafletError
from leaflet.pipeline import build


WAIT = "Wait at least 8 hours between applications."
# A reference from the source leaflet, so that the digits 6 and 8 print in the regular face.
BIRLEA = ("references:\n  - id: birlea2017\n    text: \"Birlea SA, Goldstein NB, Norris DA. Repigmentation through "
          "melanocyte regeneration in vitiligo. Dermatol Clin. 2017;35(2):205-218. doi:10.1016/j.det.2016.11.015.\"\n")


def fixture_leaflet(folder):
    """A small English and Traditional Chinese leaflet: two languages, two weights, so four prepared
    fonts, CJK faces among them (the example's four, with fewer characters)."""
    return write_leaflet(folder, languages=("en", "zh-Hant-HK"), cite="[@birlea2017]",
                         files={"references.yaml": BIRLEA})


@pytest.fixture
def content(tmp_path):
    return fixture_leaflet(tmp_path / "fx")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("LEAFLET_CACHE_DIR", str(folder))
    return folder


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """The fixture leaflet's four fonts, prepared once for the module by a build into a cache of its own."""
    root = tmp_path_factory.mktemp("prepared")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LEAFLET_CACHE_DIR", str(root / "cache"))
        build(fixture_leaflet(root / "fx"), root / "out")
    return root / "cache"


@pytest.fixture
def warm_cache(cache, prepared):
    """This test's own cache, holding a copy of the prepared fonts: as after a first build."""
    shutil.copytree(prepared, cache)
    return cache


def entries(cache):
    return sorted(cache.glob("*.ttf"))


def prints_wait(pdf) -> bool:
    return squash(WAIT) in squash("".join(page.extract_text() for page in PdfReader(pdf).pages))


def test_second_build_uses_the_font_cache(content, tmp_path, cache, monkeypatch):
    first = build(content, tmp_path / "a").pdf.read_bytes()
    assert len(entries(cache)) == 4  # two languages, two weights
    assert not list(cache.glob(".*")), "no temporary files left in the cache"
    for entry in entries(cache):  # each entry is named by its key and by the SHA-256 of its bytes
        assert entry.stem.endswith("-" + hashlib.sha256(entry.read_bytes()).hexdigest())

    def no_subsetting(*args):
        raise AssertionError("a cached font was prepared again")

    monkeypatch.setattr(fonts, "_truetype_subset", no_subsetting)
    assert build(content, tmp_path / "b").pdf.read_bytes() == first


def garble(data: bytes) -> bytes:
    """Zero a stretch of the outlines: ReportLab still reads the font, but letters print blank."""
    table = TTFont(io.BytesIO(data)).reader.tables["glyf"]
    start, end = table.offset + table.length // 4, table.offset + table.length // 2
    return data[:start] + bytes(end - start) + data[end:]


def swap_6_and_8(data: bytes) -> bytes:
    """A poisoned font: the character 8 drawn with the glyph of 6, and 6 with that of 8."""
    font = TTFont(io.BytesIO(data))
    for table in font["cmap"].tables:
        if ord("6") in table.cmap:
            table.cmap[ord("6")], table.cmap[ord("8")] = table.cmap[ord("8")], table.cmap[ord("6")]
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def swap_outlines_6_and_8(data: bytes) -> bytes:
    """A poisoned font whose map is intact but whose glyph for 8 is drawn as a 6, and 6 as an 8."""
    font = TTFont(io.BytesIO(data))
    cmap, glyf = font.getBestCmap(), font["glyf"]
    six, eight = cmap[ord("6")], cmap[ord("8")]
    glyf[six], glyf[eight] = glyf[eight], glyf[six]
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def truncate(data: bytes) -> bytes:
    return data[:100]


@pytest.mark.parametrize("damage,readable", [(garble, True), (swap_6_and_8, True), (truncate, False)])
def test_damaged_cache_entry_is_rebuilt_and_the_pdf_prints_correctly(content, tmp_path, warm_cache, damage, readable):
    first = build(content, tmp_path / "a").pdf
    assert prints_wait(first)
    good = {entry.name: entry.read_bytes() for entry in entries(warm_cache)}
    assert len(good) == 4
    for entry in entries(warm_cache):
        entry.write_bytes(damage(entry.read_bytes()))
        if readable:  # damage ReportLab reads without complaint: only the entry's hash can catch it
            RLFont("damaged", io.BytesIO(entry.read_bytes()))
    second = build(content, tmp_path / "b").pdf
    assert second.read_bytes() == first.read_bytes() and prints_wait(second)
    assert {entry.name: entry.read_bytes() for entry in entries(warm_cache)} == good, "damaged entries were replaced"


def test_cache_entry_holding_another_fonts_bytes_is_not_used(content, tmp_path, warm_cache):
    """A sound font under the wrong name (the bold subset where the regular one belongs) is refused."""
    first = build(content, tmp_path / "a").pdf.read_bytes()
    by_face = {TTFont(entry)["name"].getDebugName(4): entry for entry in entries(warm_cache)}
    regular, bold = by_face["Noto Sans Regular"], by_face["Noto Sans Bold"]
    regular.write_bytes(bold.read_bytes())
    assert build(content, tmp_path / "b").pdf.read_bytes() == first
    assert TTFont(regular)["name"].getDebugName(4) == "Noto Sans Regular"


def test_cache_key_covers_the_tool_and_library_versions(content, tmp_path, warm_cache, monkeypatch):
    assert all(version in fonts.PREPARED_BY for version in (__version__, fontTools.version, reportlab.Version))
    build(content, tmp_path / "a")
    before = set(entries(warm_cache))
    monkeypatch.setattr(fonts, "PREPARED_BY", fonts.PREPARED_BY.replace(fontTools.version, "0.0.0"))
    build(content, tmp_path / "b")
    assert len(set(entries(warm_cache)) - before) == 4, "another fontTools version prepares its own entries"


def test_cache_folder_is_the_platform_user_cache_unless_overridden(tmp_path, monkeypatch):
    monkeypatch.delenv("LEAFLET_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "leaflet" / "fonts"
    monkeypatch.setenv("LEAFLET_CACHE_DIR", str(tmp_path / "mine"))
    assert cache_dir() == tmp_path / "mine"


def test_cache_info_and_clear_commands(content, tmp_path, warm_cache):
    build(content, tmp_path / "out")
    runner = CliRunner()
    info = runner.invoke(main, ["cache", "info"])
    assert info.exit_code == 0 and str(warm_cache) in info.stdout
    tables = len(list(warm_cache.glob("*.hyph")))  # 0 when this process parsed the patterns before
    assert f"4 prepared fonts, {tables} hyphenation table" in info.stdout
    cleared = runner.invoke(main, ["cache", "clear"])
    assert cleared.exit_code == 0 and f"removed {4 + tables} cache entries" in cleared.stdout
    assert not list(warm_cache.iterdir())


def test_a_poisoned_entry_with_a_recomputed_name_is_caught_by_the_glyph_witness(content, tmp_path, warm_cache):
    """An attacker who swaps 6 and 8 in a cache entry and renames it to match its new bytes
    defeats the entry's own hash; the build's self-check compares every glyph it embeds with
    the pinned font, so the build fails and writes nothing."""
    build(content, tmp_path / "a")
    for entry in entries(warm_cache):
        key = entry.stem.rsplit("-", 1)[0]
        poisoned = swap_outlines_6_and_8(entry.read_bytes())
        entry.unlink()
        (warm_cache / f"{key}-{hashlib.sha256(poisoned).hexdigest()}.ttf").write_bytes(poisoned)
    with pytest.raises(LeafletError, match="draws a different glyph") as failure:
        build(content, tmp_path / "b")
    assert "“8” (U+0038) (it prints “6”)" in str(failure.value)
    assert not (tmp_path / "b" / "fx-v1.0.pdf").exists()
