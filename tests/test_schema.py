"""The content schema: every problem in every file at once, names suggested, the JSON Schema
editors use and the content reference both made from it and never drifting from it."""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE, REPO, edit
from leaflet.cli import main
from leaflet.content import schema, stories
from leaflet.content.guide import reference_markdown
from leaflet.content.load import load_leaflet
from leaflet.errors import LeafletError, individual


def line_of(file, text) -> int:
    return file.read_text(encoding="utf-8").split(text)[0].count("\n") + 1


def problems_of(content) -> list[LeafletError]:
    with pytest.raises(LeafletError) as info:
        load_leaflet(content)
    return individual(info.value)


def test_five_problems_in_three_files_are_reported_at_once_each_at_its_line(content):
    main_file, en, tw = content / "leaflet.yaml", content / "text" / "en.yaml", content / "regions" / "tw.yaml"
    edit(main_file, "  status: draft          # draft | approved\n", "")
    edit(main_file, "  bleed_mm: 3", "  bleed_mm: 30")
    edit(en, "    heading: Understanding Vitiligo", "    headline: Understanding Vitiligo")
    edit(en, "        added: completion", "        added: completed")
    edit(tw, "  language: zh-Hant-TW\n  lines:", "  language: zh-Hant-WT\n  lines:")
    expected = [  # (file, line, what the message says, the fix), in the order they are reported: by file
        (main_file, line_of(main_file, "  job_code:"), "'approval' is missing the required key 'status'",
         "add 'status:'"),
        (main_file, line_of(main_file, "  bleed_mm: 30"), "'format.bleed_mm' is 30; it must be between 0 and 10",
         None),
        (tw, line_of(tw, "  language: zh-Hant-WT"), "'agent.language' is 'zh-Hant-WT'", "did you mean 'zh-Hant-TW'?"),
        (en, line_of(en, "    headline: Understanding"), "unknown key 'headline' in 'stories.understanding-vitiligo'",
         "did you mean 'heading'?"),
        (en, line_of(en, "        added: completed"), "'stories.understanding-vitiligo.body.0.added' is 'completed'",
         "did you mean 'completion'?"),
    ]
    found = problems_of(content)
    assert [(p.where.file, p.where.line) for p in found] == [(file, line) for file, line, _, _ in expected]
    for problem, (_, _, message, fix) in zip(found, expected):
        assert message in problem.message and problem.fix == fix, str(problem)
    result = CliRunner().invoke(main, ["check", str(content)])
    assert result.exit_code == 1 and result.output.strip().endswith("5 problem(s) found")
    assert "Traceback" not in result.output


@pytest.mark.parametrize("file,old,new,message,fix", [
    ("leaflet.yaml", "      - maintaining-your-results\n  - language: zh", "      - maintaining-your-result\n"
     "  - language: zh", "flow 1 names story 'maintaining-your-result'", "did you mean 'maintaining-your-results'?"),
    ("leaflet.yaml", "    panels: [inside-left, inside-middle]", "    panels: [inside-left, insde-middle]",
     "'insde-middle' is not a panel of the letter fold", "did you mean 'inside-middle'?"),
    ("leaflet.yaml", "  fold: letter", "  fold: leter", "'format.fold' is 'leter'", "did you mean 'letter'?"),
    ("leaflet.yaml", "languages: [en, zh-Hant-HK, zh-Hans]", "languages: [en, zh-Hant-HKK, zh-Hans]",
     "language 'zh-Hant-HKK' has no pinned font", "did you mean zh-Hant-HK?"),
    ("regions/mo.yaml", "text: zh-Hant-HK}", "text: zh-Hant-MO}",
     "the content has no text in 'zh-Hant-MO' (no text/zh-Hant-MO.yaml)", "did you mean 'zh-Hant-HK'?"),
    ("regions/tw.yaml", "    replace: 白斑症", "    replace: 白斑症\n    story: understanding-vitilgo",
     "replacement 1 names story 'understanding-vitilgo'", "did you mean 'understanding-vitiligo'?"),
    ("text/en.yaml", "  starting-lumirix:\n    heading:", "  starting-lumirix:\n    heding:",
     "unknown key 'heding' in 'stories.starting-lumirix'", "did you mean 'heading'?"),
])
def test_a_misspelt_name_gets_the_name_meant(content, file, old, new, message, fix):
    edit(content / file, old, new)
    result = CliRunner().invoke(main, ["check", str(content), "--format", "json"])
    problems = json.loads(result.output)["problems"]
    assert any(message in p["message"] and p["fix"].startswith(fix) and p["file"].endswith(file) and p["line"]
               for p in problems), problems


