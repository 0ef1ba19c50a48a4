"""The build pipeline, stage after stage: load -> resolve -> fonts -> layout ->
render -> verify -> write, for one edition or, in parallel, for every region.
The CLI and the tests both call it."""
from __future__ import annotations

import contextlib
import copy
import functools
import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__, workers
from .diagnostics import Diagnostic
from .errors import ContentError, LeafletError, Location, OutputError, VerificationError, individual, raise_all
from .typeset.folds import fold_problems
from .typeset.fonts import FontBook, prepare_fonts, prepare_into_cache, unprepared
from .typeset.layout import Layout, lay_out, layout_warnings
from .content.insets import placeholder_warnings
from .content.load import load_leaflet
from .content.schema import did_you_mean
from .content.model import Leaflet, Region
from .output import Publication, target_in, write_atomically
from .pdf.render import render, render_proof
from .content.resolve import Edition, resolve
from .change.approvals import refuse_unless_approved, under_approvals
from .proof import Finding, prove
from .proof.reading import read_pdf_file

MANIFEST = "manifest.json"
PROOF_MANIFEST = "manifest-proof.json"  # proofs never overwrite the print manifest
OUTPUT_LIBRARIES = ("reportlab", "fonttools", "pypdf", "uharfbuzz", "pillow", "pyphen", "segno")  # they shape the PDF's bytes


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
    def __init__(self) -> None:
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
                           fix=did_you_mean(code, leaflet.regions) or "use a region code from the regions folder")
    return leaflet.regions[code]


def lay_out_content(content: Path, region: str | None = None, watch: _Stopwatch | None = None,
                    leaflet: Leaflet | None = None, font_jobs: int = 1) -> Layout:
    """Everything up to a laid-out edition: what a PDF of this content must show.
    `font_jobs`: faces the cache lacks are prepared that many at a time."""
    watch = watch or _Stopwatch()
    leaflet = leaflet or load_leaflet(Path(content))
    watch.lap("load")
    edition = under_approvals(resolve(leaflet, region_of(leaflet, region)), leaflet.folder)
    watch.lap("resolve")
    _prepare_side_by_side(edition, font_jobs)
    fonts = prepare_fonts(edition)
    watch.lap("fonts")
    layout = lay_out(edition, fonts)
    watch.lap("layout")
    return layout


def _prepare_side_by_side(edition: Edition, jobs: int) -> None:
    """A cold cache: cut and convert the missing faces in parallel (a Chinese face takes about
    0.2 s), each into the cache, where prepare_fonts then finds it."""
    pending = unprepared(edition) if jobs > 1 else []
    pending.sort(key=lambda face: -face.cost)  # a big Chinese face starting last would leave the other workers idle
    if len(pending) > 1:
        with contextlib.closing(workers.run(prepare_into_cache, pending, min(jobs, len(pending)),
                                            lambda item, how: False)) as prepared:
            for _ in prepared:
                pass


def _render_verified(layout: Layout, target: Path, watch: _Stopwatch, proof: bool = False) -> bytes:
    """Render, then read the PDF back: a PDF that fails its own verification is refused."""
    data = render_proof(layout) if proof else render(layout)
    watch.lap("render")
    findings = prove(data, layout, proof)
    watch.lap("verify")
    if findings:
        raise VerificationError("the PDF failed its own verification, so it was not written: "
                                + "; ".join(map(str, findings[:5])), Location(target))
    return data


def refuse_unapproved(edition: Edition) -> None:
    """A final build prints only approved content: name everything that is not.
    An edition with approval records must match one; without, leaflet.yaml's status rules.
    Artwork still to be supplied (an FPO box) is never final."""
    problems: list[LeafletError] = [OutputError(
        f"the FPO placeholder “{box.label}” stands where artwork is still to be supplied, so this edition "
        "cannot be final", box.where, fix="replace it with the artwork: 'figure: {file: assets/..., width_mm: "
        f"{box.width_mm:g}}}'") for box in edition.placeholders]
    if edition.records:
        raise_all(problems)
        refuse_unless_approved(edition, edition.leaflet.folder)
        return
    approval = edition.leaflet.approval
    if approval.status != "approved":
        problems.append(OutputError(f"the leaflet's approval status is '{approval.status}', not 'approved', and "
                                    "no approval of this edition is recorded", approval.where,
                                    fix="record the approval with `leaflet approve CONTENT --region R --by NAME "
                                        "--reference REF`, or build without --final for a draft"))
    for paragraph in edition.unapproved:
        problems.append(OutputError(f"{paragraph.added} not yet approved, so this edition cannot be final",
                                    paragraph.where, fix="have it approved and record that with 'approved: <ref>'"))
    raise_all(problems)


