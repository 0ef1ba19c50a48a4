"""Fault injection for the output transaction of `leaflet build`.

Kills builds at random moments, then runs pairs of builds into one folder at
the same time, and checks the output folder and the process table each time:

    python tests/faults/kill_builds.py --kills 50 --pairs 20 [--seed N] [--content FOLDER]

Two contents are built in turn: A, the shipped example (or --content), and B, a
copy that differs in one English word, so every build changes the folder (in the
example hk, mo and sg and the manifest differ between A and B; tw has no English
and is the same).

After every kill and every pair, the folder is *consistent*:
  - its visible files (names not starting with '.') are, byte for byte, the
    manifest and PDFs of one complete build: the set it held before (old) or
    the set the interrupted build was making (new), never a mix. So every PDF
    the manifest lists exists with the listed SHA-256, there is no PDF the
    manifest does not list, and no partial file is at a final name;
  - after a pair, it is the set of the build that waited (it published last);
  - hidden leftovers of a killed build (.staging-*) are allowed, and a later
    build must remove them (checked at the end).
And no process is left behind: within 5 s of the build's end, no process has
the output folder on its command line (workers and the publishing child are
forks of the build, with its command line).

Exits 1 if any check failed. A Python traceback is a failure too, except a
KeyboardInterrupt that landed while Python was still starting (exit -2),
before leaflet's own code runs.
"""
from __future__ import annotations

import argparse
import collections
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "content" / "lumirix"
WORD = ("Lumirix® is free from steroids.", "Lumirix® is free from parabens.")
SIGNALS = (signal.SIGKILL, signal.SIGTERM, signal.SIGINT)


