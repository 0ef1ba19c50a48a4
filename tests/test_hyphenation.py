"""Hyphenation from cached patterns: the same cuts as pyphen, a cache that is never
trusted blindly, and a warm build that neither imports pyphen nor parses its dictionary."""
import importlib.metadata
import re
import subprocess
import sys

import pyphen
import pytest

from conftest import EXAMPLE, REPO
from leaflet.pipeline import OUTPUT_LIBRARIES, library_versions
from leaflet.typeset import hyphenation

HARD = ["hyphenation", "repigmentation", "ruxolitinib", "dermatologist", "applications", "immediately",
        "recommended", "discontinuation", "photosensitivity", "characteristically", "a", "an", "xyz"]


@pytest.fixture
def cold(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("LEAFLET_CACHE_DIR", str(folder))
    hyphenation.patterns.cache_clear()
    yield folder
    hyphenation.patterns.cache_clear()


def words_of_the_content() -> set[str]:
    text = " ".join(p.read_text(encoding="utf-8") for p in (REPO / "content").rglob("*.yaml"))
    return set(re.findall(r"[a-z]+", text.lower())) | set(HARD)


def test_the_cached_patterns_cut_every_word_where_pyphen_does(cold):
    reference = pyphen.Pyphen(lang="en_GB", left=3, right=3)
    ours = hyphenation.patterns("en_GB")
    words = words_of_the_content()
    assert len(words) > 500
    assert {w: ours.positions(w, 3, 3) for w in words} == {w: reference.positions(w) for w in words}
    hyphenation.patterns.cache_clear()
    again = hyphenation.patterns("en_GB")  # now read from the cache entry just written
    assert again.table == ours.table and len(list(cold.glob("*.hyph"))) == 1


def test_a_garbled_cache_entry_is_deleted_and_the_dictionary_parsed_again(cold):
    expected = hyphenation.patterns("en_GB").table
    entry, = cold.glob("*.hyph")
    entry.write_bytes(entry.read_bytes()[:-40] + b"\x00" * 40)
    hyphenation.patterns.cache_clear()
    assert hyphenation.patterns("en_GB").table == expected
    rewritten, = cold.glob("*.hyph")
    assert rewritten.read_bytes() != b"" and rewritten.name == entry.name


def test_a_warm_build_imports_neither_pyphen_nor_importlib_metadata(tmp_path):
    script = ("import sys; from leaflet.pipeline import build; build(sys.argv[1], sys.argv[2], 'hk'); "
              "print(sorted(m for m in ('pyphen', 'importlib.metadata', 'fontTools.subset') if m in sys.modules))")
    env_cache = {"LEAFLET_CACHE_DIR": str(tmp_path / "cache")}
    run = [sys.executable, "-c", script, str(EXAMPLE), str(tmp_path / "out")]
    cold_run = subprocess.run(run, capture_output=True, text=True, check=True, env=env_cache | _path_env())
    assert "pyphen" in cold_run.stdout  # the cold build parsed the dictionary
    warm_run = subprocess.run(run, capture_output=True, text=True, check=True, env=env_cache | _path_env())
    assert warm_run.stdout.strip() == "[]"


def _path_env():
    import os
    return {k: v for k, v in os.environ.items() if k != "LEAFLET_CACHE_DIR"}


def test_library_versions_are_the_installed_distributions():
    assert library_versions(OUTPUT_LIBRARIES) == {name: importlib.metadata.version(name) for name in OUTPUT_LIBRARIES}


@pytest.mark.parametrize("poison", [{"ab": "xx"}, {"ab": (1, ("2",))}, {"": (0, (1,))}, [1, 2], b"\x00junk"])
def test_a_poisoned_entry_with_a_matching_name_is_refused_not_used(cold, poison):
    """Someone writes an entry of the wrong shape under a name whose hash matches its bytes:
    the build parses the dictionary again rather than crash or hyphenate by it."""
    import hashlib
    import marshal
    expected = hyphenation.patterns("en_GB").table
    entry, = cold.glob("*.hyph")
    entry.unlink()
    data = poison if isinstance(poison, bytes) else marshal.dumps(poison)
    key = entry.name.split("-")[0]
    poisoned = cold / f"{key}-{hashlib.sha256(data).hexdigest()}.hyph"
    poisoned.write_bytes(data)
    hyphenation.patterns.cache_clear()
    assert hyphenation.patterns("en_GB").table == expected
    assert not poisoned.exists() and [p.name for p in cold.glob("*.hyph")] == [entry.name]