def test_a_misspelt_reference_id_gets_the_reference_meant(content):
    edit(content / "text" / "en.yaml", "[@birlea2017] The", "[@birlea2071] The")
    result = CliRunner().invoke(main, ["check", str(content), "--format", "json"])
    [problem] = json.loads(result.output)["problems"]
    assert "[@birlea2071] names no reference" in problem["message"] and problem["fix"] == "did you mean 'birlea2017'?"


def test_a_misspelt_region_code_gets_the_region_meant(tmp_path):
    result = CliRunner().invoke(main, ["build", str(EXAMPLE), "--region", "hkk", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "there is no region 'hkk' (regions: hk, mo, sg, tw) — did you mean 'hk'?" in result.output
    assert not list(tmp_path.glob("*.pdf"))


def test_a_misspelt_required_key_is_reported_once_and_its_value_still_checked(content):
    edit(content / "leaflet.yaml", "  bleed_mm: 3", "  bleed_m: 30")
    found = problems_of(content)
    assert [p.message for p in found] == ["unknown key 'bleed_m' in 'format'",
                                          "'format.bleed_mm' is 30; it must be between 0 and 10"]
    assert found[1].where.line == line_of(content / "leaflet.yaml", "  bleed_m: 30")


def test_a_theme_may_leave_out_the_reference_size(content):
    # A new leaflet with no references should not have to size a list it does not print.
    edit(content / "leaflet.yaml", "  reference_size_pt: 7\n", "")
    assert load_leaflet(content).theme.reference_size == 7


@pytest.mark.parametrize("fonts,message", [
    ("{en: {regular: Brand.ttf}}", "'theme.fonts.en' is missing the required key 'bold'"),
    ("{english: {regular: Brand.ttf, bold: Brand.ttf}}", "language 'english' has no pinned font"),
    ("{en: {regular: Brand.ttf, bold: Brand.ttf, face_index: 1.5}}",
     "'theme.fonts.en.face_index' must be a whole number, not a number"),
    ("{en: {regular: Brand.ttf, bold: Brand.ttf, weight: 700}}", "unknown key 'weight' in 'theme.fonts.en'"),
    ("{en: {regular: ../Brand.ttf, bold: Brand.ttf}}", "'theme.fonts.en.regular' points outside the content folder"),
])
def test_brand_font_mistakes_are_messages(content, fonts, message):
    (content / "Brand.ttf").write_bytes(b"not checked here: the font stage reads it")
    edit(content / "leaflet.yaml", "  reference_size_pt: 7", f"  reference_size_pt: 7\n  fonts: {fonts}")
    found = problems_of(content)
    assert any(message in p.message and p.where.line == line_of(content / "leaflet.yaml", "  fonts:")
               for p in found), [str(p) for p in found]


# Values of any shape where each file's keys are, and anywhere below them.
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=12),
                    st.dates(), st.sampled_from(["en", "zh-Hant-HK", "zh-Hant-TW", "understanding-vitiligo"]))
values = st.recursive(scalars, lambda children: st.one_of(
    st.lists(children, max_size=3), st.dictionaries(st.sampled_from(
        ["text", "bullets", "figure", "tag", "language", "lines", "panels", "stories", "heading", "body", "x"]),
        children, max_size=3)), max_leaves=12)


def shaped(root: schema.Mapping):
    return st.dictionaries(st.sampled_from([key.name for key in root.keys] + ["typo"]), values, max_size=6)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(values, shaped(schema.TEXT_FILE)), region=st.one_of(values, shaped(schema.REGION_FILE)))
def test_any_yaml_in_a_text_or_region_file_gives_a_model_or_our_error(content, text, region):
    (content / "text" / "en.yaml").write_text(yaml.safe_dump(text, allow_unicode=True))
    (content / "regions" / "hk.yaml").write_text(yaml.safe_dump(region, allow_unicode=True))
    try:
        load_leaflet(content)
    except LeafletError as exc:
        assert str(exc)


def test_every_block_kind_in_the_schema_is_built_by_the_loader():
    assert set(schema.BLOCKS) == set(stories.BLOCKS)


# --- JSON Schema --------------------------------------------------------------------------