def render_edition(content: Path, out_dir: Path, region: str | None = None, final: bool = False,
                   leaflet: Leaflet | None = None, proof: bool = False, font_jobs: int = 1
                   ) -> tuple[BuildResult, bytes]:
    """An edition's verified PDF, in memory, and the path in out_dir it is for (not yet written)."""
    watch = _Stopwatch()
    layout = lay_out_content(content, region, watch, leaflet, font_jobs)
    if final:
        refuse_unapproved(layout.edition)
    target = target_in(Path(out_dir), output_name(layout.edition, proof))
    data = _render_verified(layout, target, watch, proof)
    result = BuildResult(target, layout.edition, len(data), hashlib.sha256(data).hexdigest(), len(layout.pages),
                         layout.fonts, watch.timings)
    return result, data


def build(content: Path, out_dir: Path, region: str | None = None, final: bool = False,
          leaflet: Leaflet | None = None, proof: bool = False) -> BuildResult:
    """One edition, written straight into out_dir (a batch uses `build_editions`)."""
    result, data = render_edition(content, out_dir, region, final, leaflet, proof)
    start = time.perf_counter()
    write_atomically(result.pdf, data)
    result.timings["write"] = time.perf_counter() - start
    return result


def check(content: Path) -> list[Diagnostic]:
    """Every rule a build applies, for every edition, all problems at once, and the layout
    warnings of each edition that lays out; the PDF is made and verified in memory when an
    edition is clean. Editions are checked side by side, one worker per core, and reported
    in the leaflet's order. Nothing is written. Errors first, then warnings."""
    problems: list[LeafletError] = []
    warnings: list[Diagnostic] = []
    try:
        leaflet = load_leaflet(Path(content), problems)
        problems.extend(fold_problems(leaflet))  # the master's fold and flows, in file order; editions repeat them
        regions: list[Region | None] = [*leaflet.regions.values()] or [None]
        task = functools.partial(_check_edition, leaflet, not problems)
        died = functools.partial(_check_died, leaflet)
        jobs = min(len(regions), os.cpu_count() or 1)
        codes = [region.code if region else "" for region in regions]
        editions: dict[str, tuple[LeafletError, list[str]]] = {}  # a problem's text -> it, the editions it is in
        with contextlib.closing(workers.run(task, list(enumerate(regions)), jobs, died)) as checked:
            for index, found, warned in sorted(checked, key=lambda result: result[0]):
                for problem in found:
                    editions.setdefault(str(problem), (problem, []))[1].append(codes[index])
                warnings.extend(warned)
        problems += [problem if len(found_in) == len(regions) else _in_editions(problem, found_in)
                     for problem, found_in in editions.values()]
    except LeafletError as exc:
        problems.extend(individual(exc))
    unique = list({str(p): p for p in problems}.values())  # shared content is reported once, not per region
    return [Diagnostic.of(p) for p in unique] + warnings


def _in_editions(problem: LeafletError, codes: list[str]) -> LeafletError:
    """A problem only some editions have, saying which (one all editions share needs no label)."""
    named = copy.copy(problem)
    named.message = f"{problem.message} (in edition{'s' if len(codes) > 1 else ''} " \
                    f"{', '.join(repr(code) for code in codes)})"
    return named


Checked = tuple[int, list[LeafletError], list[Diagnostic]]  # an edition's place in the leaflet, problems, warnings


def _check_edition(leaflet: Leaflet, clean: bool, item: tuple[int, Region | None]) -> Checked:
    """One edition's problems and, when it and the leaflet are clean, its warnings (never raising)."""
    index, region = item
    found: list[LeafletError] = []
    warnings: list[Diagnostic] = []
    try:
        edition = resolve(leaflet, region, found)
        fonts = prepare_fonts(edition, problems=found)
        layout = lay_out(edition, fonts, found)
        if not found and clean:
            _render_verified(layout, leaflet.folder / output_name(edition), _Stopwatch())
            warnings.extend(layout_warnings(layout))
            label = f"edition '{edition.region.code}'" if edition.region else "the edition"
            warnings.extend(placeholder_warnings(edition.placeholders, label))
    except LeafletError as exc:
        found.extend(individual(exc))
    return index, found, warnings


