"""Folds as data: every preset fold on every sheet size builds, verifies, and puts each
panel's text, the cover, the back and the fold marks where its definition says."""
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader
from reportlab.lib.units import mm

import tamper
from conftest import EXAMPLE, edit
from leaflet.change.compare import compare_pdfs
from leaflet.content.schema import SHEETS
from leaflet.errors import ContentError
from leaflet.pipeline import build, check, verify_file
from leaflet.content.load import load_leaflet
from leaflet.typeset.folds import FOLDS, fold_marked, fold_problems

ONE_LANGUAGE = ["understanding-vitiligo", "process-of-repigmentation", "how-lumirix-works", "starting-lumirix",
                "maintaining-your-results"]
SHORT = ["understanding-vitiligo", "process-of-repigmentation", "maintaining-your-results"]


def write_leaflet(folder: Path, fold: str, sheet: str = "A4", languages=("en",), stories=None, flows=None) -> Path:
    """A small leaflet in the example's own wording: one or two languages, the fold and sheet
    under test, and flows naming no panels (the fold's defaults) unless given."""
    stories = stories or (ONE_LANGUAGE if len(languages) == 1 and sheet != "A5" else SHORT)
    tagline = '["A WAY TO"]' if sheet == "A5" else '["HELP RESTORE", "WHAT\'S YOURS"]'  # the source's words
    (folder / "text").mkdir(parents=True)
    for language in languages:
        shutil.copy(EXAMPLE / "text" / f"{language}.yaml", folder / "text")
    _write_references(folder, languages, [*stories, "more-information"])
    flows = flows or "".join(f"  - language: {language}\n    stories: [{', '.join(stories)}]\n"
                             for language in languages)
    (folder / "leaflet.yaml").write_text(f"""title: Lumirix® fold test
languages: [{', '.join(languages)}]
approval: {{job_code: FX-FOLD-01, version: "1.0", date_of_preparation: 2025-01-22, status: draft}}
format:
  sheet: {sheet}
  bleed_mm: 3
  fold: {fold}
  safe_mm: 6
theme:
  colours: {{brand: [78, 8, 32, 0], brand_dark: [90, 35, 45, 25], accent: [0, 40, 75, 0], tint: [10, 0, 4, 0]}}
  body_size_pt: 9
  body_leading_pt: 12.5
  heading_size_pt: 11
  reference_size_pt: 6.5
cover:
  tagline: {tagline}
  product: Lumirix®
  descriptor: Ruxolitinib Cream 15mg/g
agent: {{language: {languages[0]}, lines: [Distributor to be supplied]}}
back_stories: [more-information]
flows:
{flows}""", encoding="utf-8")
    return folder


def _write_references(folder: Path, languages, stories) -> None:
    """The example's references that the chosen stories cite, word for word."""
    text = "".join(json.dumps(yaml.safe_load((folder / "text" / f"{language}.yaml").read_text(encoding="utf-8"))
                              ["stories"][story], ensure_ascii=False) for language in languages for story in stories)
    cited = set(re.findall(r"@([a-z0-9-]+)", text))
    references = yaml.safe_load((EXAMPLE / "references.yaml").read_text(encoding="utf-8"))["references"]
    kept = [{"id": r["id"], "text": r["text"]} for r in references if r["id"] in cited]
    (folder / "references.yaml").write_text(yaml.safe_dump({"references": kept}, allow_unicode=True),
                                            encoding="utf-8")


# --- the definitions ---------------------------------------------------------------------

@pytest.mark.parametrize("name", FOLDS)
def test_each_fold_definition_is_whole(name):
    """Every panel is read once, the cover first and outside; widths fill the sheet; a panel and
    the one backing it are equally wide; the default flows use text panels, none twice."""
    fold = FOLDS[name]
    assert sorted(fold.reading) == sorted(fold.panels) and len(set(fold.panels)) == len(fold.panels)
    assert fold.reading[0] == fold.cover and fold.side_of(fold.cover) == 0
    for width, fold_in in ((297, 3), (279.4, 0), (210, 2)):
        sides = fold.widths(width, fold_in)
        assert [len(s) for s in sides] == [len(s) for s in fold.sides]
        assert all(sum(side) == pytest.approx(width) for side in sides)
        by_name = dict(zip(fold.panels, sides[0] + sides[1]))
        assert all(by_name[p] == pytest.approx(by_name[fold.backing(p)]) for p in fold.panels)
    for count in (1, 2):
        panels = [p for flow in fold.default_panels(count) for p in flow]
        assert set(panels) <= set(fold.text_panels) and len(panels) == len(set(panels))


