"""End to end: build the real leaflet and read the PDF back as a printer or reviewer would."""
import re

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream
from reportlab.lib.units import mm

from conftest import edit, run_cli, run_process, squash
from leaflet.errors import VerificationError
from leaflet.pipeline import build


@pytest.fixture(scope="module")
def pdf(built):
    return PdfReader(built.pdf)


def page_texts(reader):
    return [squash(page.extract_text()) for page in reader.pages]


def test_two_pages_with_trim_and_bleed_boxes(pdf):
    assert len(pdf.pages) == 2
    for page in pdf.pages:
        trim, bleed, media = page.trimbox, page.bleedbox, page.mediabox
        assert float(trim.width) / mm == pytest.approx(297, abs=0.01)
        assert float(trim.height) / mm == pytest.approx(210, abs=0.01)
        assert float(trim.left - bleed.left) / mm == pytest.approx(3, abs=0.01)
        assert float(bleed.top - trim.top) / mm == pytest.approx(3, abs=0.01)
        # room for crop marks and the slug outside the bleed
        assert float(bleed.left - media.left) / mm >= 8 and float(media.top - bleed.top) / mm >= 8


def test_every_heading_and_paragraph_of_both_languages_is_in_the_pdf(built, pdf):
    # a hyphen the layout added at a line end (never after a hyphen of the text) is not the text's
    text = "".join(squash(re.sub(r"(?<=[a-z])-\n(?=[a-z])", "", page.extract_text())) for page in pdf.pages)
    assert text != "".join(page_texts(pdf)), "the English is hyphenated"
    paras = [p for s in built.edition.stories.values() for p in s.paras]
    assert len(paras) > 40
    languages = {p.language for p in paras}
    assert languages == {"en", "zh-Hant-HK"}
    for para in paras:
        wanted = squash(para.text)
        # a paragraph may run from the inside page on to the flap
        assert wanted in text or any(wanted[:k] in text and wanted[k:] in text for k in range(1, len(wanted)))


def test_source_wording_reads_back_exactly(pdf):
    text = "".join(page_texts(pdf))
    for phrase in ["Apply a thin layer of cream twice daily to the affected areas of your skin.3",
                   "Wait at least 8 hours between applications.3",
                   "Do not use more than 2 tubes of Lumirix® 100g in a month.3",
                   "How does Lumirix® work?", "兩次之間至少相隔8小時。3", "c/o盧凱業務發展有限公司（代理）",
                   "IMAGINE THIS:", "Ruxolitinib Cream 15mg/g"]:
        assert squash(phrase) in text, phrase
    assert "What is Lumirix" not in text


def test_citation_numbers_and_reference_list_agree(built, pdf):
    outside = page_texts(pdf)[0]
    listed = re.findall(r"(\d)\.(Birlea|Frisoli|HongKong|Rosmarin|QiF|UtamaA|HwangJR|Incyte)", outside)
    assert listed == [("1", "Birlea"), ("2", "Frisoli"), ("3", "HongKong"), ("4", "Rosmarin"),
                      ("5", "QiF"), ("6", "UtamaA"), ("7", "HwangJR"), ("8", "Incyte")]
    inside = page_texts(pdf)[1]
    # Birlea (1) backs the repigmentation claims, the PI (3) the dosing, Rosmarin (4) the 3 months.
    assert "producepigment.1" in inside and "inamonth.3" in inside and "from3monthsonwards.4" in inside
    assert "remaintobeconfirmed.2" in inside


def test_approval_line_is_printed_on_the_back(pdf):
    outside = page_texts(pdf)[0]
    assert squash("Job code HK-LUM-0125-01 · Version 1.0 · Date of preparation 22 January 2025") in outside


def test_all_fonts_embedded_and_no_standard_fonts(pdf):
    names = set()
    for page in pdf.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            names.add(font["/BaseFont"])
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor
            assert re.match(r"/[A-Z]{6}\+", font["/BaseFont"]), "subset fonts carry a tag"
    assert not any("Helvetica" in n or "Times" in n for n in names)
    assert any("CJKhk" in n for n in names) and any("NotoSans-" in n for n in names)