def _check_died(leaflet: Leaflet, item: tuple[int, Region | None], how: str) -> Checked:
    """The check of an edition whose worker died (check names the edition)."""
    return item[0], [OutputError(f"the worker checking the edition {how}", Location(leaflet.folder),
                                 fix="check again")], []


@dataclass(frozen=True)
class Verdict:
    """What verify found, and the status of the edition the PDF was checked against."""

    findings: list[Finding]
    status: str  # draft or final


@dataclass(frozen=True)
class Approved:
    """What the approved content of one edition prints: its layout, and a fresh build of it
    (the reference the visual witness compares a PDF with)."""

    layout: Layout
    reference: bytes
    region: str | None


def approved_print(content: Path, region: str | None = None) -> Approved:
    layout = lay_out_content(content, region)
    return Approved(layout, render(layout), region)


def verify_file(pdf: Path, content: Path, region: str | None = None, manifest: Path | None = None,
                diff_dir: Path | None = None) -> Verdict:
    """Check any PDF against the approved content (of one region's edition): the text,
    glyph and print-state witnesses, and the visual witness against a fresh build of
    that content (with `diff_dir`, PNGs of what differs). With a manifest, the PDF must
    also be byte for byte the file the build recorded. A PDF that fails, but prints another
    edition of the same content exactly, is named as that edition first."""
    verdict = verify_against(pdf, approved_print(content, region), manifest, diff_dir)
    # Another edition's PDF prints another slug (it names the region), and passes the print checks.
    another = any(f.story == "slug" for f in verdict.findings) and all(f.witness != "print" for f in verdict.findings)
    edition = _edition_printed(Path(pdf), content, region) if another else None
    if edition is not None:
        verdict.findings.insert(0, Finding(f"this PDF is edition '{edition}' of this content, not '{region}' — "
                                           f"verify it with --region {edition}", witness="text"))
    return verdict


def _edition_printed(pdf: Path, content: Path, region: str | None) -> str | None:
    """The other edition of the content whose text, glyphs and print state the PDF matches, if any."""
    leaflet = load_leaflet(Path(content))
    data = read_pdf_file(pdf)
    for code in leaflet.regions:
        try:
            if code != region and not prove(data, lay_out_content(content, code, leaflet=leaflet), exact=False):
                return code
        except LeafletError:  # an edition that does not build is not the one printed
            continue
    return None


def verify_against(pdf: Path, approved: Approved, manifest: Path | None = None,
                   diff_dir: Path | None = None) -> Verdict:
    """verify_file, with the approved print already made (one content, many PDFs)."""
    from .proof.manifest import manifest_findings
    from .proof.visual import visual_findings  # verify's alone: a build need not load it (Pillow's drawing)

    layout = approved.layout
    data = read_pdf_file(Path(pdf))
    findings = prove(data, layout, exact=False)
    findings += visual_findings(data, approved.reference, layout, diff_dir, Path(pdf).stem)
    if manifest is not None:
        findings += manifest_findings(data, Path(manifest), Path(pdf).name, approved.region, layout.edition.status)
    return Verdict(findings, layout.edition.status)


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
    approval: dict[str, Any] | None = None  # the approval record the edition matches, for the manifest

    @property
    def ok(self) -> bool:
        return not self.problems


def _build_one(content: Path, out_dir: Path, region: str | None, final: bool, proof: bool,
               leaflet: Leaflet, font_jobs: int) -> tuple[Outcome, bytes | None]:
    """One edition and its PDF, never raising: a batch goes on when one edition fails."""
    try:
        result, data = render_edition(content, out_dir, region, final, leaflet, proof, font_jobs)
    except LeafletError as exc:
        return Outcome(region, problems=tuple(f"{p.kind}: {p}" for p in individual(exc))), None
    fonts = tuple(sorted({(f.source.path.name, f.sha256) for f in result.fonts.faces.values()}))
    outcome = Outcome(region, result.pdf.name, result.sha256, result.pages, "proof" if proof else result.edition.status,
                      result.edition.fingerprint(), fonts, approval=_approval_entry(result.edition))
    return outcome, data


