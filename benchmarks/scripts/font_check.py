"""Checking one edition's pinned fonts against SHA256SUMS: first time in a process, and again. Run by benchmarks/bench.py."""
import json
import sys
import time
from leaflet.typeset.fonts import WEIGHTS, checked_sha256, source_for
from leaflet.content.load import load_leaflet
from leaflet.content.resolve import resolve
leaflet = load_leaflet(sys.argv[1])
edition = resolve(leaflet, leaflet.regions[sys.argv[2]])
sources = {source_for(edition, language, weight) for language in edition.languages for weight in WEIGHTS}
def check():
    start = time.perf_counter()
    for source in sources:
        checked_sha256(source)
    return time.perf_counter() - start
print(json.dumps({"first": check(), "again": check(), "files": len(sources),
                  "bytes": sum(source.path.stat().st_size for source in sources)}))
