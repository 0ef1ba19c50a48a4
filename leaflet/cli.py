"""Command line: parse options, run the pipeline, report. Nothing else."""
from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from . import __version__
from .errors import ContentError, LeafletError, Location, individual

if TYPE_CHECKING:  # the stages load inside the commands that run them (see `leaflet --version`)
    import datetime as dt

    from .content.model import Leaflet
    from .diagnostics import Diagnostic
    from .pipeline import Outcome

Snapshots = dict[str, dict[str, Any]]  # edition name -> what it prints (change.snapshot)

# The stages (fontTools, ReportLab, pypdf, Pillow, pypdfium2) are imported inside the commands that run
# them, so `leaflet --version` and every `--help` start in a few tens of milliseconds.

EXIT_PROBLEM = 1  # the content or the PDF has a problem the user must fix
STARTERS = ("minimal", "lumirix")  # the shipped examples `leaflet new` copies (content/ in the repository)


def fail(error: LeafletError) -> NoReturn:
    """Print each problem on one line, as file:line: kind: message — fix, and exit."""
    for problem in individual(error):
        click.echo(f"leaflet: {problem.kind}: {problem}", err=True)
    sys.exit(EXIT_PROBLEM)


@click.group()
@click.version_option(__version__, prog_name="leaflet")
def main() -> None:
    """Build print-ready PDF leaflets from approved content, and prove what they say."""
    _printable_streams()


def run() -> NoReturn:
    """The `leaflet` command. Once a command has finished and its output is flushed, the
    process leaves without Python's teardown, which frees every object of a build one by
    one (about a tenth of a warm build). Nothing is lost by it: every file the tool writes
    is closed and renamed into place inside the command, and its workers are joined."""
    try:
        main()
        code: object = 0  # not reached: Click's main always exits
    except SystemExit as done:
        code = done.code
    if isinstance(code, str):  # sys.exit("message"), as Python itself would print it
        print(code, file=sys.stderr)
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a reader that went away (`leaflet check … | head`): nothing left to tell
        pass
    os._exit(code if isinstance(code, int) else 0 if code is None else 1)


