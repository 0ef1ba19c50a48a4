"""Hostile and accidental input (issue 11): paths that escape, files that are not
files, invisible characters, deep nesting, undecodable names, huge pages and
paragraphs. Each test is one defect a hostile review found."""
import importlib.metadata
import json
import os
import re
import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from conftest import EXAMPLE, REPO, edit, hk_edition, run_process
from leaflet.content import hygiene
from leaflet.cli import main
from leaflet.errors import ContentError, OutputError
from leaflet.typeset.fonts import prepare_fonts
from leaflet.typeset.layout import OVERFLOW_SAMPLE, _line_count
from leaflet.typeset.linebreak import Style, break_lines
from leaflet.content.load import load_leaflet
from leaflet.pipeline import OUTPUT_LIBRARIES, build, build_editions, check
from leaflet.pdf.preview import preview
from leaflet.content.sources import read_yaml
from small_leaflet import write_leaflet


def problems_of(content) -> list[str]:
    """Every problem `leaflet check` reports, as printed."""
    return [str(d) for d in check(content) if d.severity == "error"]


def line_of(file: Path, text: str) -> int:
    return file.read_text(encoding="utf-8").split(text)[0].count("\n") + 1


# --- path safety ---------------------------------------------------------------------

def test_a_version_that_is_a_path_is_refused_and_nothing_is_written_outside_out(content, tmp_path):
    edit(content / "leaflet.yaml", 'version: "1.0"', 'version: "1/../../victim/lumirix-hk-v1.0"')
    line = line_of(content / "leaflet.yaml", "version:")
    [problem] = problems_of(content)
    assert f"leaflet.yaml:{line}: 'approval.version' is '1/../../victim/lumirix-hk-v1.0'" in problem
    assert "letters, digits, dots, hyphens or underscores" in problem
    result = CliRunner().invoke(main, ["build", str(content), "--out", str(tmp_path / "out"), "--region", "hk"])
    assert result.exit_code == 1 and "approval.version" in result.output
    assert not list(tmp_path.rglob("*.pdf")), "no PDF anywhere, least of all outside --out"


@pytest.mark.parametrize("folder", ["text", "regions"])
def test_a_content_folder_linked_outside_the_leaflet_is_refused(content, tmp_path, folder):
    elsewhere = tmp_path / "elsewhere"
    shutil.move(content / folder, elsewhere)
    (content / folder).symlink_to(elsewhere, target_is_directory=True)
    problems = problems_of(content)
    assert problems and all("outside the content folder" in p and "copy the file" in p for p in problems)
    assert any(f"{folder}/" in p for p in problems)


def test_a_text_file_linked_to_dev_zero_is_refused_unread(content):
    (content / "text" / "en.yaml").unlink()
    (content / "text" / "en.yaml").symlink_to("/dev/zero")
    with pytest.raises(ContentError, match=r"en.yaml: this file leads, through a link, to /dev/zero, outside the"):
        load_leaflet(content)
    with pytest.raises(ContentError, match="not a regular file: it is a device"):
        read_yaml(Path("/dev/zero"))


def test_a_fifo_is_refused_without_waiting_for_a_writer(content):
    (content / "text" / "en.yaml").unlink()
    os.mkfifo(content / "text" / "en.yaml")
    result = run_process("check", content)  # a real process: a hang would be its timeout
    assert result.returncode == 1
    assert "en.yaml: this is not a regular file: it is a named pipe (FIFO)" in result.stdout


# --- Unicode hygiene -------------------------------------------------------------------

def test_an_accent_typed_as_a_combining_mark_prints_as_the_accented_letter(content, tmp_path):
    edit(content / "text" / "en.yaml", "Lumirix® is free from steroids.", "Lumirix® is free from steroids, cafe\u0301.")
    leaflet = load_leaflet(content)
    text = "".join(getattr(i, "text", "") for i in leaflet.stories[("en", "how-lumirix-works")].blocks[1].inlines)
    assert "café" in text and "\u0301" not in text
    pdf = build(content, tmp_path, "hk").pdf
    printed = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "café" in printed and "\u0301" not in printed


def test_nfc_keeps_a_cjk_compatibility_ideograph_as_typed():
    assert hygiene.normalise("\uf91d 欄 cafe\u0301 \U0002f800") == "\uf91d 欄 café \U0002f800"


def test_invisible_characters_are_reported_together_with_line_code_point_and_story(content):
    en = content / "text" / "en.yaml"
    edit(en, "Wait at least 8 hours", "Wait at least 8\u202e hours")
    edit(en, "precise molecular", "precise mol\u00adecular")
    edit(en, "Lumirix® is free from steroids.", "Lumirix® is free\u200b from steroids.")
    edit(en, "      - >-\n        Your doctor will recommend a treatment plan for you including how long\n"
             "        you should use the cream.", '      - "Your doctor\\0 will recommend a treatment plan for you."')
    problems = problems_of(content)
    expected = [("8\u202e hours", "U+202E RIGHT-TO-LEFT OVERRIDE", "starting-lumirix", "direction control"),
                ("mol\u00adecular", "U+00AD SOFT HYPHEN", "process-of-repigmentation", "never hyphenates"),
                ("free\u200b", "U+200B ZERO WIDTH SPACE", "how-lumirix-works", "delete it"),
                ('"Your doctor', "U+0000 NUL", "starting-lumirix", "delete it")]
    assert len(problems) == len(expected), problems
    for typed, code, story, fix in expected:
        line = line_of(en, typed)
        assert any(f"en.yaml:{line}: story '{story}' contains" in p and code in p and fix in p
                   for p in problems), (code, problems)


