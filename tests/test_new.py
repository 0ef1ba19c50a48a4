"""`leaflet new`: a starter content folder a new user can build, verify and learn the format from."""
import errno
import os
import shutil
import stat
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from conftest import EXAMPLE, REPO, run_cli, squash
from leaflet import starter
from leaflet.content import catalogue
from leaflet.content.load import load_leaflet

MINIMAL = REPO / "content" / "minimal"


def test_the_minimal_starter_builds_checks_and_verifies_as_written(tmp_path):
    demo = tmp_path / "demo"
    made = run_cli("new", demo)
    assert made.returncode == 0, made.stderr
    assert f"wrote 3 files in {demo}/" in made.stdout
    checked = run_cli("check", demo)
    assert checked.returncode == 0 and checked.stdout.strip() == f"{demo}: no problems found", checked.stdout + checked.stderr
    built = run_cli("build", demo, "--out", tmp_path / "out")
    assert built.returncode == 0, built.stdout + built.stderr
    pdf = tmp_path / "out" / "demo-v0.1.pdf"
    assert "built edition: " in built.stdout and "(draft, 2 pages, verified)" in built.stdout
    verified = run_cli("verify", pdf, "--content", demo)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "OK — matches the DRAFT content" in verified.stdout
    inside = squash(PdfReader(pdf).pages[1].extract_text())
    assert squash("Placeholder text. A story has an optional heading") in inside


def test_every_word_the_minimal_starter_prints_is_marked_as_placeholder():
    """No invented wording: each story opens with "Placeholder", as do the cover, agent and reference."""
    stories = yaml.safe_load((MINIMAL / "text" / "en.yaml").read_text(encoding="utf-8"))["stories"]
    for story_id, story in stories.items():
        first = story["body"][0]
        assert (first["text"] if isinstance(first, dict) else first).startswith("Placeholder"), story_id
    leaflet = load_leaflet(MINIMAL)
    lines = {line.role: line.text for line in reversed(leaflet.cover.lines)}  # each role's first line
    assert lines["tagline"] == "PLACEHOLDER" and "Placeholder" in lines["descriptor"]
    assert leaflet.agents and all("Placeholder" in line for agent in leaflet.agents for line in agent.lines)
    assert all(ref.text.startswith("Placeholder") for ref in leaflet.references)
    assert leaflet.approval.status == "draft"


def test_the_starter_teaches_the_format_in_comments():
    text = (MINIMAL / "leaflet.yaml").read_text(encoding="utf-8")
    for topic in ("# Build it:", "fold: letter          # letter (roll) | z | gate | bifold", "readability minimum",
                  "Outside panels", "`leaflet approve`"):
        assert topic in text
    assert "with `>-`" in (MINIMAL / "text" / "en.yaml").read_text(encoding="utf-8")


def test_the_lumirix_example_is_copied_byte_for_byte(tmp_path):
    made = run_cli("new", tmp_path / "lumirix", "--example", "lumirix")
    assert made.returncode == 0, made.stderr
    copied = sorted(p.relative_to(tmp_path / "lumirix") for p in (tmp_path / "lumirix").rglob("*") if p.is_file())
    shipped = sorted(p.relative_to(EXAMPLE) for p in EXAMPLE.rglob("*") if p.is_file())
    assert copied == shipped
    assert all((tmp_path / "lumirix" / f).read_bytes() == (EXAMPLE / f).read_bytes() for f in shipped)


@pytest.fixture
def examples(tmp_path, monkeypatch):
    """A copy of the shipped examples that a test may add to."""
    folder = tmp_path / "examples"
    shutil.copytree(MINIMAL, folder / "minimal")
    monkeypatch.setattr(starter, "EXAMPLES_DIR", folder)
    return folder


def test_approval_records_and_hidden_files_are_not_copied(tmp_path, examples):
    """An approval signs off one leaflet; a copy starts unapproved."""
    (examples / "minimal" / "approvals.yaml").write_text("[]\n")
    (examples / "minimal" / "approvals").mkdir()
    (examples / "minimal" / "approvals" / "edition-0123.json").write_text("{}")
    (examples / "minimal" / ".DS_Store").write_text("")
    assert run_cli("new", tmp_path / "demo").returncode == 0
    assert sorted(p.name for p in (tmp_path / "demo").rglob("*")) == ["en.yaml", "leaflet.yaml", "references.yaml",
                                                                     "text"]


