"""Text files: each text/<language>.yaml's checked data -> its stories."""
from __future__ import annotations

from .markup import paragraph
from .model import BulletList, Figure, Story
from .preflight import image_pixels, inside
from .sources import Document


def stories_of(doc: Document, data: dict, language: str, problems: list, attempt) -> dict:
    """(language, id) -> story; a story that cannot be built maps to None, its problem
    recorded by `attempt(fn, *args)`, so flows naming it raise no second error."""
    added = (data.get("added"), data.get("approved"))  # a whole file can be added wording, marked once
    return {(language, story_id): attempt(_story, doc, ("stories", story_id), spec, language, added, problems)
            for story_id, spec in data["stories"].items()}


def _story(doc: Document, path: tuple, spec: dict, language: str, added: tuple, problems: list) -> Story:
    heading = paragraph(doc, path + ("heading",), spec["heading"], added, allow_citations=False) \
        if "heading" in spec else None
    blocks = tuple(_block(doc, path + ("body", i), item, added, problems) for i, item in enumerate(spec["body"]))
    return Story(id=path[-1], language=language, heading=heading, blocks=blocks, where=doc.at(path))


def _block(doc: Document, path: tuple, item, added: tuple, problems: list):
    kind = next((key for key in BLOCKS if isinstance(item, dict) and key in item), None)
    if kind is None:
        return paragraph(doc, path, item, added)
    return BLOCKS[kind](doc, path + (kind,), item[kind], added, problems)


def _bullets(doc: Document, path: tuple, items: list, added: tuple, problems: list) -> BulletList:
    return BulletList(tuple(paragraph(doc, path + (i,), item, added) for i, item in enumerate(items)),
                      doc.at(path[:-1]))


def _figure(doc: Document, path: tuple, spec: dict, added: tuple, problems: list) -> Figure:
    """A figure: an image file inside the content folder, fit for print at its placed width."""
    file = inside(doc, path + ("file",), spec["file"])
    where = doc.at(path + ("file",))
    caption = paragraph(doc, path + ("caption",), spec["caption"], added) if "caption" in spec else None
    return Figure(file, spec["width_mm"], image_pixels(file, spec["width_mm"], where, problems), caption, where)


# How each block kind of schema.BLOCKS becomes part of a story.
BLOCKS = {"bullets": _bullets, "figure": _figure}
