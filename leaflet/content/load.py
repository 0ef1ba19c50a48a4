"""Load stage: content folder (YAML) -> validated Leaflet model.

Every problem is reported with the file and line it comes from and what to do.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from pathlib import Path

from . import hygiene
from ..errors import ContentError, Location, raise_all
from .model import (Agent, Approval, BulletList, Citation, Cover, CoverLine, EditionLanguage, Figure, Flow, Format, Leaflet,
                    LegalLine, OutputProfile, Paragraph, Reference, Region, Replacement, Span, Story, Theme,
                    ThemeFont)
from .catalogue import DEFAULT_PROFILE, FACES, PROFILES, canonical_tag, face_tag
from .sources import Document, read_yaml

LEAFLET_FILE = "leaflet.yaml"
REGIONS_FOLDER = "regions"
REFERENCES_FILE = "references.yaml"
TEXT_FOLDER = "text"

SHEETS = {"A4": (297.0, 210.0), "A5": (210.0, 148.0), "letter": (279.4, 215.9)}  # landscape: folds cross the width
STATUSES = ("draft", "approved")
ADDED_KINDS = ("translation", "completion", "regional wording")
DEFAULT_MIN_BODY_PT = 9.0
MIN_PPI = 300  # commercial offset printing needs 300 pixels per inch at the placed size
PRINT_MODES = ("CMYK", "L")  # colour images must be CMYK; grey ones print on black alone

_CITATION = re.compile(r"\[@([^\]]*)\]")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
# Names that become part of output file names: one plain path component, never '..'.
_FILE_NAME_PART = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,63}")
_VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,31}")


class _Collector:
    """Gathers every content problem so a reviewer sees them all in one pass."""

    def __init__(self):
        self.problems: list[ContentError] = []

    def attempt(self, fn, *args):
        """fn(*args), or None when it fails (the failure is recorded)."""
        try:
            return fn(*args)
        except ContentError as exc:
            self.problems.append(exc)
            return None


def load_leaflet(folder: Path, problems: list | None = None) -> Leaflet:
    """The validated model. Every problem found is raised together; if a
    `problems` list is given, problems that still leave a usable model are
    added to it instead, so later stages can look for more (leaflet check)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ContentError("the content folder does not exist", Location(folder),
                           fix="give the path of a leaflet folder, e.g. content/lumirix")
    found = _Collector()
    name = found.attempt(leaflet_name, folder) or "leaflet"
    main = found.attempt(_read_content, folder, folder / LEAFLET_FILE)
    refs_doc, references = _optional_references(folder, found)
    if main is None:
        raise_all(found.problems)
    spec = found.attempt(_mapping, main, (), ("title", "languages", "approval", "format", "theme", "flows"),
                         ("cover", "agent", "back_stories", "legal", "print")) or {}
    languages = found.attempt(_languages, main, ("languages",)) if "languages" in spec else None
    stories, text_files, unreadable = _load_stories(folder, languages or (), found)
    parts = {
        "title": lambda: _text(main, ("title",)),
        "approval": lambda: _approval(main, ("approval",)),
        "format": lambda: _format(main, ("format",)),
        "theme": lambda: _theme(main, ("theme",)),
        "cover": lambda: _cover(main, ("cover",)) if "cover" in spec else Cover((), main.at(())),
        "agents": lambda: _agents(main, ("agent",), languages) if "agent" in spec else (),
        "flows": lambda: _flows(main, ("flows",), languages, found),
        "legal": lambda: _legal(main, ("legal",), languages) if "legal" in spec else (),
        "output": lambda: _output(main, ("print",)) if "print" in spec else None,
    }
    optional = ("legal", "output", "cover", "agents")
    values = {key: found.attempt(make) if (key in spec or key in optional) and languages else None
              for key, make in parts.items()}
    back = found.attempt(_id_list, main, ("back_stories",)) if "back_stories" in spec else []
    for doc in (main, refs_doc):
        found.problems.extend(doc.problems if doc else [])
    required = [v for k, v in values.items() if k != "output"]
    if None in required or references is None or languages is None:
        raise_all(sorted(found.problems, key=_order))
    broken = {key for key, story in stories.items() if story is None}
    stories = {key: story for key, story in stories.items() if story is not None}
    leaflet = Leaflet(name=name, folder=folder, languages=languages, back_stories=tuple(back),
                      stories=stories, references=references, files=(main.file, *([refs_doc.file] if refs_doc else []), *text_files),
                      **values)
    id_problems = _story_id_problems(leaflet, main, unreadable, broken)
    if id_problems or broken:  # later stages would look up the missing stories
        raise_all(sorted(found.problems + id_problems, key=_order))
    if unreadable:  # regions would only repeat what is missing
        raise_all(sorted(found.problems, key=_order))
    regions = _load_regions(folder, leaflet, found)
    if None in regions.values():
        raise_all(sorted(found.problems, key=_order))
    leaflet = dataclasses.replace(leaflet, regions=regions,
                                  files=leaflet.files + tuple(r.where.file for r in regions.values()))
    if problems is None:
        raise_all(sorted(found.problems, key=_order))
    else:
        problems.extend(sorted(found.problems, key=_order))
    return leaflet


