"""Writing files so that a crash or Ctrl-C never leaves a half-written PDF."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import Location, OutputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomically(path: Path, data: bytes, folder: Path | None = None) -> None:
    """Write to a temporary file beside `path`, then rename it into place. Given the
    output `folder`, a path that resolves anywhere else is refused."""
    path = Path(path)
    if folder is not None:
        refuse_outside(path, Path(folder))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise OutputError(f"cannot write to the output folder ({exc.strerror})", Location(path.parent),
                          fix="choose a folder you can write to with --out") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes files private; outputs are ordinary files
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write the PDF ({exc.strerror})", Location(path)) from None
        raise


def refuse_outside(path: Path, folder: Path) -> None:
    """Defence in depth: load already keeps names built from content to plain file names."""
    if not path.resolve().is_relative_to(folder.resolve()):
        raise OutputError(f"refusing to write {path}: it lies outside the output folder {folder}", Location(path),
                          fix="file names are made from the content; check the leaflet's version and names")
