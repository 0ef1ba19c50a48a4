"""Benchmark: how long a user waits for `leaflet build`, and where the time goes.

    python benchmarks/bench.py [CONTENT] [--runs N] [--editions N] [--case build|watch|typst]

Reports the start-up time of `leaflet --version` and `--help` (which import no
stage), then whole-process wall time (a fresh Python process each run, as a user
runs it) for one edition with an empty font cache (cold) and a filled one
(warm), time per pipeline stage in a warm run, the cost of checking the
pinned fonts against SHA256SUMS (first time in a process, and memoised), and
the PDF size; the visual witness of `leaflet verify` (warm, in process) on the
edition as built and, with Ghostscript installed, re-distilled as a printer
would; `leaflet verify` of one edition as a whole process; then every
regional edition with --jobs 1 and --jobs 2, and a synthetic batch of N
editions (generated region overlays in a temporary copy), in editions per
second. `--case watch` times `leaflet watch` rebuilding after a one-word edit
(in process, fonts warm, as the watcher does); `--case typst` compares a warm
whole-process build of the hk edition with Typst (`pip install -e '.[bench]'`)
compiling the same edition, benchmarks/peer/lumirix-hk.typ, and Python importing
the stack's libraries and doing nothing else (the floor of any build). Not a test: machines are shared and noisy, so it reports medians and
leaves judging to people.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCRIPTS = Path(__file__).resolve().parent / "scripts"  # each run in a fresh process





PEER = REPO / "benchmarks" / "peer" / "lumirix-hk.typ"
# What any build must import before it does anything: Python with the libraries the stack chose.
STACK_IMPORTS = ("import click, yaml, hashlib, uharfbuzz, pypdf, PIL.Image, "
                 "reportlab.pdfgen.canvas, reportlab.pdfbase.ttfonts")


def watch_times(content: Path, folder: Path, cache: Path, runs: int) -> dict[str, list[float]]:
    """`leaflet watch` rebuilding after a one-word edit, in a copy of the content."""
    copy = folder / content.name
    shutil.copytree(content, copy)
    env = {**os.environ, "LEAFLET_CACHE_DIR": str(cache)}
    done = subprocess.run([sys.executable, str(SCRIPTS / "watch.py"), str(copy), str(folder / "watch-out"), str(runs)],
                          check=True, env=env, cwd=REPO, capture_output=True, text=True)
    return json.loads(done.stdout)


def typst_installed() -> bool:
    return subprocess.run([sys.executable, "-c", "import typst"], capture_output=True).returncode == 0


def run_typst(folder: Path) -> float:
    """Typst compiling the peer as a whole process, with only the pinned fonts."""
    start = time.perf_counter()
    subprocess.run([sys.executable, str(SCRIPTS / "typst_compile.py"), str(PEER), str(folder / "peer.pdf"), str(REPO / "fonts")],
                   check=True, capture_output=True)
    return time.perf_counter() - start


def report_watch(content: Path, tmp: Path, runs: int) -> None:
    cache = tmp / "watch-cache"
    times = watch_times(content, tmp, cache, 1)  # fills the font cache: the watcher starts on a warm one
    times = watch_times(content, tmp / "again", cache, max(runs, 5))
    print(f"leaflet watch, a one-word edit of {content.name} (hk), in process: medians of {len(times['rebuild'])}")
    for stage, label in (("rebuild", "proof PDF rebuilt and written"), ("proof-read", "proof-read (self-check)"),
                         ("previews", "preview PNGs")):
        wall, cpu = times[stage], times[stage + " cpu"]
        print(f"  {label:31s} {statistics.median(wall) * 1000:6.0f} ms ({min(wall) * 1000:.0f}–{max(wall) * 1000:.0f}); "
              f"CPU {statistics.median(cpu) * 1000:.0f} ms")


def report_typst(content: Path, tmp: Path, runs: int) -> None:
    if not typst_installed():
        print("typst is not installed (pip install -e '.[bench]'): no ratio")
        return
    cache = tmp / "typst-cache"
    run_build(content, tmp / "out", cache, "--region", "hk")
    run_typst(tmp)  # both warm: font cache filled, files in the OS cache
    pairs = [(run_build(content, tmp / "out", cache, "--region", "hk"), run_typst(tmp), run_stack_imports())
             for _ in range(runs)]
    ours, peer, floor = (statistics.median(p[i] for p in pairs) for i in range(3))
    ratio = statistics.median(a / b for a, b, _ in pairs)
    floor_ratio = statistics.median(c / b for _, b, c in pairs)
    print(f"one edition (hk), whole process, warm, medians of {runs}: leaflet build {ours:.2f} s; "
          f"typst {PEER.relative_to(REPO)} {peer:.2f} s; ratio {ratio:.2f}× (pair by pair)")
    print(f"  Python importing the stack's libraries and doing nothing else: {floor:.2f} s, "
          f"{floor_ratio:.2f}× Typst")


def run_stack_imports() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", STACK_IMPORTS], check=True, capture_output=True)
    return time.perf_counter() - start


def run_build(content: Path, out: Path, cache: Path, *options: str) -> float:
    env = {**os.environ, "LEAFLET_CACHE_DIR": str(cache)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "leaflet", "build", str(content), "--out", str(out), *options],
                   check=True, env=env, cwd=REPO, capture_output=True)
    return time.perf_counter() - start


def run_verify(pdf: Path, content: Path, cache: Path, region: str) -> float:
    """`leaflet verify` of one edition as a user runs it: every witness, the visual one included."""
    env = {**os.environ, "LEAFLET_CACHE_DIR": str(cache)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "leaflet", "verify", str(pdf), "--content", str(content), "--region",
                    region], check=True, env=env, cwd=REPO, capture_output=True)
    return time.perf_counter() - start


def startup_times(runs: int) -> dict[str, list[float]]:
    """Whole-process wall time of the commands that run no stage, beside Python's own start."""
    commands = {"python alone": ["-c", "pass"], "leaflet --version": ["-m", "leaflet", "--version"],
                "leaflet --help": ["-m", "leaflet", "--help"],
                "leaflet build --help": ["-m", "leaflet", "build", "--help"]}
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs + 1):  # the first round only warms the OS file cache
        for name, args in commands.items():
            start = time.perf_counter()
            subprocess.run([sys.executable, *args], check=True, cwd=REPO, capture_output=True)
            times[name].append(time.perf_counter() - start)
    return {name: seconds[1:] for name, seconds in times.items()}


