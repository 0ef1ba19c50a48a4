"""Run every attack (or those named) and `leaflet verify` on each result:
exit code, seconds, first lines. `python -m tests.attacks.run --out DIR [NAME...]`"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import os

from .attacks import ATTACKS, ENVIRONMENT

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60


def verify(pdf: Path, region: str, env: dict | None = None) -> tuple[str, float, str]:
    command = [str(Path(sys.executable).parent / "leaflet"), "verify", str(pdf), "--content", str(ROOT / "content/lumirix"),
               "--region", region]
    start = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, env=dict(os.environ, **(env or {})))
    except subprocess.TimeoutExpired:
        return "timeout", time.perf_counter() - start, ""
    took = time.perf_counter() - start
    return str(done.returncode), took, (done.stdout + done.stderr).strip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="/tmp/breaker-out", type=Path, help="folder `leaflet build` wrote")
    parser.add_argument("--dir", default="/tmp/breaker-attacks", type=Path, help="where tampered PDFs go")
    parser.add_argument("names", nargs="*")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    for name in args.names or list(ATTACKS):
        must, fn, region = ATTACKS[name]
        target = args.dir / f"{name}.pdf"
        try:
            fn(args.out, target)
        except Exception as exc:  # noqa: BLE001 - report a broken attack and go on
            print(f"### {name}: attack could not be made: {type(exc).__name__}: {exc}")
            continue
        code, took, output = verify(target, region, ENVIRONMENT.get(name))
        said = "OK" if code == "0" else "FAILED" if code == "1" else code
        right = (said == "OK") == (must == "pass") and code in ("0", "1") and took <= 10
        verdict = "ok" if right else ("BYPASS" if must == "fail" and said == "OK" else
                                      "FALSE ALARM" if must == "pass" and code == "1" else
                                      "CRASH/HANG/SLOW")
        if code not in ("0", "1") or "Traceback" in output:
            verdict = "CRASH/HANG/SLOW"
        if took > 10 and verdict == "ok":
            verdict = "SLOW"
        print(f"### {name}: must {must}; verify exit {code} in {took:.1f} s -> {verdict}")
        print("\n".join("    " + line for line in output.splitlines()[:8]))


if __name__ == "__main__":
    main()
