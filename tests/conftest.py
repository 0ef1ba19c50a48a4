import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from leaflet.cli import main
from leaflet.content.load import load_leaflet
from leaflet.pipeline import approved_print, build
from leaflet.content.resolve import resolve

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "content" / "lumirix"

# Tests never read or fill the user's own font cache (CLI subprocesses inherit this). The parallel
# workers of one run share one cache, so each font is prepared once per run: the cache is safe for
# concurrent builds (content-addressed entries, atomic writes).
_RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID")
os.environ["LEAFLET_CACHE_DIR"] = (str(Path(tempfile.gettempdir()) / f"leaflet-test-cache-{_RUN}") if _RUN
                                   else tempfile.mkdtemp(prefix="leaflet-test-cache-"))

# The modules that take longest, longest first (the others follow in their own order). Each module runs on
# one worker (`--dist loadfile`: its module fixtures are made once per run), and the two workers then end
# together, rather than one finishing a long module while the other waits.
LONG_FIRST = ("test_faults.py", "test_regions.py", "test_tamper.py", "test_output.py", "test_attacks_paint.py",
              "test_verify.py", "test_change.py", "test_attacks.py", "test_visual.py", "test_folds.py",
              "test_watch.py", "test_install.py", "test_font_cache.py", "test_check.py", "test_schema.py")


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: LONG_FIRST.index(item.path.name) if item.path.name in LONG_FIRST
               else len(LONG_FIRST))  # stable: the rest keep their order


# A test edition setting all three Chinese glyph standards side by side.
THREE_STANDARDS = """name: Three standards
languages:
  - zh-Hant-HK
  - {tag: zh-Hant-TW, text: zh-Hant-HK}
  - zh-Hans
job_code: X3-TEST
agent: {language: zh-Hant-HK, lines: [c/o 盧凱業務發展有限公司（代理）]}
replace:
  - {language: zh-Hant-TW, find: 白蝕症, replace: 白斑症}
flows:
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


def hk_edition(folder=EXAMPLE):
    """The Hong Kong edition of a leaflet folder, resolved."""
    leaflet = load_leaflet(folder)
    return resolve(leaflet, leaflet.regions["hk"])


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The example leaflet, built once for the whole test session."""
    return build(EXAMPLE, tmp_path_factory.mktemp("out"), "hk")


@functools.cache
def approved_example(region):
    """What an edition of the example prints (pipeline.approved_print), made once per test
    process: the tamper and attack tests verify many PDFs against it."""
    return approved_print(EXAMPLE, region)


@pytest.fixture
def content(tmp_path):
    """A private copy of the example content, for tests that alter it."""
    folder = tmp_path / "lumirix"
    shutil.copytree(EXAMPLE, folder)
    return folder


@pytest.fixture
def three_standards(content):
    """The example with an extra edition, x3: Hong Kong, Taiwan and Simplified Chinese at once."""
    (content / "regions" / "x3.yaml").write_text(THREE_STANDARDS, encoding="utf-8")
    return content


def squash(text: str) -> str:
    """Text with all white space removed: line breaks may fall anywhere."""
    return re.sub(r"\s+", "", text)


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {file}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def run_cli(*args):
    """Run the command line in this process (Click's runner), as a user would type it. A crash is
    re-raised, so a test can never mistake a traceback for a clear message."""
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)


def run_process(*args, cwd=None):
    """Run the real command line in a fresh process: for start-up, exit codes and signals."""
    return subprocess.run([sys.executable, "-m", "leaflet", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd or REPO, timeout=120)
