"""The tool as a user installs it: a wheel built from this checkout, installed into a fresh
virtual environment and run from a folder outside the repository.

Nothing here touches the network: the wheel is built without build isolation (with the
locked setuptools of this environment) and installed without dependencies; the fresh
environment reaches this one's libraries through a .pth file, which puts their folders on
sys.path after its own, so `leaflet` itself can only come from the wheel."""
import json
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import REPO
from leaflet.cli import main


SOURCES = ("pyproject.toml", "README.md", "leaflet", "fonts", "icc", "content")
LIBRARIES = ("click", "yaml", "reportlab", "fontTools", "pypdf", "uharfbuzz", "PIL", "pypdfium2", "platformdirs",
             "pyphen")


def run(command, cwd, env, timeout=300):
    return subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """The wheel `pip install .` makes, built from a copy of the checkout (the build leaves its
    build/ folder there, not in the repository)."""
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        copy = shutil.copytree if (REPO / name).is_dir() else shutil.copy2
        copy(REPO / name, source / name, **({"ignore": shutil.ignore_patterns("__pycache__", "*.egg-info")}
                                            if (REPO / name).is_dir() else {}))
    dist = tmp_path_factory.mktemp("dist")
    built = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                 "--wheel-dir", dist, source], cwd=source, env=_offline(os.environ))
    assert built.returncode == 0, built.stdout + built.stderr
    [found] = dist.glob("leaflet-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    """A fresh virtual environment with the wheel installed; its environment variables."""
    home = tmp_path_factory.mktemp("venv")
    venv.create(home, with_pip=False)
    python = home / "bin" / "python"
    done = run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", wheel],
               cwd=home, env=_offline(os.environ))
    assert done.returncode == 0, done.stdout + done.stderr
    site = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], home,
                    os.environ).stdout.strip())
    folders = dict.fromkeys(str(Path(__import__(name).__file__).resolve().parents[1]) for name in LIBRARIES)
    (site / "leaflet-test-libraries.pth").write_text("\n".join(folders) + "\n")
    env = {k: v for k, v in _offline(os.environ).items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PATH"] = f"{home / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return home, site, env


def _offline(env):
    return {**env, "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def test_the_wheel_carries_every_module_and_everything_the_tool_reads(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "leaflet").rglob("*.py")}
    missing = sorted(modules - names)
    assert not missing, f"add their packages to [tool.setuptools] packages in pyproject.toml: {missing}"
    pinned = [line.split()[1] for line in (REPO / "fonts" / "SHA256SUMS").read_text().splitlines()]
    shipped = ([f"fonts/{name}" for name in pinned + ["SHA256SUMS", "OFL.txt"]]
               + [f"icc/{p.name}" for p in (REPO / "icc").glob("*.icc")] + ["icc/LICENSE"]
               + [p.relative_to(REPO).as_posix() for p in (REPO / "content").rglob("*")
                  if p.is_file() and not p.relative_to(REPO / "content").parts[1].startswith(("approvals", "."))])
    assert len(pinned) == 16
    assert sorted(f for f in shipped if f"leaflet/_shipped/{f}" not in names) == []


def test_the_installed_tool_starts_a_leaflet_builds_and_verifies_it_outside_the_repository(installed, tmp_path):
    home, site, env = installed
    where = run(["python", "-c", "import leaflet; print(leaflet.__file__)"], tmp_path, env)
    assert Path(where.stdout.strip()).is_relative_to(site), "leaflet comes from the wheel, not the checkout"
    assert run(["leaflet", "--version"], tmp_path, env).stdout == "leaflet, version 0.1.0\n"

    made = run(["leaflet", "new", "demo"], tmp_path, env)
    assert made.returncode == 0, made.stderr
    built = run(["leaflet", "build", "demo", "--out", "out"], tmp_path, env)
    assert built.returncode == 0, built.stdout + built.stderr
    [pdf] = (tmp_path / "out").glob("*.pdf")
    reader = PdfReader(pdf)
    assert pdf.name == "demo-v0.1.pdf" and len(reader.pages) == 2
    intent = reader.trailer["/Root"]["/OutputIntents"][0]
    assert intent["/DestOutputProfile"].get_data() == (REPO / "icc" / "ISOcoated_v2_300_compact.icc").read_bytes()
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    pinned = dict(reversed(line.split()) for line in (REPO / "fonts" / "SHA256SUMS").read_text().splitlines())
    assert manifest["fonts"] == {name: pinned[name] for name in ("NotoSans-Bold.ttf", "NotoSans-Regular.ttf")}
    verified = run(["leaflet", "verify", pdf.relative_to(tmp_path), "--content", "demo"], tmp_path, env)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert verified.stdout == "out/demo-v0.1.pdf: OK — matches the DRAFT content in demo (a draft: not approved " \
                              "for print)\n"


def test_an_installed_build_without_content_says_what_to_pass(installed, tmp_path):
    _, _, env = installed
    result = run(["leaflet", "build"], tmp_path, env)
    assert result.returncode == 2
    assert "Error: give the leaflet's content folder (leaflet build my-leaflet), or start one with " \
           "`leaflet new my-leaflet`" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_altered_installed_font_is_refused_with_a_fix_for_an_installed_tool(installed, tmp_path):
    _, site, env = installed
    font = site / "leaflet" / "_shipped" / "fonts" / "NotoSans-Bold.ttf"
    original = font.read_bytes()
    assert run(["leaflet", "new", "demo"], tmp_path, env).returncode == 0
    try:
        font.write_bytes(original[:-1] + bytes([original[-1] ^ 1]))
        result = run(["leaflet", "build", "demo", "--out", "out"], tmp_path, env)
    finally:
        font.write_bytes(original)
    assert result.returncode == 1
    assert "font file NotoSans-Bold.ttf is not the pinned font" in result.stderr
    assert "reinstall leaflet the way it was installed" in result.stderr and "git checkout" not in result.stderr
    assert not list((tmp_path / "out").glob("*.pdf"))


# The stages' libraries: none of them may load before a command runs a stage.
HEAVY = ("reportlab", "fontTools", "pypdf", "PIL", "pypdfium2", "uharfbuzz", "yaml", "pyphen", "leaflet.pipeline")
STARTUP = """
import contextlib, io, json, sys
from leaflet.cli import main
for args in {commands!r}:
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            main.main(args, prog_name="leaflet")
        except SystemExit:
            pass
print(json.dumps(sorted(m for m in sys.modules if m.startswith({heavy!r}))))
"""


def test_version_and_help_load_no_stage_library():
    """`leaflet --version` and every `--help` start without importing the stages (start-up time is
    measured in benchmarks/bench.py)."""
    commands = [["--version"], ["--help"]] + [[name, "--help"] for name in main.commands]
    assert ["new", "--help"] in commands and ["build", "--help"] in commands
    script = STARTUP.format(commands=commands, heavy=HEAVY)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
