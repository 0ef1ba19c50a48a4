"""Benchmark: how long a user waits for `leaflet build`, and where the time goes.

    python benchmarks/bench.py [CONTENT] [--runs N]

Reports whole-process wall time (a fresh Python process each run, as a user
runs it) with an empty font cache (cold) and a filled one (warm), time per
pipeline stage in a warm run, and the PDF size. Not a test: machines are
shared and noisy, so it reports medians and leaves judging to people.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

STAGES_SCRIPT = """
import json, sys, time
start = time.perf_counter()
from leaflet.pipeline import build
imported = time.perf_counter() - start
result = build(sys.argv[1], sys.argv[2])
print(json.dumps({"import": imported, **result.timings, "size": result.size}))
"""


def run_build(content: Path, out: Path, cache: Path) -> float:
    env = {**os.environ, "LEAFLET_CACHE_DIR": str(cache)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "leaflet", "build", str(content), "--out", str(out)], check=True,
                   env=env, cwd=REPO, capture_output=True)
    return time.perf_counter() - start


def stage_times(content: Path, out: Path, cache: Path) -> dict[str, float]:
    env = {**os.environ, "LEAFLET_CACHE_DIR": str(cache)}
    done = subprocess.run([sys.executable, "-c", STAGES_SCRIPT, str(content), str(out)], check=True, env=env,
                          cwd=REPO, capture_output=True, text=True)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", nargs="?", default=str(REPO / "content" / "lumirix"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    content = Path(args.content)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cold = []
        for i in range(args.runs):
            cold.append(run_build(content, tmp / "out", tmp / f"cold-cache-{i}"))
        warm_cache = tmp / "cold-cache-0"
        warm = [run_build(content, tmp / "out", warm_cache) for _ in range(args.runs)]
        stages = [stage_times(content, tmp / "out", warm_cache) for _ in range(args.runs)]
    median = {k: statistics.median(s[k] for s in stages) for k in stages[0]}
    print(f"leaflet build {content.name}: {args.runs} runs each, medians (min–max)")
    print(f"  whole process, cold font cache: {statistics.median(cold):.2f} s ({min(cold):.2f}–{max(cold):.2f})")
    print(f"  whole process, warm font cache: {statistics.median(warm):.2f} s ({min(warm):.2f}–{max(warm):.2f})")
    print("  stages (warm, in process):")
    for stage in ("import", "load", "resolve", "fonts", "layout", "render", "verify", "write"):
        print(f"    {stage:8s} {median[stage] * 1000:7.1f} ms")
    print(f"  PDF size: {median['size'] / 1024:.0f} KB")


if __name__ == "__main__":
    main()
