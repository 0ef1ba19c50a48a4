"""Small fixture leaflets written by the tests: a leaflet of another shape than the example.

The wording is the example's own (from the source leaflet); the fixtures change only
which parts a leaflet has: no references, no product, no agent, other languages."""
from pathlib import Path

from pypdf import PdfReader

from conftest import EXAMPLE, run_cli

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


# The regional fixture: the example's own files, cut to three stories and two regions (Hong Kong and Macau),
# for tests of the watcher and the build's output folder that need the example's shape but not its length.
REGIONAL_STORIES = ("understanding-vitiligo", "how-lumirix-works", "starting-lumirix")

REGIONAL_FLOWS = "flows:\n" + "".join(
    f"  - language: {tag}\n    panels: [{panels}]\n    stories: [{', '.join(REGIONAL_STORIES)}]\n"
    for tag, panels in (("en", "inside-left, flap"), ("zh-Hant-HK", "inside-middle, inside-right")))

REGIONAL_REFERENCES = """references:
  - id: pi-hk
    text: "Hong Kong Lumirix® cream Prescribing Information."
"""

REGIONAL_EN = """# English text of the Lumirix® leaflet (three of its stories).

language: en
stories:
  understanding-vitiligo:
    heading: Understanding Vitiligo
    body:
      - text: >-
          Vitiligo develops in genetically susceptible individuals when
          environmental triggers induce stress responses in the skin. This
          causes an autoimmune response in which melanocytes (pigment-producing
          cells in the skin) are attacked. Activation of JAK-STAT and an
          inflammatory cycle trigger the attack on melanocytes, leading to
          melanocyte death and depigmentation.
        added: completion
        note: >-
          The source's English stops after "melanocytes (pigment-producing
          cells in the skin)". The rest is completed from the Chinese text.

  how-lumirix-works:
    heading: How does Lumirix® work?
    body:
      - Lumirix® contains the active substance Ruxolitinib, a Janus kinase (JAK) inhibitor.[@pi-hk]
      - Lumirix® is free from steroids.[@pi-hk]

  starting-lumirix:
    heading: Starting Lumirix®
    body:
      - bullets:
          - Apply a thin layer of cream twice daily to the affected areas of your skin.[@pi-hk]
          - Wait at least 8 hours between applications.[@pi-hk]
      - >-
        Your doctor will recommend a treatment plan for you including how long
        you should use the cream.
"""

REGIONAL_ZH = """# Traditional Chinese (Hong Kong) text of the Lumirix® leaflet (three of its stories).

language: zh-Hant-HK
stories:
  understanding-vitiligo:
    heading: 了解白蝕症
    body:
      - text: 當環境因素誘發皮膚壓力反應時，遺傳風險較高的人士會有機會出現白蝕症。這會引起自體免疫反應，當中黑色素細胞（皮膚中產生色素的細胞）受到攻擊。
        added: completion
        note: 原文句子在「當中黑色素細胞」處中斷；「（皮膚中產生色素的細胞）受到攻擊。」按英文原文補全。
      - JAK-STAT的啟動和炎症性的循環觸發對黑色素細胞的攻擊。導致黑色素細胞死亡和色素脫失。

  how-lumirix-works:
    heading:
      text: Lumirix® 如何發揮作用？
      added: translation
      note: 原文中文版缺少此部分，按英文原文翻譯。
    body:
      - text: Lumirix® 含有活性成分 Ruxolitinib，一種 Janus 激酶（JAK）抑制劑。[@pi-hk]
        added: translation
      - text: Lumirix® 不含類固醇。[@pi-hk]
        added: translation
      - text: Lumirix® 用於皮膚，治療成人及12歲或以上青少年伴有面部受累的非節段型白蝕症。[@pi-hk]
        added: translation

  starting-lumirix:
    heading: 開始 Lumirix® 治療
    body:
      - bullets:
          - 每天在受影響的皮膚區域塗抹一層薄薄的藥膏兩次。兩次之間至少相隔8小時。[@pi-hk]
          - 藥膏的使用面積不得超過身體面積的10%。一個月內不要使用超過 2 支 Lumirix® 100g。[@pi-hk]
"""


def write_regional_leaflet(folder: Path) -> Path:
    """The example cut short: its leaflet.yaml up to the back panel (title, approval, format, theme, cover,
    agent), three of its stories in English and Hong Kong Chinese, and its Hong Kong and Macau regions verbatim."""
    head = (EXAMPLE / "leaflet.yaml").read_text(encoding="utf-8").split("\nback_stories:")[0]
    head = head.replace("languages: [en, zh-Hant-HK, zh-Hans]", "languages: [en, zh-Hant-HK]", 1)
    head = head.replace("body_size_pt: 10\n  body_leading_pt: 13.8", "body_size_pt: 12\n  body_leading_pt: 20", 1)
    (folder / "regions").mkdir(parents=True)
    (folder / "text").mkdir()
    (folder / "leaflet.yaml").write_text(head + "\n\n" + REGIONAL_FLOWS, encoding="utf-8")
    (folder / "references.yaml").write_text(REGIONAL_REFERENCES, encoding="utf-8")
    (folder / "text" / "en.yaml").write_text(REGIONAL_EN, encoding="utf-8")
    (folder / "text" / "zh-Hant-HK.yaml").write_text(REGIONAL_ZH, encoding="utf-8")
    for region in ("hk", "mo"):
        (folder / "regions" / f"{region}.yaml").write_text((EXAMPLE / "regions" / f"{region}.yaml")
                                                           .read_text(encoding="utf-8"), encoding="utf-8")
    return folder
