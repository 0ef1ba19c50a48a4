"""Inline markup: a paragraph's text split into plain and **bold** spans and [@id] citations."""
from __future__ import annotations

import re
from typing import Any

from ..errors import ContentError, Location
from .model import Citation, Inline, Paragraph, Span
from .schema import ID
from .sources import Document, Path_

Added = tuple[str | None, str | None]  # how wording was added, and its approval reference

_CITATION = re.compile(r"\[@([^\]]*)\]")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def paragraph(doc: Document, path: Path_, value: Any, added: Added, allow_citations: bool = True) -> Paragraph:
    """A paragraph from its checked value: text, or a mapping with text, how it was added and
    its approval. `added` is the (kind, approval) the file as a whole declares."""
    kind, approved = added
    text_path = path
    if isinstance(value, dict):
        kind, approved = value.get("added", kind), value.get("approved", approved)
        value, text_path = value["text"], path + ("text",)
    where = doc.at(text_path)
    found = inlines(value, where)
    if not allow_citations and any(isinstance(i, Citation) for i in found):
        raise ContentError("a heading cannot cite a reference", where, fix="move the citation into the text")
    return Paragraph(inlines=found, where=where, added=kind, approved=approved)


def inlines(text: str, where: Location) -> tuple[Inline, ...]:
    """Split text into spans and citations: '**bold**' and '[@id]' / '[@a, @b]'."""
    found: list[Inline] = []
    pos = 0
    for match in _CITATION.finditer(text):
        found.extend(_spans(text[pos:match.start()], where))
        ids = tuple(part.strip().lstrip("@").strip() for part in re.split(r"[;,]", match.group(1)))
        if not all(ID.fullmatch(i) for i in ids):
            raise ContentError(f"the citation {match.group(0)!r} is not a list of reference ids", where,
                               fix="write citations as [@id] or [@id1, @id2]")
        found.append(Citation(ids, where))
        pos = match.end()
    found.extend(_spans(text[pos:], where))
    return tuple(found)


def _spans(text: str, where: Location) -> list[Span]:
    spans = []
    pos = 0
    for match in _BOLD.finditer(text):
        if match.start() > pos:
            spans.append(Span(text[pos:match.start()]))
        spans.append(Span(match.group(1), bold=True))
        pos = match.end()
    if pos < len(text):
        spans.append(Span(text[pos:]))
    for span in spans:
        if "**" in span.text or "[@" in span.text:
            raise ContentError(f"unmatched '**' or '[@' in: {span.text.strip()[:60]!r}", where,
                               fix="close the bold with '**' or the citation with ']'")
    return spans