def leaflet_name(folder: Path) -> str:
    """The folder's name, which every PDF file name starts with."""
    name = folder.resolve().name
    if not _safe_name(name, _FILE_NAME_PART):
        raise ContentError(f"the content folder's name {name!r} starts every PDF file name, so it must be 1 to 64 "
                           f"letters, digits, dots, hyphens or underscores, starting with a letter or digit",
                           Location(folder), fix="rename the folder, e.g. lumirix")
    return name


def _safe_name(name: str, pattern: re.Pattern) -> bool:
    return bool(pattern.fullmatch(name)) and ".." not in name


def _read_content(folder: Path, file: Path):
    """A content file, refused when it (or a folder on its way) links outside the content folder."""
    if file.exists() and not file.resolve().is_relative_to(folder.resolve()):
        raise ContentError(f"this file leads, through a link, to {file.resolve()}, outside the content folder",
                           Location(file),
                           fix="copy the file (or folder) into the leaflet's folder instead of linking to it")
    return read_yaml(file)


def _order(problem: ContentError):
    where = problem.where
    return (str(where.file), where.line or 0) if where else ("", 0)


# --- generic typed access -------------------------------------------------

def _get(doc: Document, path: tuple):
    value = doc.data
    for key in path:
        value = value[key]
    return value


def _describe(value) -> str:
    return {dict: "a mapping", list: "a list", str: "text", int: "a number", float: "a number",
            bool: "true/false", type(None): "nothing"}.get(type(value), type(value).__name__)


def _where(path: tuple) -> str:
    return ".".join(str(p) for p in path) or "the top level"


def _mapping(doc: Document, path: tuple, required=(), optional=(), open_keys=False) -> dict:
    """The mapping at `path`; unless `open_keys`, only the named keys are allowed."""
    value = _get(doc, path)
    if not isinstance(value, dict):
        raise ContentError(f"'{_where(path)}' must be a mapping of keys, not {_describe(value)}", doc.at(path))
    allowed = (*required, *optional)
    misspelt: dict[str, str] = {}
    for key in [] if open_keys else value:
        if key not in allowed:
            # Recorded, not raised: the rest of the mapping is still worth checking.
            guess = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"did you mean '{guess[0]}'?" if guess else f"allowed keys: {', '.join(allowed)}"
            doc.problems.append(ContentError(f"unknown key '{key}' in '{_where(path)}'", doc.at(path + (key,)),
                                             fix=hint))
            if guess:
                misspelt[guess[0]] = key
    for key in required:
        if key not in value:
            if key in misspelt:
                # Already reported as a typo: read on with the misspelt key's value.
                value[key] = value[misspelt[key]]
                _alias(doc, path + (misspelt[key],), path + (key,))
                continue
            raise ContentError(f"'{_where(path)}' is missing the required key '{key}'", doc.at(path),
                               fix=f"add '{key}:'")
    return value


def _alias(doc: Document, old: tuple, new: tuple) -> None:
    """Make the lines recorded under `old` answer for `new` too."""
    for recorded, line in list(doc.lines.items()):
        if recorded[: len(old)] == old:
            doc.lines[new + recorded[len(old):]] = line


def _list(doc: Document, path: tuple, min_items: int = 1) -> list:
    value = _get(doc, path)
    if not isinstance(value, list):
        raise ContentError(f"'{_where(path)}' must be a list, not {_describe(value)}", doc.at(path),
                           fix="write one item per line, each starting with '- '")
    if len(value) < min_items:
        raise ContentError(f"'{_where(path)}' is empty", doc.at(path), fix="add at least one item")
    return value


# Value checks below record their problem and return a stand-in, so that one
# pass finds every wrong value; load_leaflet then reports them all together.

def _text(doc: Document, path: tuple) -> str:
    value = _get(doc, path)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        doc.problems.append(ContentError(f"'{_where(path)}' must be text, not {_describe(value)}", doc.at(path),
                                         fix="put the text in quotes if it looks like a number, date or "
                                             "true/false"))
        return "?"
    return " ".join(_clean(doc, path, value).split())


def _clean(doc: Document, path: tuple, value: str) -> str:
    """NFC text; each unwanted character is recorded as a problem at its line and left out."""
    value = hygiene.normalise(value)
    found = hygiene.flaws(value)
    owner = f"story '{path[1]}'" if path[:1] == ("stories",) and len(path) > 1 else f"'{_where(path)}'"
    for flaw in found:
        doc.problems.append(ContentError(f"{owner} contains {flaw.message}", doc.line_of(path, flaw.char),
                                         fix=flaw.fix))
    return hygiene.without(value, found) if found else value


def _number(doc: Document, path: tuple, low: float, high: float) -> float:
    value = _get(doc, path)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        doc.problems.append(ContentError(f"'{_where(path)}' must be a number, not {_describe(value)}",
                                         doc.at(path)))
        return float(low)
    if not low <= value <= high:
        doc.problems.append(ContentError(f"'{_where(path)}' is {value}; it must be between {low:g} and {high:g}",
                                         doc.at(path)))
        return float(min(max(value, low), high))
    return float(value)


def _choice(doc: Document, path: tuple, choices: tuple[str, ...]) -> str:
    value = _get(doc, path)
    if value not in choices:
        doc.problems.append(ContentError(f"'{_where(path)}' is {value!r}; it must be one of: {', '.join(choices)}",
                                         doc.at(path)))
        return choices[0]
    return value


