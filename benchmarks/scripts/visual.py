"""The visual witness of `leaflet verify`, warm, on built PDFs: median seconds per PDF, as JSON. Run by benchmarks/bench.py."""
import json
import statistics
import sys
import time
from pathlib import Path
from leaflet.pipeline import lay_out_content
from leaflet.proof.visual import visual_findings
from leaflet.pdf.render import render
content, region, runs, pdfs = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
layout = lay_out_content(content, region)
start = time.perf_counter()
reference = render(layout)
result = {"reference": time.perf_counter() - start}
for pdf in pdfs:
    data = Path(pdf).read_bytes()
    assert visual_findings(data, reference, layout) == [], pdf  # and warms PDFium up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        visual_findings(data, reference, layout)
        times.append(time.perf_counter() - start)
    result[pdf] = statistics.median(times)
print(json.dumps(result))
