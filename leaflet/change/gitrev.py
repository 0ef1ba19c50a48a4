"""A content folder as it was at a git revision, read with `git archive` into a
temporary folder: the user's working tree and index are never touched, so a
diff against an old revision cannot overwrite files being edited."""
from __future__ import annotations

import contextlib
import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import ContentError, Location


@contextlib.contextmanager
def folder_at(revision: str, folder: Path) -> Iterator[Path]:
    """Yield a temporary copy of `folder` at `revision`, under its own name (the
    leaflet's name is its folder's name); removed afterwards."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ContentError("the content folder does not exist", Location(folder),
                           fix="give the path of a leaflet folder inside a git repository")
    root = Path(_git(folder, folder, "rev-parse", "--show-toplevel").strip())
    inside = folder.resolve().relative_to(root.resolve()).as_posix()
    commit = _git(folder, folder, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}",
                  what=f"there is no revision '{revision}' in this repository",
                  fix="name a commit, tag or branch, e.g. v1.0 or HEAD~1 (see `git log`)").strip()
    archive = _git_bytes(folder, root, "archive", "--format=tar", commit, "--", inside or ".",
                         what=f"the folder {inside} does not exist at revision '{revision}'",
                         fix="name a revision that has this content folder")
    with tempfile.TemporaryDirectory(prefix="leaflet-rev-") as temp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(temp, filter="data")  # refuses links and paths that leave the folder
        yield Path(temp) / inside


def _git(folder: Path, cwd: Path, *args: str, what: str | None = None, fix: str | None = None) -> str:
    return _git_bytes(folder, cwd, *args, what=what, fix=fix).decode("utf-8", "replace")


def _git_bytes(folder: Path, cwd: Path, *args: str, what: str | None = None, fix: str | None = None) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise ContentError("git is not installed, so revisions cannot be read", Location(folder),
                           fix="install git, or compare two content folders") from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        if what is None and detail and "not a git repository" in detail[0]:
            what, fix = "the content folder is not in a git repository", "compare two content folders instead"
        raise ContentError(what or f"git {args[0]} failed: {detail[0] if detail else done.returncode}",
                           Location(folder), fix=fix or "check the revision and the folder")
    return done.stdout