def _id_list(doc: Document, path: tuple, min_items: int = 1) -> list[str]:
    items = _list(doc, path, min_items)
    for i, item in enumerate(items):
        if not isinstance(item, str) or not _ID.fullmatch(item):
            raise ContentError(f"'{_where(path + (i,))}' must be an id in lower case letters, digits and "
                               f"hyphens, not {item!r}", doc.at(path + (i,)))
    return items


# --- the leaflet file -----------------------------------------------------

def _languages(doc: Document, path: tuple) -> tuple[str, ...]:
    languages = [_tag(doc, path + (i,)) for i in range(len(_list(doc, path)))]
    if len(set(languages)) != len(languages):
        raise ContentError("a language is listed twice", doc.at(path))
    return tuple(languages)


def _tag(doc: Document, path: tuple) -> str:
    """A language tag in its usual spelling (zh-hant-hk -> zh-Hant-HK) that has a pinned face,
    its own or that of a shorter tag (en-TW is set like en)."""
    return _tag_of(str(_get(doc, path)), doc.at(path))


def _tag_of(tag: str, where: Location) -> str:
    canonical = canonical_tag(tag)
    if face_tag(canonical) is None:
        guess = difflib.get_close_matches(canonical, FACES, n=1, cutoff=0.5)
        raise ContentError(f"language {tag!r} has no pinned font", where,
                           fix=(f"did you mean {guess[0]}? " if guess else "") + f"use one of: {', '.join(FACES)}, "
                               f"or one of them with a region (en-TW is set like en)")
    return canonical


def _language(doc: Document, path: tuple, languages) -> str:
    """One of `languages`, however its tag is capitalised."""
    value = _get(doc, path)
    if isinstance(value, str) and canonical_tag(value) in languages:
        return canonical_tag(value)
    return _choice(doc, path, tuple(languages))


APPROVAL_FIELDS = ("job_code", "version", "date_of_preparation", "status")


def _approval(doc: Document, path: tuple) -> Approval:
    spec = _mapping(doc, path, required=APPROVAL_FIELDS)
    return Approval(**_approval_fields(doc, path, spec), where=doc.at(path))


def _approval_fields(doc: Document, path: tuple, spec: dict) -> dict:
    """The approval fields `spec` holds, each checked."""
    fields = {}
    if "job_code" in spec:
        fields["job_code"] = _text(doc, path + ("job_code",))
    if "version" in spec:
        fields["version"] = _version(doc, path + ("version",))
    if "date_of_preparation" in spec:
        date = _get(doc, path + ("date_of_preparation",))
        if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
            doc.problems.append(ContentError("'approval.date_of_preparation' must be a date written as YYYY-MM-DD",
                                             doc.at(path + ("date_of_preparation",))))
            date = dt.date(1970, 1, 1)
        fields["date_of_preparation"] = date
    if "status" in spec:
        fields["status"] = _choice(doc, path + ("status",), STATUSES)
    return fields


def _version(doc: Document, path: tuple) -> str:
    """The version, which is part of every PDF file name: never a path."""
    version = _text(doc, path)
    if not _safe_name(version, _VERSION):
        doc.problems.append(ContentError(
            f"'approval.version' is {version!r}; it is part of the PDF file names, so it must be 1 to 32 letters, "
            f"digits, dots, hyphens or underscores, starting with a letter or digit", doc.at(path),
            fix='write the version like "1.0" or "2.1-rc1"'))
        return "0"
    return version


def _format(doc: Document, path: tuple) -> Format:
    values = _mapping(doc, path, required=("bleed_mm", "fold"), optional=("sheet", "trim_mm", "fold_in_mm", "safe_mm"))
    return Format(
        trim_mm=_trim(doc, path, values),
        bleed_mm=_number(doc, path + ("bleed_mm",), 0, 10),
        fold=_text(doc, path + ("fold",)),  # typeset/folds.py knows the folds and checks the name
        fold_in_mm=_number(doc, path + ("fold_in_mm",), 0, 10) if "fold_in_mm" in values else 3.0,
        safe_mm=_number(doc, path + ("safe_mm",), 3, 30) if "safe_mm" in values else 5.0,
        where=doc.at(path + ("fold",)),
    )


def _trim(doc: Document, path: tuple, values: dict) -> tuple[float, float]:
    """The trimmed sheet, landscape: a named sheet size, or trim_mm [width, height]."""
    if ("sheet" in values) == ("trim_mm" in values):
        raise ContentError("'format' must give either 'sheet' or 'trim_mm', not both or neither", doc.at(path),
                           fix=f"e.g. 'sheet: A4' ({', '.join(SHEETS)}) or 'trim_mm: [297, 210]'")
    if "sheet" in values:
        return SHEETS[_choice(doc, path + ("sheet",), tuple(SHEETS))]
    trim = _list(doc, path + ("trim_mm",))
    if len(trim) != 2:
        raise ContentError("'format.trim_mm' must be [width, height] in mm", doc.at(path + ("trim_mm",)))
    return _number(doc, path + ("trim_mm", 0), 50, 1000), _number(doc, path + ("trim_mm", 1), 50, 1000)


