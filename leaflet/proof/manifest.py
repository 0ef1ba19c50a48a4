"""The build's manifest as a witness of identity: the PDF is byte for byte the
file the build wrote and recorded (`--manifest out/manifest.json`)."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ..errors import Location, VerificationError
from .findings import Finding
from .reading import read_regular_file

MAX_MANIFEST_BYTES = 10 * 1024 * 1024
FIX = "give the manifest.json the build wrote next to the PDFs"


def manifest_entry(manifest_path: Path, pdf_name: str, region: str | None = None) -> dict[str, Any] | None:
    """The manifest's entry for a PDF: by its file name, else (a renamed copy) by its region."""
    path = Path(manifest_path)
    text = read_regular_file(path, MAX_MANIFEST_BYTES, "manifest")
    try:
        manifest = json.loads(text)
    except UnicodeDecodeError:
        raise VerificationError("the manifest is not UTF-8 text", Location(path), fix=FIX) from None
    except json.JSONDecodeError as exc:
        raise VerificationError(f"the manifest is not valid JSON ({exc.msg})", Location(path, exc.lineno),
                                fix=FIX) from None
    editions = manifest.get("editions") if isinstance(manifest, dict) else None
    if not isinstance(editions, list):
        raise VerificationError("the manifest lists no editions", Location(path), fix=FIX)
    entries = [e for e in editions if isinstance(e, dict)]
    by_file = [e for e in entries if e.get("file") == pdf_name]
    by_region = [e for e in entries if region is not None and e.get("region") == region]
    return (by_file or by_region)[0] if by_file or by_region else None


def manifest_findings(data: bytes, manifest_path: Path, pdf_name: str, region: str | None = None,
                      status: str | None = None) -> list[Finding]:
    """The PDF's SHA-256 must be the one the manifest records for it, and the recorded status
    (draft, final, proof) the one the content gives (`status`, when known)."""
    entry = manifest_entry(manifest_path, pdf_name, region)
    if entry is None:
        also = f" or region '{region}'" if region else ""
        return [_finding(f"the manifest {manifest_path} has no entry for {pdf_name}{also}")]
    recorded = entry.get("status")
    if recorded == "failed":
        return [_finding(f"the manifest records that the {entry.get('region') or 'edition'} build failed: "
                         "no PDF was written for it")]
    findings = []
    digest = hashlib.sha256(data).hexdigest()
    if entry.get("sha256") != digest:
        findings.append(_finding(f"the PDF's SHA-256 ({digest[:12]}…) is not the one the manifest records for "
                                 f"{entry.get('file')} ({str(entry.get('sha256'))[:12]}…, {recorded}): "
                                 "this is not the file the build wrote"))
    if status is not None and recorded != status:
        findings.append(_finding(f"the manifest records this edition as {recorded}; its content is {status}"))
    return findings


def _finding(what: str) -> Finding:
    return Finding(what, witness="print")
