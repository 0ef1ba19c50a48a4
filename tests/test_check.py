"""`leaflet check`: every problem at once, for people and for CI; and hostile input."""
import json
import tracemalloc

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE, edit, run_cli, run_process
from leaflet.errors import LeafletError
from leaflet.content.load import load_leaflet


def break_in_four_places(content):
    edit(content / "leaflet.yaml", "  bleed_mm: 3", "  bleeed_mm: 3")
    edit(content / "leaflet.yaml", "  fold: letter", "  fold: roll")
    edit(content / "text" / "en.yaml", "[@birlea2017] The", "[@birlea2071] The")
    edit(content / "text" / "en.yaml", "free from steroids.", "free from steroids 😀.")


def test_all_problems_are_reported_at_once_with_file_and_line(content, tmp_path):
    break_in_four_places(content)
    result = run_cli("check", content)
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert lines[-1].endswith("4 problem(s) found")
    assert "leaflet.yaml:" in lines[0] and "did you mean 'bleed_mm'" in lines[0]
    assert "'format.fold' is 'roll'; it must be one of: letter, z, gate, bifold" in lines[1]
    assert "en.yaml:" in lines[2] and "[@birlea2071] names no reference" in lines[2]
    assert "U+1F600" in lines[3]
    assert "Traceback" not in result.stderr
    assert not list(content.rglob("*.pdf")) and not list(tmp_path.rglob("*.pdf")), "check writes nothing"


def test_json_report_for_ci(content, tmp_path):
    break_in_four_places(content)
    result = run_cli("check", content, "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False and len(report["problems"]) == 4
    first = report["problems"][0]
    assert first["file"].endswith("leaflet.yaml") and isinstance(first["line"], int)
    assert first["kind"] == "content error" and first["fix"] == "did you mean 'bleed_mm'?"
    # a clean leaflet, the minimal starter (the example's own check is in test_layout_warnings.py)
    folder = tmp_path / "clean"
    assert run_cli("new", folder).returncode == 0
    result = run_cli("check", folder, "--format", "json")
    assert result.returncode == 0
    assert json.loads(result.stdout) == {"content": str(folder), "ok": True, "problems": [], "warnings": []}


def test_usage_error_exits_2():
    assert run_process("check").returncode == 2
    assert run_cli("check", EXAMPLE, "--format", "xml").returncode == 2


def test_overflows_of_every_flow_are_reported(content):
    long = " ".join(["Repigmentation is a gradual process that can take weeks to months."] * 50)
    edit(content / "text" / "en.yaml", "      - Lumirix® is free from steroids.[@pi-hk]",
         f"      - Lumirix® is free from steroids.[@pi-hk] {long}")
    edit(content / "text" / "zh-Hant-HK.yaml", "      - text: Lumirix® 不含類固醇。[@pi-hk]",
         "      - text: Lumirix® 不含類固醇。[@pi-hk]" + "色素恢復是一個漸進的過程。" * 80)
    result = run_cli("check", content)
    assert result.returncode == 1
    assert "(en) does not fit" in result.stdout and "(zh-Hant-HK) does not fit" in result.stdout


def test_body_text_below_the_readability_minimum(content):
    edit(content / "leaflet.yaml", "  body_size_pt: 10", "  body_size_pt: 8.5")
    result = run_cli("check", content)
    assert result.returncode == 1 and "body text of 8.5 pt is below the readability minimum of 9 pt" in result.stdout


def test_readability_minimum_is_configurable_per_leaflet(content):
    edit(content / "leaflet.yaml", "  body_size_pt: 10", "  body_size_pt: 10\n  min_body_pt: 11")
    result = run_cli("check", content)
    assert result.returncode == 1 and "below the readability minimum of 11 pt" in result.stdout


# --- hostile input ---------------------------------------------------------------------

def test_ten_megabyte_content_file_is_refused_unread(content):
    (content / "references.yaml").write_text("references:\n" + "  - id: x\n    text: " + "a" * 10_000_000 + "\n")
    tracemalloc.start()
    with pytest.raises(LeafletError, match=r"references.yaml: the file is 10,000,0\d\d bytes"):
        load_leaflet(content)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 5_000_000, "refused by its size, before it is read into memory"


def test_alias_bomb_is_refused_within_bounded_memory(content):
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i in range(1, 12):
        bomb += f"{chr(97 + i)}: &{chr(97 + i)} [" + ",".join([f"*{chr(96 + i)}"] * 9) + "]\n"
    (content / "references.yaml").write_text(bomb)
    tracemalloc.start()
    with pytest.raises(LeafletError, match="anchors and aliases"):
        load_leaflet(content)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # 9^12 expanded items would need terabytes; refusing at the first alias stays small
    assert peak < 20_000_000


@pytest.mark.parametrize("text,message", [
    ("", "the file is empty"),
    ("references: [\n", "YAML syntax error, column"),
    ("references:\n\t- id: x\n", "does not allow tabs"),
    ("references:\n  - id: a\n    id: b\n    text: t\n", "appears twice"),
    ("references: 5\n", "must be a list, not a number"),
    ("references:\n  - {id: frisoli2020, txt: t}\n", "did you mean 'text'"),
    ("- just\n- a list\n", "must be a mapping of keys"),
])
def test_hostile_reference_files_get_one_clear_message(content, tmp_path, text, message):
    (content / "references.yaml").write_text(text)
    (tmp_path / "out").mkdir()
    existing = tmp_path / "out" / "lumirix-hk-v1.0.pdf"
    existing.write_bytes(b"%PDF-1.4 the previous approved print file")
    result = run_cli("build", content, "--out", tmp_path / "out")
    assert result.returncode == 1 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "references.yaml" in result.stderr
    assert existing.read_bytes() == b"%PDF-1.4 the previous approved print file", "existing PDF untouched"


# YAML documents of any shape: the loader returns a model or raises our error, nothing else.
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20),
                    st.dates())