def _theme(doc: Document, path: tuple) -> Theme:
    spec = _mapping(doc, path, required=("colours", "body_size_pt", "body_leading_pt", "heading_size_pt",
                                         "reference_size_pt"), optional=("fonts", "min_body_pt"))
    cmyk, spots = _colours(doc, path + ("colours",), required=("brand", "brand_dark", "accent", "tint"))
    # Patient-leaflet readability guidance: body text 9 pt at least, unless the leaflet sets its own floor.
    minimum = _number(doc, path + ("min_body_pt",), 6, 14) if "min_body_pt" in spec else DEFAULT_MIN_BODY_PT
    known = len(doc.problems)
    body = _number(doc, path + ("body_size_pt",), 6, 14)
    body_valid = len(doc.problems) == known  # an invalid size is reported once, not again below
    if body < minimum and body_valid:
        doc.problems.append(ContentError(f"body text of {body:g} pt is below the readability minimum of "
                                         f"{minimum:g} pt", doc.at(path + ("body_size_pt",)),
                                         fix=f"set body_size_pt to {minimum:g} or more"))
    return Theme(colours=cmyk, body_size=body,
                 body_leading=_number(doc, path + ("body_leading_pt",), *((body, body * 2) if body_valid else (6, 28))),
                 heading_size=_number(doc, path + ("heading_size_pt",), body, 30),
                 reference_size=_number(doc, path + ("reference_size_pt",), 6, 12),
                 fonts=_theme_fonts(doc, path + ("fonts",)) if "fonts" in spec else {}, spots=spots)


def _colours(doc: Document, path: tuple, required: tuple[str, ...]) -> tuple[dict, dict]:
    """Named CMYK colours (0..1), and the spot (separation) name of each spot colour."""
    colours = _mapping(doc, path, required=required, open_keys=True)
    cmyk, spots = {}, {}
    for name in colours:
        at = path + (name,)
        if isinstance(colours[name], dict):  # a spot colour: its own plate, with a CMYK alternate
            _mapping(doc, at, required=("cmyk", "spot"))
            spot = _text(doc, at + ("spot",))
            at = at + ("cmyk",)
        else:
            spot = None
        parts = _list(doc, at)
        if len(parts) != 4:
            raise ContentError(f"colour '{name}' must be four CMYK percentages [C, M, Y, K]", doc.at(at))
        cmyk[name] = tuple(_number(doc, at + (i,), 0, 100) / 100 for i in range(4))
        if spot:
            spots[cmyk[name]] = spot
    return cmyk, spots


def _theme_fonts(doc: Document, path: tuple) -> dict[str, ThemeFont]:
    """Brand typefaces per language: font files inside the content folder."""

    fonts = {}
    for key in _mapping(doc, path, open_keys=True):
        language = _tag_of(str(key), doc.at(path + (key,)))
        spec = _mapping(doc, path + (key,), required=("regular", "bold"), optional=("face_index",))
        index = int(_number(doc, path + (key, "face_index"), 0, 255)) if "face_index" in spec else 0
        fonts[language] = ThemeFont(_inside(doc, path + (key, "regular")),
                                    _inside(doc, path + (key, "bold")), index, doc.at(path + (key,)))
    return fonts


def _inside(doc: Document, path: tuple) -> Path:
    """A file path from the content, relative to the leaflet's folder and inside it."""
    folder = (doc.file.parent.parent if doc.file.parent.name == TEXT_FOLDER else doc.file.parent).resolve()
    target = (folder / _text(doc, path)).resolve()
    if not target.is_relative_to(folder):
        raise ContentError(f"'{_where(path)}' points outside the content folder ({_get(doc, path)})",
                           doc.at(path), fix="copy the file into the leaflet's folder and name it relative to it")
    if target.exists() and not target.is_file():
        raise ContentError(f"'{_where(path)}' names something that is not a regular file: {_get(doc, path)}",
                           doc.at(path), fix="name the file itself (relative to the leaflet's folder)")
    if not target.is_file():
        raise ContentError(f"'{_where(path)}' names a file that does not exist: {_get(doc, path)}", doc.at(path),
                           fix="correct the path (relative to the leaflet's folder)")
    return target


COVER_PARTS = ("title", "tagline", "product", "descriptor")  # in the order they print, top to bottom


def _cover(doc: Document, path: tuple) -> Cover:
    """The cover's text. Every part is optional, and each is either the same in every
    edition or given per language: `product: {en: Lumirix®, zh-Hant-HK: 蘆可替尼®}`.
    A tagline is a list of lines (or one line)."""
    spec = _mapping(doc, path, optional=COVER_PARTS)
    lines = []
    for part in COVER_PARTS:
        if part not in spec:
            continue
        at = path + (part,)
        variants = [(_tag_of(str(key), doc.at(at + (key,))), at + (key,)) for key in _mapping(doc, at, open_keys=True)] \
            if isinstance(spec[part], dict) else [(None, at)]
        for language, variant in variants:
            texts = [variant + (i,) for i in range(len(_list(doc, variant)))] \
                if part == "tagline" and isinstance(_get(doc, variant), list) else [variant]
            lines.extend(CoverLine(part, _text(doc, text), language, doc.at(text)) for text in texts)
    return Cover(tuple(lines), doc.at(path))


def _agents(doc: Document, path: tuple, languages: tuple[str, ...]) -> tuple[Agent, ...]:
    """The agent block, or a list of blocks, one per language (a bilingual back panel)."""
    if not isinstance(_get(doc, path), list):
        return (_agent(doc, path, languages),)
    agents = tuple(_agent(doc, path + (i,), languages) for i in range(len(_list(doc, path))))
    for i, agent in enumerate(agents):
        if agent.language in (a.language for a in agents[:i]):
            raise ContentError(f"a second agent block in {agent.language}", doc.at(path + (i,)),
                               fix="give each language one agent block")
    return agents


