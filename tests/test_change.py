"""Change control: diff of two versions (folders, git revisions, since approval),
approval records, final builds tied to them, and compare of two print files."""
import json
import shutil
import subprocess
import tempfile

import pytest
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader

from leaflet.change.approvals import records
from leaflet.change.diff import tokens
from leaflet.change.snapshot import sentences
from leaflet.cli import main

from conftest import EXAMPLE, edit
from test_regions import approve_everything

DOSE = "Apply a thin layer of cream twice daily"
NEW_DOSE = "Apply a thin layer of cream once daily"


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def two_versions(tmp_path):
    """The example (old) and a copy of it (new) to alter."""
    old = tmp_path / "old" / "lumirix"
    new = tmp_path / "new" / "lumirix"
    shutil.copytree(EXAMPLE, old)
    shutil.copytree(EXAMPLE, new)
    return old, new


def approve(folder, region="hk", reference="MLR-2026-0142", by="Dr Mei Chan"):
    result = cli("approve", folder, "--region", region, "--by", by, "--reference", reference, "--date", "2026-11-30")
    assert result.exit_code == 0, result.output + result.stderr
    return result


# --- diff ---------------------------------------------------------------------------

def test_diff_marks_the_changed_word_and_names_the_line(two_versions):
    old, new = two_versions
    edit(new / "text" / "en.yaml", DOSE, NEW_DOSE)
    result = cli("diff", old, new)
    assert result.exit_code == 0, result.stderr
    assert "hk: 1 sentence(s) changed" in result.output
    assert ("~ Apply a thin layer of cream [-twice-]{+once+} daily to the affected areas of your skin.[3]  "
            "(text/en.yaml:54)") in result.output
    assert "tw: no changes" in result.output  # Taiwan prints only Chinese: untouched


def test_diff_of_unchanged_versions_says_so(two_versions):
    result = cli("diff", *two_versions, "--region", "mo")
    assert result.output.strip().endswith("mo: no changes")


def test_one_character_chinese_change_is_marked_as_that_character(two_versions):
    old, new = two_versions
    edit(new / "text" / "zh-Hant-HK.yaml", "遺傳風險較高", "遺傳風險較低")
    result = cli("diff", old, new, "--region", "hk", "--format", "json")
    report = json.loads(result.output)
    [change] = report["editions"][0]["sentences"]
    assert change["kind"] == "changed" and change["language"] == "zh-Hant-HK"
    removed = [text for op, text in change["segments"] if op == "-"]
    added = [text for op, text in change["segments"] if op == "+"]
    assert (removed, added) == (["高"], ["低"])


def test_renumbered_citations_are_listed_apart_from_changed_wording(two_versions):
    old, new = two_versions
    # The first citation in reading order now names frisoli2020: it becomes 1, birlea2017 becomes 2.
    edit(new / "text" / "en.yaml", "pigment.[@birlea2017]", "pigment.[@frisoli2020]")
    report = json.loads(cli("diff", old, new, "--region", "hk", "--format", "json").output)
    hk = report["editions"][0]
    refs = {r["id"]: (r["kind"], r["old_number"], r["new_number"]) for r in hk["references"]}
    assert refs == {"frisoli2020": ("renumbered", 2, 1), "birlea2017": ("renumbered", 1, 2)}
    kinds = [s["kind"] for s in hk["sentences"]]
    assert kinds.count("changed") == 1  # the sentence that cites another reference
    renumbered = [s for s in hk["sentences"] if s["kind"] == "renumbered"]
    assert renumbered and all("[1]" in s["old"] and "[2]" in s["new"] for s in renumbered
                              if s["language"] == "en" and "[1]" in s["old"])
    text = cli("diff", old, new, "--region", "hk").output
    assert "# birlea2017: number 1 → 2" in text


def test_diff_shows_overlay_and_approval_data_changes(two_versions):
    old, new = two_versions
    edit(new / "regions" / "hk.yaml", "job_code: HK-LUM-0125-01", "job_code: HK-LUM-0125-02")
    edit(new / "leaflet.yaml", 'version: "1.0"', 'version: "1.1"')
    text = cli("diff", old, new, "--region", "hk").output
    assert "approval job_code: HK-LUM-0125-01 → HK-LUM-0125-02" in text
    assert "approval version: 1.0 → 1.1" in text
    edit(new / "leaflet.yaml", "brand: [78, 8, 32, 0]", "brand: [78, 8, 30, 0]")
    assert "theme colours.brand: [78.0, 8.0, 32.0, 0.0] → [78.0, 8.0, 30.0, 0.0]" in cli(
        "diff", old, new, "--region", "hk").output


