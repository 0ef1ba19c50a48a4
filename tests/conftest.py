import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from leaflet.pipeline import build

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "content" / "lumirix"

# Tests never read or fill the user's own font cache (CLI subprocesses inherit this).
os.environ["LEAFLET_CACHE_DIR"] = tempfile.mkdtemp(prefix="leaflet-test-cache-")

THREE_STANDARDS = """languages: [zh-Hant-HK, zh-Hant-TW, zh-Hans]"""
THREE_FLOWS = """flows:
  - language: zh-Hant-HK
    panels: [inside-left]
    stories: [understanding-vitiligo, process-of-repigmentation, how-lumirix-works]
  - language: zh-Hant-TW
    panels: [inside-middle]
    stories: [understanding-vitiligo, process-of-repigmentation, how-lumirix-works]
  - language: zh-Hans
    panels: [inside-right, flap]
    stories: [understanding-vitiligo, process-of-repigmentation, how-lumirix-works, starting-lumirix,
              maintaining-your-results]
"""


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


@pytest.fixture
def three_standards(content):
    """The example re-cast for Hong Kong, Taiwan and Simplified Chinese at once."""
    main = content / "leaflet.yaml"
    text = main.read_text(encoding="utf-8")
    text = text.replace("languages: [en, zh-Hant-HK]", THREE_STANDARDS)
    main.write_text(text[: text.index("flows:")] + THREE_FLOWS, encoding="utf-8")
    return content


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {file}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def run_cli(*args, cwd=None):
    """Run the real command line in a fresh process, as a user would."""
    return subprocess.run([sys.executable, "-m", "leaflet", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd or REPO, timeout=120)