def test_gate_flaps_are_half_the_centre_less_the_allowance():
    flap, centre, other = FOLDS["gate"].widths(297, 3)[0]
    assert flap == other == pytest.approx(centre / 2 - 3) and flap + centre + other == pytest.approx(297)


def test_a_fold_is_known_again_from_its_marks_alone():
    """compare has only the PDF: the fold marks say which fold it is, whatever the allowance."""
    for name, fold in FOLDS.items():
        for fold_in in (0.0, 2.5):
            if name == "letter" and fold_in == 0:
                continue  # a roll fold with no allowance is a Z's geometry: named as the Z
            for side in (0, 1):
                widths = fold.widths(297, fold_in)[side]
                marks = tuple(sum(widths[:i + 1]) for i in range(len(widths) - 1))
                assert fold_marked(297, side, marks) is fold, (name, fold_in, side)
    assert fold_marked(297, 0, (50.0, 120.0)) is None


# --- building each fold on each sheet --------------------------------------------------------

CASES = [(fold, sheet) for fold in FOLDS for sheet in SHEETS if (fold, sheet) != ("gate", "A5")]  # see below


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """Each leaflet built once: (content folder, PDF path)."""
    made = {}

    def get(fold, sheet, languages=("en",)):
        key = (fold, sheet, languages)
        if key not in made:
            root = tmp_path_factory.mktemp(f"{fold}-{sheet}")
            folder = write_leaflet(root / "fx", fold, sheet, languages)
            made[key] = folder, build(folder, root / "out").pdf
        return made[key]
    return get


def text_positions(pdf: Path, page: int) -> list[tuple[float, float, str]]:
    """Where each piece of text starts, mm from the trim's lower left, as pypdf reads it."""
    reader = PdfReader(pdf)
    trim = reader.pages[page].trimbox
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append(((cm[4] + tm[4] * cm[0] - float(trim.left)) / mm,
                          (cm[5] + tm[5] * cm[3] - float(trim.bottom)) / mm, text))
    reader.pages[page].extract_text(visitor_text=visit)
    return found


def panel_at(fold, sheet: str, side: int, x_mm: float) -> str:
    """The panel the definition puts at x on a side (the default 3 mm allowance)."""
    widths = fold.widths(SHEETS[sheet][0], 3.0)[side]
    return fold.sides[side][sum(1 for i in range(len(widths) - 1) if x_mm >= sum(widths[:i + 1]))]


def fold_marks(pdf: Path, page: int) -> list[float]:
    """x of the vertical marks above the trim between its corners, mm from the trim's left."""
    reader = PdfReader(pdf)
    trim = reader.pages[page].trimbox
    stream = reader.pages[page].get_contents().get_data().decode("latin-1")
    strokes = re.findall(r"([-\d.]+) ([-\d.]+) m ([-\d.]+) ([-\d.]+) l", stream)
    return sorted({round((float(x0) - float(trim.left)) / mm, 1) for x0, y0, x1, _ in strokes
                   if x0 == x1 and float(y0) > float(trim.top)
                   and float(trim.left) + 1 < float(x0) < float(trim.right) - 1})


def placed_text(fold, sheet: str, pdf: Path) -> dict[int, list[tuple[str, str]]]:
    """Each side's text inside the trim (not the slug) with the panel it starts in."""
    return {side: [(panel_at(fold, sheet, side, x), text) for x, y, text in text_positions(pdf, side)
                   if 0 <= y <= SHEETS[sheet][1]] for side in (0, 1)}


