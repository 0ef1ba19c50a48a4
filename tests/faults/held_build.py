"""The leaflet command line with one edition held: its worker announces itself
(a file `held-<pid>` in FOLDER) and waits until FOLDER/go exists. A test can
then kill the build, or start a second one, at a known moment.

    python tests/faults/held_build.py REGION FOLDER build CONTENT --out OUT ...
"""
import os
import sys
import time
from pathlib import Path

import leaflet.pipeline as pipeline
from leaflet.cli import main

HELD, FOLDER = sys.argv[1], Path(sys.argv[2])
_render = pipeline.render_edition


def held(content, out_dir, region=None, *args, **kwargs):
    if region == HELD:
        (FOLDER / f"held-{os.getpid()}").touch()
        deadline = time.monotonic() + 120  # a test that failed never says go: do not wait for ever
        while not (FOLDER / "go").exists():
            if time.monotonic() > deadline:
                os._exit(3)
            time.sleep(0.01)
    return _render(content, out_dir, region, *args, **kwargs)


pipeline.render_edition = held
sys.argv = ["leaflet", *sys.argv[3:]]
main()