def _agent(doc: Document, path: tuple, languages: tuple[str, ...]) -> Agent:
    _mapping(doc, path, required=("language", "lines"))
    language = _language(doc, path + ("language",), languages)
    lines = tuple(_text(doc, path + ("lines", i)) for i in range(len(_list(doc, path + ("lines",)))))
    return Agent(language=language, lines=lines, where=doc.at(path))


def _flows(doc: Document, path: tuple, languages: tuple[str, ...], found: _Collector) -> tuple[Flow, ...]:
    flows = [found.attempt(_flow, doc, path + (i,), languages) for i in range(len(_list(doc, path)))]
    if None in flows:
        raise ContentError("a flow is invalid (see above)", doc.at(path))
    return tuple(flows)


def _flow(doc: Document, path: tuple, languages: tuple[str, ...]) -> Flow:
    """One flow; its panels are checked against the fold by typeset/folds.py (none: the fold's default)."""
    spec = _mapping(doc, path, required=("language", "stories"), optional=("panels",))
    count = len(_list(doc, path + ("panels",))) if "panels" in spec else 0
    return Flow(language=_language(doc, path + ("language",), languages),
                panels=tuple(_text(doc, path + ("panels", i)) for i in range(count)),
                stories=tuple(_id_list(doc, path + ("stories",))), where=doc.at(path),
                panel_where=tuple(doc.at(path + ("panels", i)) for i in range(count)))


def _story_id_problems(leaflet: Leaflet, doc: Document, unreadable: set[str], broken: set) -> list[ContentError]:
    """Stories named by flows that do not exist; languages whose file could not be read,
    and stories with problems of their own, are already reported, not again here."""
    problems = []
    used_panels: dict[str, int] = {}
    for i, flow in enumerate(leaflet.flows):
        for j, story in enumerate(flow.stories):
            known = (flow.language, story) in leaflet.stories or (flow.language, story) in broken
            if not known and flow.language not in unreadable:
                problems.append(ContentError(f"flow {i + 1} names story '{story}', which text/{flow.language}.yaml "
                                             f"does not have", doc.at(("flows", i, "stories", j)),
                                             fix="add the story or correct its id"))
        for panel in flow.panels:
            if panel in used_panels:
                problems.append(ContentError(f"panel '{panel}' is used by flows {used_panels[panel] + 1} and "
                                             f"{i + 1}", flow.where, fix="give each panel to one flow"))
            used_panels[panel] = i
    for j, story in enumerate(leaflet.back_stories):
        for language in leaflet.languages:
            known = (language, story) in leaflet.stories or (language, story) in broken
            if not known and language not in unreadable:
                problems.append(ContentError(f"back_stories names '{story}', which text/{language}.yaml does "
                                             f"not have", doc.at(("back_stories", j)),
                                             fix="add the story or correct its id"))
    return problems


# --- text files -------------------------------------------------------------

def _text_files(folder: Path, languages: tuple[str, ...]) -> dict[str, Path]:
    """language -> its text file: one for each master language, however its file name is
    capitalised, then every other file in text/, which a region may name (`text: en-TW`)."""
    present = {canonical_tag(file.stem): file for file in sorted((folder / TEXT_FOLDER).glob("*.yaml"))}
    files = {language: present.pop(language, folder / TEXT_FOLDER / f"{language}.yaml") for language in languages}
    return files | present


def _load_stories(folder: Path, languages: tuple[str, ...], found: _Collector):
    stories: dict[tuple[str, str], Story] = {}
    files = []
    unreadable = set()
    for language, file in (_text_files(folder, languages) if languages else {}).items():
        doc = found.attempt(_read_content, folder, file)
        if doc is None or not found.attempt(_load_text_file, doc, language, stories, found):
            unreadable.add(language)
        if doc is not None:
            files.append(doc.file)
            found.problems.extend(doc.problems)
    return stories, files, unreadable


def _load_text_file(doc: Document, language: str, stories: dict, found: _Collector) -> bool:
    spec = _mapping(doc, (), required=("language", "stories"), optional=("added", "note", "approved"))
    if canonical_tag(str(_get(doc, ("language",)))) != language:
        raise ContentError(f"this file says language {_get(doc, ('language',))!r} but its name says "
                           f"{language!r}", doc.at(("language",)), fix="make them agree")
    # A whole file can be added wording (a translation of the source), marked once at the top.
    file_added = _choice(doc, ("added",), ADDED_KINDS) if "added" in spec else None
    file_approved = _text(doc, ("approved",)) if "approved" in spec else None
    if "note" in spec:
        _text(doc, ("note",))
    _mapping(doc, ("stories",), open_keys=True)
    for story_id in _get(doc, ("stories",)):
        if not isinstance(story_id, str) or not _ID.fullmatch(story_id):
            found.problems.append(ContentError(f"story id {story_id!r} must be lower case letters, digits and "
                                               f"hyphens", doc.at(("stories", story_id))))
            continue
        story = found.attempt(_story, doc, ("stories", story_id), language, (file_added, file_approved))
        # A story with a problem is kept out, but known, so flows naming it raise no second error.
        stories[(language, story_id)] = story
    return True