documents = st.recursive(scalars, lambda children: st.one_of(
    st.lists(children, max_size=4), st.dictionaries(st.text(max_size=12), children, max_size=5)), max_leaves=20)
keys = st.sampled_from(["title", "languages", "approval", "format", "theme", "cover", "agent", "flows",
                        "back_stories", "references", "stories", "language", "text", "id"])
leaflet_like = st.dictionaries(keys, documents, max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(main=st.one_of(documents, leaflet_like), refs=st.one_of(documents, leaflet_like))
def test_any_yaml_gives_a_model_or_our_error(content, main, refs):
    (content / "leaflet.yaml").write_text(yaml.safe_dump(main, allow_unicode=True))
    (content / "references.yaml").write_text(yaml.safe_dump(refs, allow_unicode=True))
    try:
        load_leaflet(content)
    except LeafletError as exc:
        assert str(exc)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(noise=st.binary(max_size=200))
def test_any_bytes_give_a_model_or_our_error(content, noise):
    (content / "text" / "en.yaml").write_bytes(noise)
    try:
        load_leaflet(content)
    except LeafletError as exc:
        assert str(exc)


def test_the_real_process_exits_with_its_code_and_every_line_it_printed(tmp_path):
    """The command leaves without Python's teardown (cli.run): what it printed must all reach
    the reader, well past one pipe buffer (8 KB), with the exit code of the command."""
    from small_leaflet import write_leaflet

    body = "\n".join(f"      - Paragraph {i} cites a source that is not listed. [@missing{i}]" for i in range(300))
    folder = write_leaflet(tmp_path / "fx", texts={"en": f"language: en\nstories:\n  plan:\n    heading: Plan\n"
                                                         f"    body:\n{body}\n"})
    inside, outside = run_cli("check", folder), run_process("check", folder)
    assert len(outside.stdout) > 8192 and outside.stdout.count("the citation [@missing") == 300
    assert (outside.returncode, outside.stdout, outside.stderr) == (inside.returncode, inside.stdout, inside.stderr)
    assert outside.returncode == 1
    assert run_process("--version").returncode == 0


def test_editions_are_checked_side_by_side_and_reported_in_the_leaflets_order(content, monkeypatch, tmp_path):
    """Two cores check two editions at a time; whichever finishes first, the report follows
    the leaflet's order of regions, and a worker that dies fails only its edition's check
    (here hk's worker dies last, once tw's has died)."""
    import os
    import signal
    import time

    import leaflet.pipeline as pipeline

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    parent, resolve = os.getpid(), pipeline.resolve

    def dies_for_hk_and_tw(leaflet, region, *args, **kwargs):
        if region is not None and region.code in ("hk", "tw") and os.getpid() != parent:
            tw_died = tmp_path / "tw-dies"
            if region.code == "tw":
                tw_died.touch()
            while region.code == "hk" and not tw_died.exists():
                time.sleep(0.01)
            time.sleep(0.2 if region.code == "hk" else 0)  # the parent sees tw's worker gone first
            os.kill(os.getpid(), signal.SIGKILL)
        return resolve(leaflet, region, *args, **kwargs)

    monkeypatch.setattr(pipeline, "resolve", dies_for_hk_and_tw)
    result = run_cli("check", content)
    lines = result.stdout.splitlines()
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    assert [line.split("the worker checking ")[1] for line in lines if "the worker checking" in line] == \
        ["the edition died (signal 9) (in editions 'hk', 'tw') — check again"]  # in the leaflet's order
    assert lines[-1].endswith("1 problem(s) found")


def test_a_flow_naming_a_missing_story_does_not_hide_the_other_stories_problems(tmp_path):
    """A misspelt story id in a flow is reported with what else is wrong (a citation to no
    reference in another story), not one at a time; the build still refuses it."""
    from small_leaflet import write_leaflet

    text = ("language: en\nstories:\n  plan:\n    heading: Plan\n    body: [Apply a thin layer.]\n"
            "  after:\n    heading: After\n    body: ['Wash your hands.[@nosuchsource]']\n")
    folder = write_leaflet(tmp_path / "fx", texts={"en": text})
    edit(folder / "leaflet.yaml", "stories: [plan]", "stories: [plann, after]")
    result = run_cli("check", folder)
    assert result.returncode == 1
    assert "flow 1 names story 'plann', which text/en.yaml does not have — did you mean 'plan'?" in result.stdout
    assert "the citation [@nosuchsource] cites a reference, but this edition has no references" in result.stdout
    assert result.stdout.strip().endswith("2 problem(s) found")
    assert run_cli("build", folder, "--out", tmp_path / "out").returncode == 1
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_a_problem_of_some_editions_names_them(content):
    """An emoji in the Simplified Chinese text fails only the Singapore edition, and a misspelt
    citation in en.yaml the three editions that print English (Taiwan's is Chinese only):
    each is reported once, naming its editions."""
    edit(content / "text" / "zh-Hans.yaml", "Lumirix® 不含类固醇。", "Lumirix® 不含类固醇。👍")
    edit(content / "text" / "en.yaml", "[@birlea2017] The", "[@birlea2071] The")
    lines = run_cli("check", content).stdout.splitlines()
    emoji = [line for line in lines if "U+1F44D" in line]
    citations = [line for line in lines if "[@birlea2071]" in line]
    assert len(emoji) == 1 and "(in edition 'sg')" in emoji[0], emoji
    assert len(citations) == 1 and "(in editions 'hk', 'mo', 'sg')" in citations[0], citations


def test_a_problem_every_edition_has_names_none(tmp_path):
    from small_leaflet import write_regional_leaflet

    folder = write_regional_leaflet(tmp_path / "lumirix")  # hk and mo both print its English
    edit(folder / "text" / "en.yaml", "[@pi-hk]", "[@pi-hkk]")
    citations = [line for line in run_cli("check", folder).stdout.splitlines() if "[@pi-hkk]" in line]
    assert len(citations) == 1 and "(in edition" not in citations[0], citations


def test_a_language_tag_misspelt_in_the_list_points_to_the_text_file_that_is_there(tmp_path):
    from small_leaflet import write_leaflet

    folder = write_leaflet(tmp_path / "fx", languages=("en", "zh-Hans-SG"))
    edit(folder / "leaflet.yaml", "languages: [en, zh-Hans-SG]", "languages: [en, zh-Hans-SP]")
    out = run_cli("check", folder).stdout
    assert "text/zh-Hans-SP.yaml: the file does not exist — create it, or correct 'zh-Hans-SP' in leaflet.yaml's " \
           "languages: did you mean 'zh-Hans-SG' (text/zh-Hans-SG.yaml is there)?" in out, out