GUIDE = REPO / "content" / "lumirix-guide"  # the second example: lists, a callout, a table, a QR code
EXAMPLE_FILES = [("leaflet", EXAMPLE / "leaflet.yaml"), ("references", EXAMPLE / "references.yaml"),
                 *(("text", EXAMPLE / f"text/{tag}.yaml") for tag in ("en", "zh-Hant-HK", "zh-Hans")),
                 *(("region", EXAMPLE / f"regions/{code}.yaml") for code in ("hk", "mo", "sg", "tw")),
                 ("leaflet", GUIDE / "leaflet.yaml"), ("references", GUIDE / "references.yaml"),
                 *(("text", GUIDE / f"text/{tag}.yaml") for tag in ("en", "en-MO", "zh-Hant-HK")),
                 *(("region", GUIDE / f"regions/{code}.yaml") for code in ("hk", "mo"))]

# The keywords the emitted schemas use; `conforms` below implements each of them.
ASSERTIONS = {"type", "enum", "minLength", "pattern", "minimum", "maximum", "items", "minItems", "maxItems",
              "uniqueItems", "properties", "required", "additionalProperties", "propertyNames", "oneOf"}
ANNOTATIONS = {"$schema", "title", "description", "default", "format"}
TYPES = {"string": str, "number": (int, float), "integer": int, "array": list, "object": dict}


def conforms(value, rule) -> bool:
    """Whether `value` satisfies the JSON Schema `rule` (the keywords of ASSERTIONS, draft 2020-12)."""
    if isinstance(rule, bool):
        return rule
    types = rule.get("type")
    if types and not any(isinstance(value, TYPES[t]) and not isinstance(value, bool)
                         for t in ([types] if isinstance(types, str) else types)):
        return False
    if "enum" in rule and value not in rule["enum"]:
        return False
    if "oneOf" in rule and sum(conforms(value, option) for option in rule["oneOf"]) != 1:
        return False
    if isinstance(value, str) and (len(value) < rule.get("minLength", 0)
                                   or "pattern" in rule and not re.search(rule["pattern"], value)):
        return False
    if isinstance(value, (int, float)) and not rule.get("minimum", value) <= value <= rule.get("maximum", value):
        return False
    if isinstance(value, list):
        if not rule.get("minItems", 0) <= len(value) <= rule.get("maxItems", len(value)):
            return False
        if rule.get("uniqueItems") and len({json.dumps(v, sort_keys=True) for v in value}) != len(value):
            return False
        return all(conforms(item, rule.get("items", True)) for item in value)
    if isinstance(value, dict):
        if not set(rule.get("required", ())) <= set(value):
            return False
        for key, item in value.items():
            if not conforms(key, rule.get("propertyNames", True)):
                return False
            if not conforms(item, rule.get("properties", {}).get(key, rule.get("additionalProperties", True))):
                return False
    return True


def keywords(rule, found=None) -> set:
    found = set() if found is None else found
    if isinstance(rule, dict):
        for key, value in rule.items():
            found.add(key)
            for sub in (value.values() if key == "properties" else value if key == "oneOf" else [value]):
                if key not in ("enum", "required", "default", "type"):
                    keywords(sub, found)
    return found


def as_json(file) -> object:
    """The YAML as a JSON-speaking editor sees it: dates are text."""
    return json.loads(json.dumps(yaml.safe_load(file.read_text(encoding="utf-8")), default=str))


