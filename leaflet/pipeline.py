"""The build pipeline, stage after stage: load -> resolve -> fonts -> layout ->
render -> verify -> write. The CLI and the tests both call it."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import LeafletError, Location, VerificationError, individual, raise_all
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


def _render_verified(layout: Layout, target: Path, watch: _Stopwatch) -> bytes:
    """Render, then read the PDF back: a PDF that fails its own verification is refused."""
    data = render(layout)
    watch.lap("render")
    findings = verify_pdf(data, layout)
    watch.lap("verify")
    if findings:
        raise VerificationError("the PDF failed its own verification, so it was not written: "
                                + "; ".join(map(str, findings[:5])), Location(target))
    return data


def build(content: Path, out_dir: Path) -> BuildResult:
    watch = _Stopwatch()
    layout = lay_out_content(content, watch)
    target = Path(out_dir) / output_name(layout.edition)
    data = _render_verified(layout, target, watch)
    write_atomically(target, data)
    watch.lap("write")
    return BuildResult(target, layout.edition, len(data), watch.timings)


def check(content: Path) -> None:
    """Every rule a build applies, all problems at once; the PDF is made and
    verified in memory when the content is clean. Nothing is written."""
    problems: list[LeafletError] = []
    try:
        leaflet = load_leaflet(Path(content), problems)
        edition = resolve(leaflet, problems)
        fonts = prepare_fonts(edition, problems=problems)
        layout = lay_out(edition, fonts, problems)
        if not problems:
            _render_verified(layout, Path(content) / output_name(edition), _Stopwatch())
    except LeafletError as exc:
        problems.extend(individual(exc))
    raise_all(problems)


def verify_file(pdf: Path, content: Path) -> list[Finding]:
    """Check any PDF against the approved content."""
    layout = lay_out_content(content)
    try:
        data = Path(pdf).read_bytes()
    except OSError as exc:
        raise VerificationError(f"cannot read the PDF ({exc.strerror})", Location(Path(pdf)),
                                fix="check the path") from None
    return verify_pdf(data, layout)
