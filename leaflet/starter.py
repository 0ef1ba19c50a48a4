"""`leaflet new`: a content folder to start from, copied from one of the shipped examples.

The copy is made in a hidden folder inside the target and moved into place, and undone if
anything fails, so a failed copy leaves no half-made leaflet; a folder with anything in it
is never touched. Approval records are not copied: an approval signs off one leaflet,
never a copy of it."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .change.approvals import APPROVALS_FILE, SNAPSHOT_DIR
from .content.catalogue import EXAMPLES_DIR
from .content.preflight import leaflet_name
from .errors import ContentError, Location, OutputError

_NOT_COPIED = {APPROVALS_FILE, SNAPSHOT_DIR}


def new_leaflet(target: Path, example: str) -> list[Path]:
    """Write the shipped example `example` as a new content folder at `target`; the files written."""
    target = Path(target)
    _refuse_unless_free(target)
    try:
        leaflet_name(target)
    except ContentError as exc:
        raise ContentError(exc.message, exc.where, fix="give `leaflet new` a name such as my-leaflet") from None
    source = EXAMPLES_DIR / example
    files = _example_files(source)
    created = not target.exists()
    try:
        target.mkdir(parents=True, exist_ok=True)
        # Inside the target, not beside it: `leaflet new .` in an empty folder fills that folder.
        staging = Path(tempfile.mkdtemp(prefix=".new-", dir=target))
        for relative in files:
            (staging / relative).parent.mkdir(parents=True, exist_ok=True)
            # Bytes only: an installed example may be read-only, the user's copy must not be.
            (staging / relative).write_bytes((source / relative).read_bytes())
        for entry in sorted(os.listdir(staging)):
            os.rename(staging / entry, target / entry)
        staging.rmdir()
    except OSError as exc:
        _undo(target, created)
        raise OutputError(f"cannot write the new leaflet ({exc.strerror})", Location(target)) from None
    return [target / relative for relative in files]


def _undo(target: Path, created: bool) -> None:
    """The target as it was before: empty, or not there at all."""
    for entry in target.iterdir() if target.is_dir() else ():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
    if created and target.is_dir():
        target.rmdir()


def _refuse_unless_free(target: Path) -> None:
    if target.is_dir() and any(target.iterdir()):
        raise OutputError("this folder already exists and is not empty; `leaflet new` never overwrites content",
                          Location(target), fix="choose a new folder name, or remove this folder first")
    if target.exists() and not target.is_dir():
        raise OutputError("a file of this name already exists", Location(target), fix="choose a new folder name")


def _example_files(folder: Path) -> list[Path]:
    """The example's files, relative to it: no approval records, nothing hidden."""
    return sorted(path.relative_to(folder) for path in folder.rglob("*")
                  if path.is_file() and not _skipped(path.relative_to(folder)))


def _skipped(relative: Path) -> bool:
    return relative.parts[0] in _NOT_COPIED or any(part.startswith(".") for part in relative.parts)
