"""Load stage: content folder (YAML) -> validated Leaflet model.

Every file is read and checked against its schema first, so every problem in
every file is reported at once, each with its file, line and what to do; the
model is then built from checked values, and preflight compares the files.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, TypeVarTuple, cast

from . import parts, preflight, regions, schema
from ..errors import ContentError, LeafletError, Location, raise_all
from .catalogue import PROFILES, canonical_tag, face_tag
from .model import Agent, Approval, Format, Leaflet, OutputProfile, Story, Theme
from .preflight import TEXT_FOLDER
from .regions import REGIONS_FOLDER
from .sources import Document, read_yaml
from .stories import stories_of

T = TypeVar("T")
Ts = TypeVarTuple("Ts")

LEAFLET_FILE = "leaflet.yaml"
REFERENCES_FILE = "references.yaml"


class _Found:
    """Every content problem, so a reviewer sees them all in one pass; `usable` turns
    false at the first one nothing can be built past."""

    def __init__(self) -> None:
        self.problems: list[ContentError] = []
        self.usable = True

    def attempt(self, fn: Callable[[*Ts], T], *args: *Ts) -> T | None:
        """fn(*args), or None when it fails (the failure is recorded)."""
        try:
            return fn(*args)
        except ContentError as exc:
            self.problems.append(exc)
            self.usable = False
            return None

    def validated(self, doc: Document | None, root: schema.Mapping,
                  context: dict[str, Any] | None = None) -> dict[str, Any] | None:
        """The document's checked data, or None (its problems recorded)."""
        if doc is None:
            return None
        data, problems = schema.validate(doc, root, context)
        self.problems.extend(problems)
        self.usable = self.usable and data is not None
        return data

    def stop_unless_usable(self) -> None:
        if not self.usable:
            raise_all(sorted(self.problems, key=_order))


