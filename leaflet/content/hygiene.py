"""Characters that must not reach print: invisible ones, and marks the fonts cannot place.

Content text is normalised to NFC first, so an accent typed as a letter plus a
combining mark becomes the accented letter the font has (CJK compatibility
ideographs excepted: NFC would swap them for other characters). Whatever is still
wrong after that is a problem for the author, never a silent change:

* bidi controls reorder text in a reader's copy and show as stray marks in print;
* zero-width characters and the soft hyphen are invisible in the content, yet
  the tool breaks lines itself and never hyphenates, so they only break the
  match between the PDF and the approved text;
* control characters (NUL and kin) have no place in printed text;
* a combining mark that survives NFC has no precomposed letter, and the tool
  does no mark positioning, so it would print beside its letter, not on it.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
SOFT_HYPHEN = "\u00ad"
WHITESPACE_CONTROLS = frozenset("\t\n\r")  # line ends and tabs inside a YAML value read as spaces
COMBINING = frozenset(("Mn", "Mc", "Me"))

_CONTROL_NAMES = {0: "NUL", 0x7F: "DELETE", 0x85: "NEXT LINE"}


@dataclass(frozen=True)
class Flaw:
    """A character the text must not carry, where it first occurs, and what to do."""

    char: str
    index: int  # first occurrence in the normalised text
    message: str
    fix: str


# NFC replaces each CJK compatibility ideograph by its unified twin, a different
# character: one typed on purpose (a regional form) is the approved text, kept as it is.
_COMPATIBILITY_IDEOGRAPHS = re.compile("([\uf900-\ufaff\U0002f800-\U0002fa1f])")


def normalise(text: str) -> str:
    """NFC, except for CJK compatibility ideographs."""
    parts = _COMPATIBILITY_IDEOGRAPHS.split(text)  # odd items are the ideographs themselves
    return "".join(part if i % 2 else unicodedata.normalize("NFC", part) for i, part in enumerate(parts))


def flaws(text: str) -> list[Flaw]:
    """Every kind of unwanted character in (NFC) text, each once, in order of first occurrence."""
    found = []
    for char in set(text):
        if char.isascii() and (char.isprintable() or char in WHITESPACE_CONTROLS):
            continue  # the common case, decided without a Unicode database look-up
        kind = _kind(char)
        if kind:
            index = text.index(char)
            message, fix = _MESSAGES[kind]
            found.append(Flaw(char, index, message.format(code=_code(char), base=_base(text, index)), fix))
    return sorted(found, key=lambda flaw: flaw.index)


def without(text: str, found: list[Flaw]) -> str:
    """The text with the flawed characters taken out: a stand-in so later stages do not report them again."""
    return text.translate({ord(flaw.char): None for flaw in found})


_MESSAGES = {
    "bidi": ("{code}, an invisible text-direction control",
             "delete it: leaflet text needs no direction controls (they come in with copy and paste)"),
    "zero-width": ("{code}, an invisible zero-width character", "delete it: the tool decides where lines break"),
    "soft hyphen": ("{code}, an invisible hyphenation point", "delete it: the tool never hyphenates words"),
    "control": ("the control character {code}",
                "delete it (in a quoted YAML value, look for an escape such as \\0 or \\x..)"),
    "format": ("{code}, an invisible formatting character", "delete it"),
    "mark": ("{code} after {base!r}: a combining mark with no precomposed letter, which the font cannot place "
             "on it", "type the accented letter as one character where Unicode has one (é, not e + ´), or write "
                      "the word without the mark"),
}


def _kind(char: str) -> str | None:
    category = unicodedata.category(char)
    if char in BIDI_CONTROLS:
        return "bidi"
    if char in ZERO_WIDTH:
        return "zero-width"
    if char == SOFT_HYPHEN:
        return "soft hyphen"
    if category in ("Cc", "Cs") and char not in WHITESPACE_CONTROLS:
        return "control"
    if category == "Cf":
        return "format"
    if category in COMBINING:
        return "mark"
    return None


def _base(text: str, index: int) -> str:
    """The letter a combining mark at `index` sits on (past any marks stacked before it)."""
    while index and unicodedata.category(text[index - 1]) in COMBINING:
        index -= 1
    return text[index - 1] if index else ""


def _code(char: str) -> str:
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(ord(char), "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")
