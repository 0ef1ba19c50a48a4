"""`leaflet verify`: altered PDFs are caught and the change is named."""
import hashlib
import json
import re

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ByteStringObject, ContentStream, NameObject

from conftest import EXAMPLE, approved_example, edit, run_cli
from leaflet.pipeline import build, verify_against, verify_file


def tamper(source, target, page, change):
    """Rewrite the text-showing operators of one page: `change(text, font)` returns
    the new text, or None to drop the operator. Strings are handled as the bytes
    they are (latin-1), so glyph codes of CJK subsets pass through untouched."""
    writer = PdfWriter(clone_from=PdfReader(source))
    fonts = writer.pages[page]["/Resources"]["/Font"]
    content = ContentStream(writer.pages[page].get_contents(), writer)
    changed = 0
    kept = []
    font = ""
    for operands, op in content.operations:
        if op == b"Tf":
            font = str(fonts[operands[0]].get_object()["/BaseFont"])
        if op in (b"Tj", b"TJ"):
            items = operands[0] if op == b"TJ" else [operands[0]]
            text = b"".join(i.get_original_bytes() for i in items if hasattr(i, "get_original_bytes"))
            new = change(text.decode("latin-1"), font)
            if new is None:
                changed += 1
                continue
            if new != text.decode("latin-1"):
                changed += 1
                operands, op = [ByteStringObject(new.encode("latin-1"))], b"Tj"
        kept.append((operands, op))
    content.operations = kept
    writer.pages[page][NameObject("/Contents")] = writer._add_object(content)
    writer.write(target)
    assert changed, "the tampering found nothing to change"
    return target


@pytest.fixture(scope="module")
def original(built):
    return built.pdf


def verify(pdf):
    """What the text, glyph and print witnesses say (the visual witness has tests of its own)."""
    return [str(f) for f in verify_against(pdf, approved_example("hk")).findings if f.witness != "visual"]


def test_untouched_pdf_verifies(original):
    assert verify(original) == []
    result = run_cli("verify", original, "--content", EXAMPLE, "--region", "hk")
    assert result.returncode == 0 and "OK" in result.stdout


def test_dose_frequency_change_is_named(original, tmp_path):
    pdf = tamper(original, tmp_path / "t.pdf", 1, lambda t, font: t.replace("twice daily", "once daily"))
    findings = verify(pdf)
    assert len(findings) == 1
    assert "panel 'inside-middle'" in findings[0] and "story 'starting-lumirix' (en)" in findings[0]
    assert "expected “…" in findings[0] and "twice" in findings[0] and "once" in findings[0]


def test_interval_digit_change_is_named(original, tmp_path):
    pdf = tamper(original, tmp_path / "t.pdf", 1, lambda t, font: t.replace("least 8 hours", "least 6 hours"))
    result = run_cli("verify", pdf, "--content", EXAMPLE, "--region", "hk")
    assert result.returncode == 1
    assert "8 hours" in result.stdout and "6 hours" in result.stdout and "Wait at least" in result.stdout


def test_chinese_dose_change_is_named(original, tmp_path):
    # The 8 of a Chinese dose is Latin: set in Noto Sans, a run of its own between the Chinese.
    chinese_eight = lambda t, font: t.replace("8", "6") if t.strip() == "8" and "+NotoSans-" in font else t
    pdf = tamper(original, tmp_path / "t.pdf", 1, chinese_eight)
    findings = verify(pdf)
    assert any("8小時" in f and "6小時" in f and "zh-Hant-HK" in f for f in findings), findings


def test_removed_sentence_is_named(original, tmp_path):
    pdf = tamper(original, tmp_path / "t.pdf", 1, lambda t, font: None if "free from steroids" in t else t)
    findings = verify(pdf)
    assert len(findings) == 1 and "missing: “is free from steroids.” in “Lumirix® is free from steroids.3”" in findings[0], \
        findings
    assert "story 'how-lumirix-works' (en)" in findings[0]


def test_changed_citation_number_is_named(original, tmp_path):
    # the superscript after "3 months onwards." cites Rosmarin (4); make it 2
    state = {"after": False}

    def change(text, font):
        if state["after"] and text == "4":
            state["after"] = False
            return "2"
        state["after"] = text.endswith("onwards.")
        return text

    pdf = tamper(original, tmp_path / "t.pdf", 1, change)
    findings = verify(pdf)
    assert len(findings) == 1 and "onwards.4" in findings[0] and "onwards.2" in findings[0], findings


def test_reference_list_change_is_named(original, tmp_path):
    pdf = tamper(original, tmp_path / "t.pdf", 0, lambda t, font: t.replace("2022;387:1445-55", "2022;387:1445-56"))
    findings = verify(pdf)
    assert any("story 'references'" in f and "1445-56" in f for f in findings), findings


def test_job_code_change_is_named(original, tmp_path):
    new_code = lambda t, font: t.replace("Job code HK-LUM-0125-01", "Job code HK-LUM-0125-02")
    pdf = tamper(original, tmp_path / "t.pdf", 0, new_code)
    findings = verify(pdf)
    assert any("story 'approval'" in f and "0125-02" in f for f in findings), findings


