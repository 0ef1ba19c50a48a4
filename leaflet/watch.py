"""`leaflet watch`: rebuild one edition's screen proof and its previews each time
the content is saved, in one process that keeps the prepared fonts and the
broken lines of unchanged paragraphs warm.

The folder is polled (file sizes, times and inodes every POLL_SECONDS): no
dependency, and it sees every way an editor saves (in place, or by renaming a
new file over the old). A save is rebuilt in stages, each reported as it ends:

1. the screen proof PDF is laid out, rendered and written ("rebuilt in N ms");
2. it is proof-read as `leaflet build --proof` proof-reads its proofs: text
   (every character, visibly, in its panel), glyphs and the proof's print
   state; shapes and inks are not (a screen proof draws its own guides and
   converts every ink). A proof that fails, or whose proof-reading Ctrl-C
   stops, is deleted again with its previews;
3. the preview PNGs are written from the proof-read PDF.

A save with a problem prints each problem as `leaflet check` does, and the
watcher waits for the next save. Every file is written atomically.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic
from .errors import LeafletError, individual
from .output import target_in, write_atomically
from .pipeline import output_name, region_of
from .typeset.fonts import FontBook, prepare_fonts
from .typeset.layout import Layout, lay_out, layout_warnings

POLL_SECONDS = 0.1
PREVIEW_DPI = 100
Echo = Callable[[str], None]  # where a rebuild reports, line by line
WARM_LINES = 20_000  # broken paragraphs kept between saves; past that, forgotten (old wording piles up)

Snapshot = dict[Path, tuple[int, int, int]]


def snapshot(folder: Path, skip: Path | None = None) -> Snapshot:
    """Size, modification time and inode of every file under `folder`, leaving
    out hidden ones (editors' swap files, .git) and the output folder `skip`."""
    found: Snapshot = {}
    folder = Path(folder).resolve()
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts) or (skip and path.is_relative_to(skip)):
            continue
        try:
            info = path.stat()
        except OSError:  # deleted while we looked: the next poll sees it gone
            continue
        if path.is_file():
            found[path] = (info.st_size, info.st_mtime_ns, info.st_ino)
    return found


