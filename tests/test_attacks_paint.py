"""Attacks from the hostile review that only the visual witness used to see, or
that crashed or hung the reading of a page: each must now be refused by the
witnesses a build's own self-check runs (text, shapes, glyphs, print state), so
that no rendering is needed to catch them, and each must be judged in bounded
time. (The review's attack functions are in tests/attacks/attacks.py.)"""
import subprocess
import sys

import pytest
from attacks.attacks import ATTACKS
from conftest import EXAMPLE, REPO, approved_example

from leaflet.proof import prove

# name -> (page, panel or None, words the finding must hold)
REFUSED = {
    "red_text_on_teal_cover": (0, "cover", "that the approved layout does not paint"),
    "magenta_text_on_inside_band": (1, None, "that the approved layout does not paint"),
    "black_text_under_overprinted_band": (1, None, "a shape in K100 that the approved layout does not paint"),
    "black_text_under_overprinted_cover": (0, "cover", "a shape in K100 that the approved layout does not paint"),
    "ocg_usage_print_off_without_as": (1, "inside-middle", "that the approved layout does not paint"),
    "ocg_usage_view_off_split_cover": (1, "inside-middle", "that the approved layout does not paint"),
    "slug_draft_to_final_by_strips": (0, None, "that the approved layout does not paint"),
    "watermark_faded_by_tint_strips": (1, "inside-left", "that the approved layout does not paint"),
    "extra_glyphs_mapped_to_space": (1, None, "draws a different glyph than the pinned font"),
}


@pytest.fixture(scope="module")
def layout():
    return approved_example("hk").layout


def attacked(name, built, tmp_path):
    must, attack, region = ATTACKS[name]
    target = tmp_path / f"{name}.pdf"
    attack(built.pdf.parent, target)
    return must, target


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_by_the_self_check_witnesses(name, built, tmp_path, layout):
    must, pdf = attacked(name, built, tmp_path)
    page, panel, words = REFUSED[name]
    findings = prove(pdf.read_bytes(), layout)  # exactly what a build runs on its own PDF: no rendering
    assert must == "fail"
    assert any(f.page == page and (panel is None or f.panel == panel) and words in f.what for f in findings), \
        [str(f) for f in findings]


@pytest.mark.parametrize("name", ["hang_cid_widths_range", "hang_tounicode_ranges", "hang_form_xobject_bomb",
                                  "crash_tf_without_size", "crash_operators_without_operands",
                                  "slow_thousand_pages", "slow_many_shapes", "slow_glyph_identification"])
def test_hostile_structure_is_judged_without_a_traceback_or_a_hang(name, built, tmp_path):
    """A real process, so that a hang is a failure here and not a stuck test run (the bound is
    generous: these finish in about a second; before the fix they took minutes or forever)."""
    _, pdf = attacked(name, built, tmp_path)
    done = subprocess.run([sys.executable, "-m", "leaflet", "verify", str(pdf), "--content", str(EXAMPLE),
                           "--region", "hk"], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr and "FAILED" in done.stdout, done.stderr


@pytest.mark.parametrize("name", ["text_painted_twice_in_place", "page_drawn_twice_via_form"])
def test_painting_the_same_thing_twice_in_place_prints_the_same_and_passes(name, built, tmp_path, layout):
    _, pdf = attacked(name, built, tmp_path)
    assert [str(f) for f in prove(pdf.read_bytes(), layout, exact=False)] == []
