"""Parts the master (leaflet.yaml) and a region file both write: cover, agents, flows, legal
lines, references, colours and brand fonts, from their checked data."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..errors import ContentError
from .model import CMYK, Agent, Cover, CoverLine, Flow, LegalLine, Reference, ThemeFont
from .preflight import inside
from .schema import where
from .sources import Document, Path_

COVER_PARTS = ("title", "tagline", "product", "descriptor")  # in the order they print, top to bottom


def cover(doc: Document, data: dict[str, Any] | None) -> Cover:
    """The cover's lines; a part given per language is one line (or lines) per language."""
    lines: list[CoverLine] = []
    written = data or {}
    for part in (p for p in COVER_PARTS if p in written):
        for language, path, value in _variants(written[part], ("cover", part)):
            texts = [(path + (i,), text) for i, text in enumerate(value)] if isinstance(value, list) else [(path, value)]
            lines.extend(CoverLine(part, text, language, doc.at(line)) for line, text in texts)
    return Cover(tuple(lines), doc.at(("cover",) if data else ()))


def _variants(value: Any, path: Path_) -> list[tuple[str | None, Path_, Any]]:
    """(language or None, path, value) of a part that is the same everywhere or given per language."""
    if isinstance(value, dict):
        return [(tag, path + (tag,), text) for tag, text in value.items()]
    return [(None, path, value)]


def agents(doc: Document, data: Any) -> tuple[Agent, ...]:
    """The agent block, or one block per language (a bilingual back panel)."""
    blocks = data if isinstance(data, list) else [data]
    paths = [("agent", i) for i in range(len(blocks))] if isinstance(data, list) else [("agent",)]
    result = tuple(Agent(language=b["language"], lines=tuple(b["lines"]), where=doc.at(p)) for b, p in zip(blocks, paths))
    for i, agent in enumerate(result):
        if agent.language in (a.language for a in result[:i]):
            raise ContentError(f"a second agent block in {agent.language}", agent.where,
                               fix="give each language one agent block")
    return result


def flows(doc: Document, data: Sequence[dict[str, Any]]) -> tuple[Flow, ...]:
    """Flows; their panels are checked against the fold by typeset/folds.py (none: the fold's default)."""
    return tuple(Flow(language=flow["language"], panels=tuple(flow.get("panels", ())), stories=tuple(flow["stories"]),
                      where=doc.at(("flows", i)),
                      panel_where=tuple(doc.at(("flows", i, "panels", j)) for j in range(len(flow.get("panels", ())))))
                 for i, flow in enumerate(data))


def legal(doc: Document, data: Sequence[dict[str, Any]]) -> tuple[LegalLine, ...]:
    """Legal lines, each in one of the edition's languages."""
    return tuple(LegalLine(line["language"], line["text"], doc.at(("legal", i))) for i, line in enumerate(data))


def references(doc: Document, data: Sequence[dict[str, Any]], path: Path_) -> tuple[Reference, ...]:
    return tuple(Reference(ref["id"], ref["text"], doc.at(path + (i,)), ref.get("uncited"))
                 for i, ref in enumerate(data))


def colours(data: dict[str, Any]) -> tuple[dict[str, CMYK], dict[CMYK, str]]:
    """Named CMYK colours (0..1), and the spot (separation) name of each spot colour."""
    cmyk: dict[str, CMYK] = {}
    spots: dict[CMYK, str] = {}
    for name, colour in data.items():
        c, m, y, k = (part / 100 for part in (colour["cmyk"] if isinstance(colour, dict) else colour))
        cmyk[name] = (c, m, y, k)
        if isinstance(colour, dict):  # a spot colour: its own plate, with a CMYK alternate
            spots[cmyk[name]] = colour["spot"]
    return cmyk, spots


def theme_fonts(doc: Document, data: dict[str, Any], path: Path_) -> dict[str, ThemeFont]:
    """Brand typefaces per language: font files inside the content folder."""
    return {language: ThemeFont(inside(doc, path + (language, "regular"), spec["regular"]),
                                inside(doc, path + (language, "bold"), spec["bold"]), spec["face_index"],
                                doc.at(path + (language,)))
            for language, spec in data.items()}


def within(doc: Document, path: Path_, value: float, low: float, high: float, problems: list[ContentError]) -> float:
    """A size that must lie between two others (leading between the body size and twice it)."""
    if low <= value <= high:
        return value
    problems.append(ContentError(f"'{where(path)}' is {value:g}; it must be between {low:g} and {high:g}",
                                 doc.at(path)))
    return min(max(value, low), high)