def visible(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.startswith(".")}


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def leaflet(content: Path, out: Path, regions: list[str]) -> subprocess.Popen:
    """A real build, in a session of its own (a shell job: Ctrl-C reaches its whole process group)."""
    args = [sys.executable, "-m", "leaflet", "build", str(content), "--out", str(out), "--jobs", "2"]
    for region in regions:
        args += ["--region", region]
    return subprocess.Popen(args, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def processes_of(out: Path) -> list[int]:
    """Processes whose command line names the output folder: a build, its workers, its publisher."""
    mark, found = str(out).encode(), []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if mark in (entry / "cmdline").read_bytes() and _state(entry) not in ("Z", "X"):
                found.append(int(entry.name))
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return found


def _state(entry: Path) -> str:
    return (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]


def left_behind(out: Path) -> list[int]:
    """Processes of this folder still alive 5 s after the build ended (then killed, to go on)."""
    deadline = time.monotonic() + 5
    while (found := processes_of(out)) and time.monotonic() < deadline:
        time.sleep(0.02)
    for pid in found:
        os.kill(pid, signal.SIGKILL)
    return found


class Run:
    def __init__(self, root: Path, content: Path, regions: list[str], rng: random.Random):
        self.root, self.regions, self.rng = root, regions, rng
        self.out = root / "out"
        self.content = {"A": content, "B": self._copy_with_word(content)}
        self.sets: dict[str, dict[str, bytes]] = {}
        self.failures: list[str] = []
        self.counts = collections.Counter()
        self.exit_codes = collections.Counter()

    def _copy_with_word(self, content: Path) -> Path:
        folder = self.root / "b" / content.name
        shutil.copytree(content, folder)
        en = folder / "text" / "en.yaml"
        text = en.read_text(encoding="utf-8")
        assert WORD[0] in text, f"{content} does not say the word this script changes: {WORD[0]}"
        en.write_text(text.replace(WORD[0], WORD[1], 1), encoding="utf-8")
        return folder

    def which(self) -> str | None:
        """Which complete set the folder shows, if any."""
        shown = visible(self.out)
        return next((name for name, files in self.sets.items() if files == shown), None)

    def prepare(self) -> float:
        """Reference sets of A and B; then the folder holds A. Returns a warm build's duration."""
        for name, content in self.content.items():
            folder = self.root / f"reference-{name}"
            build = leaflet(content, folder, self.regions)
            if build.wait() != 0:
                sys.exit(f"the reference build of {name} failed: {build.stderr.read()}")
            self.sets[name] = visible(folder)
        assert self.sets["A"] != self.sets["B"]
        start = time.monotonic()
        build = leaflet(self.content["A"], self.out, self.regions)
        if build.wait() != 0 or self.which() != "A":
            sys.exit(f"the first build into the folder failed: {build.stderr.read()}")
        return time.monotonic() - start

    def kill(self, number: int, duration: float, state: str) -> str:
        new = "B" if state == "A" else "A"
        signum, group = self.rng.choice(SIGNALS), self.rng.random() < 0.5
        build = leaflet(self.content[new], self.out, self.regions)
        time.sleep(self.rng.uniform(0, duration))
        try:
            if build.poll() is not None:
                raise ProcessLookupError
            (os.killpg if group else os.kill)(build.pid, signum)
            self.counts[f"{signal.Signals(signum).name} to {'group' if group else 'parent'}"] += 1
        except ProcessLookupError:
            self.counts["finished before the signal"] += 1
        _, stderr = build.communicate()
        self.exit_codes[build.returncode] += 1
        if "Traceback" in stderr:
            self.counts["tracebacks at Python start-up"] += 1
            if build.returncode != -signal.SIGINT:
                self.failures.append(f"kill {number}: traceback from leaflet: {stderr}")
        self.counts["leftover processes"] += len(left_behind(self.out))
        shown = self.which()
        if shown not in (state, new):
            self.failures.append(f"kill {number}: the folder is a mix of builds: {self.describe()}")
            return state
        self.counts["consistent after a kill"] += 1
        self.counts["old set kept" if shown == state else "new set published"] += 1
        if hidden(self.out):
            self.counts["kills leaving a hidden staging folder"] += 1
        return shown

    def pair(self, number: int) -> None:
        first, second = self.rng.sample(["A", "B"], 2)
        builds = {name: leaflet(self.content[name], self.out, self.regions) for name in (first, second)}
        results = {name: build.communicate() for name, build in builds.items()}
        codes = {name: build.returncode for name, build in builds.items()}
        waited = [name for name, (_, stderr) in results.items() if "waiting for another build into" in stderr]
        self.counts["leftover processes"] += len(left_behind(self.out))
        shown = self.which()
        if set(codes.values()) != {0}:
            self.failures.append(f"pair {number}: a build failed: {codes} {results}")
        elif shown is None or (waited and waited != [shown]):
            self.failures.append(f"pair {number}: expected the set of {waited or 'either'}, got {self.describe()}")
        else:
            self.counts["pairs consistent, both succeeded"] += 1
            self.counts["pairs where one waited"] += bool(waited)
        if hidden(self.out):
            self.failures.append(f"pair {number}: hidden files left after successful builds: {hidden(self.out)}")

    def describe(self) -> str:
        shown = visible(self.out)
        return ", ".join(f"{name}: " + "/".join(k for k, files in self.sets.items() if files.get(name) == data)
                         for name, data in sorted(shown.items())) + f"; hidden: {hidden(self.out)}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--pairs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--regions", default="", help="comma-separated; default: every region (4 editions)")
    parser.add_argument("--content", type=Path, default=EXAMPLE, help="the leaflet folder; default: the example")
    options = parser.parse_args()
    seed = options.seed if options.seed is not None else random.randrange(2**32)
    root = Path(tempfile.mkdtemp(prefix="leaflet-faults-"))
    os.environ.setdefault("LEAFLET_CACHE_DIR", str(root / "cache"))  # warmed by the reference builds
    run = Run(root, options.content.resolve(), [r for r in options.regions.split(",") if r], random.Random(seed))
    try:
        duration = run.prepare()
        state = "A"
        for number in range(1, options.kills + 1):
            state = run.kill(number, duration, state)
        for number in range(1, options.pairs + 1):
            run.pair(number)
        final = leaflet(run.content["A"], run.out, run.regions)
        if final.wait() != 0 or run.which() != "A" or hidden(run.out):
            run.failures.append(f"the final build did not clean up: {run.describe()}")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    report(run, options, seed, duration)
    return 1 if run.failures else 0


def report(run: Run, options, seed: int, duration: float) -> None:
    counts = run.counts
    for failure in run.failures:
        print(f"FAILED {failure}")
    print(f"seed {seed}; {len(run.regions) or 4} editions per build; a build takes {duration:.2f} s; "
          "signals sent at a random moment within that")
    print(f"kills: {options.kills} (" + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())
                                                  if " to " in k or k.startswith("finished")) + ")")
    print(f"consistent after a kill: {counts['consistent after a kill']} of {options.kills} "
          f"(old set kept {counts['old set kept']}, new set published {counts['new set published']}); "
          f"hidden staging folders left by a kill: {counts['kills leaving a hidden staging folder']} "
          "(a later build removes them: checked at the end)")
    print(f"exit codes: {dict(sorted(run.exit_codes.items()))}; "
          f"tracebacks at Python start-up: {counts['tracebacks at Python start-up']}")
    print(f"pairs: {options.pairs}; consistent and both succeeded: {counts['pairs consistent, both succeeded']}; "
          f"one waited for the other: {counts['pairs where one waited']}")
    print(f"leftover processes: {counts['leftover processes']}")
    print(f"{'FAILED' if run.failures else 'OK'}: {len(run.failures)} failure(s)")


if __name__ == "__main__":
    sys.exit(main())
