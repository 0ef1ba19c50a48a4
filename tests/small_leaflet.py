"""A small one-edition leaflet written by a test: the stories it is given, in English
(and Traditional Chinese, if given), poured through the inside panels. Wording is the
source leaflet's."""
from __future__ import annotations

from pathlib import Path

LEAFLET = """title: Block fixture
languages: [%(languages)s]
approval: {job_code: FX-BLK-01, version: "1.0", date_of_preparation: 2025-01-22, status: draft}
format: {trim_mm: [297, 210], bleed_mm: 3, fold: letter, fold_in_mm: 3, safe_mm: 6}
theme:
  colours: {brand: [78, 8, 32, 0], brand_dark: [90, 35, 45, 25], accent: [0, 40, 75, 0], tint: [10, 0, 4, 0]}
  body_size_pt: 10
  body_leading_pt: 13.8
  heading_size_pt: 12.5
  reference_size_pt: 7
cover: {tagline: [A WAY TO], product: Lumirix®, descriptor: Ruxolitinib Cream 15mg/g}
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


def small_leaflet(folder: Path, stories: dict[str, str], chinese: dict[str, str] | None = None,
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


def _text(file: Path, language: str, stories: dict[str, str]) -> None:
    body = "".join(f"  {story_id}:\n{text}" for story_id, text in stories.items())
    file.write_text(f"language: {language}\nstories:\n{body}", encoding="utf-8")
