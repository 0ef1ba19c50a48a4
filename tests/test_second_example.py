"""The second shipped example, content/lumirix-guide: a Z-fold, Chinese first, with numbered steps,
a callout, a table and a QR code, and a Macau edition with its own English."""
from pypdf import PdfReader

from conftest import REPO, squash
from leaflet.pipeline import build_editions

GUIDE = REPO / "content" / "lumirix-guide"
MACAU_ONLY = "Your doctor will recommend a treatment plan for you including how long you should use the cream."


def test_every_edition_of_the_guide_builds_and_prints_its_own_english(tmp_path):
    outcomes = build_editions(GUIDE, tmp_path, jobs=1)
    assert sorted((o.region, o.ok) for o in outcomes) == [("hk", True), ("mo", True)]
    text = {region: [squash(page.extract_text()) for page in PdfReader(tmp_path / f"lumirix-guide-{region}-v1.0.pdf").pages]
            for region in ("hk", "mo")}
    for outside, inside in text.values():
        opening = inside.replace("DRAFT", "")  # the watermark's text comes first in the text layer
        assert opening.startswith(squash("Lumirix® 如何發揮作用？")), "Chinese first: the inside opens in Chinese"
        assert squash("一、每天在受影響的皮膚區域塗抹一層薄薄的藥膏兩次。") in inside  # Chinese numbered steps
        assert squash("1.Apply a thin layer of cream twice daily") in outside  # English numbered steps
        assert squash("How much Limit Twice daily") in outside  # the table, header first
        assert "References" in inside and "Ruxolitinib Cream 15mg/g" not in outside + inside  # no descriptor
    assert squash(MACAU_ONLY) in text["mo"][0] and squash(MACAU_ONLY) not in text["hk"][0]
