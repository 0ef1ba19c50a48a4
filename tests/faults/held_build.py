"""The leaflet command line with one step held: it announces itself (a file
`held-<pid>` in FOLDER) and waits until FOLDER/go exists, so a test can kill
the build, or start a second one, at a known moment.

    python tests/faults/held_build.py REGION FOLDER build CONTENT --out OUT ...
        holds the worker building REGION before it starts;
    python tests/faults/held_build.py publish FOLDER build CONTENT --out OUT ...
        holds the publishing child after it has renamed the first file into place.
"""
import os
import sys
import time
from pathlib import Path

import leaflet.output as output
import leaflet.pipeline as pipeline
from leaflet.cli import main

HELD, FOLDER = sys.argv[1], Path(sys.argv[2])


def hold() -> None:
    (FOLDER / f"held-{os.getpid()}").touch()
    deadline = time.monotonic() + 120  # a test that failed never says go: do not wait for ever
    while not (FOLDER / "go").exists():
        if time.monotonic() > deadline:
            os._exit(3)
        time.sleep(0.01)


def held_worker(render):
    def held(content, out_dir, region=None, *args, **kwargs):
        if region == HELD:
            hold()
        return render(content, out_dir, region, *args, **kwargs)
    return held


def held_publisher(rename):
    def held(source, target):
        rename(source, target)
        if os.getsid(0) == os.getpid() and Path(source).parent.name.startswith(output.PUBLISHING):
            hold()  # in the publishing child (its own session), one file in place
    return held


if HELD == "publish":
    output.os.replace = held_publisher(os.replace)
else:
    pipeline.render_edition = held_worker(pipeline.render_edition)
sys.argv = ["leaflet", *sys.argv[3:]]
main()
