"""Which face sets each character: type is chosen by script, not by the language
of the paragraph. Latin letters, digits and Latin punctuation are set in the
edition's Latin face wherever they occur, Chinese in the paragraph's (or the
edition's) CJK face, so a name such as Lumirix® keeps one shape in every
edition and every language. Data and pure functions only: loading, resolving,
typesetting and the verifier all ask this one module."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

CJK_LANGUAGES = ("zh", "ja", "ko")  # base language subtags set in a CJK face

# Ideographs, kana, hangul, CJK punctuation and full-width forms.
_CJK = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff"
_CJK_RUN = re.compile(f"[{_CJK}]+")

# Punctuation both scripts write, drawn full-width in Chinese and narrow in English:
# it takes the face of its paragraph.
SHARED = "“”‘’—…·"


def _latin_class() -> str:
    """Everything up to the general punctuation block, and the ™, less the shared marks."""
    points = [p for p in range(0x2070) if chr(p) not in SHARED] + [0x2122]
    ranges, start = [], points[0]
    for before, after in zip(points, points[1:] + [-1]):  # -1 follows no point: it ends the last range
        if after != before + 1:
            ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(before))}" if before > start
                          else re.escape(chr(start)))
            start = after
    return "".join(ranges)


_LATIN_RUN = re.compile(f"[{_latin_class()}]+")


def is_cjk(char: str) -> bool:
    """Ideographs, kana, hangul, CJK punctuation and full-width forms."""
    cp = ord(char)  # the ranges of _CJK, compared directly: line breaking asks for every character
    return (0x2E80 <= cp <= 0x9FFF or 0xAC00 <= cp <= 0xD7AF or 0xF900 <= cp <= 0xFAFF
            or 0xFE30 <= cp <= 0xFE4F or 0xFF00 <= cp <= 0xFFEF or 0x20000 <= cp <= 0x3FFFF)


def is_cjk_language(tag: str) -> bool:
    return tag.split("-")[0].lower() in CJK_LANGUAGES


@dataclass(frozen=True)
class ScriptFaces:
    """The languages whose faces set each script in an edition."""

    latin: str  # Latin letters, digits and punctuation, in every paragraph
    cjk: str | None  # Chinese in a Latin paragraph; None when the edition has no CJK language

    def runs(self, text: str, language: str) -> tuple[tuple[str, str], ...]:
        """The text of a paragraph in `language` cut into runs, each with the language whose face sets it."""
        return _runs(text, language, self)


@functools.lru_cache(maxsize=4096)  # layout asks again for every trial pour: a paragraph can be 2 MB
def _runs(text: str, language: str, faces: ScriptFaces) -> tuple[tuple[str, str], ...]:
    if is_cjk_language(language):
        pattern, other = _LATIN_RUN, faces.latin
    else:
        pattern, other = _CJK_RUN, faces.cjk or language
    if other == language:
        return ((text, language),) if text else ()
    runs, pos = [], 0
    for match in pattern.finditer(text):
        if match.start() > pos:
            runs.append((text[pos:match.start()], language))
        runs.append((match.group(), other))
        pos = match.end()
    if pos < len(text):
        runs.append((text[pos:], language))
    return tuple(runs)


def script_faces(languages: tuple[str, ...]) -> ScriptFaces:
    """An edition's faces by script: its first Latin and first CJK language; an edition in
    Chinese only sets its Latin in the pinned Latin face (en)."""
    latin = next((tag for tag in languages if not is_cjk_language(tag)), "en")
    return ScriptFaces(latin, next((tag for tag in languages if is_cjk_language(tag)), None))
