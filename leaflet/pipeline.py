"""The build pipeline, stage after stage: load -> resolve -> fonts -> layout ->
render -> verify -> write, for one edition or, in parallel, for every region.
The CLI and the tests both call it."""
from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .errors import ContentError, LeafletError, Location, OutputError, VerificationError, individual, raise_all
from .fonts import FontBook, prepare_fonts
from .layout import Layout, lay_out
from .load import load_leaflet
from .model import Leaflet, Region
from .output import write_atomically
from .render import render, render_proof
from .resolve import Edition, resolve
from .verify import Finding, verify_pdf

MANIFEST = "manifest.json"
PROOF_MANIFEST = "manifest-proof.json"  # proofs never overwrite the print manifest
OUTPUT_LIBRARIES = ("reportlab", "fonttools", "pypdf", "uharfbuzz", "pillow")  # they shape the PDF's bytes


@dataclass
class BuildResult:
    pdf: Path
    edition: Edition
    size: int
    sha256: str
    pages: int  # as laid out, and as verify read back from the PDF
    fonts: FontBook
    timings: dict[str, float] = field(default_factory=dict)


class _Stopwatch:
    def __init__(self):
        self.timings: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = now - self._last
        self._last = now


def output_name(edition: Edition, proof: bool = False) -> str:
    leaflet = edition.leaflet
    region = f"-{edition.region.code}" if edition.region else ""
    return f"{leaflet.name}{region}-v{leaflet.approval.version}{'-proof' if proof else ''}.pdf"


def region_of(leaflet: Leaflet, code: str | None) -> Region | None:
    """The region to build: required when the leaflet has regional editions, refused when it has none."""
    if code is None:
        if leaflet.regions:
            raise ContentError(f"this leaflet has regional editions ({', '.join(leaflet.regions)}); name one",
                               Location(leaflet.folder), fix="pass --region CODE")
        return None
    if code not in leaflet.regions:
        known = ", ".join(leaflet.regions) or "none"
        raise ContentError(f"there is no region '{code}' (regions: {known})", Location(leaflet.folder / "regions"),
                           fix="use a region code from the regions folder")
    return leaflet.regions[code]


def lay_out_content(content: Path, region: str | None = None, watch: _Stopwatch | None = None,
                    leaflet: Leaflet | None = None) -> Layout:
    """Everything up to a laid-out edition: what a PDF of this content must show."""
    watch = watch or _Stopwatch()
    leaflet = leaflet or load_leaflet(Path(content))
    watch.lap("load")
    edition = resolve(leaflet, region_of(leaflet, region))
    watch.lap("resolve")
    fonts = prepare_fonts(edition)
    watch.lap("fonts")
    layout = lay_out(edition, fonts)
    watch.lap("layout")
    return layout


def _render_verified(layout: Layout, target: Path, watch: _Stopwatch, proof: bool = False) -> bytes:
    """Render, then read the PDF back: a PDF that fails its own verification is refused."""
    data = render_proof(layout) if proof else render(layout)
    watch.lap("render")
    findings = verify_pdf(data, layout, proof)
    watch.lap("verify")
    if findings:
        raise VerificationError("the PDF failed its own verification, so it was not written: "
                                + "; ".join(map(str, findings[:5])), Location(target))
    return data


def refuse_unapproved(edition: Edition) -> None:
    """A final build prints only approved content: name everything that is not."""
    problems: list[LeafletError] = []
    approval = edition.leaflet.approval
    if approval.status != "approved":
        problems.append(OutputError(f"the leaflet's approval status is '{approval.status}', not 'approved'",
                                    approval.where, fix="build without --final for a draft"))
    for paragraph in edition.unapproved:
        problems.append(OutputError(f"{paragraph.added} not yet approved, so this edition cannot be final",
                                    paragraph.where, fix="have it approved and record that with 'approved: <ref>'"))
    raise_all(problems)


def build(content: Path, out_dir: Path, region: str | None = None, final: bool = False,
          leaflet: Leaflet | None = None, proof: bool = False) -> BuildResult:
    watch = _Stopwatch()
    layout = lay_out_content(content, region, watch, leaflet)
    if final:
        refuse_unapproved(layout.edition)
    target = Path(out_dir) / output_name(layout.edition, proof)
    data = _render_verified(layout, target, watch, proof)
    write_atomically(target, data, out_dir)
    watch.lap("write")
    return BuildResult(target, layout.edition, len(data), hashlib.sha256(data).hexdigest(), len(layout.pages),
                       layout.fonts, watch.timings)