def stage_times(content: Path, out: Path, cache: Path, region: str) -> dict[str, float]:
    env = {**os.environ, "LEAFLET_CACHE_DIR": str(cache)}
    done = subprocess.run([sys.executable, str(SCRIPTS / "stages.py"), str(content), str(out), region], check=True,
                          env=env, cwd=REPO, capture_output=True, text=True)
    return json.loads(done.stdout)



def font_check_times(content: Path, region: str) -> dict[str, float]:
    """Hashing one edition's pinned fonts in a fresh process (the OS file cache is warm)."""
    done = subprocess.run([sys.executable, str(SCRIPTS / "font_check.py"), str(content), region], check=True, cwd=REPO,
                          capture_output=True, text=True)
    return json.loads(done.stdout)


def visual_times(content: Path, cache: Path, region: str, runs: int, *pdfs: Path) -> dict[str, float]:
    env = {**os.environ, "LEAFLET_CACHE_DIR": str(cache)}
    done = subprocess.run([sys.executable, str(SCRIPTS / "visual.py"), str(content), region, str(runs), *map(str, pdfs)],
                          check=True, env=env, cwd=REPO, capture_output=True, text=True)
    return json.loads(done.stdout)


def distilled(pdf: Path) -> Path | None:
    """The PDF re-distilled by Ghostscript, as a printer's prepress does; None without gs."""
    if not shutil.which("gs"):
        return None
    target = pdf.with_name(pdf.stem + "-distilled.pdf")
    subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=pdfwrite", "-dPDFSETTINGS=/prepress",
                    f"-sOutputFile={target}", str(pdf)], check=True, capture_output=True)
    return target


def synthetic_batch(content: Path, folder: Path, count: int) -> Path:
    """A copy of the leaflet with `count` generated regions, cycling through the shipped ones."""
    copy = folder / content.name
    shutil.copytree(content, copy)
    shipped = sorted((copy / "regions").glob("*.yaml"))
    for i in range(count):
        source = shipped[i % len(shipped)].read_text(encoding="utf-8")
        (copy / "regions" / f"r{i:03d}.yaml").write_text(source.replace("job_code: ", f"job_code: R{i:03d}-", 1),
                                                      encoding="utf-8")
    for file in shipped:
        file.unlink()
    return copy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", nargs="?", default=str(REPO / "content" / "lumirix"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--editions", type=int, default=40)
    parser.add_argument("--case", choices=("all", "build", "watch", "typst"), default="all")
    args = parser.parse_args()
    content = Path(args.content)
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("note: PYTHONDONTWRITEBYTECODE is set, so every whole-process run compiles leaflet's modules again")
    for case, report in (("watch", report_watch), ("typst", report_typst)):
        if args.case in ("all", case):
            with tempfile.TemporaryDirectory() as tmp:
                report(content, Path(tmp), args.runs)
    if args.case in ("all", "build"):
        report_build(content, args.runs, args.editions)


