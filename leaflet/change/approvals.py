"""Approval records: who approved which words of an edition, when, under
which reference. `leaflet approve` appends one entry to approvals.yaml in the
content folder and stores the edition's snapshot beside it
(approvals/<edition>-<hash12>.json), so a later diff shows what changed since.

An entry is tied to a SHA-256 over the edition's resolved content (what
prints: see snapshot.py), the SHA-256 of every font file it is set in, and
the tool version: a change to any of them makes the edition "changed since
approval", and a final build refuses it, naming what changed. Entries are
appended, never rewritten; a snapshot that no longer has the hash its entry
records has been edited, and is refused.

Content without approvals.yaml keeps the old rule (`status: approved` in
leaflet.yaml, with every added wording marked approved), with a warning: that
line ties no approval to any words.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .. import __version__
from ..errors import ContentError, LeafletError, Location, OutputError, raise_all
from ..typeset.fonts import WEIGHTS, checked_sha256, source_for
from ..output import write_atomically
from ..content.model import Leaflet
from ..content.resolve import Edition, with_approvals
from ..content.sources import Document, read_yaml
from .snapshot import canonical, content_sha256, edition_name, snapshot

APPROVALS_FILE = "approvals.yaml"
SNAPSHOT_DIR = "approvals"
KEYS = ("edition", "approved_by", "date", "reference", "sha256", "content_sha256", "fonts", "tool", "snapshot")
HEADER = ("# Approval records, appended by `leaflet approve`. Do not edit or remove entries: each ties\n"
          "# one approval to the SHA-256 of the words, fonts and tool version it approved.\n")


@dataclass(frozen=True)
class Record:
    edition: str
    approved_by: str
    date: dt.date
    reference: str
    sha256: str  # over content_sha256, fonts and tool
    content_sha256: str
    fonts: dict[str, str]
    tool: str
    snapshot: str  # path inside the content folder
    where: Location

    def describe(self) -> str:
        return f"{self.reference}, approved by {self.approved_by} on {self.date.isoformat()}"


@dataclass(frozen=True)
class Seal:
    """What an approval of an edition is tied to, now."""

    content_sha256: str
    fonts: dict[str, str]
    tool: str

    @property
    def sha256(self) -> str:
        return approval_sha256(self.content_sha256, self.fonts, self.tool)


def approval_sha256(content: str, fonts: dict[str, str], tool: str) -> str:
    return hashlib.sha256(canonical({"content": content, "fonts": fonts, "tool": tool}).encode()).hexdigest()


def seal(edition: Edition, snap: dict[str, Any] | None = None) -> Seal:
    fonts = {}
    for language in edition.languages:
        for weight in WEIGHTS:
            source = source_for(edition, language, weight)
            fonts[_font_name(source.path, edition.leaflet.folder)] = checked_sha256(source)
    return Seal(content_sha256(snap or snapshot(edition)), dict(sorted(fonts.items())), f"leaflet {__version__}")


def _font_name(path: Path, folder: Path) -> str:
    try:
        return Path(path).relative_to(folder).as_posix()  # a theme's brand typeface
    except ValueError:
        return Path(path).name  # a pinned font


# --- reading ---------------------------------------------------------------------

def records(folder: Path) -> list[Record]:
    """Every entry of approvals.yaml, oldest first; [] when there is none."""
    path = Path(folder) / APPROVALS_FILE
    if not path.exists():
        return []
    doc = read_yaml(path)
    if not isinstance(doc.data, list):
        raise ContentError("approvals.yaml must be a list of approval entries", doc.at(()),
                           fix="restore it from version control; record approvals with `leaflet approve`")
    problems: list[LeafletError] = []
    found = []
    for i, entry in enumerate(doc.data):
        try:
            found.append(_record(doc, i, entry, Path(folder)))
        except LeafletError as exc:
            problems.append(exc)
    raise_all(problems)
    return found


def _record(doc: Document, index: int, entry: object, folder: Path) -> Record:
    where = doc.at((index,))
    fix = "restore approvals.yaml from version control; never edit entries by hand"
    if not isinstance(entry, dict) or set(entry) != set(KEYS):
        missing = sorted(set(KEYS) - set(entry)) if isinstance(entry, dict) else list(KEYS)
        extra = sorted(set(entry) - set(KEYS)) if isinstance(entry, dict) else []
        detail = "; ".join(filter(None, [f"missing {', '.join(missing)}" if missing else "",
                                         f"unknown {', '.join(extra)}" if extra else ""]))
        raise ContentError(f"approval entry {index + 1} is not a complete approval record ({detail})", where, fix=fix)
    date = entry["date"]
    if not isinstance(date, dt.date):
        raise ContentError(f"approval entry {index + 1}: the date must be written as YYYY-MM-DD", doc.at((index, "date")),
                           fix=fix)
    texts = [k for k in KEYS if k not in ("date", "fonts")]
    fonts = entry["fonts"]
    if not all(isinstance(entry[k], str) for k in texts) or not isinstance(fonts, dict) or not all(
            isinstance(v, str) for v in fonts.values()):
        raise ContentError(f"approval entry {index + 1} has a value of the wrong type", where, fix=fix)
    record = Record(**{k: entry[k] for k in texts}, date=date, fonts=dict(fonts), where=where)
    if approval_sha256(record.content_sha256, record.fonts, record.tool) != record.sha256:
        raise ContentError(f"approval entry {index + 1} ({record.reference}) has been edited: its sha256 is not the "
                           "hash of the content, fonts and tool it records", where, fix=fix)
    _check_snapshot(record, folder, fix)
    return record


def _check_snapshot(record: Record, folder: Path, fix: str) -> None:
    path = folder / record.snapshot
    try:
        snap = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ContentError(f"the snapshot of approval {record.reference} ({record.snapshot}) is missing or damaged",
                           record.where, fix="restore the approvals folder from version control") from None
    if content_sha256(snap) != record.content_sha256:
        raise ContentError(f"the snapshot {record.snapshot} is not the content approval {record.reference} "
                           "approved: it has been edited", record.where, fix=fix)


def load_snapshot(folder: Path, record: Record) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((Path(folder) / record.snapshot).read_text(encoding="utf-8"))
    return data


# --- the state of an edition ----------------------------------------------------------

@dataclass(frozen=True)
class State:
    edition: str
    state: str  # draft, approved, changed (since approval), legacy (status: approved, no record)
    record: Record | None  # the matching approval, or the latest one when changed
    seal: Seal
    snapshot: dict[str, Any]
    places: dict[str, Location]  # where the approval data, overlay and theme are set


def state_of(edition: Edition, folder: Path, found: list[Record] | None = None) -> State:
    name = edition_name(edition)
    mine = [r for r in (records(folder) if found is None else found) if r.edition == name]
    snap = snapshot(edition)
    now = seal(edition, snap)
    match = next((r for r in reversed(mine) if r.sha256 == now.sha256), None)
    leaflet = edition.leaflet
    main = Location(Path(folder) / "leaflet.yaml")
    places = {"approval": leaflet.approval.where, "overlay": edition.region.where if edition.region else main,
              "theme": main}
    if match:
        return State(name, "approved", match, now, snap, places)
    if mine:
        return State(name, "changed", mine[-1], now, snap, places)
    return State(name, "legacy" if edition.status == "final" else "draft", None, now, snap, places)


def under_approvals(edition: Edition, folder: Path) -> Edition:
    """The edition with its approval records: final when one matches its content now."""
    found = [r for r in records(folder) if r.edition == edition_name(edition)]
    if not found:
        return edition
    state = state_of(edition, folder, found)
    return with_approvals(edition, tuple(found), state.record if state.state == "approved" else None)


def changes_since(state: State, folder: Path) -> list[tuple[str, Location]]:
    """What changed since the latest approval, each with where to look: sentences
    (at their line), references, approval data, overlay, theme, fonts, tool."""
    from .diff import diff_snapshots, marked  # only when something changed: a build need not load it

    record = state.record
    assert record is not None  # a changed edition has an approval to compare with
    diff = diff_snapshots(load_snapshot(folder, record), state.snapshot, state.edition)
    found = [(f"story '{c.story}' ({c.language}): sentence {c.kind}{f' ({c.note})' if c.note else ''}: "
              f"“{marked(c.segments)}”",
              _location(folder, c.where if c.kind != "removed" else None, record)) for c in diff.sentences]
    refs = {r["id"]: r.get("where") for r in state.snapshot["references"]}
    found += [(f"reference '{r.id}' {r.kind}" + (f": number {r.old_number} → {r.new_number}"
                                                 if r.kind == "renumbered" else ""),
               _location(folder, refs.get(r.id), record)) for r in diff.references]
    found += [(f"{f.section} {f.name}: {f.old} → {f.new}", state.places[f.section]) for f in diff.fields]
    found += [(f"font {name} changed", record.where) for name in sorted(set(record.fonts) | set(state.seal.fonts))
              if record.fonts.get(name) != state.seal.fonts.get(name)]
    if record.tool != state.seal.tool:
        found.append((f"the tool changed: approved with {record.tool}, this is {state.seal.tool}", record.where))
    return found


def _location(folder: Path, where: str | None, record: Record) -> Location:
    if not where:
        return record.where
    file, _, line = where.rpartition(":")
    return Location(folder / file, int(line)) if line.isdigit() else Location(folder / where)


def refuse_unless_approved(edition: Edition, folder: Path) -> None:
    """A final build of an edition with approval records: refused unless one matches, naming what changed."""
    state = state_of(edition, folder, list(edition.records))
    if state.state == "approved":
        return
    record = state.record
    assert record is not None  # the edition has approval records, so one is the latest
    fix = "review it with `leaflet diff --approved`, then record a new approval with `leaflet approve`"
    problems = [OutputError(f"edition '{state.edition}' changed since approval {record.describe()}: {what}",
                            where, fix=fix) for what, where in changes_since(state, folder)]
    raise_all(problems or [OutputError(f"edition '{state.edition}' does not match approval {record.describe()}",
                                       record.where, fix=fix)])


# --- recording ---------------------------------------------------------------------

def approve(edition: Edition, folder: Path, by: str, reference: str, date: dt.date) -> Record:
    """Append an approval of `edition` to approvals.yaml and store its snapshot."""
    folder = Path(folder)
    for value, what in ((by, "--by"), (reference, "--reference")):
        if not value.strip() or "\n" in value or len(value) > 200:
            raise ContentError(f"{what} must be one line of text", Location(folder / APPROVALS_FILE),
                               fix=f"give {what} as a name or reference, e.g. MLR-2026-0142")
    existing = records(folder)
    snap = snapshot(edition)
    now = seal(edition, snap)
    name = edition_name(edition)
    relative = f"{SNAPSHOT_DIR}/{name}-{now.sha256[:12]}.json"
    target = folder / relative
    if not target.exists():
        target.parent.mkdir(exist_ok=True)
        write_atomically(target, (json.dumps(snap, ensure_ascii=False, indent=1) + "\n").encode())
    entry = {"edition": name, "approved_by": by.strip(), "date": date, "reference": reference.strip(),
             "sha256": now.sha256, "content_sha256": now.content_sha256, "fonts": now.fonts, "tool": now.tool,
             "snapshot": relative}
    _append(folder / APPROVALS_FILE, yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=1000),
            fresh=not existing)
    return records(folder)[-1]


def _append(path: Path, text: str, fresh: bool) -> None:
    """Append, never rewrite: earlier entries stay byte for byte as they were."""
    with open(path, "a", encoding="utf-8") as handle:
        if fresh and handle.tell() == 0:
            handle.write(HEADER)
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def approved_snapshots(folder: Path) -> dict[str, dict[str, Any]]:
    """The snapshot of each edition's latest approval."""
    latest = {record.edition: record for record in records(folder)}
    return {name: load_snapshot(folder, record) for name, record in latest.items()}


def legacy_warning(leaflet: Leaflet) -> str | None:
    """The old approval rule in use: `status: approved` in leaflet.yaml, and an edition without records."""
    if leaflet.approval.status != "approved":
        return None
    recorded = {record.edition for record in records(leaflet.folder)}
    bare = [name for name in list(leaflet.regions) or [leaflet.name] if name not in recorded]
    if not bare:
        return None
    return (f"{leaflet.approval.where}: 'status: approved' ties no approval to the words it approves "
            f"({', '.join(bare)} without an approval record); record each edition's approval with "
            "`leaflet approve CONTENT --region R --by NAME --reference REF` (README, Change control)")