def test_pdf_built_from_altered_content_fails_against_the_approved_content(content, tmp_path):
    edit(content / "text" / "en.yaml", "Wait at least 8 hours between applications.",
         "Wait at least 6 hours between applications.")
    pdf = build(content, tmp_path, "hk").pdf
    findings = verify(pdf)
    assert any("8 hours" in f and "6 hours" in f for f in findings), findings


def test_pdf_with_wrong_page_size_fails(original, tmp_path):
    writer = PdfWriter(clone_from=PdfReader(original))
    for page in writer.pages:
        box = page.trimbox
        page.trimbox = type(box)([box.left, box.bottom, box.right - 20, box.top])
    writer.write(tmp_path / "t.pdf")
    findings = verify(tmp_path / "t.pdf")
    assert any("trim is 289.9 × 210.0 mm" in f for f in findings), findings


@pytest.mark.parametrize("make,message", [
    (lambda pdf: pdf.read_bytes()[: len(pdf.read_bytes()) // 2], "truncated or damaged"),
    (lambda pdf: b"%PDF-1.4\n" + b"garbage " * 100 + b"\n%%EOF\n", "truncated or damaged"),
    (lambda pdf: b"a README, not a PDF", "not a PDF"),
    (lambda pdf: b"", "not a PDF"),
])
def test_unreadable_files_are_a_clear_failure(original, tmp_path, make, message):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(make(original))
    result = run_cli("verify", bad, "--content", EXAMPLE, "--region", "hk")
    assert result.returncode == 1 and message in result.stdout
    assert "Traceback" not in result.stderr and result.stderr == ""


def test_missing_pdf_is_a_clear_error(tmp_path):
    result = run_cli("verify", tmp_path / "nothing.pdf", "--content", EXAMPLE, "--region", "hk")
    assert result.returncode == 1 and "does not exist" in result.stderr and "Traceback" not in result.stderr


def test_every_difference_is_listed_not_only_the_first(original, tmp_path):
    def change(text, font):
        return text.replace("twice daily", "once daily").replace("least 8 hours", "least 6 hours")

    pdf = tamper(original, tmp_path / "t.pdf", 1, change)
    result = run_cli("verify", pdf, "--content", EXAMPLE, "--region", "hk")
    # each change is named by the text witness, and seen by the visual witness too
    assert re.search(r"FAILED — 4 difference", result.stdout), result.stdout
    assert result.stdout.count("prints differently from the approved build") == 2


def test_pdf_without_output_intent_fails(original, tmp_path):
    writer = PdfWriter(clone_from=PdfReader(original))
    del writer._root_object["/OutputIntents"]
    writer.write(tmp_path / "t.pdf")
    assert verify(tmp_path / "t.pdf") == ["document: no PDF/X output intent with an embedded CMYK profile"]


def test_paragraphs_in_the_wrong_order_are_named(content, tmp_path):
    text = (content / "text" / "en.yaml").read_text(encoding="utf-8")
    first = "      - Lumirix® is free from steroids.[@pi-hk]\n"
    second = "      - Lumirix® contains the active substance Ruxolitinib, a Janus kinase (JAK) inhibitor.[@pi-hk]\n"
    (content / "text" / "en.yaml").write_text(text.replace(second + first, first + second), encoding="utf-8")
    findings = verify(build(content, tmp_path, "hk").pdf)
    assert findings == ["page 2 (inside), panel 'inside-middle', story 'how-lumirix-works' (en): "
                        "out of reading order: “Lumirix® is free from steroids.3”"]


def test_manifest_ties_the_pdf_to_the_build(original, tmp_path):
    manifest = original.parent / "manifest.json"
    manifest.write_text(json.dumps({"editions": [{"region": "hk", "file": original.name, "status": "draft",
                                                  "sha256": hashlib.sha256(original.read_bytes()).hexdigest()}]}))
    ok = run_cli("verify", original, "--content", EXAMPLE, "--region", "hk", "--manifest", manifest)
    assert ok.returncode == 0, ok.stdout
    copy = tmp_path / original.name
    copy.write_bytes(original.read_bytes() + b"\n")  # prints the same, but is not the file the build wrote
    bad = run_cli("verify", copy, "--content", EXAMPLE, "--region", "hk", "--manifest", manifest)
    assert bad.returncode == 1 and "not the file the build wrote" in bad.stdout


def test_a_pdf_of_another_edition_is_named_as_such_first(original, three_standards):
    """A reviewer who names the wrong edition is told so before the details: the hk PDF
    against an edition set three times in Chinese (HK, Taiwan, Simplified) and no English."""
    findings = [str(f) for f in verify_file(original, three_standards, "x3").findings]
    # the fixture keeps the example's hk edition: the PDF is named as it, then the shares are told
    assert findings[0] == "document: this PDF is edition 'hk' of this content, not 'x3' — verify it with --region hk"
    assert findings[1].startswith("document: this PDF does not look like this edition: only ")
    assert "check that --content and --region name the edition" in findings[1]


def test_a_pdf_verified_against_the_wrong_region_is_named_as_the_edition_it_is(original):
    """The Hong Kong PDF checked as the Macau edition (the same texts, another order and
    agent): the first finding says which edition it is and how to verify it."""
    findings = [str(f) for f in verify_file(original, EXAMPLE, "mo").findings]
    assert findings[0] == "document: this PDF is edition 'hk' of this content, not 'mo' — verify it with --region hk"
    assert len(findings) > 1, "the differences from the Macau edition are listed after it"
