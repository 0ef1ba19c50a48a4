"""The build pipeline, stage after stage: load -> resolve -> fonts -> layout ->
render -> verify -> write. The CLI and the tests both call it."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Location, VerificationError
from .fonts import prepare_fonts
from .layout import lay_out
from .load import load_leaflet
from .output import write_atomically
from .render import render
from .resolve import Edition, resolve
from .verify import verify_pdf


@dataclass
class BuildResult:
    pdf: Path
    edition: Edition
    size: int
    timings: dict[str, float] = field(default_factory=dict)


def output_name(edition: Edition) -> str:
    return f"{edition.leaflet.name}-v{edition.leaflet.approval.version}.pdf"


def build(content: Path, out_dir: Path) -> BuildResult:
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = now - clock
        clock = now

    leaflet = load_leaflet(Path(content))
    lap("load")
    edition = resolve(leaflet)
    lap("resolve")
    fonts = prepare_fonts(edition)
    lap("fonts")
    layout = lay_out(edition, fonts)
    lap("layout")
    data = render(layout)
    lap("render")
    findings = verify_pdf(data, edition)
    lap("verify")
    target = Path(out_dir) / output_name(edition)
    if findings:
        raise VerificationError("the PDF failed its own verification, so it was not written: "
                                + "; ".join(map(str, findings[:5])), Location(target))
    write_atomically(target, data)
    lap("write")
    return BuildResult(target, edition, len(data), timings)