def load_leaflet(folder: Path, problems: list[LeafletError] | None = None) -> Leaflet:
    """The validated model. Every problem found is raised together; if a
    `problems` list is given, problems that still leave a usable model are
    added to it instead, so later stages can look for more (leaflet check)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ContentError("the content folder does not exist", Location(folder),
                           fix="give the path of a leaflet folder, e.g. content/lumirix")
    found = _Found()
    name = found.attempt(preflight.leaflet_name, folder) or "leaflet"
    main = found.attempt(_read, folder, folder / LEAFLET_FILE)
    # A leaflet without references.yaml has no references.
    refs_doc = found.attempt(_read, folder, folder / REFERENCES_FILE) if (folder / REFERENCES_FILE).exists() else None
    languages = _listed(main)
    master = found.validated(main, schema.LEAFLET_FILE, {"languages": languages})
    refs = found.validated(refs_doc, schema.REFERENCES_FILE) if refs_doc else {"references": []}
    texts = _text_files(folder, languages, found)  # checked even if leaflet.yaml is not
    editions = _region_files(folder, found)
    found.stop_unless_usable()
    assert main is not None and master is not None and refs is not None  # else stop_unless_usable raised
    leaflet = _master(folder, name, main, master, refs_doc, refs, texts, found)
    found.stop_unless_usable()
    built = {code: found.attempt(regions.region, doc, data, leaflet, found.problems)
             for code, (doc, data) in editions.items()}
    found.stop_unless_usable()
    leaflet = dataclasses.replace(leaflet, regions={code: r for code, r in built.items() if r is not None},
                                  files=leaflet.files + tuple(doc.file for doc, _ in editions.values()))
    if problems is None:
        raise_all(sorted(found.problems, key=_order))
    else:
        problems.extend(sorted(found.problems, key=_order))
    return leaflet


def _read(folder: Path, file: Path) -> Document:
    """A content file, refused when it (or a folder on its way) links outside the content folder."""
    if file.exists() and not file.resolve().is_relative_to(folder.resolve()):
        raise ContentError(f"this file leads, through a link, to {file.resolve()}, outside the content folder",
                           Location(file),
                           fix="copy the file (or folder) into the leaflet's folder instead of linking to it")
    return read_yaml(file)


def _order(problem: LeafletError) -> tuple[str, int]:
    where = problem.where
    return (str(where.file), where.line or 0) if where else ("", 0)


def _listed(main: Document | None) -> list[str]:
    """The language tags leaflet.yaml lists, in their usual spelling: what its agent and flows
    may name, and which text files there must be. None when the list is wrong, which is
    reported where it is, not again."""
    listed = main.data.get("languages") if main and isinstance(main.data, dict) else None
    if not isinstance(listed, list) or not all(isinstance(tag, str) and face_tag(tag) for tag in listed):
        return []
    return list(dict.fromkeys(map(canonical_tag, listed)))


def _text_files(folder: Path, languages: list[str], found: _Found) -> dict[str, tuple[Document, dict[str, Any]]]:
    """language -> (document, checked data) of its text file (left out when unreadable): one for
    each master language, however its file name is capitalised, then every other file in text/,
    which a region may name (`text: en-TW`)."""
    present = {canonical_tag(file.stem): file for file in sorted((folder / TEXT_FOLDER).glob("*.yaml"))}
    files = {language: present.pop(language, folder / TEXT_FOLDER / f"{language}.yaml") for language in languages}
    texts = {}
    for language, file in (files | present).items():
        if not file.exists() and present:  # a typo in the languages list, say, with the real file beside it
            found.attempt(_missing_text, file, language, present)
            continue
        doc = found.attempt(_read, folder, file)
        data = found.validated(doc, schema.TEXT_FILE)
        mismatch = preflight.text_language(doc, data, language) if doc is not None and data is not None else []
        if mismatch:
            found.problems.extend(mismatch)
            found.usable = False
        if doc is not None and data is not None:
            texts[language] = (doc, data)
    return texts


def _missing_text(file: Path, language: str, present: dict[str, Path]) -> None:
    meant = schema.closest(language, present)
    raise ContentError("the file does not exist", Location(file),
                       fix=f"create it, or correct '{language}' in leaflet.yaml's languages: did you mean '{meant}' "
                           f"(text/{present[meant].name} is there)?" if meant else "create it or correct the path")


def _region_files(folder: Path, found: _Found) -> dict[str, tuple[Document, dict[str, Any]]]:
    """code -> (document, checked data) of every regions/<code>.yaml that can be read."""
    files = {}
    for file in sorted((folder / REGIONS_FOLDER).glob("*.yaml")):
        if not schema.REGION_CODE.fullmatch(file.stem):
            found.attempt(_misnamed_region, file)
            continue
        doc = found.attempt(_read, folder, file)
        data = found.validated(doc, schema.REGION_FILE, {"languages": regions.edition_tags(doc and doc.data)})
        if doc is not None and data is not None:
            files[file.stem] = (doc, data)
    return files


def _misnamed_region(file: Path) -> None:
    raise ContentError("a region file is named by its region code: lower case letters and digits (hk.yaml, "
                       "sg.yaml)", Location(file), fix="rename the file")


def _master(folder: Path, name: str, main: Document, master: dict[str, Any], refs_doc: Document | None,
            refs: dict[str, Any], texts: dict[str, tuple[Document, dict[str, Any]]], found: _Found) -> Leaflet:
    """The master content from the checked files; the problems of its parts are recorded."""
    stories: dict[tuple[str, str], Story | None] = {}
    for language, (doc, data) in texts.items():
        stories.update(stories_of(doc, data, language, found.problems, found.attempt))
    references = parts.references(refs_doc, refs["references"], ("references",)) if refs_doc else ()
    found.problems.extend(preflight.reference_ids(references))
    leaflet = Leaflet(
        name=name, folder=folder, title=master["title"], languages=tuple(master["languages"]),
        approval=Approval(**master["approval"], where=main.at(("approval",))),
        format=_format(main, master["format"]),
        # None only when a problem is recorded: load stops before the leaflet is used
        theme=cast(Theme, found.attempt(_theme, main, master["theme"], found.problems)),
        cover=parts.cover(main, master.get("cover")),
        agents=cast(tuple[Agent, ...], found.attempt(parts.agents, main, master["agent"])) if "agent" in master else (),
        back_stories=tuple(master.get("back_stories", ())), flows=parts.flows(main, master["flows"]),
        stories={key: story for key, story in stories.items() if story is not None}, references=references,
        files=(main.file, *([refs_doc.file] if refs_doc else []), *(doc.file for doc, _ in texts.values())),
        legal=parts.legal(main, master.get("legal", ())),
        output=found.attempt(_output, main, master["print"]) if "print" in master else None)
    missing = preflight.story_ids(leaflet, main, set(stories))  # a broken story is reported already
    shared = preflight.panel_owners(leaflet)
    found.problems.extend(missing + shared)
    found.usable = found.usable and not shared
    return preflight.without_missing_stories(leaflet, set(stories)) if missing else leaflet


def _format(doc: Document, data: dict[str, Any]) -> Format:
    """The sheet, landscape (a named size or trim_mm); typeset/folds.py knows the folds and checks the name."""
    trim = schema.SHEETS[data["sheet"]] if "sheet" in data else tuple(data["trim_mm"])
    return Format(trim_mm=trim, bleed_mm=data["bleed_mm"], fold=data["fold"], fold_in_mm=data["fold_in_mm"],
                  safe_mm=data["safe_mm"], where=doc.at(("format", "fold")))


def _theme(doc: Document, data: dict[str, Any], problems: list[ContentError]) -> Theme:
    cmyk, spots = parts.colours(data["colours"])
    body, at = data["body_size_pt"], ("theme", "body_size_pt")
    leading, heading = data["body_leading_pt"], data["heading_size_pt"]
    if not any(p.where == doc.at(at) for p in problems):  # an invalid size is reported once, not again here
        # Patient-leaflet readability guidance: body text 9 pt at least, unless the leaflet sets its own floor.
        if body < data["min_body_pt"]:
            problems.append(ContentError(f"body text of {body:g} pt is below the readability minimum of "
                                         f"{data['min_body_pt']:g} pt", doc.at(at),
                                         fix=f"set body_size_pt to {data['min_body_pt']:g} or more"))
        leading = parts.within(doc, ("theme", "body_leading_pt"), leading, body, body * 2, problems)
    return Theme(colours=cmyk, body_size=body, body_leading=leading,
                 heading_size=parts.within(doc, ("theme", "heading_size_pt"), heading, body, 30, problems),
                 reference_size=data["reference_size_pt"], fonts=parts.theme_fonts(doc, data.get("fonts", {}),
                                                                                   ("theme", "fonts")),
                 spots=spots)


def _output(doc: Document, data: dict[str, Any]) -> OutputProfile:
    """The printing condition: a shipped profile by name, or the print shop's own, which wins."""
    if "profile_file" not in data:
        return PROFILES[data["output_intent"]]
    at = ("print", "profile_file")
    file = preflight.printer_profile(preflight.inside(doc, at, data["profile_file"]), doc.at(at))
    condition = data.get("condition", file.stem)
    return OutputProfile(condition, f"{condition} (print shop profile {file.name})", file)
