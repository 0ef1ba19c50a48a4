"""Where a word may be hyphenated: Liang's algorithm over pyphen's Hunspell
patterns. Parsing a dictionary (and importing pyphen to do it) costs about
0.1 s, more than the rest of a line break, so the parsed patterns are kept in
the per-user cache, keyed by the dictionary's bytes and pyphen's own code: a
warm build reads them in a few milliseconds and never imports pyphen."""
from __future__ import annotations

import functools
import hashlib
import importlib.util
import marshal
import sys
from pathlib import Path

from .cache import read_entry, remove_entries, store_entry

PARSED_BY = f"hyphenation 1; marshal {marshal.version}; Python {sys.version_info[0]}.{sys.version_info[1]}"

Table = dict[str, tuple[int, tuple[int, ...]]]  # pattern -> (offset of its first value, values)


class Patterns:
    """One dictionary's patterns, with the word positions already worked out."""

    def __init__(self, table: Table):
        self.table = table
        self.longest = max(map(len, table))
        self._points: dict[str, list[int]] = {}

    def positions(self, word: str, left: int, right: int) -> list[int]:
        """Where `word` (lower case) may be cut, leaving at least `left` and `right` letters."""
        points = self._points.get(word)
        if points is None:
            points = self._points[word] = self._odd_points(word)
        return [p for p in points if left <= p <= len(word) - right]

    def _odd_points(self, word: str) -> list[int]:
        dotted = f".{word}."
        scores = [0] * (len(dotted) + 1)
        for start in range(len(dotted) - 1):
            for end in range(start + 1, min(start + self.longest, len(dotted)) + 1):
                found = self.table.get(dotted[start:end])
                if found:
                    offset, values = found
                    for at, value in enumerate(values, start + offset):
                        if at < len(scores) and value > scores[at]:
                            scores[at] = value
        return [at - 1 for at, score in enumerate(scores) if score % 2]


@functools.lru_cache(maxsize=4)
def patterns(language: str) -> Patterns:
    """The patterns of pyphen's dictionary for `language` (e.g. en_GB), from the cache when it has them."""
    folder = Path(_pyphen_folder())
    dictionary = (folder / "dictionaries" / f"hyph_{language}.dic").read_bytes()
    code = (folder / "__init__.py").read_bytes()
    key = hashlib.sha256(b"\n".join([PARSED_BY.encode(), code, dictionary])).hexdigest()
    stored = read_entry(key, ".hyph")
    table = _table(stored) if stored is not None else None
    if table:
        return Patterns(table)
    if stored is not None:
        remove_entries(key, ".hyph")
    table = _parsed(language)
    store_entry(key, marshal.dumps(table), ".hyph")
    return Patterns(table)


def _table(stored: bytes) -> Table | None:
    """A cache entry's patterns, or None unless it holds exactly what _parsed makes: its name's
    hash catches damage, not an entry someone wrote with a matching name."""
    try:
        table = marshal.loads(stored)
    except (EOFError, ValueError, TypeError):
        return None
    if not isinstance(table, dict) or not all(
            type(k) is str and k and type(v) is tuple and len(v) == 2 and type(v[0]) is int and type(v[1]) is tuple
            and all(type(n) is int for n in v[1]) for k, v in table.items()):
        return None
    return table


def _pyphen_folder() -> str:
    spec = importlib.util.find_spec("pyphen")
    assert spec is not None and spec.submodule_search_locations, "pyphen is a dependency"
    return list(spec.submodule_search_locations)[0]


def _parsed(language: str) -> Table:
    import pyphen  # only on a cache miss

    parsed = pyphen.Pyphen(lang=language).hd.patterns
    # Dictionaries with nonstandard breaks (Hungarian "ssz" -> "sz-sz") carry more than numbers.
    if not all(isinstance(v, int) for _, values in parsed.values() for v in values):
        raise ValueError(f"the {language} dictionary has nonstandard hyphenation, which is not supported")
    return {pattern: (offset, tuple(values)) for pattern, (offset, values) in parsed.items()}
