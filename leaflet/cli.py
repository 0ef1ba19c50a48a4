"""Command line: parse options, run the pipeline, report. Nothing else."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .errors import LeafletError, individual
from .fonts import cache_dir, clear_cache
from .pipeline import build as build_pipeline
from .pipeline import check as check_pipeline
from .pipeline import verify_file

EXAMPLE = Path(__file__).resolve().parent.parent / "content" / "lumirix"

EXIT_PROBLEM = 1  # the content or the PDF has a problem the user must fix


def fail(error: LeafletError) -> None:
    """Print each problem on one line, as file:line: kind: message — fix, and exit."""
    for problem in individual(error):
        click.echo(f"leaflet: {problem.kind}: {problem}", err=True)
    sys.exit(EXIT_PROBLEM)


@click.group()
@click.version_option(__version__, prog_name="leaflet")
def main() -> None:
    """Build print-ready PDF leaflets from approved content, and prove what they say."""


@main.command()
@click.argument("content", required=False, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(path_type=Path),
              help="Folder the PDF is written to.")
def build(content: Path | None, out_dir: Path) -> None:
    """Build the print PDF of the leaflet in CONTENT (default: the shipped example)."""
    content = content or EXAMPLE
    try:
        result = build_pipeline(content, out_dir)
    except LeafletError as exc:
        fail(exc)
    total = sum(result.timings.values())
    click.echo(f"built {result.pdf} ({result.size / 1024:.0f} KB, 2 pages, verified) in {total:.2f} s")


@main.command()
@click.argument("content", type=click.Path(path_type=Path))
@click.option("--format", "style", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: one object for CI pipelines.")
def check(content: Path, style: str) -> None:
    """Preflight CONTENT: report every problem a build would reject, all at once. Writes nothing."""
    try:
        check_pipeline(content)
        problems: list[LeafletError] = []
    except LeafletError as exc:
        problems = individual(exc)
    if style == "json":
        click.echo(json.dumps({"content": str(content), "ok": not problems, "problems": [
            {"kind": p.kind, "file": str(p.where.file) if p.where else None,
             "line": p.where.line if p.where else None, "message": p.message, "fix": p.fix} for p in problems]},
            ensure_ascii=False, indent=2))
    else:
        for problem in problems:
            click.echo(f"{problem.kind}: {problem}")
        click.echo(f"{content}: {len(problems)} problem(s) found" if problems else f"{content}: no problems found")
    sys.exit(EXIT_PROBLEM if problems else 0)


@main.command()
@click.argument("pdf", type=click.Path(path_type=Path))
@click.option("--content", required=True, type=click.Path(path_type=Path),
              help="The approved content folder the PDF must match.")
def verify(pdf: Path, content: Path) -> None:
    """Prove that PDF (ours or anyone's) carries the approved text, references and print properties."""
    try:
        findings = verify_file(pdf, content)
    except LeafletError as exc:
        fail(exc)
    if findings:
        click.echo(f"{pdf}: FAILED — {len(findings)} difference(s) from the approved content in {content}:")
        for finding in findings:
            click.echo(f"  - {finding}")
        sys.exit(EXIT_PROBLEM)
    click.echo(f"{pdf}: OK — matches the approved content in {content}")


@main.group()
def cache() -> None:
    """The per-user cache of prepared (subset, converted) fonts."""


@cache.command()
def info() -> None:
    """Show where the font cache is and what it holds."""
    folder = cache_dir()
    entries = list(folder.glob("*.ttf")) if folder.is_dir() else []
    size = sum(e.stat().st_size for e in entries)
    click.echo(f"{folder}: {len(entries)} prepared fonts, {size / 1024:.0f} KB")


@cache.command()
def clear() -> None:
    """Delete every prepared font; the next build prepares them again."""
    click.echo(f"removed {clear_cache()} prepared fonts from {cache_dir()}")
