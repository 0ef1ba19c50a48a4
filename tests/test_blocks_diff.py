"""`leaflet diff` shows changes in the new blocks: a list item's wording, its number, a
list's style, a sub-heading and a callout, each by sentence, with the item's marker."""
from conftest import run_cli
from block_leaflet import block_leaflet

WAIT = "Wait at least 8 hours between applications."
AREA = "The cream should not be used on more than 10% of your body."
TUBES = "Do not use more than 2 tubes of Lumirix® 100g in a month."


def version(folder, start: int, second: str, style: str = "shaded", subheading: str = "How to apply"):
    body = f"""    heading: Starting Lumirix®
    body:
      - subheading: {subheading}
      - numbered: ["{WAIT}", "{second}"]
        start: {start}
      - callout: {{style: {style}, body: ["{TUBES}"]}}
"""
    folder.parent.mkdir()
    return block_leaflet(folder, {"starting": body}, panels="inside-left")


def diff(old, new) -> str:
    return run_cli("diff", old, new).stdout


def test_a_changed_list_item_is_shown_with_its_words_marked(tmp_path):
    old = version(tmp_path / "old" / "fx", 1, AREA)
    new = version(tmp_path / "new" / "fx", 1, AREA.replace("10%", "20%"))
    out = diff(old, new)
    assert "1 sentence(s) changed" in out
    assert "~ The cream should not be used on more than [-10-]{+20+}% of your body.  (text/en.yaml:7)" in out


def test_renumbering_a_list_shows_each_items_new_marker(tmp_path):
    out = diff(version(tmp_path / "old" / "fx", 1, AREA), version(tmp_path / "new" / "fx", 3, AREA))
    assert f"¶ {WAIT}  [item 1. → item 3.]" in out
    assert f"¶ {AREA}  [item 2. → item 4.]" in out


def test_a_callout_restyled_and_a_subheading_reworded_are_shown(tmp_path):
    out = diff(version(tmp_path / "old" / "fx", 1, AREA),
               version(tmp_path / "new" / "fx", 1, AREA, style="ruled", subheading="How to use the cream"))
    assert f"¶ {TUBES}  [callout (shaded) → callout (ruled)]" in out
    assert "~ How to [-apply-]{+use the cream+}  (text/en.yaml:6)" in out


def test_an_identical_folder_shows_no_change(tmp_path):
    out = diff(version(tmp_path / "old" / "fx", 2, AREA), version(tmp_path / "new" / "fx", 2, AREA))
    assert "no changes" in out