def _printable_streams() -> None:
    """A path with a byte that is not UTF-8 (a folder named b'lum\\xffirix') prints as '?'
    in every message instead of stopping the command with a UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")


@main.command()
@click.argument("content", required=False, type=click.Path(path_type=Path))
@click.option("--region", "regions", multiple=True, metavar="CODE",
              help="Build only this regional edition (repeatable). Default: every region.")
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(path_type=Path),
              help="Folder the PDFs and manifest.json are written to.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Editions built at once. Default: the number of cores.")
@click.option("--final", is_flag=True, help="Refuse any edition whose content is not fully approved.")
@click.option("--proof", is_flag=True, help="An RGB screen proof for review (…-proof.pdf), not the print file.")
@click.option("--no-wait", is_flag=True, help="Fail at once if another build is writing into the same --out.")
def build(content: Path | None, regions: tuple[str, ...], out_dir: Path, jobs: int | None, final: bool,
          proof: bool, no_wait: bool) -> None:
    """Build the print PDF of every edition of CONTENT (default, in a checkout: content/lumirix)."""
    from .content.load import load_leaflet
    from .pipeline import MANIFEST, PROOF_MANIFEST, build_editions

    content = content or _default_content()
    start = time.perf_counter()
    try:
        with _sigterm_interrupts():
            leaflet = load_leaflet(content)
            _legacy_approval_warning(leaflet)
            with _progress(len(set(regions)) or max(1, len(leaflet.regions))) as report:
                outcomes = build_editions(content, out_dir, list(regions) or None, jobs, final, report, leaflet,
                                          proof, wait=not no_wait, on_wait=functools.partial(_waiting, out_dir))
    except LeafletError as exc:
        fail(exc)
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM (see _sigterm_interrupts)
        signum = getattr(exc, "signum", signal.SIGINT)
        click.echo(f"leaflet: interrupted by {signal.Signals(signum).name}; {out_dir} holds the last build "
                   "that finished, complete", err=True)
        sys.exit(128 + signum)
    shared: dict[str, list[str]] = {}  # a problem in master content fails every edition using it: say it once
    for outcome in outcomes:
        name = outcome.region or "edition"
        if outcome.ok:
            assert outcome.file is not None  # a built edition is named
            click.echo(f"built {name}: {out_dir / outcome.file} ({outcome.status}, {outcome.pages} pages, verified)")
        for problem in outcome.problems:
            shared.setdefault(problem, []).append(name)
    for problem, names in shared.items():
        click.echo(f"FAILED {', '.join(names)}: {problem}", err=True)
    failed = [o.region or "edition" for o in outcomes if not o.ok]
    summary = f"{len(outcomes) - len(failed)} of {len(outcomes)} editions built in {time.perf_counter() - start:.1f} s"
    manifest = out_dir / (PROOF_MANIFEST if proof else MANIFEST)
    click.echo(f"{summary}; manifest {manifest}" + (f"; failed: {', '.join(failed)}" if failed else ""))
    sys.exit(EXIT_PROBLEM if failed else 0)


def _default_content() -> Path:
    """A checkout builds its example; an installed tool has no content of its own to build."""
    from .content.catalogue import EXAMPLES_DIR, INSTALLED

    if INSTALLED:
        raise click.UsageError("give the leaflet's content folder (leaflet build my-leaflet), "
                               "or start one with `leaflet new my-leaflet`")
    return EXAMPLES_DIR / "lumirix"


def _legacy_approval_warning(leaflet: Leaflet) -> None:
    from .change.approvals import legacy_warning

    warning = legacy_warning(leaflet)
    if warning:
        click.echo(f"leaflet: warning: {warning}", err=True)


def _waiting(out_dir: Path) -> None:
    click.echo(f"waiting for another build into {out_dir} to finish…", err=True)


class Interrupted(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: workers stopped, nothing half-published."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """While building, SIGTERM raises Interrupted, so the build is undone like on Ctrl-C."""
    def interrupt(signum: int, frame: object) -> NoReturn:
        raise Interrupted(signum)

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _progress(count: int) -> Iterator[Callable[[Outcome], None]]:
    """A progress bar on a terminal; plain lines otherwise (CI logs)."""
    if sys.stdout.isatty() and count > 1:
        with click.progressbar(length=count, label="building editions") as bar:
            yield lambda outcome: bar.update(1)
    else:
        yield lambda outcome: click.echo(f"{'done' if outcome.ok else 'failed'}: {outcome.region or 'edition'}")


@main.command("new")
@click.argument("name", type=click.Path(path_type=Path))
@click.option("--example", type=click.Choice(STARTERS), default="minimal", show_default=True,
              help="minimal: a one-language starter in placeholder wording; lumirix: the full bilingual example.")
def new_command(name: Path, example: str) -> None:
    """Start a leaflet: write a commented content folder at NAME, ready to build and verify."""
    from .starter import new_leaflet

    try:
        files = new_leaflet(name, example)
    except LeafletError as exc:
        fail(exc)
    click.echo(f"wrote {len(files)} files in {name}/ (from the example '{example}')")
    click.echo(f"next: edit the YAML files, then `leaflet check {name}` and `leaflet build {name} --out out`")


@main.command()
@click.argument("content", type=click.Path(path_type=Path))
@click.option("--format", "style", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: one object for CI pipelines.")
@click.option("--strict", is_flag=True, help="Treat layout warnings (fill, orphans, widows, runts) as errors.")
def check(content: Path, style: str, strict: bool) -> None:
    """Preflight CONTENT: report every problem a build would reject, all at once, and the
    layout warnings. Writes nothing."""
    from .pipeline import check as check_pipeline

    found = check_pipeline(content)
    problems = [d for d in found if d.severity == "error" or strict]
    warnings = [d for d in found if d not in problems]
    if style == "json":
        def entry(d: Diagnostic) -> dict[str, Any]:
            return {"kind": d.kind, "file": str(d.location.file) if d.location else None,
                    "line": d.location.line if d.location else None, "message": d.message, "fix": d.hint}
        click.echo(json.dumps({"content": str(content), "ok": not problems,
                               "problems": [entry(d) for d in problems], "warnings": [entry(d) for d in warnings]},
                              ensure_ascii=False, indent=2))
    else:
        for diagnostic in problems + warnings:
            click.echo(f"{diagnostic.kind if diagnostic in problems else 'warning'}: {diagnostic}")
        summary = f"{len(problems)} problem(s) found" if problems else "no problems found"
        click.echo(f"{content}: {summary}" + (f", {len(warnings)} warning(s)" if warnings else ""))
    sys.exit(EXIT_PROBLEM if problems else 0)


@main.command()
@click.argument("pdf", type=click.Path(path_type=Path))
@click.option("--content", required=True, type=click.Path(path_type=Path),
              help="The approved content folder the PDF must match.")
@click.option("--region", default=None, metavar="CODE", help="The regional edition the PDF should be.")
@click.option("--manifest", type=click.Path(path_type=Path), default=None,
              help="The build's manifest.json: the PDF must be byte for byte the file it records.")
@click.option("--diff-dir", type=click.Path(path_type=Path), default=None,
              help="Write PNGs of each page that prints differently, the changes boxed in red.")
def verify(pdf: Path, content: Path, region: str | None, manifest: Path | None, diff_dir: Path | None) -> None:
    """Prove that PDF (ours or anyone's) prints the approved content and has the print properties."""
    from .pipeline import verify_file

    try:
        verdict = verify_file(pdf, content, region, manifest, diff_dir)
    except LeafletError as exc:
        fail(exc)
    draft = verdict.status != "final"
    against = f"the DRAFT content in {content}" if draft else f"the approved content in {content}"
    if verdict.findings:
        click.echo(f"{pdf}: FAILED — {len(verdict.findings)} difference(s) from {against}:")
        for finding in verdict.findings:
            click.echo(f"  - {finding}")
        sys.exit(EXIT_PROBLEM)
    if draft:
        click.echo(f"{pdf}: OK — matches {against} (a draft: not approved for print)")
    else:
        click.echo(f"{pdf}: OK — matches {against}: final, approved for print")


@main.command("preview")
@click.argument("pdf", type=click.Path(path_type=Path))
@click.option("--dpi", type=click.IntRange(20, 600), default=100, show_default=True, help="Resolution of the PNGs.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Folder for the PNGs (default: the PDF's folder).")
def preview_command(pdf: Path, dpi: int, out_dir: Path | None) -> None:
    """PNG of each page of PDF, and a contact sheet of the pages side by side."""
    from .pdf.preview import preview

    try:
        for path in preview(pdf, out_dir, dpi):
            click.echo(f"wrote {path}")
    except LeafletError as exc:
        fail(exc)


@main.command("watch")
@click.argument("content", type=click.Path(path_type=Path))
@click.option("--region", default=None, metavar="CODE", help="The regional edition to proof.")
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(path_type=Path),
              help="Folder the screen proof and its preview PNGs are written to.")