def _story(doc: Document, path: tuple, language: str, added: tuple) -> Story:
    spec = _mapping(doc, path, required=("body",), optional=("heading",))
    heading = _paragraph(doc, path + ("heading",), added, allow_citations=False) if "heading" in spec else None
    body = _list(doc, path + ("body",))
    blocks = []
    for i, item in enumerate(body):
        if isinstance(item, dict) and "bullets" in item:
            _mapping(doc, path + ("body", i), required=("bullets",))
            items = _list(doc, path + ("body", i, "bullets"))
            blocks.append(BulletList(tuple(_paragraph(doc, path + ("body", i, "bullets", j), added)
                                           for j in range(len(items))), doc.at(path + ("body", i))))
        elif isinstance(item, dict) and "figure" in item:
            _mapping(doc, path + ("body", i), required=("figure",))
            blocks.append(_figure(doc, path + ("body", i, "figure"), added))
        else:
            blocks.append(_paragraph(doc, path + ("body", i), added))
    return Story(id=path[-1], language=language, heading=heading, blocks=tuple(blocks), where=doc.at(path))


def _figure(doc: Document, path: tuple, added: tuple) -> Figure:
    """A figure: an image file inside the content folder, fit for print at its placed width."""
    spec = _mapping(doc, path, required=("file", "width_mm"), optional=("caption",))
    file = _inside(doc, path + ("file",))
    width_mm = _number(doc, path + ("width_mm",), 10, 300)
    caption = _paragraph(doc, path + ("caption",), added) if "caption" in spec else None
    where = doc.at(path + ("file",))
    pixels = _image_pixels(file, width_mm, where, doc)
    return Figure(file, width_mm, pixels, caption, where)


def _image_pixels(file: Path, width_mm: float, where: Location, doc: Document) -> tuple[int, int]:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(file) as image:
            image.load()  # decodes every pixel: a damaged file fails here, not at print time
            mode, size = image.mode, image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ContentError(f"the image {file.name} cannot be read ({exc})", where,
                           fix="export the artwork again as JPEG (CMYK) or PNG") from None
    ppi = size[0] / (width_mm / 25.4)
    if ppi < MIN_PPI:
        doc.problems.append(ContentError(
            f"the image {file.name} is {size[0]} pixels wide: {ppi:.0f} ppi at {width_mm:g} mm, below the "
            f"{MIN_PPI} ppi print minimum", where,
            fix=f"supply it at least {round(MIN_PPI * width_mm / 25.4)} pixels wide, or place it smaller"))
    if mode not in PRINT_MODES:
        doc.problems.append(ContentError(
            f"the image {file.name} is {mode}, not CMYK or greyscale: its colours would shift on press", where,
            fix="convert it to CMYK with the print shop's profile (e.g. FOGRA39) before adding it"))
    return size


def _paragraph(doc: Document, path: tuple, added: tuple, allow_citations: bool = True) -> Paragraph:
    """A paragraph: plain text, or a mapping with text, how it was added and its approval.
    `added` is the (kind, approval) the file as a whole declares."""
    value = _get(doc, path)
    text_path = path
    added, approved = added
    if isinstance(value, dict):
        spec = _mapping(doc, path, required=("text",), optional=("added", "note", "approved"))
        added = _choice(doc, path + ("added",), ADDED_KINDS) if "added" in spec else added
        approved = _text(doc, path + ("approved",)) if "approved" in spec else approved
        if "note" in spec:
            _text(doc, path + ("note",))
        text_path = path + ("text",)
    text = _text(doc, text_path)
    where = doc.at(text_path)
    inlines = _inlines(text, where)
    if not allow_citations and any(isinstance(i, Citation) for i in inlines):
        raise ContentError("a heading cannot cite a reference", where, fix="move the citation into the text")
    return Paragraph(inlines=inlines, where=where, added=added, approved=approved)


def _inlines(text: str, where: Location) -> tuple:
    """Split text into spans and citations: '**bold**' and '[@id]' / '[@a, @b]'."""
    inlines = []
    pos = 0
    for match in _CITATION.finditer(text):
        inlines.extend(_spans(text[pos:match.start()], where))
        ids = tuple(part.strip().lstrip("@").strip() for part in re.split(r"[;,]", match.group(1)))
        if not all(_ID.fullmatch(i) for i in ids):
            raise ContentError(f"the citation {match.group(0)!r} is not a list of reference ids", where,
                               fix="write citations as [@id] or [@id1, @id2]")
        inlines.append(Citation(ids, where))
        pos = match.end()
    inlines.extend(_spans(text[pos:], where))
    return tuple(inlines)


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


# --- references -------------------------------------------------------------

def _optional_references(folder: Path, found: _Collector):
    """references.yaml and its list; a leaflet without the file has no references."""
    if not (folder / REFERENCES_FILE).exists():
        return None, ()
    doc = found.attempt(_read_content, folder, folder / REFERENCES_FILE)
    if doc is None:
        return None, None
    def listed():
        _mapping(doc, (), required=("references",))
        return _references(doc, ("references",))

    return doc, found.attempt(listed)


