"""Regional editions: each regions/<code>.yaml, an overlay on the master content."""
from __future__ import annotations

import dataclasses

from ..errors import ContentError
from .catalogue import FACES
from .model import Agent, EditionLanguage, Flow, Leaflet, LegalLine, Region, Replacement, Theme
from .preflight import missing_story
from .schema import did_you_mean, where
from .sources import Document

REGIONS_FOLDER = "regions"


def edition_tags(data) -> list[str]:
    """The language tags a region file lists: what its agent, flows, legal lines and
    replacements may name. None when the list is wrong, which is reported where it is."""
    entries = data.get("languages") if isinstance(data, dict) else None
    tags = [e.get("tag") if isinstance(e, dict) else e for e in entries] if isinstance(entries, list) else []
    return tags if all(isinstance(tag, str) and tag in FACES for tag in tags) else []


def region(doc: Document, data: dict, leaflet: Leaflet, problems: list) -> Region:
    """The region from its checked data; a problem that leaves it usable goes to `problems`."""
    languages = _edition_languages(doc, data["languages"], leaflet.languages)
    tags = tuple(lang.tag for lang in languages)
    flows = flows_of(doc, data["flows"]) if "flows" in data else None
    if flows is None:
        master = list(dict.fromkeys(flow.language for flow in leaflet.flows))
        if len(master) != len(tags):
            raise ContentError(f"this edition has {len(tags)} language(s) and the master's flows have "
                               f"{len(master)}, so they cannot be matched in order", doc.at(("languages",)),
                               fix="give the region its own 'flows:'")
    result = Region(code=doc.file.stem, name=data["name"], languages=languages, job_code=data["job_code"],
                    agent=agent(doc, data["agent"], ("agent",)), legal=legal(doc, data.get("legal", ())),
                    replacements=_replacements(doc, data.get("replace", ()), languages, leaflet),
                    flows=flows, where=doc.at(()),
                    theme=_edition_type(doc, data["type"], leaflet.theme, problems) if "type" in data else None)
    texts = {lang.tag: lang.text for lang in languages}
    for i, flow in enumerate(flows or ()):
        for j, story in enumerate(flow.stories):
            fix = missing_story(leaflet.stories, texts[flow.language], story)
            if fix:
                raise ContentError(f"flow {i + 1} names story '{story}', which text/{texts[flow.language]}.yaml "
                                   f"does not have", doc.at(("flows", i, "stories", j)), fix=fix)
    return result


def agent(doc: Document, data: dict, path: tuple) -> Agent:
    return Agent(language=data["language"], lines=tuple(data["lines"]), where=doc.at(path))


def flows_of(doc: Document, data: list) -> tuple[Flow, ...]:
    """Flows; their panels are checked against the fold by typeset/folds.py (none: the fold's default)."""
    return tuple(Flow(language=flow["language"], panels=tuple(flow.get("panels", ())), stories=tuple(flow["stories"]),
                      where=doc.at(("flows", i)),
                      panel_where=tuple(doc.at(("flows", i, "panels", j)) for j in range(len(flow.get("panels", ())))))
                 for i, flow in enumerate(data))


def legal(doc: Document, data) -> tuple[LegalLine, ...]:
    """Legal lines, each in one of the edition's languages."""
    return tuple(LegalLine(line["language"], line["text"], doc.at(("legal", i))) for i, line in enumerate(data))


def within(doc: Document, path: tuple, value: float, low: float, high: float, problems: list) -> float:
    """A size that must lie between two others (leading between the body size and twice it)."""
    if low <= value <= high:
        return value
    problems.append(ContentError(f"'{where(path)}' is {value:g}; it must be between {low:g} and {high:g}",
                                 doc.at(path)))
    return min(max(value, low), high)


def _edition_type(doc: Document, data: dict, theme: Theme, problems: list) -> Theme:
    """The master theme with an edition's own type sizes: an edition with one language has
    room for larger type, which fills its panels and reads more easily."""
    body = data.get("body_size_pt", theme.body_size)
    leading = within(doc, ("type", "body_leading_pt"), data["body_leading_pt"], body, body * 2, problems) \
        if "body_leading_pt" in data else theme.body_leading * body / theme.body_size
    heading = within(doc, ("type", "heading_size_pt"), data["heading_size_pt"], body, 30, problems) \
        if "heading_size_pt" in data else theme.heading_size * body / theme.body_size
    return dataclasses.replace(theme, body_size=body, body_leading=leading, heading_size=heading)


def _edition_languages(doc: Document, data: list, texts: tuple[str, ...]) -> tuple[EditionLanguage, ...]:
    """Each entry: a tag whose text file is its own (en), or {tag: zh-Hant-TW, text: zh-Hant-HK}."""
    result = tuple(EditionLanguage(e["tag"], e["text"]) if isinstance(e, dict) else EditionLanguage(e, e)
                   for e in data)
    for i, lang in enumerate(result):
        if lang.text not in texts:
            raise ContentError(f"the master content has no text in {lang.text!r}", doc.at(("languages", i)),
                               fix=did_you_mean(lang.text, texts) or f"use one of: {', '.join(texts)}")
        if lang.tag in (other.tag for other in result[:i]):
            raise ContentError(f"the language {lang.tag!r} is listed twice", doc.at(("languages", i)),
                               fix="list each language once")
    return result


def _replacements(doc: Document, data, languages, leaflet: Leaflet) -> tuple[Replacement, ...]:
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
