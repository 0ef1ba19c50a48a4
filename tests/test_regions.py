"""Regional editions: one approved master, an edition per market, built in a batch with a manifest."""
import json
import re

import pytest
from pypdf import PdfReader

from conftest import EXAMPLE, edit, run_cli, squash
from leaflet.errors import LeafletError
from leaflet.pipeline import build
from small_leaflet import write_regional_leaflet



@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    out = tmp_path_factory.mktemp("editions")
    result = run_cli("build", EXAMPLE, "--out", out)
    assert result.returncode == 0, result.stderr
    return out, result


def pdf(out, region):
    return PdfReader(out / f"lumirix-{region}-v1.0.pdf")


def fonts_of(reader):
    return {str(f.get_object()["/BaseFont"]) for p in reader.pages for f in p["/Resources"]["/Font"].values()}


def test_all_four_editions_build_with_predictable_names(editions):
    out, result = editions
    names = sorted(p.name for p in out.glob("*.pdf"))
    assert names == [f"lumirix-{r}-v1.0.pdf" for r in ("hk", "mo", "sg", "tw")]
    assert "4 of 4 editions built" in result.stdout
    for line in ("done: hk", "done: mo", "done: sg", "done: tw"):  # plain progress lines when not a terminal
        assert line in result.stdout


@pytest.mark.parametrize("region,face", [("hk", "CJKhk"), ("mo", "CJKhk"), ("tw", "CJKtc"), ("sg", "CJKsc")])
def test_each_edition_sets_chinese_in_its_glyph_standard(editions, region, face):
    names = fonts_of(pdf(editions[0], region))
    cjk = {n.split("+")[1].split("-")[0] for n in names if "CJK" in n}
    assert cjk == {f"NotoSans{face}"}


def first_heading_on_inside_left(reader):
    return squash(reader.pages[1].extract_text()).replace("DRAFT", "")[:7]


def test_language_order_follows_the_region(editions):
    out, _ = editions
    assert first_heading_on_inside_left(pdf(out, "hk")) == "Underst"
    assert first_heading_on_inside_left(pdf(out, "mo")).startswith("了解白蝕症")
    # Taiwan, one language, starts on inside-left, read first when the cover opens, and goes
    # on to the flap beside it: the flap never holds story 1 and the cover opens on story 2
    assert first_heading_on_inside_left(pdf(out, "tw")).startswith("了解白斑症")
    outside = squash(pdf(out, "tw").pages[0].extract_text())
    assert "了解白斑症" not in outside and "Lumirix®如何發揮作用" in outside
    assert first_heading_on_inside_left(pdf(out, "sg")) == "Underst"
    tw = "".join(squash(p.extract_text()) for p in pdf(out, "tw").pages)
    assert "Understanding" not in tw and "白蝕症" not in tw and tw.count("白斑症") >= 4
    sg = "".join(squash(p.extract_text()) for p in pdf(out, "sg").pages)
    assert "了解白癜风" in sg and "當環境" not in sg


def test_each_edition_prints_its_own_agent_and_job_code(editions):
    out, _ = editions
    expected = {"hk": ("盧凱業務發展有限公司", "HK-LUM-0125-01"), "mo": ("澳門代理商", "MO-LUM-0125-01"),
                "tw": ("台灣代理商", "TW-LUM-0125-01"), "sg": ("Singaporedistributor", "SG-LUM-0125-01")}
    for region, (agent, job) in expected.items():
        outside = squash(pdf(out, region).pages[0].extract_text())
        assert agent in outside and f"Jobcode{job}" in outside, region


def test_every_edition_verifies_against_its_region(editions):
    out, _ = editions
    for region in ("hk", "mo", "sg", "tw"):
        result = run_cli("verify", out / f"lumirix-{region}-v1.0.pdf", "--content", EXAMPLE, "--region", region)
        assert result.returncode == 0, result.stdout
    wrong = run_cli("verify", out / "lumirix-tw-v1.0.pdf", "--content", EXAMPLE, "--region", "hk")
    assert wrong.returncode == 1 and "missing" in wrong.stdout