def watch_command(content: Path, region: str | None, out_dir: Path) -> None:
    """Rebuild the screen proof of one edition of CONTENT, and its previews, on every save. Ctrl-C stops."""
    from .watch import Proofing, watch

    if not content.is_dir():
        fail(ContentError("the content folder does not exist", Location(content),
                          fix="give the path of a leaflet folder, e.g. content/lumirix"))
    click.echo(f"watching {content} (edition {region or 'of a leaflet without regions'}); proofs into {out_dir}; "
               "Ctrl-C stops")
    try:
        with _sigterm_interrupts():
            watch(Proofing(content, region, out_dir), click.echo)
    except KeyboardInterrupt as exc:
        signum = getattr(exc, "signum", signal.SIGINT)
        click.echo(f"stopped watching ({signal.Signals(signum).name}); every file in {out_dir} is complete")
        sys.exit(128 + signum)


@main.group()
def cache() -> None:
    """The per-user cache of prepared (subset, converted) fonts and parsed hyphenation patterns."""


@cache.command()
def info() -> None:
    """Show where the cache is and what it holds."""
    from .typeset.cache import KINDS, cache_dir, cache_entries

    entries = cache_entries()
    size = sum(e.stat().st_size for e in entries)
    counts = {suffix: sum(e.suffix == suffix for e in entries) for suffix in KINDS}
    kinds = ", ".join(f"{n} {KINDS[suffix][n != 1]}" for suffix, n in counts.items())
    click.echo(f"{cache_dir()}: {kinds}, {size / 1024:.0f} KB")


@cache.command()
def clear() -> None:
    """Delete every cache entry; the next build prepares them again."""
    from .typeset.cache import cache_dir, clear_cache

    click.echo(f"removed {clear_cache()} cache entries from {cache_dir()}")