def check(content: Path) -> None:
    """Every rule a build applies, for every edition, all problems at once; the PDF
    is made and verified in memory when an edition is clean. Nothing is written."""
    problems: list[LeafletError] = []
    try:
        leaflet = load_leaflet(Path(content), problems)
        for region in list(leaflet.regions.values()) or [None]:
            _check_edition(leaflet, region, problems)
    except LeafletError as exc:
        problems.extend(individual(exc))
    unique = list({str(p): p for p in problems}.values())  # shared content is reported once, not per region
    raise_all(unique)


def _check_edition(leaflet: Leaflet, region: Region | None, problems: list) -> None:
    found: list[LeafletError] = []
    try:
        edition = resolve(leaflet, region, found)
        fonts = prepare_fonts(edition, problems=found)
        layout = lay_out(edition, fonts, found)
        if not found and not problems:
            _render_verified(layout, leaflet.folder / output_name(edition), _Stopwatch())
    except LeafletError as exc:
        found.extend(individual(exc))
    problems.extend(found)


def verify_file(pdf: Path, content: Path, region: str | None = None) -> list[Finding]:
    """Check any PDF against the approved content (of one region's edition)."""
    layout = lay_out_content(content, region)
    try:
        data = Path(pdf).read_bytes()
    except OSError as exc:
        raise VerificationError(f"cannot read the PDF ({exc.strerror})", Location(Path(pdf)),
                                fix="check the path") from None
    return verify_pdf(data, layout)


# --- batches of regional editions ---------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    """One edition of a batch: built (with what the manifest records) or failed (with why)."""

    region: str | None
    file: str | None = None
    sha256: str | None = None
    pages: int | None = None
    status: str | None = None
    content_sha256: str | None = None
    fonts: tuple[tuple[str, str], ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


_worker_leaflet: Leaflet | None = None  # the content, loaded once per worker process


def _init_worker(leaflet: Leaflet) -> None:
    global _worker_leaflet
    _worker_leaflet = leaflet


def _build_one(content: Path, out_dir: Path, region: str | None, final: bool, proof: bool,
               leaflet: Leaflet | None = None) -> Outcome:
    """One edition, never raising: a batch goes on when one edition fails."""
    try:
        result = build(content, out_dir, region, final, leaflet or _worker_leaflet, proof)
    except LeafletError as exc:
        return Outcome(region, problems=tuple(f"{p.kind}: {p}" for p in individual(exc)))
    fonts = tuple(sorted({(f.source.path.name, f.sha256) for f in result.fonts.faces.values()}))
    return Outcome(region, result.pdf.name, result.sha256, result.pages,
                   "proof" if proof else result.edition.status,
                   result.edition.fingerprint(), fonts)


def build_editions(content: Path, out_dir: Path, regions: list[str] | None = None, jobs: int | None = None,
                   final: bool = False, progress=None, leaflet: Leaflet | None = None,
                   proof: bool = False) -> list[Outcome]:
    """Build the named regions (default: all) in parallel, then write the manifest.
    The content is loaded once, here, and handed to every worker."""
    leaflet = leaflet or load_leaflet(Path(content))
    codes = list(regions or leaflet.regions) or [None]
    for code in codes:
        region_of(leaflet, code)  # an unknown region code is a usage problem: refuse before building
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(codes)))
    outcomes = []
    if jobs == 1:
        for code in codes:
            outcomes.append(_build_one(content, out_dir, code, final, proof, leaflet))
            if progress:
                progress(outcomes[-1])
    else:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(leaflet,)) as pool:
            futures = [pool.submit(_build_one, content, out_dir, code, final, proof) for code in codes]
            for future in as_completed(futures):
                outcomes.append(future.result())
                if progress:
                    progress(outcomes[-1])
    outcomes.sort(key=lambda o: codes.index(o.region))
    write_manifest(Path(out_dir), leaflet, outcomes, proof)
    return outcomes


def write_manifest(out_dir: Path, leaflet: Leaflet, outcomes: list[Outcome], proof: bool = False) -> Path:
    """What went in and what came out, reproducibly: no clock time anywhere."""
    fonts = dict(sorted({name: digest for o in outcomes for name, digest in o.fonts}.items()))
    manifest = {
        "tool": f"leaflet {__version__}",
        "leaflet": leaflet.name,
        "version": leaflet.approval.version,
        "date_of_preparation": leaflet.approval.date_of_preparation.isoformat(),
        "fonts": fonts,
        "libraries": {name: importlib.metadata.version(name) for name in OUTPUT_LIBRARIES},
        "editions": [
            {"region": o.region, "file": o.file, "sha256": o.sha256, "pages": o.pages, "status": o.status,
             "content_sha256": o.content_sha256} if o.ok else
            {"region": o.region, "status": "failed", "problems": list(o.problems)}
            for o in outcomes
        ],
    }
    path = out_dir / (PROOF_MANIFEST if proof else MANIFEST)
    write_atomically(path, (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode())
    return path
