"""The build pipeline, stage after stage: load -> resolve -> fonts -> layout ->
render -> verify -> write. The CLI and the tests both call it."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Location, VerificationError
from .fonts import prepare_fonts
from .layout import Layout, lay_out
from .load import load_leaflet
from .output import write_atomically
from .render import render
from .resolve import Edition, resolve
from .verify import Finding, verify_pdf


@dataclass
class BuildResult:
    pdf: Path
    edition: Edition
    size: int
    timings: dict[str, float] = field(default_factory=dict)


class _Stopwatch:
    def __init__(self):
        self.timings: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = now - self._last
        self._last = now


def output_name(edition: Edition) -> str:
    return f"{edition.leaflet.name}-v{edition.leaflet.approval.version}.pdf"


def lay_out_content(content: Path, watch: _Stopwatch | None = None) -> Layout:
    """Everything up to a laid-out leaflet: what a PDF of this content must show."""
    watch = watch or _Stopwatch()
    leaflet = load_leaflet(Path(content))
    watch.lap("load")
    edition = resolve(leaflet)
    watch.lap("resolve")
    fonts = prepare_fonts(edition)
    watch.lap("fonts")
    layout = lay_out(edition, fonts)
    watch.lap("layout")
    return layout


def build(content: Path, out_dir: Path) -> BuildResult:
    watch = _Stopwatch()
    layout = lay_out_content(content, watch)
    data = render(layout)
    watch.lap("render")
    findings = verify_pdf(data, layout)
    watch.lap("verify")
    target = Path(out_dir) / output_name(layout.edition)
    if findings:
        raise VerificationError("the PDF failed its own verification, so it was not written: "
                                + "; ".join(map(str, findings[:5])), Location(target))
    write_atomically(target, data)
    watch.lap("write")
    return BuildResult(target, layout.edition, len(data), watch.timings)


def verify_file(pdf: Path, content: Path) -> list[Finding]:
    """Check any PDF against the approved content."""
    layout = lay_out_content(content)
    try:
        data = Path(pdf).read_bytes()
    except OSError as exc:
        raise VerificationError(f"cannot read the PDF ({exc.strerror})", Location(Path(pdf)),
                                fix="check the path") from None
    return verify_pdf(data, layout)