# --- change control: diff, compare, approve, status ---------------------------------

@main.command("diff")
@click.argument("folders", nargs=-1, type=click.Path(path_type=Path))
@click.option("--from", "rev_from", metavar="REV", help="Git revision of CONTENT to compare from (e.g. v1.0).")
@click.option("--to", "rev_to", metavar="REV", help="Git revision to compare to. Default: the folder as it is now.")
@click.option("--approved", is_flag=True, help="Compare each edition's latest recorded approval with CONTENT now.")
@click.option("--region", "regions", multiple=True, metavar="CODE", help="Only this edition (repeatable).")
@click.option("--format", "style", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--html", "html_file", type=click.Path(path_type=Path), default=None,
              help="Also write a self-contained redline page a reviewer opens in a browser.")
def diff_command(folders: tuple[Path, ...], rev_from: str | None, rev_to: str | None, approved: bool,
                 regions: tuple[str, ...], style: str, html_file: Path | None) -> None:
    """What changed, edition by edition: OLD NEW (two content folders), --from REV [--to REV] CONTENT
    (git revisions of one folder, read without checking anything out), or --approved CONTENT."""
    from .change import diff as changes
    from .output import write_atomically

    try:
        old, new, old_label, new_label = _diff_sources(folders, rev_from, rev_to, approved, regions)
    except LeafletError as exc:
        fail(exc)
    diffs = changes.diff_editions(old, new)
    if html_file is not None:
        write_atomically(html_file, changes.redline(diffs, old_label, new_label).encode())
    if style == "json":
        click.echo(json.dumps(changes.as_json(diffs, old_label, new_label), ensure_ascii=False, indent=2))
    else:
        click.echo(changes.terminal(diffs, old_label, new_label, colour=sys.stdout.isatty()))
        if html_file is not None:
            click.echo(f"redline written to {html_file}")


def _diff_sources(folders: tuple[Path, ...], rev_from: str | None, rev_to: str | None, approved: bool,
                  regions: tuple[str, ...]) -> tuple[Snapshots, Snapshots, str, str]:
    """The two sets of edition snapshots to compare, and what to call them."""
    from .change.approvals import approved_snapshots
    from .change.gitrev import folder_at
    from .change.snapshot import folder_snapshots

    if rev_to and not rev_from:
        raise click.UsageError("--to needs --from")
    if approved or rev_from:
        if len(folders) != 1:
            raise click.UsageError("give one CONTENT folder with --from or --approved")
        if approved and rev_from:
            raise click.UsageError("use either --approved or --from, not both")
        folder = folders[0]
        if approved:
            new = folder_snapshots(folder, regions)
            old = {name: snap for name, snap in approved_snapshots(folder).items() if name in new}
            if not old:
                raise ContentError("no approval of these editions is recorded", Location(folder / "approvals.yaml"),
                                   fix="record one with `leaflet approve`, or compare with --from REV")
            return old, {name: snap for name, snap in new.items() if name in old}, "the approved version", str(folder)
        assert rev_from  # not --approved, so --from was given
        with folder_at(rev_from, folder) as old_folder:
            old = folder_snapshots(old_folder, regions)
        if rev_to:
            with folder_at(rev_to, folder) as new_folder:
                new = folder_snapshots(new_folder, regions)
        return old, new if rev_to else folder_snapshots(folder, regions), rev_from, rev_to or f"{folder} (now)"
    if len(folders) != 2:
        raise click.UsageError("give OLD and NEW content folders, or one folder with --from REV or --approved")
    return (folder_snapshots(folders[0], regions), folder_snapshots(folders[1], regions), str(folders[0]),
            str(folders[1]))