@pytest.mark.parametrize("fold_name,sheet", CASES)
def test_each_fold_and_sheet_builds_verified_where_its_definition_says(builds, fold_name, sheet):
    folder, pdf = builds(fold_name, sheet)  # build() runs the self-check and raises on any finding
    fold, reader = FOLDS[fold_name], PdfReader(pdf)
    width, height = SHEETS[sheet]
    assert len(reader.pages) == 2
    for index, page in enumerate(reader.pages):
        trim, bleed = page.trimbox, page.bleedbox
        assert (float(trim.width) / mm, float(trim.height) / mm) == pytest.approx((width, height), abs=0.01)
        assert (float(bleed.width) / mm, float(bleed.height) / mm) == pytest.approx((width + 6, height + 6),
                                                                                    abs=0.01)
        widths = fold.widths(width, 3.0)[index]
        assert fold_marks(pdf, index) == pytest.approx([sum(widths[:i + 1]) for i in range(len(widths) - 1)],
                                                       abs=0.1)
    placed = placed_text(fold, sheet, pdf)
    cover = [text for panel, text in placed[0] if panel == fold.cover]
    assert "Lumirix" in "".join(cover) and "Ruxolitinib Cream" in " ".join(cover)
    back = [text for panel, text in placed[fold.side_of(fold.back)] if panel == fold.back]
    assert any("Job code FX-FOLD-01" in text for text in back) and "References" in back
    first = fold.default_panels(1)[0][0]  # the first text panel a reader meets holds the first story
    assert "Understanding" in [text.split()[0] for panel, text in placed[fold.side_of(first)] if panel == first]
    for side in (0, 1):  # every text panel of the side carries text
        used = {panel for panel, _ in placed[side]}
        assert {p for p in fold.sides[side] if p in fold.text_panels} <= used
    assert not verify_file(pdf, folder).findings


def test_a_gatefold_on_a5_is_refused_rather_than_cut_the_product_name(tmp_path):
    """An A5 gate's flap has 33 mm for text; the product name at 30 pt needs 40: never “Lumir-ix”."""
    folder = write_leaflet(tmp_path / "fx", "gate", "A5")
    with pytest.raises(ContentError, match="on the cover, “Lumirix®” does not fit the 33 mm"):
        build(folder, tmp_path / "out")
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.pdf"))


@pytest.mark.parametrize("fold_name", ["gate", "bifold"])
def test_bilingual_default_flows_give_each_language_its_panels(builds, fold_name):
    folder, pdf = builds(fold_name, "A4", ("en", "zh-Hant-HK"))
    fold = FOLDS[fold_name]
    placed = placed_text(fold, "A4", pdf)
    english, chinese = fold.default_panels(2)
    assert "Understanding Vitiligo" in [t for p, t in placed[fold.side_of(english[0])] if p == english[0]]
    assert "了解白蝕症" in [t for p, t in placed[fold.side_of(chinese[0])] if p == chinese[0]]
    assert not any("了解" in t for side in placed.values() for p, t in side if p in english)
    assert not verify_file(pdf, folder).findings


@pytest.mark.parametrize("fold_name,moved_mm,panel,into", [("gate", 80, "flap", "back"),
                                                           ("bifold", 150, "inside-left", "inside-right")])
def test_verify_names_text_moved_into_another_panel(builds, tmp_path, fold_name, moved_mm, panel, into):
    folder, pdf = builds(fold_name, "A4")
    page = FOLDS[fold_name].side_of(panel)
    moved = tamper.edit_line_operator(pdf, tmp_path / "moved.pdf", page, b"Understanding Vitiligo", "Tm",
                                      lambda o: [*o[:4], float(o[4]) + moved_mm * mm, o[5]])
    findings = [str(f) for f in verify_file(moved, folder).findings]
    assert any(f"panel '{panel}'" in f and "missing: “Understanding Vitiligo”" in f for f in findings), findings
    assert any(f"panel '{into}'" in f for f in findings), findings  # where it landed, though nothing else changed


def test_compare_names_the_panels_of_a_gatefold(builds, tmp_path):
    folder, pdf = builds("gate", "A4")
    changed = tamper.replace_text(pdf, tmp_path / "changed.pdf", 0, b"Understanding", b"Understood")
    findings = compare_pdfs(pdf.read_bytes(), changed.read_bytes())
    assert {(f.page, f.panel) for f in findings if f.witness == "text"} == {(0, "flap")}


# --- what the content says about panels ---------------------------------------------------

def test_a_wrong_panel_name_is_one_message_with_line_and_suggestion(tmp_path):
    folder = write_leaflet(tmp_path / "fx", "gate", flows="  - language: en\n    panels:\n      - inside-left\n"
                                                          "      - inside-midle\n"
                                                          f"    stories: [{', '.join(ONE_LANGUAGE)}]\n")
    line = (folder / "leaflet.yaml").read_text(encoding="utf-8").splitlines().index("      - inside-midle") + 1
    problems = [d for d in check(folder) if d.kind != "layout warning"]
    assert len(problems) == 1, problems
    text = str(problems[0])
    assert f"leaflet.yaml:{line}:" in text and "'inside-midle' is not a panel of the gate fold" in text
    assert "did you mean 'inside-middle'?" in text