@dataclass
class Proofing:
    """One edition being watched, and what stays warm between its rebuilds."""

    content: Path
    region: str | None
    out_dir: Path
    fonts: FontBook | None = None
    written: bytes | None = None  # the proof PDF last written, to leave an unchanged one alone
    timings: dict[str, float] = field(default_factory=dict)  # of the last rebuild: wall seconds per stage
    cpu: dict[str, float] = field(default_factory=dict)  # ... and this process's CPU seconds (a shared machine)

    def __post_init__(self) -> None:
        self.content, self.out_dir = Path(self.content), Path(self.out_dir)

    def rebuild(self, echo: Echo) -> bool:
        """Rebuild once, reporting to `echo` line by line; True when the proof is written and proof-read."""
        from .pdf.render import render_proof

        start = _Clocks()
        self.timings, self.cpu = {}, {}
        try:
            layout = self._lay_out()
            data = render_proof(layout)
        except LeafletError as exc:
            return _problems(echo, [Diagnostic.of(p) for p in individual(exc)])
        pdf = target_in(self.out_dir, output_name(layout.edition, proof=True))
        if data == self.written and pdf.exists():
            echo(f"no change to what {_label(layout)} prints; {pdf} stays")
            return True
        try:
            write_atomically(pdf, data)
        except LeafletError as exc:
            return _problems(echo, [Diagnostic.of(p) for p in individual(exc)])
        start.record("rebuild", self)
        echo(f"rebuilt in {self.timings['rebuild'] * 1000:.0f} ms: {pdf} (screen proof, not yet proof-read)")
        self.written = None
        if not self._proof_read(data, layout, pdf, echo):
            return False
        self.written = data
        self._preview(data, pdf, echo)
        for warning in layout_warnings(layout):
            echo(f"warning: {warning}")
        return True

    def _lay_out(self) -> Layout:
        """Load, resolve, prepare fonts and lay out, reusing the warm font book
        when the edition still needs exactly the same prepared faces."""
        from .change.approvals import under_approvals
        from .content.load import load_leaflet
        from .content.resolve import resolve

        leaflet = load_leaflet(self.content)
        edition = under_approvals(resolve(leaflet, region_of(leaflet, self.region)), leaflet.folder)
        fonts = prepare_fonts(edition)  # every file is still checked against its pinned hash
        if self.fonts is None or _face_names(fonts) != _face_names(self.fonts):
            self.fonts = fonts
        elif len(self.fonts.broken_lines) > WARM_LINES:
            self.fonts.broken_lines.clear()
        return lay_out(edition, self.fonts)

    def _proof_read(self, data: bytes, layout: Layout, pdf: Path, echo: Echo) -> bool:
        """The build's own self-check on the proof just written; a proof that fails is removed."""
        from .proof import prove

        start = _Clocks()
        try:
            findings = prove(data, layout, True)
        except BaseException:  # Ctrl-C while proof-reading: no proof is left that was not proof-read
            self._remove(pdf)
            raise
        start.record("proof-read", self)
        if findings:
            self._remove(pdf)
            echo(f"error: {pdf} failed its proof-reading and was removed, with its previews: "
                 f"{'; '.join(map(str, findings[:5]))}")
            return False
        echo(f"  proof-read in {self.timings['proof-read'] * 1000:.0f} ms: its text, glyphs and proof properties are "
             "the content's (a screen proof's shapes and inks are not checked: `leaflet build` makes and checks the "
             "print file)")
        return True

    def _remove(self, pdf: Path) -> None:
        """The proof and the previews beside it, which would show it."""
        for path in [pdf, *self.out_dir.glob(f"{pdf.stem}-*.png")]:
            path.unlink(missing_ok=True)

    def _preview(self, data: bytes, pdf: Path, echo: Echo) -> None:
        from .pdf.preview import preview_bytes

        start = _Clocks()
        try:
            written = preview_bytes(data, pdf, self.out_dir, PREVIEW_DPI)
        except LeafletError as exc:
            _problems(echo, [Diagnostic.of(p) for p in individual(exc)])
            return
        start.record("previews", self)
        echo(f"  previews in {self.timings['previews'] * 1000:.0f} ms: {', '.join(p.name for p in written)}")


class _Clocks:
    """Wall and CPU time since a stage started."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def record(self, stage: str, proofing: Proofing) -> None:
        proofing.timings[stage] = time.perf_counter() - self.wall
        proofing.cpu[stage] = time.process_time() - self.cpu


def _face_names(fonts: FontBook) -> dict[tuple[str, str], str]:
    return {use: face.name for use, face in fonts.faces.items()}  # a name carries its subset's hash


def _label(layout: Layout) -> str:
    region = layout.edition.region
    return f"edition '{region.code}'" if region else "the edition"


def _problems(echo: Echo, diagnostics: list[Diagnostic]) -> bool:
    for diagnostic in diagnostics:
        echo(f"{diagnostic.kind}: {diagnostic}")
    echo(f"{len(diagnostics)} problem(s); still watching: fix and save")
    return False


def watch(proofing: Proofing, echo: Echo, sleep: Callable[[float], None] = time.sleep,
          polls: int | None = None) -> None:
    """Build once, then poll the content folder and rebuild after every change.
    `polls` bounds the number of polls (None: until Ctrl-C); `sleep` waits between them."""
    folder = Path(proofing.content)
    out = Path(proofing.out_dir).resolve()
    skip = out if out.is_relative_to(folder.resolve()) else None
    seen = snapshot(folder, skip)
    proofing.rebuild(echo)
    count = 0
    while polls is None or count < polls:
        sleep(POLL_SECONDS)
        count += 1
        now = snapshot(folder, skip)
        if now != seen:
            seen = now
            proofing.rebuild(echo)
