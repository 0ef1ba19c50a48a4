"""Line breaking for mixed Latin and Chinese text.

Replaces ReportLab's wrapping, which breaks Chinese before closing
punctuation, after opening brackets and before citation superscripts.

A paragraph is cut into clusters: stretches that must not be split across
lines. Lines are then filled greedily with whole clusters. The rules that make
a cluster are the whole typographic policy:

* Latin words, numbers with their units, product names and hyphenated terms
  (anything between spaces in Latin text) stay whole, except that running
  English text may hyphenate a lower-case word at a dictionary point (pyphen)
  when the line would otherwise be left short; the hyphen is printed, not text.
* Chinese may break between any two characters, except before closing
  punctuation and after opening punctuation (kinsoku), and not between a
  number and the character after it (8小時).
* A superscript (citation, ®) stays with the character before it.
* A space between a bare number and a word does not break (8 hours, 2 tubes).
* A paragraph's last line is not a runt: never one short Latin word alone, nor
  one or two Chinese characters (a cluster is pulled down from the line above).

Chinese lines are then set (`set_chinese`): a quarter em between ideographs and
Latin letters or digits, and justified by spacing out the Chinese characters.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ..content.scripts import is_cjk  # noqa: F401 - the one test of script, used here and by the verifier
from .hyphenation import patterns

# Characters that may not start a line (closing punctuation and kin).
NO_LINE_START = set(
    "，。、；：？！）」』〉》】〕〗〙〛｝］｠｣〞”’…‥・ー々〻％．，"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ"
    ".,;:!?)]}%"
)
# Characters that may not end a line (opening punctuation).
NO_LINE_END = set("（「『〈《【〔〖〘〚｛［｟｢〝“‘([{")


def is_ideograph(char: str) -> bool:
    cp = ord(char)
    return 0x3400 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x3FFFF


@dataclass(frozen=True)
class Style:
    font: str
    size: float
    rise: float = 0.0  # > 0 for superscripts


@dataclass(frozen=True)
class Piece:
    """A stretch of one style within a line."""

    text: str
    style: Style
    width: float  # tracking included
    tracking: float = 0.0  # space added after each character (justified Chinese only, never Latin)


@dataclass(frozen=True)
class Line:
    pieces: tuple[Piece, ...]
    width: float
    end: int  # index in the paragraph's characters just past this line (spaces included)

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.pieces)


Segment = tuple[str, Style]  # input: text and its style
Measure = Callable[[str, Style], float]  # width in points of text set in a style


def break_lines(segments: list[Segment], width: float, measure: Measure, *,
                max_lines: int | None = None, hyphenator: Hyphenator | None = None) -> list[Line]:
    """Break styled text into lines no wider than `width` points, as `measure` measures them.
    With `max_lines`, only about that many first lines (the last line's `end` then falls
    short of the text): a paragraph far too long for its panels is not broken to its end.
    With a `hyphenator`, a word that does not fit a line left short may be hyphenated:
    the hyphen is a piece of the line (it is printed) but not of the text (`end`)."""
    if not any(text for text, _ in segments):
        return []
    lines, complete, hyphened = _fill(_clusters(segments), width, measure, max_lines, hyphenator)
    if complete and len(lines) - 2 not in hyphened:
        _avoid_runt(lines, width, measure)
    result, end = [], 0
    for i, line in enumerate(lines):
        end += sum(len(cluster) for cluster in line)
        result.append(_make_line(line, end, measure, i in hyphened))
    return result


HYPHENATE_BELOW = 0.9  # a line this full or more wraps the word whole: hyphens only where they help
MAX_HYPHENS = 2  # hyphenated lines in a row, at most
_WORD = re.compile(r"([a-z]+)([,.;:!?)]*)( *)")  # lower-case words only: never names, doses, units or URLs


class Hyphenator:
    """Where an English word may be hyphenated, from the pyphen (Hunspell) dictionary:
    at least 3 letters each side; never a word with a capital, digit, symbol, citation
    or other style in it (product and drug names, doses, units, URLs), nor a word of `never`."""

    def __init__(self, language: str, never: frozenset[str] = frozenset()):
        self.patterns = patterns(language)
        self.never = never

    def split(self, cluster: Cluster, room: float, measure: Measure) -> tuple[Cluster, Cluster] | None:
        """The cluster cut at its last hyphenation point whose head, with its hyphen, fits `room`."""
        style = cluster[0][1]
        if style.rise or any(s != style for _, s in cluster):
            return None
        text = "".join(c for c, _ in cluster)
        word = _WORD.fullmatch(text)
        if not word or word.group(1) in self.never:
            return None
        for position in reversed(self.patterns.positions(word.group(1), 3, 3)):
            if measure(text[:position] + "-", style) <= room:
                return cluster[:position], cluster[position:]
        return None


@functools.lru_cache(maxsize=8)
def hyphenator_for(language: str, never: frozenset[str] = frozenset()) -> Hyphenator | None:
    """The hyphenator for a language tag, or None where words are not hyphenated (Chinese)."""
    return Hyphenator("en_GB", never) if language.split("-")[0] == "en" else None


# A cluster: its characters (with styles), and how many trailing spaces it has.
Cluster = list[tuple[str, Style]]


def _clusters(segments: list[Segment]) -> Iterator[Cluster]:
    """The clusters in order, made only as far as they are needed."""
    chars: list[tuple[str, Style]] = []  # so far: the break rules look back, never ahead
    cluster: Cluster = []
    for text, style in segments:
        for char in text:
            chars.append((char, style))
            if cluster and _may_break(chars, len(chars) - 1):
                yield cluster
                cluster = []
            cluster.append(chars[-1])
    yield cluster


def _may_break(chars: list[tuple[str, Style]], i: int) -> bool:
    """May a line break fall between chars[i-1] and chars[i]?"""
    (a, a_style), (b, b_style) = chars[i - 1], chars[i]
    if b == " ":
        return False  # break after spaces, never before
    if a == " ":
        return not (b.isalpha() and _follows_number(chars, i - 1))
    if b_style.rise > a_style.rise:
        return False  # a citation or ® stays with what it marks
    if b in NO_LINE_START or a in NO_LINE_END:
        return False
    if a.isdigit() and is_cjk(b):
        return False  # 8小時
    return is_cjk(a) or is_cjk(b)


def _follows_number(chars: list[tuple[str, Style]], space: int) -> bool:
    """Is the word before the space at `space` a bare integer (8 hours, 2 tubes)?"""
    j = space
    while j > 0 and chars[j - 1][0] == " ":
        j -= 1
    word_end = j
    while j > 0 and chars[j - 1][0] != " " and not is_cjk(chars[j - 1][0]):
        j -= 1
    word = "".join(c for c, _ in chars[j:word_end])
    return word.isdigit()


def _width(chars: Cluster, measure: Measure) -> float:
    """Width of styled characters, kerning within each run of one style included."""
    total, start = 0.0, 0
    for i in range(1, len(chars) + 1):
        if i == len(chars) or chars[i][1] != chars[start][1]:
            style = chars[start][1]
            total += measure("".join(c for c, _ in chars[start:i]), style)
            start = i
    return total


def widest_cluster(segments: list[Segment], measure: Measure) -> tuple[str, float]:
    """The widest run of text no line may break (a word, a dose with its unit), and its width:
    the narrowest column the text can be set in without splitting one."""
    widths = [("".join(c for c, _ in _ink(cluster)), _width(_ink(cluster), measure)) for cluster in _clusters(segments)]
    return max(widths, key=lambda item: item[1], default=("", 0.0))


def _ink(cluster: Cluster) -> Cluster:
    """The cluster without its trailing spaces (what shows at a line end)."""
    end = len(cluster)
    while end and cluster[end - 1][0] == " ":
        end -= 1
    return cluster[:end]


OVERLONG = 400  # characters: no cluster this long fits a line of any panel at a readable size


def _fill(clusters: Iterable[Cluster], width: float, measure: Measure, max_lines: int | None,
          hyphenator: Hyphenator | None) -> tuple[list[list[Cluster]], bool, set[int]]:
    """The lines, whether they hold every cluster (False when cut at max_lines), and which
    lines end in a hyphen."""
    lines: list[list[Cluster]] = [[]]
    hyphened: set[int] = set()
    used = 0.0
    for cluster, last in _with_last(clusters):
        # Wider than any column whatever its letters: not worth shaping whole (a 2 MB "word").
        ink = float("inf") if len(cluster) > OVERLONG else _width(_ink(cluster), measure)
        if lines[-1] and used + ink > width:
            if max_lines is not None and len(lines) >= max_lines:
                return lines, False, hyphened
            streak = len(lines) - 2 in hyphened and len(lines) - 3 in hyphened  # two hyphens above already
            split = None
            if hyphenator and not last and not streak and used < HYPHENATE_BELOW * width:
                split = hyphenator.split(cluster, width - used, measure)  # never the paragraph's last word
            if split:
                head, cluster = split
                lines[-1].append(head)
                hyphened.add(len(lines) - 1)
                ink = _width(_ink(cluster), measure)
            lines.append([])
            used = 0.0
        if not lines[-1] and ink > width:
            # A single unbreakable stretch wider than the column (a long URL):
            # the only place left to break is between its characters.
            parts = _split_overlong(cluster, width, measure,
                                    None if max_lines is None else max_lines - len(lines) + 1)
            for part in parts:
                lines[-1].append(part)
                lines.append([])
            lines.pop()
            if sum(map(len, parts)) < len(cluster):
                return lines, False, hyphened
            used = _width(lines[-1][-1], measure)
            continue
        lines[-1].append(cluster)
        used += _width(cluster, measure)
    return lines, True, hyphened


def _with_last(items: Iterable[Cluster]) -> Iterator[tuple[Cluster, bool]]:
    """Each item, and whether it is the last (looking one ahead, so clusters stay lazy)."""
    it = iter(items)
    previous = next(it, None)
    if previous is None:
        return
    for item in it:
        yield previous, False
        previous = item
    yield previous, True


def _split_overlong(cluster: Cluster, width: float, measure: Measure, max_parts: int | None) -> list[Cluster]:
    """Column-wide parts of the cluster: all of them, or the first `max_parts`. Measured
    character by character: kerning inside a word too long for any line does not matter,
    and measuring the growing part again for every character would be quadratic."""
    parts: list[Cluster] = [[]]
    used = 0.0
    for char in cluster:
        if char[0] == " ":  # trailing spaces hang past the edge
            parts[-1].append(char)
            continue
        advance = measure(char[0], char[1])
        hangs = char[0] in NO_LINE_START or char[1].rise > 0  # may hang past the edge, never start a line
        if parts[-1] and not hangs and used + advance > width:
            if len(parts) == max_parts:
                break
            parts.append([])
            used = 0.0
        parts[-1].append(char)
        used += advance
    return parts


RUNT_SHARE = 0.3  # a one-word last line shorter than this share of the column is a runt,
RUNT_CHARS = 12  # and so is one of fewer characters than this, however narrow the column (a table cell)


def _avoid_runt(lines: list[list[Cluster]], width: float, measure: Measure) -> None:
    """Pull clusters down from the line above so the last line is not a runt: a single
    short Latin word, or one or two Chinese characters (punctuation and citation
    superscripts are no company). The line above keeps at least one cluster."""
    if len(lines) < 2:
        return
    while _is_runt(lines[-1], width, measure) and len(lines[-2]) > 1:
        moved = [lines[-2][-1]] + lines[-1]
        if _width(_ink([c for cluster in moved for c in cluster]), measure) > width:
            return
        lines[-2].pop()
        lines[-1] = moved


def _is_runt(line: list[Cluster], width: float, measure: Measure) -> bool:
    chars = _ink([c for cluster in line for c in cluster])
    return is_runt("".join(c for c, style in chars if not style.rise), _width(chars, measure), width)


def is_runt(text: str, width: float, column: float) -> bool:
    """Is a last line of this text (superscripts left out) and width, in a column this wide,
    a runt: one short word, or at most two Chinese characters?"""
    body = text.strip()
    if any(is_cjk(c) for c in body):
        return sum(c.isalnum() for c in body) <= 2
    return len(body.split()) == 1 and (width < RUNT_SHARE * column or len(body) < RUNT_CHARS)


def _make_line(clusters: list[Cluster], end: int, measure: Measure, hyphen: bool = False) -> Line:
    chars = [c for cluster in clusters for c in cluster]
    chars = _ink(chars)
    if hyphen:
        chars.append(("-", chars[-1][1]))
    pieces: list[Piece] = []
    start = 0
    for i in range(1, len(chars) + 1):
        if i == len(chars) or chars[i][1] != chars[start][1]:
            text = "".join(c for c, _ in chars[start:i])
            style = chars[start][1]
            pieces.append(Piece(text, style, measure(text, style)))
            start = i
    return Line(tuple(pieces), sum(p.width for p in pieces), end)


JUSTIFY_MAX_EM = 0.15  # Chinese is spaced out at most this much per character: a looser line stays short
SCRIPT_SPACE_EM = 0.25  # between a Chinese character and a Latin letter or digit (clreq), however typed


def set_chinese(line: Line, width: float, measure: Measure, justified: bool) -> Line:
    """A Chinese line as clreq/jlreq set it: a quarter em between an ideograph and a Latin
    letter or digit that the content did not part with a space, and, when `justified`, the
    line filled to `width` by spacing out its Chinese characters evenly. Spacing is added
    after a character (PDF character spacing); Latin letters are never spaced from each
    other, and the last character takes none, so the line ends flush at `width`."""
    chars = [(c, piece.style) for piece in line.pieces for c in piece.text]
    extra = [0.0] * len(chars)
    for i, ((a, a_style), (b, b_style)) in enumerate(zip(chars, chars[1:])):
        if not (a_style.rise or b_style.rise) and (is_ideograph(a) and _latin(b) or _latin(a) and is_ideograph(b)):
            extra[i] = SCRIPT_SPACE_EM * a_style.size
    added = sum(extra)
    if added and line.width + added > width:  # a full line: the spacing shrinks to fit
        extra = [e * max(0.0, (width - line.width) / added) for e in extra]
    if justified:
        spread = [i for i, (c, style) in enumerate(chars[:-1]) if is_cjk(c) and not style.rise and not extra[i]]
        room = width - line.width - sum(extra)
        if spread and room > 0:
            size = max(style.size for _, style in chars)
            each = min(room / len(spread), JUSTIFY_MAX_EM * size)
            for i in spread:
                extra[i] = each
    if not any(extra):
        return line
    pieces: list[Piece] = []
    start = 0
    for i in range(1, len(chars) + 1):
        if i == len(chars) or (chars[i][1], extra[i]) != (chars[start][1], extra[start]):
            text, style = "".join(c for c, _ in chars[start:i]), chars[start][1]
            pieces.append(Piece(text, style, measure(text, style) + extra[start] * (i - start), extra[start]))
            start = i
    return Line(tuple(pieces), sum(p.width for p in pieces), line.end)


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()
