"""What changed between two versions of a leaflet, edition by edition, for a
medical, legal and regulatory review: sentences added, removed and changed
(with the changed words, or for Chinese the changed characters, marked), the
reference list and the citation numbers that change with it, and the approval
data, regional overlay and theme. It compares snapshots (see snapshot.py), so
the same code shows a change between two folders, two git revisions, or since
an approval.

Sentences are aligned by their wording and the references they cite (by id):
a sentence whose reference moved from number 3 to 4 reads the same but prints
differently, and is listed as renumbered, not as changed wording.
"""
from __future__ import annotations

import difflib
import html
import re
from dataclasses import asdict, dataclass, field
from typing import Any

import click

from ..content.scripts import is_cjk
from .snapshot import keyed, printed

_CITATION = re.compile(r"\[([0-9][0-9,–]*|\?)\]")  # a printed citation number, as snapshot.printed writes it
PAIR_RATIO = 0.5  # sentences at least this similar are one sentence changed, not one removed and one added


@dataclass(frozen=True)
class SentenceChange:
    kind: str  # added, removed, changed, renumbered, restyled (same words, another role or paragraph break)
    story: str
    language: str
    where: str | None  # file:line of the paragraph in the newer version (the older one, if removed)
    old: str | None  # as printed, citation numbers in brackets
    new: str | None
    segments: list[tuple[str, str]] = field(default_factory=list)  # ("=" | "-" | "+", text)
    note: str = ""  # what a restyled sentence changed: "body → bullet", "now starts a paragraph"


@dataclass(frozen=True)
class ReferenceChange:
    kind: str  # added, removed, changed, renumbered
    id: str
    old_number: int | None
    new_number: int | None
    old: str | None
    new: str | None
    segments: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class FieldChange:
    section: str  # approval, overlay, theme
    name: str
    old: object
    new: object


@dataclass
class EditionDiff:
    edition: str
    state: str  # same, changed, added, removed
    sentences: list[SentenceChange] = field(default_factory=list)
    references: list[ReferenceChange] = field(default_factory=list)
    fields: list[FieldChange] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for s in self.sentences if s.kind == kind)


