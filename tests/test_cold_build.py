"""A cold cache: the faces an edition lacks are prepared side by side, one per core,
and the build is the same, byte for byte, as one that prepares them one after another."""
import pytest

from small_leaflet import cli, write_leaflet
from leaflet import pipeline
from leaflet.content.load import load_leaflet
from leaflet.content.resolve import resolve
from leaflet.typeset.fonts import unprepared


@pytest.fixture
def spied(monkeypatch):
    """What the pipeline hands to workers, recorded in this (the parent) process."""
    handed: list[list] = []
    run = pipeline.workers.run

    def recording(task, items, jobs, died):
        handed.append([getattr(item, "source", item) for item in items])
        return run(task, items, jobs, died)

    monkeypatch.setattr(pipeline.workers, "run", recording)
    return handed


def test_faces_prepared_side_by_side_make_the_same_pdf(tmp_path, monkeypatch, spied):
    folder = write_leaflet(tmp_path / "fx", languages=("en",))
    pdfs, caches = [], []
    for jobs in (2, 1):
        cache = tmp_path / f"cache-{jobs}"
        monkeypatch.setenv("LEAFLET_CACHE_DIR", str(cache))
        edition = resolve(load_leaflet(folder), None)
        assert len(unprepared(edition)) == 2  # regular and bold: the cache is cold
        outcomes = pipeline.build_editions(folder, tmp_path / f"out-{jobs}", jobs=jobs)
        assert unprepared(edition) == []
        pdfs.append((tmp_path / f"out-{jobs}" / outcomes[0].file).read_bytes())
        caches.append(sorted(p.name for p in cache.glob("*.ttf")))
    faces = [[source.path.name for source in items] for items in spied if items and hasattr(items[0], "path")]
    assert faces == [["NotoSans-Regular.ttf", "NotoSans-Bold.ttf"]]  # side by side with 2 jobs only
    assert pdfs[0] == pdfs[1] and caches[0] == caches[1]


def test_a_face_a_worker_cannot_prepare_is_reported_once_by_the_build(tmp_path, monkeypatch):
    monkeypatch.setenv("LEAFLET_CACHE_DIR", str(tmp_path / "cache"))
    folder = write_leaflet(tmp_path / "fx", languages=("en", "zh-Hant-HK"),
                           extra="  fonts:\n    en: {regular: fonts/Brand.ttf, bold: fonts/Brand.ttf}")
    (folder / "fonts").mkdir()
    (folder / "fonts" / "Brand.ttf").write_bytes(b"not a font")
    code, out = cli("build", folder, "--out", tmp_path / "out", "--jobs", "2")
    assert code == 1 and "Traceback" not in out
    assert out.count("cannot be read as a font") == 1 and "leaflet.yaml" in out
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.pdf"))