def _references(doc: Document, path: tuple) -> tuple[Reference, ...]:
    """A list of references, which may be empty."""
    refs: list[Reference] = []
    seen: dict[str, int] = {}
    failed = []
    for i in range(len(_list(doc, path, min_items=0))):
        try:
            ref = _reference(doc, path + (i,))
        except ContentError as exc:
            failed.append(exc)
            continue
        if ref.id in seen:
            failed.append(ContentError(f"reference id '{ref.id}' is used twice (first at item {seen[ref.id] + 1})",
                                       ref.where, fix="give each reference its own id"))
        seen[ref.id] = i
        refs.append(ref)
    doc.problems.extend(failed)
    return tuple(refs)


def _reference(doc: Document, path: tuple) -> Reference:
    spec = _mapping(doc, path, required=("id", "text"), optional=("uncited",))
    ref_id = spec["id"]
    if not isinstance(ref_id, str) or not _ID.fullmatch(ref_id):
        raise ContentError(f"reference id {ref_id!r} must be lower case letters, digits and hyphens",
                           doc.at(path + ("id",)))
    uncited = _text(doc, path + ("uncited",)) if "uncited" in spec else None
    return Reference(ref_id, _text(doc, path + ("text",)), doc.at(path), uncited)


# --- regional editions ----------------------------------------------------------

_REGION_CODE = re.compile(r"[a-z][a-z0-9]{1,7}")


def _legal(doc: Document, path: tuple, languages) -> tuple[LegalLine, ...]:
    """Regional legal lines, each in one of the edition's languages."""
    tags = [lang.tag if isinstance(lang, EditionLanguage) else lang for lang in languages]
    lines = []
    for i in range(len(_list(doc, path))):
        _mapping(doc, path + (i,), required=("language", "text"))
        lines.append(LegalLine(_language(doc, path + (i, "language"), tuple(tags)), _text(doc, path + (i, "text")),
                               doc.at(path + (i,))))
    return tuple(lines)


def _load_regions(folder: Path, leaflet: Leaflet, found: _Collector) -> dict[str, Region | None]:
    """Every regions/<code>.yaml; a region with a problem maps to None (its problems are recorded)."""
    regions: dict[str, Region | None] = {}
    for file in sorted((folder / REGIONS_FOLDER).glob("*.yaml")):
        if not _REGION_CODE.fullmatch(file.stem):
            found.problems.append(ContentError("a region file is named by its region code: lower case letters "
                                               "and digits (hk.yaml, sg.yaml)", Location(file),
                                               fix="rename the file"))
            continue
        doc = found.attempt(_read_content, folder, file)
        regions[file.stem] = found.attempt(_region, doc, leaflet, found) if doc else None
        if doc:
            found.problems.extend(doc.problems)
    return regions


REGION_PARTS = ("job_code", "agent", "legal", "replace", "flows", "type", "theme", "approval", "cover",
                "back_stories", "references")


def _region(doc: Document, leaflet: Leaflet, found: _Collector) -> Region:
    spec = _mapping(doc, (), required=("name", "languages"), optional=REGION_PARTS)
    languages = _edition_languages(doc, ("languages",), leaflet)
    tags = tuple(lang.tag for lang in languages)
    flows = _flows(doc, ("flows",), tags, found) if "flows" in spec else None
    if flows is None:
        master = list(dict.fromkeys(flow.language for flow in leaflet.flows))
        if len(master) != len(tags):
            raise ContentError(f"this edition has {len(tags)} language(s) and the master's flows have "
                               f"{len(master)}, so they cannot be matched in order", doc.at(("languages",)),
                               fix="give the region its own 'flows:'")
    region = Region(code=doc.file.stem, name=_text(doc, ("name",)), languages=languages,
                    approval=_region_approval(doc, spec, leaflet.approval),
                    agents=_agents(doc, ("agent",), tags) if "agent" in spec else None,
                    legal=_legal(doc, ("legal",), languages) if "legal" in spec else (),
                    replacements=_replacements(doc, ("replace",), languages, leaflet) if "replace" in spec else (),
                    flows=flows, where=doc.at(()), theme=_region_theme(doc, spec, leaflet.theme),
                    cover=_cover(doc, ("cover",)) if "cover" in spec else None,
                    back_stories=_region_back_stories(doc, languages, leaflet) if "back_stories" in spec else None,
                    references=_references(doc, ("references",)) if "references" in spec else None)
    texts = {lang.tag: lang.text for lang in languages}
    for i, flow in enumerate(flows or ()):
        for j, story in enumerate(flow.stories):
            if (texts[flow.language], story) not in leaflet.stories:
                raise ContentError(f"flow {i + 1} names story '{story}', which text/{texts[flow.language]}.yaml "
                                   f"does not have", doc.at(("flows", i, "stories", j)),
                                   fix="add the story or correct its id")
    return region


# --- what a region sets for itself, over the master ---------------------------------

def _region_approval(doc: Document, spec: dict, master: Approval) -> Approval:
    """The master's approval data with the edition's own: `job_code:`, or any of `approval:`."""
    fields = _approval_fields(doc, ("approval",), _mapping(doc, ("approval",), optional=APPROVAL_FIELDS)) \
        if "approval" in spec else {}
    if "job_code" in spec:
        fields["job_code"] = _text(doc, ("job_code",))
    where = doc.at(("approval",) if "approval" in spec else ("job_code",) if "job_code" in spec else ())
    return dataclasses.replace(master, **fields, where=where) if fields else master


