"""A warm build of one edition in this process: import time and each stage's time, as JSON. Run by benchmarks/bench.py."""
import json
import sys
import time
start = time.perf_counter()
from leaflet.pipeline import build  # noqa: E402 - its import is what is timed
imported = time.perf_counter() - start
result = build(sys.argv[1], sys.argv[2], sys.argv[3])
print(json.dumps({"import": imported, **result.timings, "size": result.size}))