def test_a_combining_mark_with_no_precomposed_letter_is_an_error_not_a_misprint(content):
    edit(content / "text" / "en.yaml", "Lumirix® is free from steroids.", "Lumirix® is free from steroidq\u0307s.")
    problems = problems_of(content)
    assert len(problems) == 1
    assert "U+0307 COMBINING DOT ABOVE after 'q'" in problems[0] and "no precomposed letter" in problems[0]
    assert "story 'how-lumirix-works'" in problems[0] and "type the accented letter" in problems[0]


def test_lists_nested_600_deep_are_an_error_with_a_location(content):
    edit(content / "text" / "en.yaml", "      - >-\n        The re-pigmentation process",
         "      - " + "[" * 600 + "x" + "]" * 600 + "\n      - >-\n        The re-pigmentation process")
    line = line_of(content / "text" / "en.yaml", "[[[")
    with pytest.raises(ContentError, match=rf"en.yaml:{line}: the lists and mappings here are nested more than 20"):
        load_leaflet(content)


# --- names that cannot be printed, pages and paragraphs too big -------------------------

def test_a_folder_name_that_is_not_utf8_gives_messages_not_a_crash(tmp_path):
    content = Path(os.fsdecode(bytes(tmp_path) + b"/lum\xffirix"))
    shutil.copytree(EXAMPLE, content)
    result = CliRunner().invoke(main, ["check", str(content)])
    assert not isinstance(result.exception, UnicodeError)
    assert result.exit_code == 1
    assert "lum?irix: the content folder's name" in result.output and "rename the folder" in result.output
    inner = Path(os.fsdecode(bytes(tmp_path) + b"/b\xffd")) / "lumirix"  # a parent folder with such a name
    shutil.copytree(EXAMPLE, inner)
    result = CliRunner().invoke(main, ["check", str(inner)])
    assert result.exit_code == 0 and "b?d/lumirix: no problems found" in result.output


def test_preview_of_a_huge_page_is_refused_before_rendering(tmp_path):
    canvas = Canvas(str(tmp_path / "huge.pdf"), pagesize=(20000, 20000))
    canvas.drawString(100, 100, "a page of 7 by 7 metres")
    canvas.save()
    with pytest.raises(OutputError, match=r"772 million pixels at 100 dpi; a preview is at most 100 million") as info:
        preview(tmp_path / "huge.pdf")
    assert info.value.fix == "use --dpi 36 or less"
    assert not list(tmp_path.glob("*.png"))


WORDS = "apply a thin layer of cream twice daily to the affected areas of your skin ".split(" ")


def test_a_huge_paragraph_is_a_clear_overflow(tmp_path):
    huge = "language: en\nstories:\n  plan:\n    heading: Starting Lumirix®\n    body:\n      - " + " ".join(WORDS * 10_000)
    folder = write_leaflet(tmp_path / "fx", texts={"en": huge})  # one edition: the example would lay it out four times
    problems = problems_of(folder)
    assert problems and all("story 'plan' (en) does not fit its panels" in p for p in problems)
    assert all(re.search(r"about \d{5} lines \(\d+ mm of column\) are left over", p) for p in problems)


@pytest.fixture(scope="module")
def book():
    return prepare_fonts(hk_edition(EXAMPLE))


@pytest.fixture(scope="module")
def body_style(book):
    return Style(book.name("en", "regular"), 10)


@pytest.mark.parametrize("text", [" ".join(WORDS * 50), "x" * 3_000], ids=["words", "one long word"])
def test_a_limited_break_gives_exactly_the_first_lines_of_the_full_break(book, body_style, text):
    full = break_lines([(text, body_style)], 150, book.measure)
    first = break_lines([(text, body_style)], 150, book.measure, max_lines=5)
    assert [line.text for line in first] == [line.text for line in full[:5]]
    assert first[-1].end == full[4].end < len(text)


def test_the_size_of_an_overflow_is_estimated_closely_from_its_first_lines(book, body_style):
    text = [(" ".join(WORDS * 2_000), body_style)]  # about 3,000 lines: 500 broken, the rest extrapolated
    exact = len(break_lines(text, 150, book.measure))
    assert exact > 2 * OVERFLOW_SAMPLE
    assert abs(_line_count(text, 150, book.measure) - exact) <= exact * 0.02


# --- reproducible environment ----------------------------------------------------------

def locked(file: str) -> dict[str, str]:
    text = (REPO / file).read_text()
    pins = dict(re.findall(r"^([a-z0-9-]+)==(\S+) \\$", text, re.M))
    assert text.count("==") == len(pins) and len(re.findall(r"--hash=sha256:[0-9a-f]{64}", text)) >= len(pins)
    return pins


def test_the_lock_files_pin_every_dependency_with_hashes_as_installed():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    runtime, test = locked("requirements.lock"), locked("requirements-test.lock")
    names = [re.match(r"[A-Za-z0-9-]+", dep).group().lower() for dep in project["dependencies"]]
    assert set(names) <= set(runtime) and set(runtime) <= set(test)
    assert {"pytest", "hypothesis"} <= set(test)
    for name, version in test.items():
        assert runtime.get(name, version) == version, f"{name}: the two locks disagree"
        assert importlib.metadata.version(name) == version, f"{name} is not the locked version"


def test_the_manifest_records_the_libraries_that_shape_the_pdf(tmp_path):
    build_editions(EXAMPLE, tmp_path, ["hk"], jobs=1)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["libraries"] == {name: importlib.metadata.version(name) for name in OUTPUT_LIBRARIES}
    assert set(OUTPUT_LIBRARIES) == {"reportlab", "fonttools", "pypdf", "uharfbuzz", "pillow", "pyphen",
                                     "segno"}
