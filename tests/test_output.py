"""Output transactions: one build at a time per output folder, its PDFs and
manifest published together, workers that cannot outlive their build, and
clear errors when writing fails. Real processes where processes are the point. The folders hold builds
of the example cut short (tests/small_leaflet.py: two editions, hk and mo), but for the test of a
worker's death among the example's four editions."""
import errno
import fcntl
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import EXAMPLE, REPO, edit
from leaflet import output
from leaflet.cli import main
from leaflet.errors import OutputError
from leaflet.pipeline import build_editions
from small_leaflet import write_regional_leaflet


HELD = REPO / "tests" / "faults" / "held_build.py"
STEROIDS = "Lumirix® is free from steroids."


def visible(folder: Path) -> dict[str, bytes]:
    """What a user sees in the folder: file name -> content."""
    return {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.startswith(".")}


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def consistent(folder: Path) -> bool:
    """Every PDF the manifest lists is there, with the SHA-256 the manifest gives."""
    manifest = json.loads((folder / "manifest.json").read_text())
    listed = [e for e in manifest["editions"] if "file" in e]
    return bool(listed) and all((folder / e["file"]).is_file() and
                                hashlib.sha256((folder / e["file"]).read_bytes()).hexdigest() == e["sha256"]
                                for e in listed)


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")  # a zombie has finished: nothing left but its exit status


def wait_for(condition, what: str, process=None):
    """Poll until condition() is true; fail (not hang) if it never is."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if process is not None and process.poll() is not None:
            pytest.fail(f"the build ended before {what}: {process.stderr.read()}")
        time.sleep(0.02)
    pytest.fail(f"timed out waiting for {what}")


def start_held(hold: Path, step: str, *args, session: bool = False) -> tuple[subprocess.Popen, int]:
    """A real `leaflet build` whose worker for region `step` (or publishing child, step 'publish')
    waits for hold/go; and the pid of that held process."""
    hold.mkdir(exist_ok=True)
    process = subprocess.Popen([sys.executable, HELD, step, hold, *map(str, args)], cwd=REPO, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=session,
                               preexec_fn=_ctrl_c_reaches)
    marker = wait_for(lambda: next(hold.glob("held-*"), None), f"the build to reach {step}", process)
    return process, int(marker.name.split("-")[1])


def _ctrl_c_reaches() -> None:
    """A test run started in the background (`pytest &` in a script) ignores Ctrl-C, and a child
    inherits that; the build under test must see it as a user's terminal would send it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture(scope="module")
def leaflet(tmp_path_factory) -> Path:
    """The leaflet this module's folders hold builds of; tests alter only copies of it."""
    return write_regional_leaflet(tmp_path_factory.mktemp("content") / "lumirix")


@pytest.fixture
def copy_with(leaflet, tmp_path):
    """copy_with(name, wording): a copy of the leaflet whose English says `wording` instead of STEROIDS."""
    def copy(name: str, wording: str) -> Path:
        folder = tmp_path / name / "lumirix"
        shutil.copytree(leaflet, folder)
        edit(folder / "text" / "en.yaml", STEROIDS, wording)
        return folder
    return copy


@pytest.fixture(scope="module")
def complete_build(leaflet, tmp_path_factory) -> Path:
    """One complete build of the leaflet for the module; tests only ever see copies of it."""
    out = tmp_path_factory.mktemp("complete") / "out"
    build_editions(leaflet, out, jobs=1)
    return out


@pytest.fixture
def published(complete_build, tmp_path):
    """An output folder of this test's own holding a complete build of the example (a byte-for-byte
    copy of the module's build: the manifest names files, not folders), and what it shows."""
    out = tmp_path / "out"
    shutil.copytree(complete_build, out)
    return out, visible(out)


