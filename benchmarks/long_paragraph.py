"""Benchmark: `leaflet check` on a 1.9 MB paragraph, which must overflow fast and clearly.

    python benchmarks/long_paragraph.py [--bytes N] [--runs N] [--one-word]

Puts one paragraph of ordinary English words (about 1.9 MB, under the 2 MB
limit for a content file; with --one-word, a single 1.9 MB word without spaces) first in the first English story of a temporary
copy of the example, then runs `leaflet check` on it in a fresh process and
reports the median wall and CPU time and the overflow message. Not a test:
machines are shared and noisy, so it reports medians and leaves judging to
people.
"""
from __future__ import annotations

import argparse
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORDS = "the skin cream apply a thin layer twice daily to affected areas of your doctor will recommend plan".split()


def make_content(folder: Path, size: int, one_word: bool = False) -> Path:
    content = folder / "lumirix"
    shutil.copytree(REPO / "content" / "lumirix", content)
    rng = random.Random(1)
    words, length = [], 0
    while length < size and not one_word:
        words.append(rng.choice(WORDS))
        length += len(words[-1]) + 1
    if one_word:
        words = ["".join(rng.choice(WORDS) for _ in range(size // 5))[:size]]
    text_file = content / "text" / "en.yaml"
    anchor = "    heading: Understanding Vitiligo\n    body:\n"
    text = text_file.read_text(encoding="utf-8")
    text_file.write_text(text.replace(anchor, anchor + "      - " + " ".join(words) + "\n", 1), encoding="utf-8")
    return content


def run_check(content: Path) -> tuple[float, float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "leaflet", "check", str(content)], capture_output=True,
                            text=True, cwd=REPO)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu, result.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bytes", type=int, default=1_900_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--one-word", action="store_true", help="one word of that size, with no spaces")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        content = make_content(Path(tmp), args.bytes, args.one_word)
        print(f"text/en.yaml: {(content / 'text' / 'en.yaml').stat().st_size:,} bytes")
        runs = [run_check(content) for _ in range(args.runs)]
    print(f"leaflet check: median {statistics.median(r[0] for r in runs):.1f} s wall, "
          f"{statistics.median(r[1] for r in runs):.1f} s CPU over {args.runs} runs")
    print(runs[-1][2])


if __name__ == "__main__":
    main()
