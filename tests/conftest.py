import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from leaflet.pipeline import build

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "content" / "lumirix"


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The example leaflet, built once for the whole test session."""
    return build(EXAMPLE, tmp_path_factory.mktemp("out"))


@pytest.fixture
def content(tmp_path):
    """A private copy of the example content, for tests that alter it."""
    folder = tmp_path / "lumirix"
    shutil.copytree(EXAMPLE, folder)
    return folder


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {file}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def run_cli(*args, cwd=None):
    """Run the real command line in a fresh process, as a user would."""
    return subprocess.run([sys.executable, "-m", "leaflet", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd or REPO, timeout=120)
