"""Small fixture leaflets written by the tests: a leaflet of another shape than the example.

The wording is the example's own (from the source leaflet); the fixtures change only
which parts a leaflet has: no references, no product, no agent, other languages."""
from pathlib import Path

from pypdf import PdfReader

from conftest import run_cli

# The theme every fixture leaflet shares; THEME_FORMAT is the same for str.format templates.
THEME = """theme:
  colours: {brand: [78, 8, 32, 0], brand_dark: [90, 35, 45, 25], accent: [0, 40, 75, 0], tint: [10, 0, 4, 0]}
  body_size_pt: 10
  body_leading_pt: 13.8
  heading_size_pt: 12.5
  reference_size_pt: 7
"""
THEME_FORMAT = THEME.replace("{", "{{").replace("}", "}}")

LEAFLET = """title: Fixture leaflet
languages: [{languages}]
approval: {{job_code: FX-0001, version: "1.0", date_of_preparation: 2025-01-22, status: draft}}
format: {{trim_mm: [297, 210], bleed_mm: 3, fold: letter}}
""" + THEME_FORMAT + """{extra}
flows:
{flows}
"""

EN = """language: {tag}
stories:
  plan:
    heading: Starting Lumirix®
    body:
      - Your doctor will recommend a treatment plan for you.{cite}
      - Wait at least 8 hours between applications.
"""

ZH = """language: {tag}
stories:
  plan:
    heading: 開始 Lumirix® 治療
    body:
      - 您的醫生會為您推薦治療方案。{cite}
      - 每天在受影響的皮膚區域塗抹一層薄薄的藥膏兩次。兩次之間至少相隔 8 小時。
"""

PANELS = {0: "inside-left", 1: "inside-middle", 2: "inside-right"}


def write_leaflet(folder: Path, languages=("en",), extra: str = "", cite: str = "", texts: dict | None = None,
                  files: dict | None = None) -> Path:
    """A one-story leaflet in `languages` (each its own flow), with `extra` top-level YAML
    in leaflet.yaml, text files for each language (or `texts`: tag -> file text) and any other `files`."""
    folder.mkdir(parents=True, exist_ok=True)
    flows = "\n".join(f"  - {{language: {tag}, panels: [{PANELS[i]}], stories: [plan]}}"
                      for i, tag in enumerate(languages))
    (folder / "leaflet.yaml").write_text(LEAFLET.format(languages=", ".join(languages), extra=extra, flows=flows),
                                         encoding="utf-8")
    (folder / "text").mkdir(exist_ok=True)
    for tag in languages:
        text = (texts or {}).get(tag) or (ZH if tag.lower().startswith("zh") else EN).format(tag=tag, cite=cite)
        (folder / "text" / f"{tag}.yaml").write_text(text, encoding="utf-8")
    for name, text in (files or {}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def cli(*args) -> tuple[int, str]:
    """The command line in this process (conftest.run_cli: a crash is re-raised, never taken
    for a message): its exit code and everything it printed."""
    result = run_cli(*map(str, args))
    return result.returncode, result.stdout + result.stderr


def page_text(pdf: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


def text_by_font(pdf: Path, page: int) -> dict[str, str]:
    """The text each font paints on a page, in drawing order, read back from the PDF:
    font base name (subset tag dropped) -> its text."""
    found: dict[str, str] = {}

    def visit(text, cm, tm, font, size):
        if font is not None and text.strip():
            name = str(font["/BaseFont"]).split("+")[-1]
            found[name] = found.get(name, "") + text

    PdfReader(pdf).pages[page].extract_text(visitor_text=visit)
    return found
