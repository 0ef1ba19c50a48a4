"""Load stage: content YAML -> model, and every way the YAML can be wrong."""
import pytest

from conftest import EXAMPLE, edit
from leaflet.errors import ContentError, LeafletError
from leaflet.content.load import load_leaflet
from leaflet.content.model import Citation, ItemList


def test_example_loads_both_languages_with_all_stories():
    leaflet = load_leaflet(EXAMPLE)
    assert leaflet.languages == ("en", "zh-Hant-HK", "zh-Hans")
    assert list(leaflet.regions) == ["hk", "mo", "sg", "tw"]
    for language in leaflet.languages:
        for story in ("understanding-vitiligo", "process-of-repigmentation", "how-lumirix-works",
                      "starting-lumirix", "maintaining-your-results"):
            assert (language, story) in leaflet.stories


def test_seed_defects_are_fixed_in_content():
    leaflet = load_leaflet(EXAMPLE)
    heading = leaflet.stories[("en", "how-lumirix-works")].heading
    assert "".join(s.text for s in heading.inlines) == "How does Lumirix® work?"
    understanding = leaflet.stories[("en", "understanding-vitiligo")].blocks[0]
    text = "".join(getattr(s, "text", "") for s in understanding.inlines)
    assert text.endswith("leading to melanocyte death and depigmentation.")
    assert understanding.added == "completion"
    maintaining = leaflet.stories[("en", "maintaining-your-results")].blocks
    assert maintaining and all(p.added == "translation" for p in maintaining)
    all_text = repr(leaflet.stories)
    assert "</p" not in all_text and "209" not in all_text


def test_citations_and_bullets_are_parsed():
    leaflet = load_leaflet(EXAMPLE)
    starting = leaflet.stories[("en", "starting-lumirix")].blocks
    assert isinstance(starting[0], ItemList) and len(starting[0].items) == 3
    assert starting[0].style == "bullet"
    cites = [i for i in starting[0].items[0].paragraph.inlines if isinstance(i, Citation)]
    assert cites[0].ref_ids == ("pi-hk",)


def line_of(file, text) -> int:
    return file.read_text(encoding="utf-8").split(text)[0].count("\n") + 1


def error_for(content, file, old, new) -> str:
    edit(content / file, old, new)
    with pytest.raises(ContentError) as info:
        load_leaflet(content)
    return str(info.value)


def test_unknown_key_names_file_line_and_suggests(content):
    line = line_of(content / "leaflet.yaml", "  bleed_mm: 3")
    message = error_for(content, "leaflet.yaml", "  bleed_mm: 3", "  bleeed_mm: 3")
    assert f"leaflet.yaml:{line}:" in message
    assert "unknown key 'bleeed_mm'" in message and "did you mean 'bleed_mm'" in message


def test_yaml_syntax_error_has_line_and_column(content):
    message = error_for(content, "text/en.yaml", "    heading: Understanding Vitiligo",
                        "    heading: [Understanding Vitiligo")
    assert "en.yaml:" in message and "YAML syntax error, column" in message


def test_tab_indentation_is_explained(content):
    line = line_of(content / "leaflet.yaml", "  bleed_mm: 3")
    message = error_for(content, "leaflet.yaml", "  bleed_mm: 3", "\tbleed_mm: 3")
    assert f"leaflet.yaml:{line}:" in message and "does not allow tabs" in message


def test_duplicate_key_is_refused(content):
    line = line_of(content / "leaflet.yaml", "  bleed_mm: 3")
    message = error_for(content, "leaflet.yaml", "  bleed_mm: 3", "  bleed_mm: 3\n  bleed_mm: 5")
    assert f"'bleed_mm' appears twice (first on line {line})" in message
    assert f"leaflet.yaml:{line + 1}:" in message


def test_alias_is_refused(content):
    edit(content / "leaflet.yaml", "    accent: [0, 40, 75, 0]", "    accent: *b")
    message = error_for(content, "leaflet.yaml", "    brand: [78, 8, 32, 0]", "    brand: &b [78, 8, 32, 0]")
    assert "anchors and aliases" in message


def test_alias_bomb_is_refused_quickly(tmp_path):
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    for i in range(1, 10):
        bomb += f"{chr(97 + i)}: &{chr(97 + i)} [" + ",".join([f"*{chr(96 + i)}"] * 9) + "]\n"
    (tmp_path / "leaflet.yaml").write_text(bomb)
    with pytest.raises(LeafletError, match="anchors and aliases"):
        load_leaflet(tmp_path)


def test_wrong_type_is_named(content):
    message = error_for(content, "leaflet.yaml", "  body_size_pt: 10", "  body_size_pt: ten")
    assert "'theme.body_size_pt' must be a number, not text" in message


def test_body_text_below_nine_points_is_refused(content):
    message = error_for(content, "leaflet.yaml", "  body_size_pt: 10", "  body_size_pt: 8")
    assert "below the readability minimum of 9 pt" in message


def test_empty_and_non_utf8_files(content):
    (content / "references.yaml").write_text("")
    with pytest.raises(ContentError, match="references.yaml: the file is empty"):
        load_leaflet(content)
    (content / "references.yaml").write_bytes(b"references:\n  - id: x\n    text: caf\xe9\n")
    with pytest.raises(ContentError, match=r"references.yaml:3: the file is not valid UTF-8"):
        load_leaflet(content)


def test_missing_text_file_is_named(content):
    (content / "text" / "zh-Hant-HK.yaml").unlink()
    with pytest.raises(ContentError, match=r"zh-Hant-HK.yaml: the file does not exist"):
        load_leaflet(content)


def test_flow_naming_a_missing_story(content):
    message = error_for(content, "leaflet.yaml", "      - maintaining-your-results\n  - language: zh",
                        "      - maintaining-your-result\n  - language: zh")
    assert "names story 'maintaining-your-result'" in message and "leaflet.yaml:" in message


def test_ampersand_and_angle_brackets_are_plain_text(content):
    edit(content / "text" / "en.yaml", "Lumirix® is free from steroids.", "Lumirix® <is> free & clear.")
    leaflet = load_leaflet(content)
    blocks = leaflet.stories[("en", "how-lumirix-works")].blocks
    assert blocks[1].inlines[0].text == "Lumirix® <is> free & clear."
