"""`leaflet watch`: the watcher loop driven poll by poll, edits made between polls, on the example cut
short (tests/small_leaflet.py): each poll's rebuild is the example's shape at a fraction of its length."""
import shutil
import signal
import subprocess
import sys

import pytest
from pypdf import PdfReader

from conftest import REPO, edit, squash
from small_leaflet import write_regional_leaflet
from leaflet.pipeline import build
from leaflet.watch import Proofing, watch

PROOF = "lumirix-hk-v1.0-proof.pdf"


@pytest.fixture
def content(tmp_path):
    """A private regional leaflet (English and Hong Kong Chinese; regions hk and mo), for the test to edit."""
    return write_regional_leaflet(tmp_path / "lumirix")


def run(content, out, edits: dict, polls: int, region="hk") -> list[str]:
    """Watch for `polls` polls; before poll n, `edits[n]()` changes the content. Returns what it printed."""
    printed, done = [], [0]

    def sleep(_seconds):
        done[0] += 1
        edits.get(done[0], lambda: None)()

    watch(Proofing(content, region, out), printed.append, sleep, polls)
    return printed


def rebuilds(printed: list[str]) -> list[str]:
    return [line for line in printed if line.startswith("rebuilt in ")]


def printed_text(pdf) -> str:
    return squash("".join(page.extract_text() for page in PdfReader(pdf).pages))


def test_an_edit_is_rebuilt_once_and_the_proof_prints_the_new_word(content, tmp_path):
    en = content / "text" / "en.yaml"
    printed = run(content, tmp_path, {2: lambda: edit(en, "twice daily to the affected", "twice daily to the tested")},
                  polls=5)
    assert len(rebuilds(printed)) == 2, printed  # the first build, then the edit: once
    assert "thetestedareas" in printed_text(tmp_path / PROOF)
    assert "affectedareas" not in printed_text(tmp_path / PROOF)
    assert sum("proof-read in" in line for line in printed) == 2
    assert {p.name for p in tmp_path.glob("*.png")} == {f"lumirix-hk-v1.0-proof-{n}.png"
                                                        for n in ("outside", "inside", "contact")}
    assert not list(tmp_path.glob(".*")), "no temporary file is left behind"


def test_nothing_changed_nothing_rebuilt(content, tmp_path):
    swap = content / "text" / ".en.yaml.swp"  # an editor's swap file is not content
    printed = run(content, tmp_path, {2: lambda: swap.write_text("x"), 3: lambda: swap.write_text("xy")}, polls=5)
    assert len(rebuilds(printed)) == 1, printed


def test_a_yaml_error_mid_edit_prints_one_message_and_the_next_good_save_rebuilds(content, tmp_path):
    en = content / "text" / "en.yaml"
    good = en.read_text(encoding="utf-8")
    broken = good.replace("    heading: Understanding Vitiligo", "    heading: [Understanding Vitiligo", 1)
    fixed = good.replace("twice daily to the affected", "twice daily to the tested", 1)
    printed = run(content, tmp_path, {2: lambda: en.write_text(broken, encoding="utf-8"),
                                      4: lambda: en.write_text(fixed, encoding="utf-8")}, polls=6)
    errors = [line for line in printed if line.startswith("content error:")]
    assert len(errors) == 1, printed
    assert f"{en}:" in errors[0] and "YAML syntax error" in errors[0]
    assert "1 problem(s); still watching: fix and save" in printed
    assert len(rebuilds(printed)) == 2
    assert printed.index(errors[0]) < printed.index(rebuilds(printed)[1])
    assert "thetestedareas" in printed_text(tmp_path / PROOF)


def test_a_problem_leaves_the_last_good_proof_in_place(content, tmp_path):
    en = content / "text" / "en.yaml"
    printed = run(content, tmp_path, {2: lambda: edit(en, "[@pi-hk]", "[@no-such-reference]")}, polls=3)
    assert any(line.startswith("citation error:") and "no-such-reference" in line for line in printed), printed
    assert "affectedareas" in printed_text(tmp_path / PROOF)  # the first build's proof, whole
    assert len(rebuilds(printed)) == 1