def test_a_new_paragraph_break_or_role_is_a_change_even_with_the_same_words(two_versions):
    old, new = two_versions
    edit(new / "text" / "en.yaml", "optimal results. Typically,", "optimal results.\n      - >-\n        Typically,")
    edit(new / "text" / "en.yaml", "      - >-\n        Your doctor will recommend a treatment plan for you including how long\n"
         "        you should use the cream.\n", "          - Your doctor will recommend a treatment plan for you "
         "including how long you should use the cream.\n")  # now the last bullet
    text = cli("diff", old, new, "--region", "hk").output
    assert "¶ Typically, you should be able to see repigmentation from 3 months onwards.[4]  " \
           "[now starts a paragraph]" in text
    assert "¶ Your doctor will recommend a treatment plan for you including how long you should use the cream.  " \
           "[body → bullet]" in text


def test_sentences_split_at_stops_and_keep_their_citations():
    cite = {"cite": ["a"], "n": "1"}
    assert sentences(["Dose 15.5 mg, e.g. twice.", cite, " Wait 8 hours."]) == [
        ["Dose 15.5 mg, e.g. twice.", cite], ["Wait 8 hours."]]
    assert sentences(["白斑是一種病。它會「擴散」。", cite, "請問？好"]) == [
        ["白斑是一種病。"], ["它會「擴散」。", cite], ["請問？"], ["好"]]
    assert tokens("cream 15mg/g 白蝕症[3]") == ["cream", " ", "15mg", "/", "g", " ", "白", "蝕", "症", "[3]"]


def git(folder, *args):
    subprocess.run(["git", "-C", str(folder), "-c", "user.email=t@example.org", "-c", "user.name=Test", *args],
                   check=True, capture_output=True)


def test_diff_between_git_revisions_never_touches_the_working_files(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo / "content" / "lumirix")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "v1.0")
    git(repo, "tag", "v1.0")
    edit(repo / "content" / "lumirix" / "text" / "en.yaml", DOSE, NEW_DOSE)
    git(repo, "commit", "-qam", "once daily")
    edit(repo / "content" / "lumirix" / "text" / "en.yaml", "Wait at least 8 hours", "Wait at least 10 hours")
    folder = repo / "content" / "lumirix"
    before = (folder / "text" / "en.yaml").read_bytes()

    committed = cli("diff", "--from", "v1.0", "--to", "HEAD", folder, "--region", "hk").output
    assert "[-twice-]{+once+}" in committed and "10 hours" not in committed
    now = cli("diff", "--from", "v1.0", folder, "--region", "hk").output  # to the folder as it is now
    assert "[-twice-]{+once+}" in now and "[-8-]{+10+}" in now
    assert (folder / "text" / "en.yaml").read_bytes() == before
    status = subprocess.run(["git", "-C", str(repo), "status", "--porcelain"], capture_output=True, text=True)
    assert status.stdout.strip() == "M content/lumirix/text/en.yaml"  # only the user's own edit


def test_diff_refuses_unknown_revisions_and_folders_outside_git(tmp_path, two_versions):
    result = cli("diff", "--from", "v9", two_versions[0])
    assert result.exit_code == 1
    assert "is not in a git repository" in result.stderr or "no revision 'v9'" in result.stderr
    assert "Traceback" not in result.stderr + result.output
    missing = cli("diff", tmp_path / "nothing", two_versions[0])
    assert missing.exit_code == 1 and "the content folder does not exist" in missing.stderr
    assert cli("diff", two_versions[0]).exit_code == 2  # usage: one folder and no revision


def test_html_redline_is_self_contained(two_versions, tmp_path):
    old, new = two_versions
    edit(new / "text" / "en.yaml", DOSE, NEW_DOSE)
    page = tmp_path / "redline.html"
    cli("diff", old, new, "--region", "hk", "--html", page)
    html = page.read_text(encoding="utf-8")
    assert "<del>twice</del><ins>once</ins>" in html
    assert "skin.<sup>3</sup>" in html
    assert "<script" not in html and "src=" not in html and "href=" not in html


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Chromium (apt-get install chromium)")
def test_html_redline_shows_removed_and_added_words_in_a_real_browser(two_versions, tmp_path):
    old, new = two_versions
    edit(new / "text" / "en.yaml", DOSE, NEW_DOSE)
    page, shot = tmp_path / "redline.html", tmp_path / "shot.png"
    cli("diff", old, new, "--region", "hk", "--html", page)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                        f"--screenshot={shot}", "--window-size=1200,900", page.as_uri()],
                       capture_output=True, timeout=120, check=True)
    colours = Image.open(shot).convert("RGB").getcolors(1 << 20)
    pinkish = sum(n for n, (r, g, b) in colours if r > 240 and 200 < g < 230 and 200 < b < 230)  # <del> background
    greenish = sum(n for n, (r, g, b) in colours if g > 240 and 200 < r < 230 and 200 < b < 230)  # <ins>
    assert pinkish > 100 and greenish > 100