def diff_editions(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> list[EditionDiff]:
    """Every edition of either version, in the newer version's order, then removed ones."""
    names = list(new) + [name for name in old if name not in new]
    return [diff_snapshots(old.get(name), new.get(name), name) for name in names]


def diff_snapshots(old: dict[str, Any] | None, new: dict[str, Any] | None, name: str) -> EditionDiff:
    empty: dict[str, Any] = {"stories": [], "references": [], "approval": {}, "overlay": {}, "theme": {}}
    result = EditionDiff(name, "added" if old is None else "removed" if new is None else "same")
    a, b = old or empty, new or empty
    result.sentences = _sentence_changes(a["stories"], b["stories"])
    result.references = _reference_changes(a["references"], b["references"])
    if old is not None and new is not None:
        result.fields = [c for section in ("approval", "overlay", "theme")
                         for c in _field_changes(section, a[section], b[section])]
        if result.sentences or result.references or result.fields:
            result.state = "changed"
    return result


# --- sentences --------------------------------------------------------------------

def _story_sentences(story: dict[str, Any]) -> list[tuple[str | None, list[Any], tuple[str, bool]]]:
    """(where, sentence, (role, starts its paragraph)) for each sentence of a story."""
    return [(p.get("where"), s, (p["role"], i == 0)) for p in story["paragraphs"] for i, s in enumerate(p["sentences"])]


def _sentence_changes(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[SentenceChange]:
    before = {(s["language"], s["id"]): s for s in old}
    after = {(s["language"], s["id"]): s for s in new}
    keys = list(after) + [k for k in before if k not in after]
    changes: list[SentenceChange] = []
    for key in keys:
        a = _story_sentences(before[key]) if key in before else []
        b = _story_sentences(after[key]) if key in after else []
        changes += _aligned(key[1], key[0], a, b)
    return changes


def _aligned(story: str, language: str, a: list[Any], b: list[Any]) -> list[SentenceChange]:
    matcher = difflib.SequenceMatcher(None, [keyed(s) for _, s, _ in a], [keyed(s) for _, s, _ in b], autojunk=False)
    changes = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for (_, old, was), (where, new, now) in zip(a[i1:i2], b[j1:j2]):
                if printed(old) != printed(new):
                    changes.append(SentenceChange("renumbered", story, language, where, printed(old), printed(new),
                                                  inline_segments(printed(old), printed(new))))
                elif was != now:
                    changes.append(SentenceChange("restyled", story, language, where, printed(old), printed(new),
                                                  [("=", printed(new))], _restyle(was, now)))
            continue
        changes += _paired(story, language, a[i1:i2], b[j1:j2])
    return changes


def _restyle(was: tuple[str, bool], now: tuple[str, bool]) -> str:
    if was[0] != now[0]:
        return f"{was[0]} → {now[0]}"
    return "now starts a paragraph" if now[1] else "no longer starts a paragraph"


def _paired(story: str, language: str, a: list[Any], b: list[Any]) -> list[SentenceChange]:
    """A run of old sentences replaced by new ones: each old sentence is paired, in
    order, with the most similar new one still free; the rest were removed or added."""
    changes, next_free = [], 0
    for where_a, old, _ in a:
        text = printed(old)
        best, ratio = None, PAIR_RATIO
        for j in range(next_free, len(b)):
            r = difflib.SequenceMatcher(None, text, printed(b[j][1]), autojunk=False).ratio()
            if r >= ratio:
                best, ratio = j, r
        if best is None:
            changes.append(SentenceChange("removed", story, language, where_a, text, None, [("-", text)]))
            continue
        for where, added, _ in b[next_free:best]:
            changes.append(SentenceChange("added", story, language, where, None, printed(added),
                                          [("+", printed(added))]))
        where, new, _ = b[best]
        changes.append(SentenceChange("changed", story, language, where, text, printed(new),
                                      inline_segments(text, printed(new))))
        next_free = best + 1
    for where, added, _ in b[next_free:]:
        changes.append(SentenceChange("added", story, language, where, None, printed(added), [("+", printed(added))]))
    return changes


def tokens(text: str) -> list[str]:
    """Words for Latin text, single characters for CJK, citation brackets whole."""
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "[" and "]" in text[i:]:
            end = text.index("]", i) + 1
            out.append(text[i:end])
            i = end
            continue
        kind = "space" if char.isspace() else "word" if char.isalnum() and not is_cjk(char) else None
        j = i + 1
        if kind:
            while j < len(text) and ("space" if text[j].isspace() else
                                     "word" if text[j].isalnum() and not is_cjk(text[j]) else None) == kind:
                j += 1
        out.append(text[i:j])
        i = j
    return out


def inline_segments(old: str, new: str) -> list[tuple[str, str]]:
    """The two texts as one run of kept, removed and added pieces, word by word
    (character by character in Chinese)."""
    a, b = tokens(old), tokens(new)
    segments: list[tuple[str, str]] = []

    def add(op: str, text: str) -> None:
        if not text:
            return
        if segments and segments[-1][0] == op:
            segments[-1] = (op, segments[-1][1] + text)
        else:
            segments.append((op, text))

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            add("=", "".join(a[i1:i2]))
        else:
            add("-", "".join(a[i1:i2]))
            add("+", "".join(b[j1:j2]))
    return segments


# --- references and fields ---------------------------------------------------------

def _reference_changes(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[ReferenceChange]:
    before = {r["id"]: r for r in old}
    after = {r["id"]: r for r in new}
    changes = []
    for ref in new:
        was = before.get(ref["id"])
        if was is None:
            changes.append(ReferenceChange("added", ref["id"], None, ref["number"], None, ref["text"],
                                           [("+", ref["text"])]))
        elif was["text"] != ref["text"]:
            changes.append(ReferenceChange("changed", ref["id"], was["number"], ref["number"], was["text"],
                                           ref["text"], inline_segments(was["text"], ref["text"])))
        elif was["number"] != ref["number"]:
            changes.append(ReferenceChange("renumbered", ref["id"], was["number"], ref["number"], was["text"],
                                           ref["text"]))
    for ref in old:
        if ref["id"] not in after:
            changes.append(ReferenceChange("removed", ref["id"], ref["number"], None, ref["text"], None,
                                           [("-", ref["text"])]))
    return changes


def _flat(data: object, prefix: str = "") -> dict[str, object]:
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            out.update(_flat(value, f"{prefix}.{key}" if prefix else key))
        return out
    return {prefix: data}


def _field_changes(section: str, old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    a, b = _flat(old), _flat(new)
    return [FieldChange(section, name, a.get(name), b.get(name)) for name in list(b) + [n for n in a if n not in b]
            if a.get(name) != b.get(name)]


# --- output ------------------------------------------------------------------------

def as_json(diffs: list[EditionDiff], old: str, new: str) -> dict[str, Any]:
    return {"old": old, "new": new, "changed": any(d.state != "same" for d in diffs),
            "editions": [asdict(d) for d in diffs]}


def summary(diff: EditionDiff) -> str:
    if diff.state in ("added", "removed", "same"):
        return {"added": "a new edition", "removed": "no longer an edition", "same": "no changes"}[diff.state]
    parts = [f"{diff.count(kind)} sentence(s) {kind}" for kind in ("changed", "added", "removed", "renumbered",
                                                                   "restyled")
             if diff.count(kind)]
    if diff.references:
        parts.append(f"{len(diff.references)} reference change(s)")
    if diff.fields:
        parts.append(", ".join(sorted({f.section for f in diff.fields})) + " changed")
    return "; ".join(parts)


_MARK = {"added": "+", "removed": "-", "changed": "~", "renumbered": "#", "restyled": "¶"}


def terminal(diffs: list[EditionDiff], old: str, new: str, colour: bool) -> str:
    """The changes as text: colour on a terminal; [-removed-]{+added+} marks otherwise."""
    lines = [f"Changes from {old} to {new}"]
    for diff in diffs:
        lines += ["", _bold(f"{diff.edition}: {summary(diff)}", colour)]
        story = None
        for change in diff.sentences:
            if (change.story, change.language) != story:
                story = (change.story, change.language)
                lines.append(f"  story '{change.story}' ({change.language})")
            where = f"  ({change.where})" if change.where else ""
            note = f"  [{change.note}]" if change.note else ""
            lines.append(f"    {_MARK[change.kind]} {_styled(change.segments, colour)}{note}{where}")
        if diff.references:
            lines.append("  references")
        for ref in diff.references:
            if ref.kind == "renumbered":
                lines.append(f"    # {ref.id}: number {ref.old_number} → {ref.new_number}")
            else:
                number = ref.new_number if ref.new_number is not None else ref.old_number
                lines.append(f"    {_MARK[ref.kind]} {number}. {_styled(ref.segments, colour)}  [{ref.id}]")
        for field_change in diff.fields:
            lines.append(f"  {field_change.section} {field_change.name}: {_value(field_change.old)} → "
                         f"{_value(field_change.new)}")
    return "\n".join(lines)


def marked(segments: list[tuple[str, str]]) -> str:
    """Plain text with [-removed-]{+added+} marks (git's word-diff style)."""
    return _styled(segments, colour=False)


def _styled(segments: list[tuple[str, str]], colour: bool) -> str:
    out = []
    for op, text in segments:
        if op == "=":
            out.append(text)
        elif colour:
            out.append(click.style(text, fg="red", strikethrough=True) if op == "-" else
                       click.style(text, fg="green", underline=True))
        else:
            out.append(f"[-{text}-]" if op == "-" else f"{{+{text}+}}")
    return "".join(out)


def _bold(text: str, colour: bool) -> str:
    return click.style(text, bold=True) if colour else text


def _value(value: object) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return str(value)


# --- the HTML redline ----------------------------------------------------------------

_CSS = """
body{font:15px/1.5 "Noto Sans","Noto Sans CJK HK","Noto Sans CJK SC",sans-serif;margin:2em auto;max-width:62em;
color:#1a1a1a;padding:0 1em}
h1{font-size:1.4em;margin-bottom:.2em}h2{font-size:1.15em;margin-top:2em;border-bottom:2px solid #1a6f6a}
h3{font-size:1em;margin:1.2em 0 .3em;color:#1a6f6a}.meta{color:#555}
table{border-collapse:collapse;width:100%}td,th{padding:.3em .5em;vertical-align:top;border-bottom:1px solid #ddd;
text-align:left}
td.kind{width:7em;font-size:.85em;color:#555;white-space:nowrap}td.where{width:10em;font-size:.8em;color:#777}
del{margin-right:.15em;background:#fdd;color:#a00;text-decoration:line-through}ins{background:#dfd;color:#060;text-decoration:none;
border-bottom:2px solid #060}
.legend span{margin-right:1.5em}
"""


def redline(diffs: list[EditionDiff], old: str, new: str) -> str:
    """A self-contained page (no scripts, no external files) a reviewer opens in a browser."""
    body = [f"<h1>Changes from {_e(old)} to {_e(new)}</h1>",
            '<p class="legend"><span><del>removed</del></span><span><ins>added</ins></span>'
            "<span>citation numbers are superscript</span></p>"]
    for diff in diffs:
        body.append(f'<h2 id="{_e(diff.edition)}">{_e(diff.edition)}</h2><p class="meta">{_e(summary(diff))}</p>')
        story = None
        for change in diff.sentences:
            if (change.story, change.language) != story:
                if story is not None:
                    body.append("</table>")
                story = (change.story, change.language)
                body.append(f"<h3>{_e(change.story)} ({_e(change.language)})</h3><table>")
            kind = f"{change.kind}: {change.note}" if change.note else change.kind
            body.append(f'<tr><td class="kind">{_e(kind)}</td><td lang="{_e(change.language)}">'
                        f'{_html_segments(change.segments)}</td><td class="where">{_e(change.where or "")}</td></tr>')
        if story is not None:
            body.append("</table>")
        if diff.references:
            body.append("<h3>References</h3><table>")
            for ref in diff.references:
                numbers = " → ".join(str(n) for n in (ref.old_number, ref.new_number) if n is not None)
                text = _html_segments(ref.segments) if ref.segments else _e(ref.new or "")
                body.append(f'<tr><td class="kind">{ref.kind}</td><td>{text}</td>'
                            f'<td class="where">{_e(ref.id)} · {numbers}</td></tr>')
            body.append("</table>")
        if diff.fields:
            body.append("<h3>Approval data, regional overlay and theme</h3><table>")
            for field_change in diff.fields:
                body.append(f'<tr><td class="kind">{field_change.section}</td><td>{_e(field_change.name)}: '
                            f"<del>{_e(_value(field_change.old))}</del> <ins>{_e(_value(field_change.new))}</ins></td>"
                            '<td class="where"></td></tr>')
            body.append("</table>")
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>Redline: {_e(old)} → {_e(new)}</title><style>{_CSS}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")


def _html_segments(segments: list[tuple[str, str]]) -> str:
    tags = {"=": "{}", "-": "<del>{}</del>", "+": "<ins>{}</ins>"}
    return "".join(tags[op].format(_CITATION.sub(r"<sup>\1</sup>", _e(text))) for op, text in segments)


def _e(text: str) -> str:
    return html.escape(str(text), quote=True)
