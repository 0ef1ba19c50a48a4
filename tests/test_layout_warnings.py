"""Layout warnings in `leaflet check`, and `--strict`."""
import dataclasses
import json

from click.testing import CliRunner

from conftest import EXAMPLE, edit
from leaflet.cli import main
from leaflet.typeset.layout import layout_warnings
from leaflet.typeset.linebreak import Line
from test_placement import fixture_layout

LONG = " ".join(["Repigmentation is a gradual process that can take weeks to months."] * 30)


def check(*args):
    return CliRunner().invoke(main, ["check", *map(str, args)])


def test_the_shipped_example_has_no_layout_warnings():
    for args in ((EXAMPLE,), (EXAMPLE, "--strict")):
        result = check(*args)
        assert result.exit_code == 0 and result.output.strip().endswith("no problems found"), result.output
        assert "warning" not in result.output


def long_paragraph(content):
    """The fixture edition alone, with a paragraph longer than a panel."""
    edit(content / "text" / "en.yaml", "      - Lumirix® is free from steroids.[@pi-hk]",
         f"      - Lumirix® is free from steroids.[@pi-hk] {LONG}")
    fixture_layout(content, ["inside-left", "inside-middle", "inside-right"])
    for region in ("hk", "mo", "sg", "tw"):
        (content / "regions" / f"{region}.yaml").unlink()


def test_a_paragraph_cut_by_a_panel_is_a_warning_and_strict_makes_it_an_error(content):
    long_paragraph(content)
    result = check(content)
    assert result.exit_code == 0, result.output
    assert "warning: " in result.output and "starts in the middle of a paragraph" in result.output
    assert "en.yaml:" in result.output and "edition 'fx'" in result.output
    assert "no problems found, " in result.output and "warning(s)" in result.output
    strict = check(content, "--strict")
    assert strict.exit_code == 1 and "layout warning: " in strict.output and "problem(s) found" in strict.output
    report = json.loads(check(content, "--format", "json").output)
    assert report["ok"] is True and report["warnings"] and not report["problems"]
    assert report["warnings"][0]["kind"] == "layout warning" and report["warnings"][0]["fix"]


def test_blank_and_underfilled_panels_are_warned(content):
    layout = fixture_layout(content, ["inside-left", "inside-middle", "inside-right"])
    inside = layout.pages[1]
    middle = [p for p in inside.lines if p.panel == "inside-middle"]
    inside.lines[:] = [p for p in inside.lines if p.panel != "inside-right" and p not in middle[3:]]
    messages = [d.message for d in layout_warnings(layout)]
    assert any("panel 'inside-right' is blank" in m for m in messages), messages
    assert any("panel 'inside-middle' is only" in m and "full while another" in m for m in messages), messages


def test_a_runt_and_an_orphan_are_warned(content):
    layout = fixture_layout(content, ["inside-left", "inside-middle"])
    inside = layout.pages[1]
    # the last line of a paragraph cut to one word, as a line breaker might leave it
    i = next(i for i, (a, b) in enumerate(zip(inside.lines, inside.lines[1:]))
             if a.para is b.para and a.para.role == "body"
             and (i + 2 >= len(inside.lines) or inside.lines[i + 2].para is not a.para))
    word = inside.lines[i + 1].line.pieces[0]
    short = dataclasses.replace(word, text="cream.", width=layout.fonts.measure("cream.", word.style))
    inside.lines[i + 1] = dataclasses.replace(inside.lines[i + 1], line=Line((short,), short.width, 0))
    # the first line of inside-middle's first paragraph moved to the foot of inside-left
    first = next(p for p in inside.lines if p.panel == "inside-middle")
    inside.lines.insert(inside.lines.index(first), dataclasses.replace(first, panel="inside-left"))
    messages = [d.message for d in layout_warnings(layout)]
    assert any("ends with a runt: “cream.”" in m for m in messages), messages
    assert any("panel 'inside-left' ends with the first line of a paragraph (an orphan)" in m for m in messages)


def test_a_panel_no_flow_uses_and_a_flow_too_short_for_its_panels_are_warned(content):
    """An edition pouring its one language through the three inside panels leaves the flap to
    nobody: it is blank beside the back panel's text. With only a few lines in each inside panel,
    the text is too short for its panels."""
    layout = fixture_layout(content, ["inside-left", "inside-middle", "inside-right"])
    inside = layout.pages[1]
    kept = {name: [p for p in inside.lines if p.panel == name][:3] for name in {p.panel for p in inside.lines}}
    inside.lines[:] = [p for lines in kept.values() for p in lines]
    messages = [(d.message, d.hint) for d in layout_warnings(layout)]
    assert any("panel 'flap' is blank: no flow pours text into it" in m for m, _ in messages), messages
    short = [fix for m, fix in messages if "the en text fills its 3 panels only" in m and "too short" in m]
    assert short and "fewer panels" in short[0], messages