# --- approvals ---------------------------------------------------------------------

def test_approval_round_trip(content):
    approve(content)
    [record] = records(content)
    assert (record.edition, record.approved_by, record.reference, record.date.isoformat()) == (
        "hk", "Dr Mei Chan", "MLR-2026-0142", "2026-11-30")
    assert record.tool.startswith("leaflet ") and "NotoSansCJKhk-Regular.otf" in record.fonts
    snapshot = json.loads((content / record.snapshot).read_text(encoding="utf-8"))
    assert snapshot["edition"] == "hk" and record.snapshot == f"approvals/hk-{record.sha256[:12]}.json"
    status = cli("status", content).output
    assert "hk: approved — MLR-2026-0142, approved by Dr Mei Chan on 2026-11-30" in status
    assert "mo: draft — no approval recorded" in status

    first = (content / "approvals.yaml").read_bytes()
    approve(content, reference="MLR-2026-0143", by="A. Legal")  # a second reviewer signs the same words
    assert (content / "approvals.yaml").read_bytes().startswith(first)  # appended, never rewritten
    assert [r.reference for r in records(content)] == ["MLR-2026-0142", "MLR-2026-0143"]


def test_final_build_is_refused_after_a_change_and_allowed_after_reapproval(content, tmp_path):
    approve(content)
    edit(content / "text" / "en.yaml", DOSE, NEW_DOSE)
    refused = cli("build", content, "--region", "hk", "--final", "--out", tmp_path / "out")
    assert refused.exit_code == 1
    assert (f"{content}/text/en.yaml:54: edition 'hk' changed since approval MLR-2026-0142, approved by "
            "Dr Mei Chan on 2026-11-30: story 'starting-lumirix' (en): sentence changed: "
            "“Apply a thin layer of cream [-twice-]{+once+} daily") in refused.stderr
    assert not (tmp_path / "out" / "lumirix-hk-v1.0.pdf").exists()
    assert "CHANGED since approval" in cli("status", content).output

    approve(content, reference="MLR-2026-0150")
    built = cli("build", content, "--region", "hk", "--final", "--out", tmp_path / "out")
    assert built.exit_code == 0, built.stderr
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    [entry] = manifest["editions"]
    assert entry["status"] == "final" and entry["approval"]["reference"] == "MLR-2026-0150"
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "out" / "lumirix-hk-v1.0.pdf").pages)
    assert "APPROVED" in text and "DRAFT" not in text and "once daily" in text
    verified = cli("verify", tmp_path / "out" / "lumirix-hk-v1.0.pdf", "--content", content, "--region", "hk")
    assert "final, approved for print" in verified.output


def test_diff_since_approval(content):
    approve(content)
    edit(content / "text" / "en.yaml", DOSE, NEW_DOSE)
    result = cli("diff", "--approved", content)
    assert result.output.startswith("Changes from the approved version to")
    assert "[-twice-]{+once+}" in result.output and "mo:" not in result.output


def test_an_edited_approval_record_or_snapshot_is_refused(content):
    approve(content)
    [record] = records(content)
    snapshot = content / record.snapshot
    snapshot.write_text(snapshot.read_text(encoding="utf-8").replace("twice daily", "once daily"), encoding="utf-8")
    result = cli("status", content)
    assert result.exit_code == 1 and "has been edited" in result.stderr and "Traceback" not in result.stderr
    edit(content / "approvals.yaml", "reference: MLR-2026-0142", "referance: MLR-2026-0142")
    broken = cli("build", content, "--region", "hk", "--out", content.parent / "out")
    assert "approvals.yaml:3" in broken.stderr and "missing reference" in broken.stderr


def test_once_an_edition_has_a_record_status_approved_no_longer_makes_it_final(content, tmp_path):
    approve_everything(content)  # the old rule: final
    approve(content)
    edit(content / "text" / "en.yaml", DOSE, NEW_DOSE)
    refused = cli("build", content, "--region", "hk", "--final", "--out", tmp_path / "out")
    assert refused.exit_code == 1 and "changed since approval MLR-2026-0142" in refused.stderr
    mo = cli("build", content, "--region", "mo", "--final", "--out", tmp_path / "out")  # no record: the old rule
    assert mo.exit_code == 0
    assert "'status: approved' ties no approval to the words it approves (mo, sg, tw without an approval record)" \
        in mo.stderr


