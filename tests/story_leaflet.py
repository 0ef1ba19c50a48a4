"""A small leaflet of a shape the example does not have: one language, no regions, the
stories given by the test (as the YAML of a story's body), so each test reads as what it sets."""
from __future__ import annotations

import textwrap
from pathlib import Path

from small_leaflet import THEME_FORMAT

LEAFLET = """\
title: Test leaflet
languages: [{language}]
approval: {{job_code: T-BLOCKS-01, version: "1.0", date_of_preparation: 2026-01-15, status: {status}}}
format: {{trim_mm: [297, 210], bleed_mm: 3, fold: letter, fold_in_mm: 3, safe_mm: 6}}
""" + THEME_FORMAT + """cover: {{tagline: [A TEST], product: Testamol, descriptor: Test cream 1 mg/g}}
agent: {{language: {language}, lines: [Test Pharma Ltd]}}
flows:
  - language: {language}
    panels: [{panels}]
    stories: [{stories}]
"""

REFERENCES = """\
references:
  - id: pi
    text: Testamol prescribing information, 2026.
    uncited: the product information every leaflet lists
"""


FOUR_PANELS = ("inside-left", "inside-middle", "inside-right", "flap")


def write_leaflet(folder: Path, bodies: dict[str, str], language: str = "en", status: str = "draft",
                  panels: tuple[str, ...] = FOUR_PANELS) -> Path:
    """A leaflet folder whose stories (id -> YAML of its body list) flow through `panels`."""
    (folder / "text").mkdir(parents=True, exist_ok=True)
    (folder / "leaflet.yaml").write_text(LEAFLET.format(language=language, status=status, panels=", ".join(panels),
                                                        stories=", ".join(bodies)), encoding="utf-8")
    (folder / "references.yaml").write_text(REFERENCES, encoding="utf-8")
    stories = "".join(f"  {story}:\n    heading: {story.replace('-', ' ').capitalize()}\n    body:\n"
                      + textwrap.indent(textwrap.dedent(body).strip("\n"), "      ") + "\n"
                      for story, body in bodies.items())
    (folder / "text" / f"{language}.yaml").write_text(f"language: {language}\nstories:\n{stories}",
                                                       encoding="utf-8")
    return folder


def line_of(folder: Path, needle: str, language: str = "en") -> int:
    """The line of the story file that holds `needle`, to check an error names it."""
    lines = (folder / "text" / f"{language}.yaml").read_text(encoding="utf-8").splitlines()
    return next(i + 1 for i, line in enumerate(lines) if needle in line)