@pytest.mark.parametrize("name,file", EXAMPLE_FILES, ids=lambda v: str(v.relative_to(REPO)) if isinstance(v, Path) else v)
def test_the_json_schema_accepts_every_example_file(name, file):
    rule = schema.json_schema(name)
    assert rule["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert keywords(rule) <= ASSERTIONS | ANNOTATIONS
    assert conforms(as_json(file), rule)


@pytest.mark.parametrize("name,file,old,new", [
    ("leaflet", "leaflet.yaml", "  bleed_mm: 3", "  bleeed_mm: 3"),
    ("leaflet", "leaflet.yaml", "  trim_mm: [297, 210]", "  sheet: A3"),
    ("leaflet", "leaflet.yaml", "  bleed_mm: 3", "  bleed_mm: 3\n  sheet: A4"),
    ("leaflet", "leaflet.yaml", "  bleed_mm: 3", "  bleed_mm: 30"),
    ("text", "text/en.yaml", "        added: completion", "        added: completed"),
    ("text", "text/en.yaml", "      - bullets:", "      - bulets:"),
    ("references", "references.yaml", "  - id: frisoli2020", "  - id: Frisoli 2020"),
    ("region", "regions/mo.yaml", "  - {tag: zh-Hant-MO, text: zh-Hant-HK}", "  - {tag: zh-Hant-MO}"),
])
def test_the_json_schema_rejects_what_the_tool_rejects(content, name, file, old, new):
    edit(content / file, old, new)
    assert not conforms(as_json(content / file), schema.json_schema(name))
    with pytest.raises(LeafletError):
        load_leaflet(content)


@pytest.mark.parametrize("name", list(schema.FILES))
def test_the_committed_json_schemas_are_what_the_code_emits(name):
    committed = (REPO / "docs" / "schema" / f"{name}.json").read_text(encoding="utf-8")
    assert committed == schema.schema_json(name), f"run: leaflet schema --file {name} > docs/schema/{name}.json"


def test_leaflet_schema_prints_each_files_schema():
    runner = CliRunner()
    for name in schema.FILES:
        result = runner.invoke(main, ["schema", "--file", name])
        assert result.exit_code == 0 and json.loads(result.output) == schema.json_schema(name)
    assert json.loads(runner.invoke(main, ["schema"]).output)["title"] == "leaflet: leaflet.yaml"
    assert runner.invoke(main, ["schema", "--file", "cover"]).exit_code == 2


# --- the content reference ------------------------------------------------------------------

def test_the_committed_content_reference_is_what_the_schema_says():
    committed = (REPO / "docs" / "content.md").read_text(encoding="utf-8")
    assert committed == reference_markdown(), "run: leaflet schema --format markdown > docs/content.md"
    assert CliRunner().invoke(main, ["schema", "--format", "markdown"]).output == committed


def key_names(node, found=None) -> set:
    """Every key name below a schema node, walked independently of the reference's writer."""
    found = set() if found is None else found
    if isinstance(node, schema.Mapping):
        for key in node.keys:
            found.add(key.name)
            key_names(key.value, found)
        if node.values is not None:
            key_names(node.values, found)
    elif isinstance(node, schema.ListOf):
        key_names(node.item, found)
    elif isinstance(node, schema.Refusing):
        key_names(node.inner, found)
    elif isinstance(node, schema.OneOf):
        for option in node.options:
            key_names(option, found)
    return found


def sections() -> dict[str, set]:
    """The last name of each key row of the reference, per file section."""
    text = (REPO / "docs" / "content.md").read_text(encoding="utf-8")
    parts = re.split(r"^## `([^`]+)`$", text, flags=re.M)
    return {path: {re.sub(r"\[\]$", "", row.split(".")[-1]) for row in re.findall(r"^\| `([^`]+)` \|", body, re.M)}
            for path, body in zip(parts[1::2], parts[2::2])}


def test_the_content_reference_names_every_key_of_every_file_and_no_other():
    documented = sections()
    assert set(documented) == {file.path for file in schema.FILES.values()}
    for file in schema.FILES.values():
        keys = key_names(file.root)
        assert keys == documented[file.path] - {"<id>", "<name>", "<language>"}, file.path


def test_loading_imports_nothing_above_the_content_layer():
    # A fresh interpreter: this process has long imported every layer.
    code = "import sys, leaflet.content.load; print(' '.join(m for m in sys.modules if m.startswith('leaflet')))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert "leaflet.content.load" in loaded
    # errors and diagnostics are shared at the bottom of every layer
    assert all(m in ("leaflet", "leaflet.errors", "leaflet.diagnostics") or m.startswith("leaflet.content")
               for m in loaded), loaded


@pytest.mark.parametrize("old,new,typed,read", [
    ('version: "1.0"', "version: 1.10", "1.10", "1.1"),  # 1.9 -> 1.10 would print, and overwrite, v1.1
    ("job_code: FX-0001", "job_code: 0125", "0125", "85"),  # YAML 1.1 reads a leading zero as octal
    ("job_code: FX-0001", "job_code: 10_000", "10_000", "10000"),
])
def test_a_number_yaml_reads_as_another_than_was_typed_is_an_error_not_a_silent_change(tmp_path, old, new, typed,
                                                                                        read):
    from small_leaflet import cli, write_leaflet

    folder = write_leaflet(tmp_path / "fx")
    edit(folder / "leaflet.yaml", old, new)
    code, out = cli("build", folder, "--out", tmp_path / "out")
    assert code == 1 and f"is typed {typed}, which YAML reads as the number {read}" in out, out
    assert f'put it in quotes, "{typed}", so that it prints as typed' in out and "leaflet.yaml:3:" in out
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_a_number_that_reads_as_typed_is_taken_as_its_text(tmp_path):
    from small_leaflet import write_leaflet

    folder = write_leaflet(tmp_path / "fx")
    edit(folder / "leaflet.yaml", 'version: "1.0"', "version: 2.5")
    assert load_leaflet(folder).approval.version == "2.5"