def test_a_read_only_installed_example_gives_a_copy_the_user_can_edit(tmp_path, examples):
    for file in (examples / "minimal").rglob("*.yaml"):
        file.chmod(0o444)
    assert run_cli("new", tmp_path / "demo").returncode == 0
    for file in (tmp_path / "demo").rglob("*.yaml"):
        assert file.stat().st_mode & stat.S_IWUSR, file


def test_a_folder_with_anything_in_it_is_never_touched(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("my notes")
    result = run_cli("new", folder)
    assert result.returncode == 1
    assert result.stderr == (f"leaflet: output error: {folder}: this folder already exists and is not empty; "
                             "`leaflet new` never overwrites content — choose a new folder name, or remove this "
                             "folder first\n")
    assert [p.name for p in folder.iterdir()] == ["notes.txt"] and (folder / "notes.txt").read_text() == "my notes"


def test_a_file_of_that_name_is_refused(tmp_path):
    (tmp_path / "demo").write_text("a file")
    result = run_cli("new", tmp_path / "demo")
    assert result.returncode == 1 and "a file of this name already exists" in result.stderr
    assert (tmp_path / "demo").read_text() == "a file"


def test_an_empty_folder_is_filled_even_as_dot(tmp_path, monkeypatch):
    folder = tmp_path / "demo"
    folder.mkdir()
    monkeypatch.chdir(folder)
    assert run_cli("new", ".").returncode == 0
    assert sorted(p.name for p in folder.iterdir()) == ["leaflet.yaml", "references.yaml", "text"], \
        "no staging folder is left behind"
    assert load_leaflet(Path(".")).name == "demo"


def test_a_name_that_cannot_start_a_pdf_file_name_is_refused_before_anything_is_written(tmp_path):
    result = run_cli("new", tmp_path / "my leaflet")
    assert result.returncode == 1
    assert "the content folder's name 'my leaflet' starts every PDF file name" in result.stderr
    assert "give `leaflet new` a name such as my-leaflet" in result.stderr
    assert not (tmp_path / "my leaflet").exists()


def test_new_parent_folders_are_made(tmp_path):
    assert run_cli("new", tmp_path / "leaflets" / "2027" / "demo").returncode == 0
    assert (tmp_path / "leaflets" / "2027" / "demo" / "leaflet.yaml").is_file()


@pytest.mark.parametrize("existed", [False, True])
def test_a_copy_that_fails_half_way_leaves_no_half_made_leaflet(tmp_path, monkeypatch, existed):
    target = tmp_path / "demo"
    if existed:
        target.mkdir()
    real = Path.write_bytes
    written = []

    def disk_full_on_the_second_file(self, data):
        if written:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        written.append(self)
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", disk_full_on_the_second_file)
    result = run_cli("new", target)
    assert result.returncode == 1
    assert f"leaflet: output error: {target}: cannot write the new leaflet (No space left on device)" in result.stderr
    assert written, "the failure came after a file was written"
    assert (list(target.iterdir()) == [] if existed else not target.exists())


def test_an_unknown_example_is_a_usage_error(tmp_path):
    result = run_cli("new", tmp_path / "demo", "--example", "vitiligo")
    assert result.returncode == 2 and "'vitiligo' is not one of 'minimal', 'lumirix'" in result.stderr


def test_an_installed_build_without_content_says_what_to_pass(monkeypatch, tmp_path):
    """From a checkout, `leaflet build` builds content/lumirix; an installed tool has no default."""
    monkeypatch.setattr(catalogue, "INSTALLED", True)
    monkeypatch.chdir(tmp_path)
    result = run_cli("build")
    assert result.returncode == 2
    assert ("Error: give the leaflet's content folder (leaflet build my-leaflet), or start one with "
            "`leaflet new my-leaflet`") in result.stderr
    assert not (tmp_path / "out").exists()