@main.command("compare")
@click.argument("first", type=click.Path(path_type=Path))
@click.argument("second", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Write an overlay PNG of each page that prints differently, the changes boxed.")
def compare_command(first: Path, second: Path, out_dir: Path | None) -> None:
    """Text and visual differences of two print files, page by page and panel by panel. Exit 1 when they differ."""
    from .change.compare import compare_pdfs
    from .proof.reading import read_pdf_file

    try:
        findings = compare_pdfs(read_pdf_file(first), read_pdf_file(second), out_dir, Path(second).stem,
                                (first.name, second.name))
    except LeafletError as exc:
        fail(exc)
    if not findings:
        click.echo(f"{first} and {second}: the same — every page prints the same text and looks the same")
        return
    click.echo(f"{first} and {second}: DIFFERENT — {len(findings)} difference(s):")
    for finding in findings:
        click.echo(f"  - {finding}")
    sys.exit(EXIT_PROBLEM)


@main.command("approve")
@click.argument("content", type=click.Path(path_type=Path))
@click.option("--region", default=None, metavar="CODE", help="The regional edition approved.")
@click.option("--by", "by", required=True, metavar="NAME", help="Who approved it.")
@click.option("--reference", required=True, metavar="REF", help="The approval's reference, e.g. MLR-2026-0142.")
@click.option("--date", "date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date of the approval, YYYY-MM-DD. Default: today.")
def approve_command(content: Path, region: str | None, by: str, reference: str, date: dt.datetime | None) -> None:
    """Record an approval of one edition of CONTENT: an entry in approvals.yaml and a snapshot of its text."""
    import datetime as dt

    from .change.approvals import approve
    from .pipeline import lay_out_content

    try:
        edition = lay_out_content(content, region).edition  # only content that builds can be approved
        record = approve(edition, content, by, reference, date.date() if date else dt.date.today())
    except LeafletError as exc:
        fail(exc)
    click.echo(f"recorded approval {record.describe()} of edition '{record.edition}' "
               f"(sha256 {record.sha256[:16]}…) in {content / 'approvals.yaml'}; snapshot {content / record.snapshot}")
    if edition.unapproved:
        click.echo(f"  this approval covers {len(edition.unapproved)} paragraph(s) of added wording "
                   "(translation, completion or regional wording) that the content marks as new")


@main.command("status")
@click.argument("content", type=click.Path(path_type=Path))
@click.option("--format", "style", type=click.Choice(["text", "json"]), default="text", show_default=True)
def status_command(content: Path, style: str) -> None:
    """Each edition of CONTENT: draft, approved, or changed since approval (and what changed)."""
    from .change.approvals import changes_since, records, state_of
    from .content.load import load_leaflet
    from .content.resolve import resolve
    from .pipeline import region_of

    try:
        leaflet = load_leaflet(content)
        found = records(content)
        codes: list[str | None] = [*leaflet.regions] or [None]
        states = [state_of(resolve(leaflet, region_of(leaflet, code)), content, found) for code in codes]
        changed = {s.edition: changes_since(s, content) for s in states if s.state == "changed"}
    except LeafletError as exc:
        fail(exc)
    if style == "json":
        click.echo(json.dumps([{"edition": s.edition, "state": s.state, "sha256": s.seal.sha256,
                                "approval": {"reference": s.record.reference, "approved_by": s.record.approved_by,
                                             "date": s.record.date.isoformat()} if s.record else None,
                                "changes": [what for what, _ in changed.get(s.edition, [])]} for s in states],
                              ensure_ascii=False, indent=2))
        return
    for s in states:
        approval = s.record.describe() if s.record else ""  # approved and changed editions have a record
        if s.state == "approved":
            click.echo(f"{s.edition}: approved — {approval}")
        elif s.state == "changed":
            click.echo(f"{s.edition}: CHANGED since approval {approval}:")
            for what, where in changed[s.edition]:
                click.echo(f"    {where}: {what}")
        elif s.state == "legacy":
            click.echo(f"{s.edition}: approved by 'status: approved' in leaflet.yaml (no approval record)")
        else:
            click.echo(f"{s.edition}: draft — no approval recorded")
    _legacy_approval_warning(leaflet)


@main.command("schema")
@click.option("--file", "kind", type=click.Choice(("leaflet", "text", "references", "region")), default="leaflet",
              show_default=True,
              help="Which content file: leaflet.yaml, text/<language>.yaml, references.yaml or regions/<code>.yaml.")
@click.option("--format", "style", type=click.Choice(["json", "markdown"]), default="json", show_default=True,
              help="json: the file's JSON Schema (draft 2020-12), for editors; markdown: the content reference "
                   "of every file (docs/content.md).")
def schema_command(kind: str, style: str) -> None:
    """Print the JSON Schema of a content file, or the content reference."""
    from .content.guide import reference_markdown
    from .content.schema import schema_json

    click.echo(schema_json(kind) if style == "json" else reference_markdown(), nl=False)