def test_old_content_marked_approved_is_still_read_with_a_warning(content, tmp_path):
    edit(content / "leaflet.yaml", "status: draft", "status: approved")
    result = cli("build", content, "--region", "hk", "--out", tmp_path / "out")
    assert result.exit_code == 0
    assert "warning:" in result.stderr and "'status: approved' ties no approval to the words" in result.stderr
    assert "leaflet approve" in result.stderr


def test_approve_refuses_bad_input_with_a_clear_message(content):
    result = cli("approve", content, "--region", "xx", "--by", "A", "--reference", "R")
    assert result.exit_code == 1 and "there is no region 'xx'" in result.stderr
    blank = cli("approve", content, "--region", "hk", "--by", " ", "--reference", "R")
    assert blank.exit_code == 1 and "--by must be one line of text" in blank.stderr
    assert not (content / "approvals.yaml").exists()
    bad_date = cli("approve", content, "--region", "hk", "--by", "A", "--reference", "R", "--date", "30/11/2026")
    assert bad_date.exit_code == 2


# --- compare -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """The Hong Kong edition, and a rebuild of it with one dose sentence changed."""
    root = tmp_path_factory.mktemp("compare")
    changed = root / "changed" / "lumirix"
    shutil.copytree(EXAMPLE, changed)
    edit(changed / "text" / "en.yaml", DOSE, NEW_DOSE)
    for folder, out in ((EXAMPLE, root / "a"), (changed, root / "b")):
        assert cli("build", folder, "--region", "hk", "--out", out).exit_code == 0
    return root / "a" / "lumirix-hk-v1.0.pdf", root / "b" / "lumirix-hk-v1.0.pdf"


def test_compare_names_the_changed_words_and_boxes_them(printed, tmp_path):
    a, b = printed
    result = cli("compare", a, b, "--out", tmp_path / "diff")
    assert result.exit_code == 1
    assert ("page 2 (inside), panel 'inside-middle': altered: “…a thin layer of cream twice daily to the "
            "affected…” → “…a thin layer of cream once daily to the affected…”") in result.output
    assert "panel 'inside-middle': prints differently in a" in result.output
    [overlay] = sorted((tmp_path / "diff").iterdir())
    assert overlay.name == "lumirix-hk-v1.0-page2-overlay.png"
    image = Image.open(overlay).convert("RGB")
    assert image.getpixel((10, 10)) != (200, 0, 200)
    magenta = sum(n for n, rgb in image.getcolors(1 << 24) if rgb == (200, 0, 200))
    assert magenta > 500  # the box around the change


def test_compare_of_a_file_with_itself_finds_nothing(printed):
    result = cli("compare", printed[0], printed[0])
    assert result.exit_code == 0 and "the same" in result.output


@pytest.mark.skipif(shutil.which("gs") is None, reason="needs Ghostscript")
def test_compare_says_when_a_file_lost_its_text_layer(printed, tmp_path):
    redistilled = tmp_path / "gs.pdf"
    subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite", f"-sOutputFile={redistilled}",
                    str(printed[0])], check=True, capture_output=True, timeout=120)
    result = cli("compare", printed[0], redistilled)
    assert result.exit_code == 1
    assert result.output.count("gs.pdf has glyphs without a text layer") == 2  # both pages
    assert "prints differently" not in result.output  # it still looks the same


def test_compare_refuses_a_file_that_is_not_a_pdf(printed, tmp_path):
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf at all")
    result = cli("compare", printed[0], junk)
    assert result.exit_code == 1 and "junk.pdf" in result.output and "Traceback" not in result.output


def test_terminal_view_is_coloured_on_a_terminal_and_marked_otherwise(two_versions):
    from leaflet.change.diff import diff_editions, terminal
    from leaflet.change.snapshot import folder_snapshots

    old, new = two_versions
    edit(new / "text" / "en.yaml", DOSE, NEW_DOSE)
    diffs = diff_editions(folder_snapshots(old, ("hk",)), folder_snapshots(new, ("hk",)))
    coloured = terminal(diffs, "old", "new", colour=True)
    assert "\x1b[31m\x1b[9mtwice\x1b[0m\x1b[32m\x1b[4monce\x1b[0m" in coloured and "[-" not in coloured
    assert "[-twice-]{+once+}" in terminal(diffs, "old", "new", colour=False)