def operations(reader, page):
    return ContentStream(reader.pages[page].get_contents(), reader).operations


def test_colour_is_cmyk_only_and_text_is_pure_black(pdf):
    for page in range(2):
        ops = operations(pdf, page)
        assert not {b"rg", b"RG", b"g", b"G", b"sc", b"SC"} & {op for _, op in ops}, "no RGB or grey"
        spaces = pdf.pages[page]["/Resources"].get("/ColorSpace", {})
        for operands, op in ops:
            if op in (b"cs", b"CS"):  # only separations (spot, registration) with a CMYK alternate
                space = spaces[operands[0]]
                assert space[0] == "/Separation" and space[2] == "/DeviceCMYK", space
        assert b"k" in {op for _, op in ops}
    # The fill colour in force when each text object starts on the inside page (all body text).
    fill, colours = None, []
    for operands, op in operations(pdf, 1):
        if op == b"k":
            fill = tuple(float(v) for v in operands)
        elif op == b"BT":
            colours.append(fill)
    assert colours.count((0, 0, 0, 1)) > 40
    assert all(c == (0, 0, 0, 1) or c[3] < 1 for c in colours), "no rich black text"


def test_cli_build_reports_success(tmp_path):
    # the real command, in its own process, on the checkout's example (one edition: the others build in-process)
    result = run_process("build", "--region", "hk", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "lumirix-hk-v1.0.pdf" in result.stdout and "verified" in result.stdout
    assert (tmp_path / "lumirix-hk-v1.0.pdf").stat().st_size > 20_000
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no temporary files left"


@pytest.mark.parametrize("file,old,new,expected", [
    ("leaflet.yaml", "  bleed_mm: 3", "  bleedmm: 3", "unknown key 'bleedmm'"),
    ("leaflet.yaml", "  fold: letter", "  fold: [letter", "YAML syntax error, column"),
    ("text/en.yaml", "[@rosmarin2022]", "[@nosuchref]", "[@nosuchref] names no reference"),
    ("text/en.yaml", "Lumirix® is free from steroids.", "Lumirix® is free from steroids. " + "More text. " * 400,
     "does not fit its panels"),
])
def test_cli_errors_are_one_clear_line_without_traceback(content, tmp_path, file, old, new, expected):
    edit(content / file, old, new)
    result = run_cli("build", content, "--region", "hk", "--out", tmp_path)
    assert result.returncode == 1
    assert expected in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    # a problem of the whole leaflet stops the build; a problem of one edition fails that edition
    assert result.stderr.startswith(("leaflet: ", "FAILED hk: ")) and f"{content}/{file}:" in result.stderr
    assert not list(tmp_path.glob("*.pdf")), "no PDF for bad content"


def test_missing_content_folder(tmp_path):
    result = run_cli("build", tmp_path / "nowhere")
    assert result.returncode == 1 and "content folder does not exist" in result.stderr


def test_failed_verification_leaves_existing_pdf_untouched(content, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build(content, out, "hk")
    target = out / "lumirix-hk-v1.0.pdf"
    before = target.read_bytes()
    edit(content / "text" / "en.yaml", "Lumirix® is free from steroids.", "Lumirix® is free from parabens.")
    import leaflet.pipeline as pipeline
    monkeypatch.setattr(pipeline, "render", lambda layout: before)  # a renderer that drops the change
    with pytest.raises(VerificationError, match="free from parabens"):
        build(content, out, "hk")
    assert target.read_bytes() == before
    assert [p.name for p in out.iterdir()] == ["lumirix-hk-v1.0.pdf"]


def test_ctrl_c_during_write_leaves_no_partial_file(tmp_path, monkeypatch):
    import os

    from leaflet import output

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        output.write_atomically(tmp_path / "x.pdf", b"%PDF-1.4 half")
    assert list(tmp_path.iterdir()) == []


def test_pdf_streams_are_compressed(built):
    data = built.pdf.read_bytes()
    assert b"/FlateDecode" in data
    assert built.size < 400_000
