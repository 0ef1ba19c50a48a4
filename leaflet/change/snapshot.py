"""An edition's resolved text as a plain, stable structure: what a reviewer
approves and what a later diff compares. Built from the resolved Edition (the
master content with the region's overlay applied), so it holds exactly the
words that print, in reading order:

- per story and language, paragraphs split into sentences; a sentence is a
  list of parts, each a string or a citation {"cite": [ids], "n": "3"};
- the references with their numbers;
- the approval data (job code, version, date), the region's overlay (name,
  languages, agent, legal lines, regional wording, flows), the theme and
  format, and the files that print (figures, output profile) by SHA-256.

The approval status is left out on purpose: approving an edition must not
change what was approved. Source locations ("where") help a reviewer find a
sentence and are left out of the content hash, so moving a paragraph down a
line in its file is not a change.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ..content.scripts import is_cjk
from ..content.blocks import list_entries
from ..content.model import (CMYK, Callout, Citation, Figure, ItemList, Leaflet, Paragraph, Placeholder, QRCode, Span,
                              Subheading, Table)
from ..content.resolve import Edition, citation_label
from ..errors import Location

Part = str | dict[str, Any]  # a run of printed text, or a citation: {"cite": [ids], "n": its label}

FORMAT = 1
CJK_ENDS = "。！？"
LATIN_ENDS = ".!?"
NOT_HASHED = ("where", "edition", "added", "approved")  # locations, labels and marks that do not print
CLOSERS = "”’\"')）」』]"  # may follow a full stop within its sentence


def edition_name(edition: Edition) -> str:
    return edition.region.code if edition.region else edition.leaflet.name


def snapshot(edition: Edition) -> dict[str, Any]:
    """Everything the edition prints, as plain JSON-ready data."""
    leaflet = edition.leaflet
    numbers = {n.reference.id: n.number for n in edition.references}
    stories = [_story(leaflet, language, story_id, numbers) for (language, story_id) in edition.stories]
    stories.append({"id": "cover", "language": edition.furniture_language, "paragraphs": [
        _plain_paragraph(para.role, para.text, para.where, leaflet.folder) for para in edition.cover.paras]})
    return {
        "format": FORMAT,
        "leaflet": leaflet.name,
        "edition": edition_name(edition),
        "approval": {"job_code": leaflet.approval.job_code, "version": leaflet.approval.version,
                     "date_of_preparation": leaflet.approval.date_of_preparation.isoformat()},
        "overlay": _overlay(edition),
        "theme": _theme(edition),
        "stories": stories,
        "references": [{"number": n.number, "id": n.reference.id, "text": n.reference.text,
                        "where": _where(n.reference.where, leaflet.folder)} for n in edition.references],
    }


def content_sha256(snap: dict[str, Any]) -> str:
    """SHA-256 of what prints: the snapshot without source locations, labels and marks of added wording."""
    return hashlib.sha256(canonical(_located_free(snap)).encode()).hexdigest()


def canonical(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _located_free(data: object) -> object:
    if isinstance(data, dict):
        return {k: _located_free(v) for k, v in data.items() if k not in NOT_HASHED}
    if isinstance(data, list):
        return [_located_free(v) for v in data]
    return data


# --- text -------------------------------------------------------------------------

def _story(leaflet: Leaflet, language: str, story_id: str, numbers: dict[str, int]) -> dict[str, Any]:
    story = leaflet.stories[(language, story_id)]
    paragraphs = []
    if story.heading:
        paragraphs.append(_paragraph("heading", story.heading, numbers, leaflet.folder, bold=True))
    for block in story.blocks:
        if isinstance(block, ItemList):
            paragraphs += [_paragraph(entry.role, entry.paragraph, numbers, leaflet.folder)
                           for entry in list_entries(block)]
        elif isinstance(block, Subheading):
            paragraphs.append(_paragraph("subheading", block.paragraph, numbers, leaflet.folder, bold=True))
        elif isinstance(block, Callout):
            paragraphs += [_paragraph(f"callout ({block.style})", p, numbers, leaflet.folder) for p in block.paragraphs]
        elif isinstance(block, Figure):
            paragraphs.append({"role": "figure", "where": _where(block.where, leaflet.folder),
                               "sentences": [[f"[figure {_relative(block.file, leaflet.folder)}, "
                                              f"{block.width_mm:g} mm wide, sha256 {_file_sha256(block.file)[:12]}]"]]})
            if block.caption:
                paragraphs.append(_paragraph("caption", block.caption, numbers, leaflet.folder))
        elif isinstance(block, Table):
            paragraphs += [_paragraph("table-header", cell, numbers, leaflet.folder, bold=True)
                           for cell in block.header]
            paragraphs += [_paragraph("table-cell", cell, numbers, leaflet.folder)
                           for row in block.rows for cell in row.cells]
        elif isinstance(block, (QRCode, Placeholder)):
            paragraphs.append(_plain_paragraph("qr" if isinstance(block, QRCode) else "fpo", _block_text(block),
                                               block.where, leaflet.folder))
            if block.caption:
                paragraphs.append(_paragraph("caption", block.caption, numbers, leaflet.folder))
        else:
            paragraphs.append(_paragraph("body", block, numbers, leaflet.folder))
    return {"id": story_id, "language": language, "paragraphs": paragraphs}


def _block_text(block: QRCode | Placeholder) -> str:
    if isinstance(block, QRCode):
        return f"[QR code for {block.url}, {block.size_mm:g} mm]"
    return f"[{block.printed_label}: placeholder {block.width_mm:g} × {block.height_mm:g} mm]"


def _paragraph(role: str, paragraph: Paragraph, numbers: dict[str, int], folder: Path,
               bold: bool = False) -> dict[str, Any]:
    parts: list[Part] = []
    for inline in paragraph.inlines:
        if isinstance(inline, Span):
            text = f"**{inline.text}**" if inline.bold and not bold else inline.text
            if parts and isinstance(parts[-1], str):
                parts[-1] += text
            else:
                parts.append(text)
        elif isinstance(inline, Citation):
            known = [numbers[i] for i in inline.ref_ids if i in numbers]
            label = citation_label(known) if len(known) == len(inline.ref_ids) else "?"
            parts.append({"cite": list(inline.ref_ids), "n": label})
    entry = {"role": role, "where": _where(paragraph.where, folder), "sentences": sentences(parts)}
    if paragraph.added:
        entry["added"] = paragraph.added
        entry["approved"] = paragraph.approved
    return entry


def _plain_paragraph(role: str, text: str, where: Location | None, folder: Path) -> dict[str, Any]:
    return {"role": role, "where": _where(where, folder), "sentences": sentences([text])}


def sentences(parts: list[Part]) -> list[list[Part]]:
    """Split a paragraph's parts into sentences: after . ! ? followed by a space
    and a capital, digit or CJK character, or right after 。！？. Closing quotes
    and citations stay with the sentence they follow."""
    atoms = [a for part in parts for a in (part if isinstance(part, str) else [part])]
    out: list[list[Part]] = [[]]
    end = None  # "cjk" or "latin" just after a sentence's final stop
    for i, atom in enumerate(atoms):
        if isinstance(atom, str) and atom not in CLOSERS:
            if end == "cjk" and atom not in CJK_ENDS:
                out.append([])
            elif end == "latin" and atom.isspace() and _starts_sentence(atoms, i + 1):
                out.append([])
                end = None
                continue
            if atom not in LATIN_ENDS + CJK_ENDS:
                end = None  # "e.g. the", "15.5": the sentence goes on
        out[-1].append(atom)
        if isinstance(atom, str) and atom in LATIN_ENDS + CJK_ENDS:
            end = "cjk" if atom in CJK_ENDS else "latin"
    return [s for s in map(_joined, out) if s]


def _starts_sentence(atoms: list[Part], i: int) -> bool:
    char = next((a for a in atoms[i:] if not (isinstance(a, str) and a.isspace())), None)
    if not isinstance(char, str):  # nothing follows, or a citation does
        return False
    return char.isupper() or char.isdigit() or is_cjk(char) or char in "“‘\"("


def _joined(atoms: list[Part]) -> list[Part]:
    parts: list[Part] = []
    for atom in atoms:
        if isinstance(atom, str) and parts and isinstance(parts[-1], str):
            parts[-1] += atom
        else:
            parts.append(atom)
    if parts and isinstance(parts[-1], str):
        parts[-1] = parts[-1].rstrip()
    if parts and isinstance(parts[0], str):
        parts[0] = parts[0].lstrip()
    return [p for p in parts if p != ""]


def printed(sentence: list[Part]) -> str:
    """The sentence as it reads on paper, citation numbers in brackets: “…skin.[3]”."""
    return "".join(p if isinstance(p, str) else f"[{p['n']}]" for p in sentence)


def keyed(sentence: list[Part]) -> str:
    """The sentence by what it says and cites (reference ids, not numbers): renumbering is not a change of wording."""
    return "".join(p if isinstance(p, str) else f"[@{','.join(p['cite'])}]" for p in sentence)


# --- overlay, theme ----------------------------------------------------------------

def _overlay(edition: Edition) -> dict[str, Any]:
    leaflet, region = edition.leaflet, edition.region
    overlay = {
        "name": region.name if region else leaflet.title,
        "languages": [[lang.tag, lang.text] for lang in region.languages] if region else list(leaflet.languages),
        "agent": [line for agent in leaflet.agents for line in agent.lines],
        "legal": [line.text for line in leaflet.legal],
        "replacements": [{"language": r.language, "find": r.find, "replace": r.replace, "story": r.story,
                          "approved": r.approved} for r in region.replacements] if region else [],
        "flows": [f"{f.language}: {', '.join(f.stories)} → {', '.join(f.panels)}" for f in leaflet.flows],
        "back_stories": list(leaflet.back_stories),
    }
    return overlay


def _theme(edition: Edition) -> dict[str, Any]:
    leaflet = edition.leaflet
    theme, output = leaflet.theme, leaflet.output
    colours = {name: _percent(c) + ([theme.spots[c]] if c in theme.spots else [])
               for name, c in sorted(theme.colours.items())}
    return {
        "format": {k: list(v) if isinstance(v, tuple) else v for k, v in leaflet.format.printed().items()},
        "colours": colours,
        "sizes": {"body_pt": theme.body_size, "leading_pt": theme.body_leading, "heading_pt": theme.heading_size,
                  "reference_pt": theme.reference_size},
        "fonts": {lang: [_relative(f.regular, leaflet.folder), _relative(f.bold, leaflet.folder), f.index]
                  for lang, f in sorted(theme.fonts.items())},
        "output_intent": [output.condition, _file_sha256(output.path)[:12]] if output else "default",
    }


def _percent(cmyk: CMYK) -> list[float]:
    return [round(v * 100, 2) for v in cmyk]


# --- helpers -----------------------------------------------------------------------

def _where(where: Location | None, folder: Path) -> str | None:
    if where is None:
        return None
    name = _relative(where.file, folder)
    return f"{name}:{where.line}" if where.line else name


def _relative(path: Path, folder: Path) -> str:
    try:
        return Path(path).relative_to(folder).as_posix()
    except ValueError:
        return Path(path).name


def _file_sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()



def folder_snapshots(folder: Path, regions: tuple[str, ...] = ()) -> dict[str, dict[str, Any]]:
    """The snapshot of every edition (or the named ones) of a content folder."""
    # Imported here: the pipeline itself reads approvals, which use this module.
    from ..content.load import load_leaflet
    from ..pipeline import region_of
    from ..content.resolve import resolve

    leaflet = load_leaflet(Path(folder))
    codes: list[str | None] = [*regions] or [*leaflet.regions] or [None]
    editions = [resolve(leaflet, region_of(leaflet, code)) for code in codes]
    return {edition_name(e): snapshot(e) for e in editions}