def test_a_new_chinese_character_prints_although_the_fonts_were_warm(content, tmp_path):
    """The warm font subsets must not be reused for text they lack a glyph for."""
    zh = content / "text" / "zh-Hant-HK.yaml"
    text = zh.read_text(encoding="utf-8")
    assert "鑫" not in text
    printed = run(content, tmp_path, {2: lambda: edit(zh, "白蝕症", "白蝕鑫症")}, polls=3)
    assert len(rebuilds(printed)) == 2, printed
    assert "白蝕鑫症" in printed_text(tmp_path / PROOF)


def test_a_save_that_changes_nothing_printed_leaves_the_proof_alone(content, tmp_path):
    en = content / "text" / "en.yaml"
    printed = run(content, tmp_path, {2: lambda: edit(en, "# English text", "# The English text")}, polls=3)
    assert len(rebuilds(printed)) == 1
    assert "no change to what edition 'hk' prints; " in printed[-1]


def test_a_leaflet_without_regions_is_watched_as_one_edition(content, tmp_path):
    shutil.rmtree(content / "regions")
    printed = run(content, tmp_path, {}, polls=1, region=None)
    assert rebuilds(printed) and (tmp_path / "lumirix-v1.0-proof.pdf").exists()


def test_watch_without_a_region_names_the_regions_and_keeps_watching(content, tmp_path):
    printed = run(content, tmp_path, {}, polls=1, region=None)
    assert any("has regional editions (hk, mo); name one — pass --region CODE" in line for line in printed)
    assert printed[-1] == "1 problem(s); still watching: fix and save"


def test_ctrl_c_stops_watching_with_exit_130_and_complete_files(content, tmp_path):
    watcher = subprocess.Popen([sys.executable, "-m", "leaflet", "watch", str(content), "--region", "hk", "--out",
                                str(tmp_path)], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=_ctrl_c_reaches)
    try:
        for line in watcher.stdout:
            if "previews in" in line:
                break
        watcher.send_signal(signal.SIGINT)
        out, err = watcher.communicate(timeout=60)
    finally:
        watcher.kill()
    assert watcher.returncode == 130, err
    assert "stopped watching (SIGINT)" in out and "Traceback" not in err
    assert len(PdfReader(tmp_path / PROOF).pages) == 2
    assert not list(tmp_path.glob(".*"))


def _ctrl_c_reaches() -> None:
    """A test run in the background ignores Ctrl-C and a child inherits that: the watcher must see it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_the_warm_rebuild_is_byte_for_byte_the_proof_a_fresh_build_makes(content, tmp_path):
    """Warm fonts and lines must not change a byte: the proof is what `leaflet build --proof` writes."""
    en, zh = content / "text" / "en.yaml", content / "text" / "zh-Hant-HK.yaml"
    run(content, tmp_path / "watched", {2: lambda: edit(en, "Wait at least 8 hours", "Wait at least 12 hours"),
                                        4: lambda: edit(zh, "至少相隔8小時", "至少相隔12小時")}, polls=5)
    fresh = build(content, tmp_path / "fresh", "hk", proof=True)
    assert (tmp_path / "watched" / PROOF).read_bytes() == fresh.pdf.read_bytes()


def test_a_proof_that_fails_its_proof_reading_is_removed_with_its_previews(content, tmp_path, monkeypatch):
    """A stale-state bug (here: the first save's layout rendered again after an edit) must not leave a proof."""
    import leaflet.pdf.render as render

    real, first = render.render_proof, []

    def remembering(layout):
        first.append(layout)
        return real(layout)

    def break_rendering():
        monkeypatch.setattr(render, "render_proof", lambda layout: real(first[0]))
        edit(content / "text" / "en.yaml", "how long\n        you should", "how long\n        you will")

    monkeypatch.setattr(render, "render_proof", remembering)
    out = tmp_path / "proofs"
    en = content / "text" / "en.yaml"
    printed = run(content, out, {2: lambda: edit(en, "Wait at least 8 hours", "Wait at least 12 hours"),
                                 4: break_rendering}, polls=5)
    failed = [line for line in printed if line.startswith(f"error: {out / PROOF} failed its proof-reading and was "
                                                          "removed, with its previews: ")]
    assert failed and "12 hours" in failed[0], printed
    assert not (out / PROOF).exists() and not list(out.glob("*.png"))