def build_editions(content: Path, out_dir: Path, regions: list[str] | None = None, jobs: int | None = None,
                   final: bool = False, progress: Callable[[Outcome], None] | None = None,
                   leaflet: Leaflet | None = None, proof: bool = False, wait: bool = True,
                   on_wait: Callable[[], None] | None = None) -> list[Outcome]:
    """Build the named regions (default: all; each once) in parallel, then publish
    their PDFs and the manifest together (see output.Publication): an interrupted
    or concurrent build never leaves a manifest that disagrees with the PDFs.
    The content is loaded once, here, and inherited by every worker."""
    leaflet = leaflet or load_leaflet(Path(content))
    codes: list[str | None] = [*dict.fromkeys(regions or leaflet.regions)] or [None]
    for code in codes:
        region_of(leaflet, code)  # an unknown region code is a usage problem: refuse before building
    cores = jobs or os.cpu_count() or 1
    jobs = max(1, min(cores, len(codes)))
    font_jobs = cores if len(codes) == 1 else 1  # with one edition, its faces can use the cores instead
    with Publication(Path(out_dir), wait, on_wait) as publication:
        task = functools.partial(_build_one, content, Path(out_dir), final=final, proof=proof, leaflet=leaflet,
                                 font_jobs=font_jobs)
        built: dict[str | None, Outcome] = {}
        with contextlib.closing(workers.run(task, codes, jobs, _died)) as results:
            for outcome, data in results:
                built[outcome.region] = outcome
                if data is not None:
                    assert outcome.file is not None  # a built edition is named
                    publication.stage(outcome.file, data)
                if progress:
                    progress(outcome)
        outcomes = [built[code] for code in codes]
        manifest = PROOF_MANIFEST if proof else MANIFEST
        publication.stage(manifest, manifest_bytes(leaflet, outcomes))
        publication.publish(last=manifest)
    return outcomes


def _died(region: str | None, how: str) -> tuple[Outcome, None]:
    name = f"'{region}'" if region else "the edition"
    return Outcome(region, problems=(f"output error: the worker building {name} {how}; rebuild",)), None


def _approval_entry(edition: Edition) -> dict[str, Any] | None:
    record = edition.approval
    if record is None:
        return None
    return {"reference": record.reference, "approved_by": record.approved_by, "date": record.date.isoformat(),
            "sha256": record.sha256, "snapshot": record.snapshot}


def library_versions(names: tuple[str, ...]) -> dict[str, str]:
    """The installed version of each distribution, read from its .dist-info folder's name, as
    importlib.metadata would find it (first on sys.path) but without its 30 ms import on every build."""
    wanted = {re.sub(r"[-_.]+", "_", name).lower(): name for name in names}
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            listing = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in listing:
            stem, dot, suffix = folder.rpartition(".")
            name, _, version = stem.partition("-")
            key = re.sub(r"[-_.]+", "_", name).lower()
            if suffix == "dist-info" and key in wanted and wanted[key] not in found:
                found[wanted[key]] = version
    missing = [name for name in names if name not in found]
    if missing:  # installed some other way (an egg, a zip): ask the slow, general lookup
        import importlib.metadata
        found.update((name, importlib.metadata.version(name)) for name in missing)
    return {name: found[name] for name in names}


def manifest_bytes(leaflet: Leaflet, outcomes: list[Outcome]) -> bytes:
    """What went in and what came out, reproducibly: no clock time anywhere."""
    fonts = dict(sorted({name: digest for o in outcomes for name, digest in o.fonts}.items()))
    manifest = {
        "tool": f"leaflet {__version__}",
        "leaflet": leaflet.name,
        "version": leaflet.approval.version,
        "date_of_preparation": leaflet.approval.date_of_preparation.isoformat(),
        "fonts": fonts,
        "libraries": library_versions(OUTPUT_LIBRARIES),
        "editions": [
            {"region": o.region, "file": o.file, "sha256": o.sha256, "pages": o.pages, "status": o.status,
             "content_sha256": o.content_sha256, **({"approval": o.approval} if o.approval else {})} if o.ok else
            {"region": o.region, "status": "failed", "problems": list(o.problems)}
            for o in outcomes
        ],
    }
    return (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode()
