"""Regional editions: each regions/<code>.yaml, an overlay on the master content."""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from ..errors import ContentError
from . import parts
from .catalogue import canonical_tag, face_tag
from .model import Approval, EditionLanguage, Leaflet, Region, Replacement, Theme
from .preflight import missing_story
from .schema import did_you_mean
from .sources import Document

REGIONS_FOLDER = "regions"


def edition_tags(data: object) -> list[str]:
    """The language tags a region file lists: what its agent, flows, legal lines and
    replacements may name. None when the list is wrong, which is reported where it is."""
    entries = data.get("languages") if isinstance(data, dict) else None
    tags = [e.get("tag") if isinstance(e, dict) else e for e in entries] if isinstance(entries, list) else []
    known = [tag for tag in tags if isinstance(tag, str) and face_tag(tag)]
    return [canonical_tag(tag) for tag in known] if len(known) == len(tags) else []


def region(doc: Document, data: dict[str, Any], leaflet: Leaflet, problems: list[ContentError]) -> Region:
    """The region from its checked data; a problem that leaves it usable goes to `problems`."""
    texts = tuple(dict.fromkeys((*leaflet.languages, *(language for language, _ in leaflet.stories))))
    languages = _edition_languages(doc, data["languages"], texts)
    tags = tuple(lang.tag for lang in languages)
    flows = parts.flows(doc, data["flows"]) if "flows" in data else None
    if flows is None:
        master = list(dict.fromkeys(flow.language for flow in leaflet.flows))
        if len(master) != len(tags):
            raise ContentError(f"this edition has {len(tags)} language(s) and the master's flows have "
                               f"{len(master)}, so they cannot be matched in order", doc.at(("languages",)),
                               fix="give the region its own 'flows:'")
    result = Region(code=doc.file.stem, name=data["name"], languages=languages,
                    approval=_edition_approval(doc, data, leaflet.approval),
                    agents=parts.agents(doc, data["agent"]) if "agent" in data else None,
                    legal=parts.legal(doc, data.get("legal", ())),
                    replacements=_replacements(doc, data.get("replace", ()), languages, leaflet),
                    flows=flows, where=doc.at(()), theme=_edition_theme(doc, data, leaflet.theme, problems),
                    cover=parts.cover(doc, data["cover"]) if "cover" in data else None,
                    back_stories=_back_stories(doc, data["back_stories"], languages, leaflet)
                    if "back_stories" in data else None,
                    references=parts.references(doc, data["references"], ("references",))
                    if "references" in data else None)
    by_tag = {lang.tag: lang.text for lang in languages}
    for i, flow in enumerate(flows or ()):
        for j, story in enumerate(flow.stories):
            fix = missing_story(leaflet.stories, by_tag[flow.language], story)
            if fix:
                raise ContentError(f"flow {i + 1} names story '{story}', which text/{by_tag[flow.language]}.yaml "
                                   f"does not have", doc.at(("flows", i, "stories", j)), fix=fix)
    return result


# --- what a region sets for itself, over the master ---------------------------------

def _edition_approval(doc: Document, data: dict[str, Any], master: Approval) -> Approval:
    """The master's approval data with the edition's own: `job_code:`, or any of `approval:`."""
    fields = dict(data.get("approval", {}))
    if "job_code" in data:
        fields["job_code"] = data["job_code"]
    at = ("approval",) if "approval" in data else ("job_code",) if "job_code" in data else ()
    return dataclasses.replace(master, **fields, where=doc.at(at)) if fields else master


def _edition_theme(doc: Document, data: dict[str, Any], theme: Theme, problems: list[ContentError]) -> Theme | None:
    """The master theme with the edition's own type sizes (`type:`), colours and brand fonts
    (`theme:`); None when it sets none of them."""
    if "type" not in data and "theme" not in data:
        return None
    if "type" in data:
        theme = _edition_type(doc, data["type"], theme, problems)
    own = data.get("theme", {})
    if "colours" in own:
        colours, spots = parts.colours(own["colours"])
        theme = dataclasses.replace(theme, colours=theme.colours | colours, spots=theme.spots | spots)
    if "fonts" in own:
        theme = dataclasses.replace(theme, fonts=theme.fonts | parts.theme_fonts(doc, own["fonts"], ("theme", "fonts")))
    return theme


def _back_stories(doc: Document, ids: list[str], languages: tuple[EditionLanguage, ...],
                  leaflet: Leaflet) -> tuple[str, ...]:
    """The edition's own back-panel stories ([] for none), each in every one of its languages."""
    for j, story in enumerate(ids):
        for lang in languages:
            fix = missing_story(leaflet.stories, lang.text, story)
            if fix:
                raise ContentError(f"back_stories names '{story}', which text/{lang.text}.yaml does not have",
                                   doc.at(("back_stories", j)), fix=fix)
    return tuple(ids)


def _edition_type(doc: Document, data: dict[str, Any], theme: Theme, problems: list[ContentError]) -> Theme:
    """The master theme with an edition's own type sizes: an edition with one language has
    room for larger type, which fills its panels and reads more easily."""
    body = data.get("body_size_pt", theme.body_size)
    leading = parts.within(doc, ("type", "body_leading_pt"), data["body_leading_pt"], body, body * 2, problems) \
        if "body_leading_pt" in data else theme.body_leading * body / theme.body_size
    heading = parts.within(doc, ("type", "heading_size_pt"), data["heading_size_pt"], body, 30, problems) \
        if "heading_size_pt" in data else theme.heading_size * body / theme.body_size
    return dataclasses.replace(theme, body_size=body, body_leading=leading, heading_size=heading)


def _edition_languages(doc: Document, data: list[Any], texts: tuple[str, ...]) -> tuple[EditionLanguage, ...]:
    """Each entry: a tag whose text file is its own (en), or {tag: zh-Hant-TW, text: zh-Hant-HK}."""
    result = tuple(EditionLanguage(e["tag"], e["text"]) if isinstance(e, dict) else EditionLanguage(e, e)
                   for e in data)
    for i, lang in enumerate(result):
        if lang.text not in texts:
            raise ContentError(f"the content has no text in {lang.text!r} (no text/{lang.text}.yaml)",
                               doc.at(("languages", i)),
                               fix=did_you_mean(lang.text, texts) or f"add text/{lang.text}.yaml, or use one of: "
                                   f"{', '.join(texts)}")
        if lang.tag in (other.tag for other in result[:i]):
            raise ContentError(f"the language {lang.tag!r} is listed twice", doc.at(("languages", i)),
                               fix="list each language once")
    return result


def _replacements(doc: Document, data: Sequence[dict[str, Any]], languages: tuple[EditionLanguage, ...],
                  leaflet: Leaflet) -> tuple[Replacement, ...]:
    texts = {lang.tag: lang.text for lang in languages}
    result = []
    for i, item in enumerate(data):
        at = ("replace", i)
        story, text = item.get("story"), texts[item["language"]]
        fix = missing_story(leaflet.stories, text, story) if story is not None else None
        if fix:
            raise ContentError(f"replacement {i + 1} names story '{story}', which text/{text}.yaml does not have",
                               doc.at(at + ("story",)), fix=fix)
        result.append(Replacement(item["language"], item["find"], item["replace"], story, item.get("approved"),
                                  doc.at(at)))
    return tuple(result)