def test_manifest_records_inputs_and_outputs(editions):
    out, _ = editions
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["tool"].startswith("leaflet ") and manifest["date_of_preparation"] == "2025-01-22"
    assert set(manifest["fonts"]) == {"NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSansCJKhk-Regular.otf",
                                      "NotoSansCJKhk-Bold.otf", "NotoSansCJKtc-Regular.otf", "NotoSansCJKtc-Bold.otf",
                                      "NotoSansCJKsc-Regular.otf", "NotoSansCJKsc-Bold.otf"}
    import hashlib
    for entry in manifest["editions"]:
        data = (out / entry["file"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["pages"] == len(PdfReader(out / entry["file"]).pages) == 2
        assert entry["status"] == "draft" and len(entry["content_sha256"]) == 64
    assert len({e["content_sha256"] for e in manifest["editions"]}) == 4


def test_rebuild_reproduces_pdfs_and_manifest_byte_for_byte_with_one_or_two_jobs(editions, tmp_path):
    out, _ = editions
    result = run_cli("build", EXAMPLE, "--out", tmp_path, "--jobs", "1")
    assert result.returncode == 0
    for file in ["manifest.json"] + [f"lumirix-{r}-v1.0.pdf" for r in ("hk", "mo", "sg", "tw")]:
        assert (tmp_path / file).read_bytes() == (out / file).read_bytes(), file


def test_region_selection(tmp_path):
    result = run_cli("build", EXAMPLE, "--region", "hk", "--region", "sg", "--out", tmp_path)
    assert result.returncode == 0
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == ["lumirix-hk-v1.0.pdf", "lumirix-sg-v1.0.pdf"]
    assert [e["region"] for e in json.loads((tmp_path / "manifest.json").read_text())["editions"]] == ["hk", "sg"]
    unknown = run_cli("build", EXAMPLE, "--region", "fr", "--out", tmp_path)
    assert unknown.returncode == 1 and "there is no region 'fr' (regions: hk, mo, sg, tw)" in unknown.stderr


def test_one_failing_edition_does_not_stop_the_others(content, tmp_path):
    edit(content / "text" / "zh-Hans.yaml", "Lumirix® 不含类固醇。", "Lumirix® 不含类固醇。👍")
    result = run_cli("build", content, "--out", tmp_path, "--jobs", "2")
    assert result.returncode == 1
    assert "FAILED sg: missing glyph:" in result.stderr and "U+1F44D" in result.stderr
    assert "3 of 4 editions built" in result.stdout and "failed: sg" in result.stdout
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == [f"lumirix-{r}-v1.0.pdf" for r in ("hk", "mo", "tw")]
    failed = [e for e in json.loads((tmp_path / "manifest.json").read_text())["editions"] if e["region"] == "sg"]
    assert failed[0]["status"] == "failed" and "U+1F44D" in failed[0]["problems"][0]


def test_final_refuses_drafts_and_names_what_is_not_approved(tmp_path):
    result = run_cli("build", EXAMPLE, "--final", "--region", "tw", "--out", tmp_path)
    assert result.returncode == 1 and not list(tmp_path.glob("*.pdf"))
    assert "approval status is 'draft', not 'approved'" in result.stderr
    assert "regional wording not yet approved" in result.stderr and "zh-Hant-HK.yaml:" in result.stderr


def approve_everything(content):
    """What regulatory affairs does when it signs off: status approved, added wording approved."""
    edit(content / "leaflet.yaml", "  status: draft", "  status: approved")
    for file in (content / "text").glob("*.yaml"):
        text = file.read_text(encoding="utf-8")
        text = re.sub(r"^( *)added: (translation|completion)$", r"\g<0>\n\1approved: MLR-0001", text, flags=re.M)
        file.write_text(text, encoding="utf-8")


def test_approved_content_builds_final_without_draft_marks(content, tmp_path):
    approve_everything(content)
    result = build(content, tmp_path, "hk", final=True)
    assert result.edition.status == "final"
    text = "".join(squash(p.extract_text()) for p in PdfReader(result.pdf).pages)
    assert "DRAFT" not in text and "APPROVED" in squash(result.edition.slug.text)
    # Taiwan's regional wording is still unapproved until its replacement carries an approval
    with pytest.raises(LeafletError, match="regional wording not yet approved"):
        build(content, tmp_path, "tw", final=True)
    edit(content / "regions" / "tw.yaml", "    replace: 白斑症       # the Taiwan term for vitiligo",
         "    replace: 白斑症\n    approved: MLR-0002")
    assert build(content, tmp_path, "tw", final=True).edition.status == "final"


def test_draft_editions_carry_a_watermark_on_every_panel(editions):
    out, _ = editions
    reader = pdf(out, "hk")
    for page in reader.pages:
        assert page.extract_text().count("DRAFT") >= 3  # three panels (+ the slug line)


@pytest.mark.parametrize("old,new,message", [
    ("name: Taiwan", "nmae: Taiwan", "unknown key 'nmae'"),
    ("    find: 白蝕症", "    find: 白癜風", "the text “白癜風” does not occur in zh-Hant-TW"),
    ("              maintaining-your-results]", "              maintaining-results]",
     "names story 'maintaining-results', which text/zh-Hant-HK.yaml does not have"),
    ("  - {tag: zh-Hant-TW, text: zh-Hant-HK}", "  - {tag: zh-Hant-TW, text: zh-Hant-TW}",
     "the content has no text in 'zh-Hant-TW' (no text/zh-Hant-TW.yaml)"),
    ("  language: zh-Hant-TW\n  lines:", "  language: en\n  lines:", "'agent.language' is 'en'"),
])
def test_overlay_mistakes_are_named(content, old, new, message):
    edit(content / "regions" / "tw.yaml", old, new)
    result = run_cli("check", content)
    assert result.returncode == 1 and message in result.stdout and "tw.yaml:" in result.stdout, result.stdout


def test_legal_lines_print_on_the_back(content, tmp_path):
    edit(content / "regions" / "sg.yaml", "job_code: SG-LUM-0125-01",
         "job_code: SG-LUM-0125-01\nlegal:\n  - {language: en, text: 'Test legal line for the Singapore edition.'}")
    result = build(content, tmp_path, "sg")
    assert "TestlegallinefortheSingaporeedition." in squash(PdfReader(result.pdf).pages[0].extract_text())


def test_a_region_without_flows_must_have_as_many_languages_as_the_master(content):
    region = content / "regions" / "tw.yaml"
    text = region.read_text()
    region.write_text(text[:text.index("flows:")])  # Taiwan keeps one language but loses its own flows
    result = run_cli("check", content)
    assert result.returncode == 1, result.stdout
    assert "tw.yaml:6: this edition has 1 language(s) and the master's flows have 2" in result.stdout
    assert "give the region its own 'flows:'" in result.stdout


def test_a_leaflet_without_regions_is_one_edition(tmp_path):
    """The example cut short (tests/small_leaflet.py) with its region files gone: what matters is their absence."""
    import shutil

    content = write_regional_leaflet(tmp_path / "content" / "lumirix")
    shutil.rmtree(content / "regions")
    out = tmp_path / "out"
    result = run_cli("build", content, "--out", out)
    assert result.returncode == 0 and "built edition:" in result.stdout
    assert [p.name for p in out.glob("*.pdf")] == ["lumirix-v1.0.pdf"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["editions"][0]["region"] is None and manifest["editions"][0]["status"] == "draft"
    assert run_cli("verify", out / "lumirix-v1.0.pdf", "--content", content).returncode == 0
    named = run_cli("build", content, "--region", "hk", "--out", out)
    assert named.returncode == 1 and "there is no region 'hk' (regions: none)" in named.stderr


def test_a_master_problem_is_reported_once_for_all_editions_it_fails(content, tmp_path):
    edit(content / "text" / "en.yaml", "[@rosmarin2022]", "[@rosmarin2023]")
    result = run_cli("build", content, "--out", tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("FAILED hk, mo, sg: citation error:")
    assert "1 of 4 editions built" in result.stdout and "failed: hk, mo, sg" in result.stdout