def report_build(content: Path, runs: int, editions: int) -> None:
    one = ("--region", "hk")
    startup = startup_times(runs)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cold = [run_build(content, tmp / "out", tmp / f"cold-cache-{i}", *one) for i in range(runs)]
        cache = tmp / "cold-cache-0"
        run_build(content, tmp / "out", cache)  # warm the cache for every region's faces
        warm = [run_build(content, tmp / "out", cache, *one) for _ in range(runs)]
        stages = [stage_times(content, tmp / "out", cache, "hk") for _ in range(runs)]
        checks = [font_check_times(content, "hk") for _ in range(runs)]
        built = next((tmp / "out").glob("*-hk-*.pdf"))
        pdfs = [pdf for pdf in (built, distilled(built)) if pdf]
        visual = visual_times(content, cache, "hk", runs, *pdfs)
        verify = [run_verify(built, content, cache, "hk") for _ in range(runs)]
        all_jobs = {jobs: [run_build(content, tmp / f"all-{jobs}", cache, "--jobs", str(jobs))
                           for _ in range(runs)] for jobs in (1, 2)}
        batch = synthetic_batch(content, tmp, editions)
        many = {jobs: run_build(batch, tmp / f"many-{jobs}", cache, "--jobs", str(jobs)) for jobs in (1, 2)}
    median = {k: statistics.median(s[k] for s in stages) for k in stages[0]}
    regions = len(list((content / "regions").glob("*.yaml")))
    print(f"start-up, whole process: medians of {runs} runs (min–max)")
    for name, seconds in startup.items():
        print(f"  {name:22s} {statistics.median(seconds) * 1000:5.0f} ms ({min(seconds) * 1000:.0f}–"
              f"{max(seconds) * 1000:.0f})")
    print(f"leaflet build {content.name}: medians of {runs} runs (min–max)")
    print(f"  one edition, whole process, cold font cache: {statistics.median(cold):.2f} s "
          f"({min(cold):.2f}–{max(cold):.2f})")
    print(f"  one edition, whole process, warm font cache: {statistics.median(warm):.2f} s "
          f"({min(warm):.2f}–{max(warm):.2f})")
    print("  stages of one edition (warm, in process):")
    for stage in ("import", "load", "resolve", "fonts", "layout", "render", "verify", "write"):
        print(f"    {stage:8s} {median[stage] * 1000:7.1f} ms")
    first, again = (statistics.median(c[k] for c in checks) * 1000 for k in ("first", "again"))
    print(f"  pinned font check of one edition ({checks[0]['files']} files, {checks[0]['bytes'] / 2**20:.0f} MB): "
          f"{first:.1f} ms first time in a process, {again:.2f} ms again")
    print(f"  PDF size: {median['size'] / 1024:.0f} KB")
    print(f"  visual witness of verify (warm, in process; the fresh reference build: "
          f"{visual.pop('reference') * 1000:.0f} ms):")
    for pdf, seconds in visual.items():
        print(f"    {Path(pdf).name:36s} {seconds * 1000:7.1f} ms")
    print(f"  leaflet verify of one edition, whole process, every witness: {statistics.median(verify):.2f} s "
          f"({min(verify):.2f}–{max(verify):.2f}); a build's self-check (text, glyph, print) is the "
          f"'verify' stage above")
    for jobs, times in all_jobs.items():
        print(f"  all {regions} editions, --jobs {jobs}: {statistics.median(times):.2f} s")
    for jobs, seconds in many.items():
        print(f"  {editions} synthetic editions, --jobs {jobs}: {seconds:.2f} s "
              f"({editions / seconds:.1f} editions/s)")
    print(f"  speed-up from 1 to 2 jobs on {editions} editions: {many[1] / many[2]:.2f}×")


if __name__ == "__main__":
    main()