def _region_theme(doc: Document, spec: dict, theme: Theme) -> Theme | None:
    """The master theme with the edition's own type sizes (`type:`), colours and brand fonts
    (`theme:`); None when it sets none of them."""
    if "type" not in spec and "theme" not in spec:
        return None
    if "type" in spec:
        theme = _region_type(doc, ("type",), theme)
    own = _mapping(doc, ("theme",), optional=("colours", "fonts")) if "theme" in spec else {}
    if "colours" in own:
        colours, spots = _colours(doc, ("theme", "colours"), required=())
        theme = dataclasses.replace(theme, colours=theme.colours | colours, spots=theme.spots | spots)
    if "fonts" in own:
        theme = dataclasses.replace(theme, fonts=theme.fonts | _theme_fonts(doc, ("theme", "fonts")))
    return theme


def _region_back_stories(doc: Document, languages, leaflet: Leaflet) -> tuple[str, ...]:
    """The edition's own back-panel stories ([] for none), each in every one of its languages."""
    ids = _id_list(doc, ("back_stories",), min_items=0)
    for j, story in enumerate(ids):
        for lang in languages:
            if (lang.text, story) not in leaflet.stories:
                raise ContentError(f"back_stories names '{story}', which text/{lang.text}.yaml does not have",
                                   doc.at(("back_stories", j)), fix="add the story or correct its id")
    return tuple(ids)


def _region_type(doc: Document, path: tuple, theme: Theme) -> Theme:
    """The master theme with an edition's own type sizes: an edition with one language has
    room for larger type, which fills its panels and reads more easily."""
    spec = _mapping(doc, path, optional=("body_size_pt", "body_leading_pt", "heading_size_pt"))
    body = _number(doc, path + ("body_size_pt",), DEFAULT_MIN_BODY_PT, 14) \
        if "body_size_pt" in spec else theme.body_size
    leading = _number(doc, path + ("body_leading_pt",), body, body * 2) if "body_leading_pt" in spec \
        else theme.body_leading * body / theme.body_size
    heading = _number(doc, path + ("heading_size_pt",), body, 30) if "heading_size_pt" in spec \
        else theme.heading_size * body / theme.body_size
    return dataclasses.replace(theme, body_size=body, body_leading=leading, heading_size=heading)


def _edition_languages(doc: Document, path: tuple, leaflet: Leaflet) -> tuple[EditionLanguage, ...]:
    """Each entry: a tag whose text file is its own (en), or a tag set in its glyph standard with
    the text of another file in text/ ({tag: zh-Hant-TW, text: zh-Hant-HK}, {tag: en, text: en-TW})."""
    texts = tuple(dict.fromkeys((*leaflet.languages, *(language for language, _ in leaflet.stories))))
    result = []
    for i, entry in enumerate(_list(doc, path)):
        if isinstance(entry, dict):
            _mapping(doc, path + (i,), required=("tag", "text"))
            tag, text = _tag(doc, path + (i, "tag")), canonical_tag(_text(doc, path + (i, "text")))
        else:
            tag = text = _tag(doc, path + (i,))
        if text not in texts:
            raise ContentError(f"the content has no text in {text!r} (no text/{text}.yaml)", doc.at(path + (i,)),
                               fix=f"add text/{text}.yaml, or use one of: {', '.join(texts)}")
        result.append(EditionLanguage(tag, text))
    if len({lang.tag for lang in result}) != len(result):
        raise ContentError("a language is listed twice", doc.at(path))
    return tuple(result)


def _replacements(doc: Document, path: tuple, languages, leaflet: Leaflet) -> tuple[Replacement, ...]:
    texts = {lang.tag: lang.text for lang in languages}
    result = []
    for i in range(len(_list(doc, path))):
        at = path + (i,)
        spec = _mapping(doc, at, required=("language", "find", "replace"), optional=("story", "approved"))
        language = _language(doc, at + ("language",), tuple(texts))
        story = _text(doc, at + ("story",)) if "story" in spec else None
        if story is not None and (texts[language], story) not in leaflet.stories:
            raise ContentError(f"replacement {i + 1} names story '{story}', which text/{texts[language]}.yaml "
                               f"does not have", doc.at(at + ("story",)), fix="correct the story id")
        result.append(Replacement(language, _text(doc, at + ("find",)), _text(doc, at + ("replace",)), story,
                                  _text(doc, at + ("approved",)) if "approved" in spec else None, doc.at(at)))
    return tuple(result)


def _output(doc: Document, path: tuple) -> OutputProfile:
    """The printing condition: a shipped profile by name, or the print shop's own, which wins."""

    spec = _mapping(doc, path, optional=("output_intent", "profile_file", "condition"))
    if "profile_file" in spec:
        file = _inside(doc, path + ("profile_file",))
        header = file.read_bytes()[:20]
        if len(header) < 20 or header[12:16] != b"prtr" or header[16:20] != b"CMYK":
            raise ContentError(f"{file.name} is not a CMYK printer (output) ICC profile",
                               doc.at(path + ("profile_file",)),
                               fix="ask the print shop for the CMYK ICC profile of their press and paper")
        condition = _text(doc, path + ("condition",)) if "condition" in spec else file.stem
        return OutputProfile(condition, f"{condition} (print shop profile {file.name})", file)
    name = _choice(doc, path + ("output_intent",), tuple(PROFILES)) if "output_intent" in spec else DEFAULT_PROFILE
    return PROFILES[name]
