"""A small one-edition leaflet written by a test: the stories it is given, in English
(and Traditional Chinese, if given), poured through the inside panels. Wording is the
source leaflet's."""
from __future__ import annotations

from pathlib import Path

from leaflet.content.model import Format
from small_leaflet import THEME

LEAFLET = """title: Block fixture
languages: [%(languages)s]
approval: {job_code: FX-BLK-01, version: "1.0", date_of_preparation: 2025-01-22, status: draft}
format: {trim_mm: [297, 210], bleed_mm: 3, fold: letter, fold_in_mm: 3, safe_mm: 6}
""" + THEME + """cover: {tagline: [A WAY TO], product: Lumirix®, descriptor: Ruxolitinib Cream 15mg/g}
agent: {language: en, lines: [Fixture agent]}
flows:
%(flows)s
"""
FLOW = "  - {language: %s, panels: [%s], stories: [%s]}\n"
REFERENCES = """references:
  - id: pi-hk
    text: "Lumirix® Hong Kong Prescribing Information."
    uncited: a fixture may cite nothing
"""


def block_leaflet(folder: Path, stories: dict[str, str], chinese: dict[str, str] | None = None,
                  panels: str = "inside-left, inside-middle, inside-right",
                  chinese_panels: str = "flap") -> Path:
    """`stories`: story id -> its YAML (heading and body), indented as under `stories:`."""
    (folder / "text").mkdir(parents=True)
    flows = FLOW % ("en", panels, ", ".join(stories))
    languages = "en"
    _text(folder / "text" / "en.yaml", "en", stories)
    if chinese:
        flows += FLOW % ("zh-Hant-HK", chinese_panels, ", ".join(chinese))
        languages += ", zh-Hant-HK"
        _text(folder / "text" / "zh-Hant-HK.yaml", "zh-Hant-HK", chinese)
    (folder / "leaflet.yaml").write_text(LEAFLET % {"languages": languages, "flows": flows.rstrip()},
                                         encoding="utf-8")
    (folder / "references.yaml").write_text(REFERENCES, encoding="utf-8")
    return folder


def story(body: str, heading: str = "Starting Lumirix®") -> dict[str, str]:
    """One story, 'starting', with a heading and the given body entries (indented as under `body:`)."""
    return {"starting": f"    heading: {heading}\n    body:\n{body}"}


def check_problems(folder: Path) -> str:
    """`leaflet check`'s report on a folder with problems: exit 1, and no crash."""
    from conftest import run_cli

    result = run_cli("check", folder)
    assert result.returncode == 1, result.stdout
    return result.stdout


def _text(file: Path, language: str, stories: dict[str, str]) -> None:
    body = "".join(f"  {story_id}:\n{text}" for story_id, text in stories.items())
    file.write_text(f"language: {language}\nstories:\n{body}", encoding="utf-8")


FORMAT = Format(trim_mm=(297, 210), bleed_mm=3, fold="letter", fold_in_mm=3, safe_mm=6)  # as LEAFLET sets it
PAGES = {"flap": 0, "back": 0, "cover": 0, "inside-left": 1, "inside-middle": 1, "inside-right": 1}


def panel_lines(pdf: Path, panel: str) -> list[list]:
    """The glyphs the panel's page paints within the panel (our paint interpreter reading the
    real PDF), upright and not blank, grouped by baseline, top to bottom, each line left to right."""
    from pypdf import PdfReader

    from leaflet.proof.paint import paint_pages
    from leaflet.typeset.layout import sheet_for

    trim = sheet_for(FORMAT).panels[panel].trim
    glyphs = [g for g in paint_pages(PdfReader(pdf))[PAGES[panel]].glyphs
              if g.char.strip() and abs(g.angle) < 1 and trim.x <= g.x < trim.right and trim.y <= g.y < trim.top]
    lines: list[list] = []
    for glyph in sorted(glyphs, key=lambda g: -g.y):  # a raised ® or citation joins its line
        if lines and lines[-1][0].y - glyph.y <= 0.45 * glyph.size:
            lines[-1].append(glyph)
        else:
            lines.append([glyph])
    return [sorted(line, key=lambda g: g.x) for line in lines]


def text_of(line: list) -> str:
    """A line's characters, a space where two glyphs stand apart."""
    out, previous = "", None
    for glyph in line:
        if previous is not None and glyph.x - (previous.x + previous.advance) > 0.12 * glyph.size:
            out += " "
        out += glyph.char
        previous = glyph
    return out