def test_the_cover_and_the_back_are_not_text_panels(tmp_path):
    folder = write_leaflet(tmp_path / "fx", "bifold", stories=SHORT,
                           flows=f"  - language: en\n    panels: [inside-left, back]\n    stories: [{', '.join(SHORT)}]\n")
    with pytest.raises(ContentError, match="'back' is the back panel of the bifold fold"):
        build(folder, tmp_path / "out")
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.pdf"))


def test_flows_either_all_name_their_panels_or_none(tmp_path):
    flows = (f"  - language: en\n    panels: [inside-right]\n    stories: [{', '.join(SHORT)}]\n"
             f"  - language: zh-Hant-HK\n    stories: [{', '.join(SHORT)}]\n")
    folder = write_leaflet(tmp_path / "fx", "bifold", languages=("en", "zh-Hant-HK"), flows=flows)
    with pytest.raises(ContentError, match="names no panels while another flow names its own"):
        build(folder, tmp_path / "out")


def test_an_unknown_fold_and_a_sheet_too_narrow_for_its_fold_are_named(tmp_path):
    folder = write_leaflet(tmp_path / "fx", "gatefold")
    with pytest.raises(ContentError, match="'format.fold' is 'gatefold'.*did you mean 'gate'"):
        build(folder, tmp_path / "out")
    edit(folder / "leaflet.yaml", "fold: gatefold", "fold: origami")
    with pytest.raises(ContentError, match="'origami'.*bifold: one fold down the middle"):  # nothing near: each told
        build(folder, tmp_path / "out")
    edit(folder / "leaflet.yaml", "fold: origami", "fold: gatefold")
    edit(folder / "leaflet.yaml", "  sheet: A4\n", "  trim_mm: [120, 100]\n")
    edit(folder / "leaflet.yaml", "fold: gatefold", "fold: gate")
    with pytest.raises(ContentError, match="the gate fold on a 120 mm wide sheet makes panel 'flap'"):
        build(folder, tmp_path / "out")


def test_sheet_and_trim_together_are_refused(tmp_path):
    folder = write_leaflet(tmp_path / "fx", "bifold")
    edit(folder / "leaflet.yaml", "  sheet: A4\n", "  sheet: A4\n  trim_mm: [297, 210]\n")
    with pytest.raises(ContentError, match="either 'sheet' or 'trim_mm'"):
        build(folder, tmp_path / "out")


def test_the_example_still_names_letter_panels_and_a_z_fold_its_own(content):
    edit(content / "leaflet.yaml", "  fold: letter", "  fold: z")
    problems = [str(d) for d in check(content)]
    assert any("'flap' is not a panel of the z fold" in p and "outside-left" in p for p in problems), problems


def test_a_regions_own_flows_are_checked_against_the_fold_at_their_line(content):
    edit(content / "regions" / "tw.yaml", "panels: [inside-left, flap,", "panels: [inside-left, flpa,")
    line = next(i for i, text in enumerate((content / "regions" / "tw.yaml").read_text(encoding="utf-8")
                                           .splitlines(), 1) if "flpa" in text)
    problems = [str(d) for d in check(content)]
    assert len(problems) == 1, problems
    assert f"tw.yaml:{line}:" in problems[0] and "'flpa' is not a panel of the letter fold" in problems[0]
    assert "did you mean 'flap'?" in problems[0]


@pytest.mark.parametrize("typed,meant", [("zfold", "z"), ("Z-fold", "z"), ("accordion", "z"), ("roll", "letter"),
                                         ("gatefold", "gate"), ("half fold", "bifold"), ("bifld", "bifold")])
def test_a_fold_called_by_its_trade_name_gets_the_fold_meant(tmp_path, typed, meant):
    from small_leaflet import write_leaflet

    folder = write_leaflet(tmp_path / "fx")
    edit(folder / "leaflet.yaml", "fold: letter", f"fold: {typed}")
    problems = [str(p) for p in fold_problems(load_leaflet(folder))]
    assert problems == [f"{folder / 'leaflet.yaml'}:4: 'format.fold' is '{typed}'; it must be one of: letter, z, gate, "
                        f"bifold — did you mean '{meant}'?"]
