"""The per-user cache of what is slow to prepare and never changes for the same
inputs: font subsets (`.ttf`) and parsed hyphenation patterns (`.hyph`).

An entry is named by its key (a hash of everything that shapes it), then the
SHA-256 of the bytes it must hold: an entry that no longer matches its name
(garbled, truncated, swapped) is deleted and prepared again, never used. A
cache that cannot be written only costs time."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import platformdirs

from ..output import write_atomically

KINDS = {".ttf": ("prepared font", "prepared fonts"), ".hyph": ("hyphenation table", "hyphenation tables")}


def cache_dir() -> Path:
    """$LEAFLET_CACHE_DIR, else the platform's user cache."""
    if os.environ.get("LEAFLET_CACHE_DIR"):
        return Path(os.environ["LEAFLET_CACHE_DIR"])
    return platformdirs.user_cache_path("leaflet", appauthor=False) / "fonts"


def cache_entries(suffix: str | None = None) -> list[Path]:
    """Every entry of one kind (a suffix of KINDS), or of every kind."""
    folder = cache_dir()
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.iterdir() if path.suffix in ([suffix] if suffix else KINDS))


def clear_cache() -> int:
    """Delete every entry; returns how many were removed."""
    entries = cache_entries()
    for entry in entries:
        entry.unlink(missing_ok=True)
    return len(entries)


def _entry(key: str, data: bytes, suffix: str) -> Path:
    return cache_dir() / f"{key}-{hashlib.sha256(data).hexdigest()}{suffix}"


def has_entry(key: str, suffix: str) -> bool:
    """Whether an entry for `key` is there (not whether it is sound: read_entry checks that)."""
    return any(cache_dir().glob(f"{key}-*{suffix}"))


def read_entry(key: str, suffix: str) -> bytes | None:
    """The bytes stored for `key`, or None; an entry not matching its name is deleted."""
    for path in sorted(cache_dir().glob(f"{key}-*{suffix}")):
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if path == _entry(key, data, suffix):
            return data
        path.unlink(missing_ok=True)
    return None


def remove_entries(key: str, suffix: str) -> None:
    """Delete what is stored for `key`: its bytes matched their name but were not usable."""
    for path in cache_dir().glob(f"{key}-*{suffix}"):
        path.unlink(missing_ok=True)


def store_entry(key: str, data: bytes, suffix: str) -> None:
    try:
        write_atomically(_entry(key, data, suffix), data)
    except Exception:  # noqa: BLE001 - the cache is an optimisation, never a failure
        pass
