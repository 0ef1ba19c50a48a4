"""Text files: each text/<language>.yaml's checked data -> its stories."""
from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Callable
from typing import Any

from . import blocks, insets
from ..errors import ContentError
from .markup import Added, paragraph
from .model import Block, Figure, Paragraph, Placeholder, Story
from .preflight import image_pixels, inside
from .sources import Document, Path_


@dataclass(frozen=True)
class Reading:
    """What building a story's blocks needs besides their values: the file (for lines), its
    language, the (added, approved) marks the file declares for all its text, and the list
    that problems leaving the block usable go to."""

    doc: Document
    language: str
    added: Added
    problems: list[ContentError]

    def paragraph(self, path: Path_, value: Any, allow_citations: bool = True, added: Added | None = None
                  ) -> Paragraph:
        """`added`: the marks of what holds it (a table row), instead of the file's."""
        return paragraph(self.doc, path, value, added or self.added, allow_citations)


def stories_of(doc: Document, data: dict[str, Any], language: str, problems: list[ContentError],
               attempt: Callable[..., Story | None]) -> dict[tuple[str, str], Story | None]:
    """(language, id) -> story; a story that cannot be built maps to None, its problem
    recorded by `attempt(fn, *args)`, so flows naming it raise no second error."""
    reading = Reading(doc, language, (data.get("added"), data.get("approved")), problems)
    return {(language, story_id): attempt(_story, reading, ("stories", story_id), spec)
            for story_id, spec in data["stories"].items()}


def _story(reading: Reading, path: Path_, spec: dict[str, Any]) -> Story:
    heading = reading.paragraph(path + ("heading",), spec["heading"], allow_citations=False) \
        if "heading" in spec else None
    blocks = tuple(_block(reading, path + ("body", i), item) for i, item in enumerate(spec["body"]))
    return Story(id=str(path[-1]), language=reading.language, heading=heading, blocks=blocks,
                 where=reading.doc.at(path))


def _block(reading: Reading, path: Path_, item: Any) -> Block:
    kind = next((key for key in BLOCKS if isinstance(item, dict) and key in item), None)
    if kind is None:
        return reading.paragraph(path, item)
    return BLOCKS[kind](reading, path + (kind,), item)


def _figure(reading: Reading, path: Path_, block: dict[str, Any]) -> Figure | Placeholder:
    """A figure: an image file inside the content folder, fit for print at its placed width;
    or, written with fpo:, the box for artwork still to come."""
    spec, doc = block["figure"], reading.doc
    if "fpo" in spec:
        return insets.placeholder(reading, path, spec)
    file = inside(doc, path + ("file",), spec["file"])
    where = doc.at(path + ("file",))
    caption = reading.paragraph(path + ("caption",), spec["caption"]) if "caption" in spec else None
    return Figure(file, spec["width_mm"], image_pixels(file, spec["width_mm"], where, reading.problems), caption,
                  where)


# How each block kind of schema.BLOCKS becomes part of a story: fn(reading, path of the
# block's key, the block's checked mapping).
BLOCKS: dict[str, Callable[[Reading, Path_, dict[str, Any]], Block]] = {
    **dict.fromkeys(blocks.SHORT_LISTS, blocks.short_list), "list": blocks.style_list,
    "subheading": blocks.subheading, "callout": blocks.callout, "figure": _figure, "table": insets.table,
    "qr": insets.qr_code}