@pytest.mark.parametrize("signum,code", [(signal.SIGKILL, -9), (signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_killing_a_build_kills_its_workers_and_leaves_the_last_complete_build(published, copy_with, leaflet, tmp_path,
                                                                             signum, code):
    out, before = published
    changed = copy_with("changed", "Lumirix® is free from parabens.")
    build, worker = start_held(tmp_path / "hold", "mo", "build", changed, "--out", out, "--jobs", "2")
    os.kill(build.pid, signum)
    _, stderr = build.communicate(timeout=60)
    assert build.returncode == code
    wait_for(lambda: not alive(worker), "the worker to die with its build")  # it is still held: no go file
    (tmp_path / "hold" / "go").touch()
    assert visible(out) == before and consistent(out)
    if signum == signal.SIGKILL:  # nothing could clean up: the next build does
        assert [n for n in hidden(out) if n.startswith(".staging-")]
        build_editions(leaflet, out, ["hk"], jobs=1)
    else:
        name = signal.Signals(signum).name
        assert stderr == f"leaflet: interrupted by {name}; {out} holds the last build that finished, complete\n"
    assert hidden(out) == []


@pytest.mark.parametrize("signum,group,code", [(signal.SIGKILL, True, -9), (signal.SIGTERM, False, 143)])
def test_a_kill_while_publishing_cannot_stop_it_half_way(published, copy_with, tmp_path, signum, group, code):
    out, before = published
    changed = copy_with("changed", "Lumirix® is mild.")
    build, publisher = start_held(tmp_path / "hold", "publish", "build", changed, "--out", out, "--jobs", "2",
                                  session=True)
    assert visible(out) != before, "held with the first new file in place"
    (os.killpg if group else os.kill)(build.pid, signum)  # SIGKILL: the build and its process group
    (tmp_path / "hold" / "go").touch()
    build.communicate(timeout=60)
    assert build.returncode == code
    wait_for(lambda: not alive(publisher), "the publishing child to finish")
    expected = tmp_path / "expected"
    build_editions(changed, expected, jobs=1)
    assert visible(out) == visible(expected) and consistent(out) and hidden(out) == []


def test_a_worker_that_dies_fails_only_its_edition(tmp_path, monkeypatch):
    import leaflet.pipeline as pipeline

    render = pipeline.render_edition

    def dies_for_mo(content, out_dir, region=None, *args, **kwargs):
        if region == "mo":  # in the forked worker, never in this process: --jobs 2
            os.kill(os.getpid(), signal.SIGKILL)
        return render(content, out_dir, region, *args, **kwargs)

    monkeypatch.setattr(pipeline, "render_edition", dies_for_mo)
    result = CliRunner().invoke(main, ["build", str(EXAMPLE), "--out", str(tmp_path), "--jobs", "2"])
    assert result.exit_code == 1
    assert "FAILED mo: output error: the worker building 'mo' died (signal 9); rebuild" in result.stderr
    assert "Traceback" not in result.output and "3 of 4 editions built" in result.stdout
    assert sorted(visible(tmp_path)) == ["lumirix-hk-v1.0.pdf", "lumirix-sg-v1.0.pdf", "lumirix-tw-v1.0.pdf",
                                         "manifest.json"]
    editions = json.loads((tmp_path / "manifest.json").read_text())["editions"]
    assert [e["status"] for e in editions] == ["draft", "failed", "draft", "draft"] and consistent(tmp_path)


def test_a_second_build_into_the_folder_waits_and_the_two_never_mix(copy_with, tmp_path):
    out = tmp_path / "out"
    a, b = copy_with("a", "Lumirix® is free from parabens."), copy_with("b", "Lumirix® is mild.")
    first, _ = start_held(tmp_path / "hold", "hk", "build", a, "--out", out, "--jobs", "2")
    second = subprocess.Popen([sys.executable, "-m", "leaflet", "build", b, "--out", out], cwd=REPO, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    waiting = second.stderr.readline()
    assert waiting == f"waiting for another build into {out} to finish…\n"
    assert second.poll() is None and not (out / "manifest.json").exists(), "nothing published while A is held"
    (tmp_path / "hold" / "go").touch()
    assert first.wait(60) == 0 and second.wait(60) == 0, first.stderr.read() + second.stderr.read()
    expected = tmp_path / "expected"
    build_editions(b, expected, jobs=1)
    assert visible(out) == visible(expected) and consistent(out), "the later build's set, whole"
    assert hidden(out) == []


def test_no_wait_refuses_a_folder_another_build_is_writing(tmp_path):
    busy = os.open(tmp_path, os.O_RDONLY)
    fcntl.flock(busy, fcntl.LOCK_EX)  # what a running build holds
    try:
        result = CliRunner().invoke(main, ["build", "--region", "hk", "--out", str(tmp_path), "--no-wait"])
    finally:
        os.close(busy)
    assert result.exit_code == 1
    assert result.stderr == (f"leaflet: output error: {tmp_path}: another build is writing into this folder"
                             " — wait for it to finish, or build without --no-wait\n")
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_while_writing_the_manifest_is_named(published, leaflet, monkeypatch):
    out, before = published
    fsync = os.fsync

    def disk_full_for_the_manifest(fd):
        if os.readlink(f"/proc/self/fd/{fd}").rsplit("/", 1)[-1].startswith(".manifest.json."):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return fsync(fd)

    monkeypatch.setattr(os, "fsync", disk_full_for_the_manifest)
    result = CliRunner().invoke(main, ["build", str(leaflet), "--out", str(out), "--jobs", "1", "--region", "mo"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"leaflet: output error: {out / 'manifest.json'}: "
                                    "cannot write manifest.json (the disk is full)")
    assert visible(out) == before and hidden(out) == []


def test_an_interrupted_builds_staging_folder_is_removed_by_the_next_build(published, leaflet):
    out, before = published
    (out / ".staging-x1").mkdir()
    (out / ".staging-x1" / "lumirix-hk-v1.0.pdf").write_bytes(b"%PDF half")
    assert visible(out) == before  # never seen at a final name
    build_editions(leaflet, out, jobs=1)
    assert hidden(out) == [] and visible(out) == before


def test_a_publication_cut_half_way_is_finished_by_the_next_build(published, copy_with, tmp_path):
    """A power cut during the renames: one PDF of the new set already in place, the other and the manifest not."""
    out, _ = published
    new = tmp_path / "new"
    build_editions(copy_with("changed", "Lumirix® is mild."), new, jobs=1)
    cut = out / ".publish-x1-manifest.json"  # what publish renamed the staging folder to: the manifest goes last
    cut.mkdir()
    for name, data in visible(new).items():
        (out / name if name == "lumirix-hk-v1.0.pdf" else cut / name).write_bytes(data)
    assert not consistent(out)
    output.recover(out)
    assert visible(out) == visible(new) and consistent(out) and hidden(out) == []


def test_a_region_named_twice_is_built_once(tmp_path):
    result = CliRunner().invoke(main, ["build", "--region", "hk", "--region", "hk", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("built hk:") == 1 and "1 of 1 editions built" in result.stdout
    assert [e["region"] for e in json.loads((tmp_path / "manifest.json").read_text())["editions"]] == ["hk"]


def test_preview_of_a_missing_file_says_it_does_not_exist(tmp_path):
    result = CliRunner().invoke(main, ["preview", str(tmp_path / "nowhere.pdf")])
    assert result.exit_code == 1
    missing = tmp_path / "nowhere.pdf"
    assert result.stderr == f"leaflet: error: {missing}: the file does not exist — give the path of a PDF file\n"


@pytest.mark.parametrize("name", ["../victim.pdf", "sub/x.pdf", "..", "", ".staging-x.pdf"])
def test_the_writer_refuses_a_name_that_leaves_the_output_folder_or_hides(tmp_path, name):
    with pytest.raises(OutputError, match="must not name another folder or be hidden"):
        output.target_in(tmp_path, name)
