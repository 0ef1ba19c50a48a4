"""`leaflet watch` rebuilding a copy of the content after one-word edits: each stage's times, as JSON. Run by benchmarks/bench.py."""
import json
import sys
from pathlib import Path
from leaflet.watch import Proofing
content, out, runs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
en = content / "text" / "en.yaml"
proofing = Proofing(content, "hk", out)
assert proofing.rebuild(lambda line: None)  # the watcher's first build: fonts and lines warm from here on
times = {}
for i in range(runs):
    old, new = ("affected", "treated") if i % 2 == 0 else ("treated", "affected")
    en.write_text(en.read_text(encoding="utf-8").replace(f"to the {old} areas", f"to the {new} areas", 1),
                  encoding="utf-8")
    assert proofing.rebuild(lambda line: None)
    for stage in proofing.timings:
        times.setdefault(stage, []).append(proofing.timings[stage])
        times.setdefault(stage + " cpu", []).append(proofing.cpu[stage])
print(json.dumps({stage: sorted(values) for stage, values in times.items()}))
