"""Preflight: what one file's schema cannot see. Names that must agree across files (story
ids, reference ids, the text file a language names) and files the content points to
(images fit for print, a printer profile, paths that stay inside the leaflet's folder)."""
from __future__ import annotations

import dataclasses
from collections.abc import Collection
from pathlib import Path
from typing import Any

from ..errors import ContentError, Location
from .model import Leaflet, Reference
from .schema import FILE_NAME_PART, did_you_mean, safe_name, where
from .sources import Document, Path_

TEXT_FOLDER = "text"
MIN_PPI = 300  # commercial offset printing needs 300 pixels per inch at the placed size
PRINT_MODES = ("CMYK", "L")  # colour images must be CMYK; grey ones print on black alone


def leaflet_name(folder: Path) -> str:
    """The folder's name, which every PDF file name starts with."""
    name = folder.resolve().name
    if not safe_name(name, FILE_NAME_PART):
        raise ContentError(f"the content folder's name {name!r} starts every PDF file name, so it must be 1 to 64 "
                           f"letters, digits, dots, hyphens or underscores, starting with a letter or digit",
                           Location(folder), fix="rename the folder, e.g. lumirix")
    return name


def text_language(doc: Document, data: dict[str, Any], language: str) -> list[ContentError]:
    """A text file says the language its name says."""
    if data["language"] == language:
        return []
    return [ContentError(f"this file says language {data['language']!r} but its name says {language!r}",
                         doc.at(("language",)), fix="make them agree")]


def missing_story(stories: Collection[tuple[str, str]], language: str, story: str,
                  text: str | None = None) -> str | None:
    """The fix for a story id the text file of `language` lacks (None: it has it)."""
    if (language, story) in stories:
        return None
    known = [s for (lang, s) in stories if lang == language]
    return did_you_mean(story, known) or f"add the story to text/{text or language}.yaml or correct its id"


def story_ids(leaflet: Leaflet, doc: Document, known: set[tuple[str, str]]) -> list[ContentError]:
    """Stories that flows and back_stories name but the text files lack (`known`: every
    (language, id) written, including stories with problems of their own)."""
    problems = []
    for i, flow in enumerate(leaflet.flows):
        for j, story in enumerate(flow.stories):
            fix = missing_story(known, flow.language, story)
            if fix:
                problems.append(ContentError(f"flow {i + 1} names story '{story}', which text/{flow.language}.yaml "
                                             f"does not have", doc.at(("flows", i, "stories", j)), fix=fix))
    for j, story in enumerate(leaflet.back_stories):
        for language in leaflet.languages:
            fix = missing_story(known, language, story)
            if fix:
                problems.append(ContentError(f"back_stories names '{story}', which text/{language}.yaml does "
                                             f"not have", doc.at(("back_stories", j)), fix=fix))
    return problems


def panel_owners(leaflet: Leaflet) -> list[ContentError]:
    """A panel given to two flows."""
    problems = []
    used_panels: dict[str, int] = {}
    for i, flow in enumerate(leaflet.flows):
        for panel in flow.panels:
            if panel in used_panels:
                problems.append(ContentError(f"panel '{panel}' is used by flows {used_panels[panel] + 1} and "
                                             f"{i + 1}", flow.where, fix="give each panel to one flow"))
            used_panels[panel] = i
    return problems


def without_missing_stories(leaflet: Leaflet, known: set[tuple[str, str]]) -> Leaflet:
    """The leaflet with the stories its text files lack left out of flows and back_stories,
    so that `leaflet check` can go on to find what else is wrong (story_ids reports them)."""
    flows = tuple(dataclasses.replace(flow, stories=tuple(s for s in flow.stories if (flow.language, s) in known))
                  for flow in leaflet.flows)
    back = tuple(s for s in leaflet.back_stories if all((language, s) in known for language in leaflet.languages))
    return dataclasses.replace(leaflet, flows=flows, back_stories=back)


def reference_ids(references: tuple[Reference, ...]) -> list[ContentError]:
    problems = []
    seen: dict[str, int] = {}
    for i, ref in enumerate(references):
        if ref.id in seen:
            problems.append(ContentError(f"reference id '{ref.id}' is used twice (first at item {seen[ref.id] + 1})",
                                         ref.where, fix="give each reference its own id"))
        seen.setdefault(ref.id, i)
    return problems


def inside(doc: Document, path: Path_, name: str) -> Path:
    """A file the content names, relative to the leaflet's folder and inside it."""
    folder = (doc.file.parent.parent if doc.file.parent.name == TEXT_FOLDER else doc.file.parent).resolve()
    target = (folder / name).resolve()
    if not target.is_relative_to(folder):
        raise ContentError(f"'{where(path)}' points outside the content folder ({name})",
                           doc.at(path), fix="copy the file into the leaflet's folder and name it relative to it")
    if target.exists() and not target.is_file():
        raise ContentError(f"'{where(path)}' names something that is not a regular file: {name}",
                           doc.at(path), fix="name the file itself (relative to the leaflet's folder)")
    if not target.is_file():
        raise ContentError(f"'{where(path)}' names a file that does not exist: {name}", doc.at(path),
                           fix="correct the path (relative to the leaflet's folder)")
    return target


def image_pixels(file: Path, width_mm: float, at: Location, problems: list[ContentError]) -> tuple[int, int]:
    """The image's size in pixels; an image that would print badly is a problem in `problems`."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(file) as image:
            image.load()  # decodes every pixel: a damaged file fails here, not at print time
            mode, size = image.mode, image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ContentError(f"the image {file.name} cannot be read ({exc})", at,
                           fix="export the artwork again as JPEG (CMYK) or PNG") from None
    ppi = size[0] / (width_mm / 25.4)
    if ppi < MIN_PPI:
        problems.append(ContentError(
            f"the image {file.name} is {size[0]} pixels wide: {ppi:.0f} ppi at {width_mm:g} mm, below the "
            f"{MIN_PPI} ppi print minimum", at,
            fix=f"supply it at least {round(MIN_PPI * width_mm / 25.4)} pixels wide, or place it smaller"))
    if mode not in PRINT_MODES:
        problems.append(ContentError(
            f"the image {file.name} is {mode}, not CMYK or greyscale: its colours would shift on press", at,
            fix="convert it to CMYK with the print shop's profile (e.g. FOGRA39) before adding it"))
    return size


def printer_profile(file: Path, at: Location) -> Path:
    """A CMYK output (printer) ICC profile, judged by its header."""
    header = file.read_bytes()[:20]
    if len(header) < 20 or header[12:16] != b"prtr" or header[16:20] != b"CMYK":
        raise ContentError(f"{file.name} is not a CMYK printer (output) ICC profile", at,
                           fix="ask the print shop for the CMYK ICC profile of their press and paper")
    return file
