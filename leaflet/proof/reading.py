"""Robust reading: a PDF given to verify may be anything a user can name — a
device, a pipe, a huge or cut-off file, an encrypted or damaged PDF. Each gets
one clear answer, never a hang, an out-of-memory kill or a traceback."""
from __future__ import annotations

import io
import logging
import os
import re
import stat
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from ..errors import Location, VerificationError
from .findings import Finding

MAX_PDF_BYTES = 100 * 1024 * 1024  # a two-page leaflet is well under 1 MB; a hundred times that is not a leaflet
HEADER_WINDOW = 1024  # where the %PDF- header may be, as readers accept it
ENCRYPTED = ("the PDF is encrypted; a print file must not be — ask the sender for the unencrypted file")
logging.getLogger("pypdf").setLevel(logging.ERROR)  # findings are reported by us, once, not as log noise

# An /Encrypt entry in a trailer or cross-reference stream dictionary (never compressed,
# so always visible in the raw bytes). Looked for before pypdf, which would try to decrypt.
_ENCRYPT = re.compile(rb"/Encrypt\s*(?:\d+\s+\d+\s+R|<<)")
_END = re.compile(rb"startxref\s+\d+\s+%%EOF")
_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")


def read_pdf_file(path: Path, limit: int = MAX_PDF_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or a VerificationError saying why not."""
    return read_regular_file(Path(path), limit, "PDF")


def read_regular_file(path: Path, limit: int, what: str) -> bytes:
    """Devices and pipes are refused before they are opened for reading, and the
    open itself does not block, so /dev/zero or a FIFO can never hang or fill memory."""
    where = Location(path)
    try:
        _check_regular(os.stat(path), path, limit, what)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise VerificationError(f"the {what} does not exist", where, fix="check the path") from None
    except OSError as exc:
        raise VerificationError(f"cannot read the {what} ({exc.strerror})", where, fix="check the path") from None
    with os.fdopen(fd, "rb") as file:
        _check_regular(os.fstat(file.fileno()), path, limit, what)  # the same file we looked at, not a swapped one
        data = file.read(limit + 1)
    if len(data) > limit:
        raise _too_large(path, limit, what)
    return data


def _check_regular(info: os.stat_result, path: Path, limit: int, what: str) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise VerificationError(f"this is not a {what} file but {_kind(info.st_mode)}", Location(path),
                                fix=f"give the path of the {what} file itself")
    if info.st_size > limit:
        raise _too_large(path, limit, what)


def _too_large(path: Path, limit: int, what: str) -> VerificationError:
    return VerificationError(f"the file is larger than {limit / 2**20:.3g} MB, far too large for a leaflet {what}",
                             Location(path), fix=f"check that this is the {what} of one leaflet edition")


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a socket" if stat.S_ISSOCK(mode) else "not a regular file"


def open_pdf(data: bytes) -> tuple[PdfReader | None, list[Finding]]:
    """A reader with every page loaded, or None and the one finding that says why the PDF cannot be read."""
    if b"%PDF-" not in data[:HEADER_WINDOW]:
        return None, [_document("this file is not a PDF (no %PDF- header)")]
    if _ENCRYPT.search(data):
        return None, [_document(ENCRYPTED)]
    ends = list(_END.finditer(data))
    if ends and _OBJECT.search(data, ends[-1].end()):
        # Bytes after the end that hold objects are an update some readers would print and we would not see.
        return None, [_damaged("it has PDF objects after its last end-of-file marker")]
    try:
        reader = _parse(data) or (_parse(data[: ends[-1].end()]) if ends else None)  # tolerate junk after %%EOF
    except (DependencyError, FileNotDecryptedError):  # encrypted in a way the pattern above did not see
        return None, [_document(ENCRYPTED)]
    if reader is None:
        detail = "it has no end-of-file marker" if not ends else "its structure cannot be read"
        return None, [_damaged(detail)]
    if reader.is_encrypted:
        return None, [_document(ENCRYPTED)]
    return reader, []


def _parse(data: bytes) -> PdfReader | None:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        for page in reader.pages:  # objects load lazily: make a damaged page fail here, not in a witness
            page.get_contents()
        return reader
    except (DependencyError, FileNotDecryptedError):
        raise
    except Exception:  # noqa: BLE001 - whatever pypdf cannot parse is, to a reviewer, a damaged file
        return None


def _damaged(detail: str) -> Finding:
    return _document(f"the PDF is truncated or damaged: {detail} — ask the sender for the complete file")


def _document(what: str) -> Finding:
    return Finding(what, witness="print")
