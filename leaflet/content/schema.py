"""The content schema: every key of every content file, what it holds and how it is checked.

One declarative description serves three readers: validation (every problem in
every file at once, each with its line and a fix), JSON Schema for editors
(`leaflet schema`) and the content reference (docs/content.md). Loading builds
the model only from values this module has checked, so key checking lives here
alone. What needs more than one file (story ids, images) is preflight's.
"""
from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from . import hygiene
from .catalogue import DEFAULT_PROFILE, FACES, PROFILES, canonical_tag, face_tag
from ..errors import ContentError
from .sources import Document, Path_

SHEETS = {"A4": (297.0, 210.0), "A5": (210.0, 148.0), "letter": (279.4, 215.9)}  # landscape: folds cross the width
STATUSES = ("draft", "approved")
ADDED_KINDS = ("translation", "completion", "regional wording")
DEFAULT_REFERENCE_PT = 7.0  # small, as reference lists are; a leaflet without references needs none
DEFAULT_MIN_BODY_PT = 9.0

ID = re.compile(r"[a-z0-9][a-z0-9-]*")
# Names that become part of output file names: one plain path component, never '..'.
FILE_NAME_PART = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,63}")
VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,31}")
REGION_CODE = re.compile(r"[a-z][a-z0-9]{1,7}")


class Unusable(Exception):
    """A value nothing can be built from; its problem is already recorded."""


@dataclass
class Check:
    """One file's validation: the problems found, and names known only from the content
    (`context['languages']`: the language tags a value may name)."""

    doc: Document
    context: dict[str, Any] = field(default_factory=dict)
    problems: list[ContentError] = field(default_factory=list)

    def report(self, path: Path_, message: str, fix: str | None = None) -> None:
        self.problems.append(ContentError(message, self.doc.at(path), fix=fix))


def where(path: Path_) -> str:
    return ".".join(str(p) for p in path) or "the top level"


def describe(value: object) -> str:
    return {dict: "a mapping", list: "a list", str: "text", int: "a number", float: "a number",
            bool: "true/false", type(None): "nothing"}.get(type(value), type(value).__name__)


def closest(name: object, known: Iterable[object]) -> str | None:
    """The known name closest to a misspelt one; case is ignored (zh-hant-hk means zh-Hant-HK)."""
    names = {str(k).lower(): str(k) for k in known}
    guess = difflib.get_close_matches(str(name).lower(), list(names), n=1)
    return names[guess[0]] if guess else None


def did_you_mean(name: object, known: Iterable[object]) -> str | None:
    """'did you mean ...?' for a misspelt name, or None when nothing is close."""
    meant = closest(name, known)
    return f"did you mean '{meant}'?" if meant else None


def safe_name(name: str, pattern: re.Pattern[str]) -> bool:
    return bool(pattern.fullmatch(name)) and ".." not in name


# --- value kinds ------------------------------------------------------------
# Each kind checks a value and returns it cleaned. A wrong value that has a
# harmless stand-in is recorded and replaced, so one pass finds every problem
# and `leaflet check` can still look further; one that has none raises Unusable.

class Kind(Protocol):
    """What every value kind offers: its name in the reference, its check and its JSON Schema."""

    @property
    def kind(self) -> str: ...

    def check(self, value: Any, path: Path_, check: Check) -> Any: ...

    def json(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Text:
    """Printed text, NFC-normalised, white space collapsed; a number is taken as its digits."""

    @property
    def kind(self) -> str:
        return "text"

    def check(self, value: Any, path: Path_, check: Check) -> str:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            typed = check.doc.retyped.get(path)
            if typed is not None:  # it would print, and name files, as another number than was approved
                check.report(path, f"'{where(path)}' is typed {typed}, which YAML reads as the number {value}",
                             f'put it in quotes, "{typed}", so that it prints as typed')
                return "?"
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            check.report(path, f"'{where(path)}' must be text, not {describe(value)}",
                         "put the text in quotes if it looks like a number, date or true/false")
            return "?"
        return " ".join(_clean(value, path, check).split())

    def json(self) -> dict[str, Any]:
        return {"type": ["string", "number"], "minLength": 1}


def _clean(value: str, path: Path_, check: Check) -> str:
    """NFC text; each unwanted character is recorded as a problem at its line and left out."""
    value = hygiene.normalise(value)
    found = hygiene.flaws(value)
    owner = f"story '{path[1]}'" if path[:1] == ("stories",) and len(path) > 1 else f"'{where(path)}'"
    for flaw in found:
        check.problems.append(ContentError(f"{owner} contains {flaw.message}", check.doc.line_of(path, flaw.char),
                                           fix=flaw.fix))
    return hygiene.without(value, found) if found else value


@dataclass(frozen=True)
class Name(Text):
    """Text that becomes part of a file name: a pattern, with a stand-in when it is wrong."""

    pattern: re.Pattern[str] = VERSION
    means: str = ""
    fix: str = ""
    stand_in: str = "0"

    @property
    def kind(self) -> str:
        return "text: " + self.means.split(", so ", 1)[-1].removeprefix("it must be ")

    def check(self, value: Any, path: Path_, check: Check) -> str:
        text = super().check(value, path, check)
        if text != "?" and not safe_name(text, self.pattern):
            check.report(path, f"'{where(path)}' is {text!r}; {self.means}", self.fix)
            return self.stand_in
        return text

    def json(self) -> dict[str, Any]:
        return {"type": ["string", "number"], "pattern": f"^{self.pattern.pattern}$"}


@dataclass(frozen=True)
class Id:
    """A name other content refers to: lower case letters, digits and hyphens."""

    kind = "id (lower case letters, digits, hyphens)"

    def check(self, value: Any, path: Path_, check: Check) -> str:
        if not isinstance(value, str) or not ID.fullmatch(value):
            check.report(path, f"'{where(path)}' must be an id in lower case letters, digits and hyphens, "
                               f"not {value!r}", "write it like starting-lumirix")
            raise Unusable
        return value

    def json(self) -> dict[str, Any]:
        return {"type": "string", "pattern": f"^{ID.pattern}$"}


@dataclass(frozen=True)
class Number:
    low: float
    high: float
    integer: bool = False
    meaning: str = ""  # what the number is, for the message when it is wrong

    @property
    def kind(self) -> str:
        return f"{'whole ' if self.integer else ''}number from {self.low:g} to {self.high:g}"

    def check(self, value: Any, path: Path_, check: Check) -> float:
        wrong_type = isinstance(value, bool) or not isinstance(value, int if self.integer else (int, float))
        if self.meaning and (wrong_type or not self.low <= value <= self.high):
            check.report(path, f"'{where(path)}' is {value!r}; it must be {self.meaning}")
            return int(self.low) if self.integer else float(self.low)
        if wrong_type:
            check.report(path, f"'{where(path)}' must be a {'whole ' if self.integer else ''}number, "
                               f"not {describe(value)}")
            value = self.low
        elif not self.low <= value <= self.high:
            check.report(path, f"'{where(path)}' is {value}; it must be between {self.low:g} and {self.high:g}")
            value = min(max(value, self.low), self.high)
        return int(value) if self.integer else float(value)

    def json(self) -> dict[str, Any]:
        return {"type": "integer" if self.integer else "number", "minimum": self.low, "maximum": self.high}


@dataclass(frozen=True)
class Choice:
    """One of a fixed set of words. `needed`: no stand-in will do (a language tag picks fonts)."""

    values: tuple[str, ...]
    needed: bool = False
    unknown: str = ""  # what a value outside the set is, for the message

    @property
    def kind(self) -> str:
        return "one of: " + ", ".join(f"`{v}`" for v in self.values)

    def check(self, value: Any, path: Path_, check: Check) -> Any:
        return _one_of(value, self.values, path, check, self.needed, self.unknown)

    def json(self) -> dict[str, Any]:
        return {"enum": list(self.values)}


def _one_of(value: Any, values: tuple[str, ...], path: Path_, check: Check, needed: bool, unknown: str = "") -> Any:
    if value in values:
        return value
    check.report(path, f"'{where(path)}' is {value!r}{unknown}; it must be one of: {', '.join(values)}",
                 did_you_mean(value, values))
    if needed:
        raise Unusable
    return values[0]


@dataclass(frozen=True)
class Known:
    """A name the content itself defines, e.g. one of the languages the file lists."""

    names: str  # key into Check.context
    kind_text: str

    @property
    def kind(self) -> str:
        return self.kind_text

    def check(self, value: Any, path: Path_, check: Check) -> Any:
        values = tuple(check.context.get(self.names, ()))
        if not values:  # the list itself is wrong, and reported where it is
            return value
        spelt = canonical_tag(value) if isinstance(value, str) else value  # however it is capitalised
        return _one_of(spelt if spelt in values else value, values, path, check, needed=False)

    def json(self) -> dict[str, Any]:
        return {"type": "string"}


@dataclass(frozen=True)
class Tag:
    """A BCP 47 language tag, however capitalised (zh-hant-hk is zh-Hant-HK), with a pinned face
    of its own or of a shorter tag (en-TW is set like en)."""

    kind = "language tag: " + ", ".join(f"`{tag}`" for tag in FACES) + ", or one of them with a region (`en-TW`)"

    def check(self, value: Any, path: Path_, check: Check) -> str:
        tag = canonical_tag(value) if isinstance(value, str) else None
        if tag is None or face_tag(tag) is None:
            meant = closest(tag or value, FACES)
            check.report(path, f"language {value!r} has no pinned font",
                         (f"did you mean {meant}? " if meant else "") + f"use one of: {', '.join(FACES)}, or one of "
                         f"them with a region (en-TW is set like en)")
            raise Unusable
        return tag

    def json(self) -> dict[str, Any]:
        return {"type": "string", "pattern": "^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"}


@dataclass(frozen=True)
class Date:
    kind = "date, YYYY-MM-DD"

    def check(self, value: Any, path: Path_, check: Check) -> dt.date:
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            check.report(path, f"'{where(path)}' must be a date written as YYYY-MM-DD")
            return dt.date(1970, 1, 1)
        return value

    def json(self) -> dict[str, Any]:
        return {"type": "string", "format": "date"}


@dataclass(frozen=True)
class ListOf:
    item: Kind
    min_items: int = 1
    length: int | None = None
    shape: str = ""  # what a list of the wrong length should have been
    unique: bool = False
    json_items: tuple[int, ...] = ()  # (fewest, most) items, for the JSON Schema: the reader explains a wrong count itself

    @property
    def kind(self) -> str:
        return self.shape or f"list of {_plural(self.item.kind)}"

    def check(self, value: Any, path: Path_, check: Check) -> list[Any]:
        if not isinstance(value, list):
            check.report(path, f"'{where(path)}' must be a list, not {describe(value)}",
                         "write one item per line, each starting with '- '")
            raise Unusable
        if len(value) < self.min_items:
            check.report(path, f"'{where(path)}' is empty", "add at least one item")
            raise Unusable
        if self.length is not None and len(value) != self.length:
            check.report(path, f"'{where(path)}' must be {self.shape}")
            raise Unusable
        items = _each(((i, item) for i, item in enumerate(value)), lambda i, item:
                      self.item.check(item, path + (i,), check))
        if self.unique and len(set(map(repr, items))) != len(items):
            check.report(path, f"'{where(path)}' lists an item twice", "list each once")
            raise Unusable
        return items

    def json(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array", "items": self.item.json(), "minItems": self.min_items}
        if self.length is not None:
            schema.update(minItems=self.length, maxItems=self.length)
        if self.json_items:
            schema.update(minItems=self.json_items[0], maxItems=self.json_items[1])
        if self.unique:
            schema["uniqueItems"] = True
        return schema


def _plural(kind: str) -> str:
    return {"text": "texts", "mapping": "mappings"}.get(kind, kind)


def _each(pairs: Iterable[tuple[Any, Any]], check_one: Callable[[Any, Any], Any]) -> list[Any]:
    """Every item checked, so all their problems are found; Unusable if any item was."""
    results: list[Any] = []
    unusable = False
    for key, item in pairs:
        try:
            results.append(check_one(key, item))
        except Unusable:
            unusable = True
    if unusable:
        raise Unusable
    return results


@dataclass(frozen=True)
class Key:
    """A key of a mapping: what it holds, whether it must be there, and for the reference
    its meaning (`about`), default and an example value as written in YAML."""

    name: str
    value: Kind
    required: bool = False
    about: str = ""
    default: object = None
    default_text: str = ""  # how the default reads in the reference, when not a plain value
    example: str = ""


@dataclass(frozen=True)
class Mapping:
    keys: tuple[Key, ...]
    # Keys the author names (story ids, colour names): each key checked by `names`, its value by `values`.
    values: Kind | None = None
    names: Kind | None = None
    about: str = ""
    one_of: tuple[str, ...] = ()  # keys of which exactly one must be written

    kind = "mapping"

    @property
    def tag(self) -> str | None:
        """The key that tells this mapping from the others a value may be (see OneOf)."""
        return next((k.name for k in self.keys if k.required), None)

    def check(self, value: Any, path: Path_, check: Check) -> dict[str, Any]:
        if not isinstance(value, dict):
            check.report(path, f"'{where(path)}' must be a mapping of keys, not {describe(value)}")
            raise Unusable
        known = {k.name: k for k in self.keys}
        misspelt = self._unknown_keys(value, known, path, check)
        if self.one_of and sum(name in value for name in self.one_of) != 1:
            check.report(path, f"'{where(path)}' must give either {' or '.join(map(repr, self.one_of))}, not both "
                               f"or neither", f"keep one: {' or '.join(map(repr, self.one_of))}")
            raise Unusable
        clean: dict[str, Any] = {}
        unusable = False
        for name, item in value.items():
            if name not in known and self.values is not None:
                try:
                    clean[self._name(name, path, check)] = self.values.check(item, path + (name,), check)
                except Unusable:
                    unusable = True
        for key in self.keys:
            try:
                present = self._value_of(key, value, misspelt, path, check)
                if present is not _ABSENT:
                    clean[key.name] = key.value.check(present, path + (key.name,), check)
                elif key.default is not None:
                    clean[key.name] = key.default
            except Unusable:
                unusable = True
        if unusable:
            raise Unusable
        return _in_written_order(clean, value, misspelt)

    def _name(self, name: str, path: Path_, check: Check) -> Any:
        return self.names.check(name, path + (name,), check) if self.names is not None else name

    def _unknown_keys(self, value: dict[str, Any], known: dict[str, Key], path: Path_,
                      check: Check) -> dict[str, str]:
        """Report keys the mapping does not have (read on without them); map each likely
        intended key to the misspelt one."""
        misspelt: dict[str, str] = {}
        if self.values is not None:
            return misspelt
        for name in value:
            if name not in known:
                meant = closest(name, known)
                check.report(path + (name,), f"unknown key '{name}' in '{where(path)}'",
                             f"did you mean '{meant}'?" if meant else f"allowed keys: {', '.join(known)}")
                if meant:
                    misspelt[meant] = name
        return misspelt

    def _value_of(self, key: Key, value: dict[str, Any], misspelt: dict[str, str], path: Path_, check: Check) -> Any:
        if key.name in value:
            return value[key.name]
        if key.required:
            if key.name in misspelt:  # already reported as a typo: read on with its value
                _alias(check.doc, path + (misspelt[key.name],), path + (key.name,))
                return value[misspelt[key.name]]
            check.report(path, f"'{where(path)}' is missing the required key '{key.name}'", f"add '{key.name}:'")
            raise Unusable
        return _ABSENT

    def json(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "object", "properties": {k.name: _key_json(k) for k in self.keys}}
        required = [k.name for k in self.keys if k.required]
        if required:
            schema["required"] = required
        schema["additionalProperties"] = self.values.json() if self.values is not None else False
        if self.names is not None:
            schema["propertyNames"] = self.names.json()
        if self.one_of:
            schema["oneOf"] = [{"required": [name]} for name in self.one_of]
        if self.about:
            schema["description"] = self.about
        return schema


_ABSENT = object()  # a key not written


def _in_written_order(clean: dict[str, Any], value: dict[str, Any], misspelt: dict[str, str]) -> dict[str, Any]:
    """Keys in the order the author wrote them (a misspelt key's value where it was typed),
    defaults last: colours, say, keep the order they are listed in."""
    written = {name: i for i, name in enumerate(value)}
    written.update({name: written[typo] for name, typo in misspelt.items()})
    return {name: clean[name] for name in sorted(clean, key=lambda name: written.get(name, len(written)))}


def _key_json(key: Key) -> dict[str, Any]:
    schema = dict(key.value.json())
    if key.about:
        schema["description"] = key.about
    if key.default is not None:
        schema["default"] = key.default
    return schema


def _alias(doc: Document, old: Path_, new: Path_) -> None:
    """Make the lines recorded under `old` answer for `new` too."""
    for recorded, line in list(doc.lines.items()):
        if recorded[: len(old)] == old:
            doc.lines[new + recorded[len(old):]] = line


@dataclass(frozen=True)
class OneOf:
    """A value written one of several ways: plain text or a mapping, say. A mapping is told
    from the others by its tag key (its first required key), or by a key misspelt close to it."""

    options: tuple[Kind, ...]
    kind_text: str = ""

    @property
    def kind(self) -> str:
        return self.kind_text or " or ".join(o.kind for o in self.options)

    def check(self, value: Any, path: Path_, check: Check) -> Any:
        return self._option(value, path, check).check(value, path, check)

    def _option(self, value: Any, path: Path_, check: Check) -> Kind:
        if isinstance(value, dict):
            mappings = [o for o in self.options if isinstance(o, Mapping)]
            tagged = [o for o in mappings if o.tag in value]
            close = [o for o in mappings if o.tag and any(difflib.get_close_matches(str(k), [o.tag], n=1)
                                                          for k in value)]
            if tagged or close or mappings:
                return (tagged or close or mappings)[0]
        else:
            kind = list if isinstance(value, list) else None
            for option in self.options:
                if isinstance(option, ListOf) == (kind is list) and not isinstance(option, Mapping):
                    return option
        check.report(path, f"'{where(path)}' must be {self.kind}, not {describe(value)}")
        raise Unusable

    def json(self) -> dict[str, Any]:
        return {"oneOf": [o.json() for o in self.options]}


# --- the content files --------------------------------------------------------

LANGUAGE_TAG = Tag()
LANGUAGE = Known("languages", "one of the languages listed in this file")

ADDED = (
    Key("added", Choice(ADDED_KINDS), about="Marks wording that is not in the source leaflet: a translation, "
        "the completion of a cut sentence, or regional wording. It must be approved before a final build.",
        example="translation"),
    Key("note", Text(), about="A note for the reviewer; never printed.",
        example="The source stops mid-sentence; completed from the Chinese."),
    Key("approved", Text(), about="The approval reference of added wording (e.g. the MLR number). "
        "Without it, added wording keeps the edition a draft.", example="MLR-0001"),
)

PARAGRAPH = OneOf((
    Text(),
    Mapping((Key("text", Text(), required=True, about="The printed text, with `**bold**` and `[@id]` citations.",
                 example="Lumirix® is free from steroids.[@pi-hk]"), *ADDED)),
), kind_text="paragraph")

FIGURE = Mapping((
    Key("file", Text(), required=True, about="The image, relative to the leaflet's folder: CMYK or greyscale "
        "JPEG or PNG, at least 300 ppi at its printed width.", example="assets/skin.jpg"),
    Key("width_mm", Number(10, 300), required=True, about="The printed width in millimetres.", example="40"),
    Key("caption", PARAGRAPH, about="A caption printed under the image; may cite references.",
        example="Repigmentation after 24 weeks."),
))

FPO = Mapping((
    Key("fpo", Text(), required=True, about="What the artwork still to be supplied will show; prints as "
        "“FPO — <text>” in a crossed box on drafts, and a final build refuses it.", example="Photo of applying cream"),
    Key("width_mm", Number(10, 300), required=True, about="The width the artwork will take, in millimetres.",
        example="60"),
    Key("height_mm", Number(10, 300), required=True, about="The height the artwork will take, in millimetres.",
        example="40"),
    Key("caption", PARAGRAPH, about="A caption printed under the box; may cite references."),
))

LIST_STYLES = ("bullet", "dash", "1.", "(1)", "1)", "a)", "a.", "(a)", "A.", "i.", "(i)", "I.", "一、", "（一）")
CALLOUT_STYLES = ("shaded", "ruled")
MIN_COLUMNS, MAX_COLUMNS = 2, 4  # more columns than this cannot be read on a leaflet panel
TABLE_WIDTHS = ("content", "even")


Refusal = tuple[str | None, str, str]  # (the key refused, or None for the value; message; fix)


@dataclass(frozen=True)
class Refusing:
    """A value checked as `inner`, unless `refuse(value)` gives (key or None, message, fix):
    what a place cannot hold (a block inside a callout), said in the reader's terms."""

    inner: Kind
    refuse: Callable[[object], Refusal | None]

    @property
    def kind(self) -> str:
        return self.inner.kind

    def check(self, value: Any, path: Path_, check: Check) -> Any:
        refused = self.refuse(value)
        if refused:
            key, message, fix = refused
            check.report(path + ((key,) if key else ()), message, fix)
            raise Unusable
        return self.inner.check(value, path, check)

    def json(self) -> dict[str, Any]:
        return self.inner.json()


def _block_in(value: object) -> str | None:
    """The block kind a mapping names, if any."""
    return next((kind for kind in BLOCKS if isinstance(value, dict) and kind in value), None)


def _no_block_in_item(value: object) -> Refusal | None:
    kind = _block_in(value)
    return (None, f"a list item cannot hold a '{kind}:' block",
            "nest items with 'text:' and 'items:', or put the block after the list") if kind else None


def _one_level(value: object) -> Refusal | None:
    if isinstance(value, dict) and "items" in value:
        return ("items", "a list nests only one level: this item of a nested list has items of its own",
                "make them items of the list above, or a paragraph after the list")
    return _no_block_in_item(value)


ITEM = Refusing(PARAGRAPH, _no_block_in_item)
LIST_ITEM = Refusing(OneOf((
    Text(),
    Mapping((Key("text", Text(), required=True, about="The item's text.", example="Wash your hands."), *ADDED,
             Key("items", ListOf(Refusing(PARAGRAPH, _one_level)),
                 about="The item's own items: one nested level, marked in the list's sub_style.",
                 example="[your face, your hands]"))),
), kind_text="paragraph, or a mapping with text: and items:"), _no_block_in_item)

STYLE = Choice(LIST_STYLES, unknown=", which is not a list style")
START = Number(1, 999, integer=True, meaning="the number of the first item, 1 or more")


def _list_keys(style: bool) -> tuple[Key, ...]:
    keys = (Key("style", STYLE, about="How the items are marked; the tool writes the markers, so items never "
                "type their own. Chinese styles only in Chinese text.", example='"(a)"'),
            Key("start", START, default=1, about="The number of the first item (3 starts a lettered list at c).",
                example="3")) if style else ()
    return (*keys, Key("sub_style", STYLE, default_text="one step down from the style (1. → a), bullet → dash)",
                       about="How the items of the nested level are marked.", example="dash"))


def _short_list(kind: str, about: str) -> Mapping:
    return Mapping((Key(kind, ListOf(LIST_ITEM), required=True, about=about, example="[Wash your hands., ...]"),
                    *_list_keys(kind != "bullets")))


CALLOUT_PARAGRAPH = Refusing(PARAGRAPH, lambda value: (
    None, "a callout holds paragraphs only",
    "put the list or block after the callout, or write its lines as paragraphs") if _block_in(value) else None)
CALLOUT_BODY = OneOf((*PARAGRAPH.options, ListOf(CALLOUT_PARAGRAPH)), kind_text="paragraph or list of paragraphs")

ROW = OneOf((
    ListOf(PARAGRAPH, json_items=(MIN_COLUMNS, MAX_COLUMNS)),
    Mapping((Key("cells", ListOf(PARAGRAPH, json_items=(MIN_COLUMNS, MAX_COLUMNS)), required=True,
                 about="One cell per column, in the header's order.", example="[Week 1 to 4, Twice daily]"),
             *ADDED)),
), kind_text=f"list of {MIN_COLUMNS} to {MAX_COLUMNS} paragraphs, or a mapping with cells: and its added marks")

TABLE = Mapping((
    Key("header", ROW, required=True, about=f"The column titles, {MIN_COLUMNS} to {MAX_COLUMNS}, printed in bold.",
        example="[When, How much]"),
    Key("rows", ListOf(ROW), required=True, about="The rows, each with one cell per column; cells may use "
        "`**bold**` and cite references.", example="- [Morning, A thin layer[@pi-hk]]"),
    Key("widths", Choice(TABLE_WIDTHS), default="content",
        about="Column widths from what the cells hold, or shared evenly.", example="even"),
))

QR = Mapping((
    Key("url", Text(), required=True, about="The web address the code opens, in full (https://...).",
        example="https://example.com/leaflet"),
    Key("size_mm", Number(5, 100), required=True, about="The printed width of the code without its quiet zone; "
        "each module must be at least 0.33 mm.", example="20"),
    Key("caption", PARAGRAPH, about="Printed below the code; may cite references."),
))

# The kinds of block a story body may hold besides paragraphs: each is a mapping named by
# its kind's key (`- numbered: [...]`), in the order the reference and messages list them.
BLOCKS = {
    "bullets": _short_list("bullets", "A bulleted list: one paragraph per item, or text: with "
                           "items: for one nested level."),
    "numbered": _short_list("numbered", "A list numbered 1. 2. 3. (or in its style:)."),
    "lettered": _short_list("lettered", "A list lettered a) b) c) (or in its style:)."),
    "list": Mapping((Key("list", Mapping((
        Key("items", ListOf(LIST_ITEM), required=True, about="The list's items.", example="[...]"),
        *_list_keys(True))), required=True, about="A list in any style, written as a mapping.",
        example='{style: "(1)", start: 1, items: [...]}'),)),
    "subheading": Mapping((Key("subheading", PARAGRAPH, required=True, about="A heading inside the story, kept with "
                               "what follows; it may not cite references.", example="If you forget a dose"),)),
    "callout": Mapping((Key("callout", OneOf((*PARAGRAPH.options, ListOf(CALLOUT_PARAGRAPH), Mapping((
        Key("body", CALLOUT_BODY, required=True, about="The boxed paragraphs.", example="[Keep out of reach.]"),
        Key("style", Choice(CALLOUT_STYLES), default="shaded", about="A tinted box, or rules above and below."))),
    ), kind_text="paragraph, list of paragraphs, or a mapping with body: and style:"), required=True,
        about="Paragraphs boxed together on one panel.", example="Keep out of reach of children."),)),
    "figure": Mapping((Key("figure", OneOf((FIGURE, FPO), kind_text="mapping: file: (an image) or fpo: (artwork "
                           "still to come)"), required=True, about="An image placed in the text column, or an FPO "
                           "box where artwork is still to be supplied."),)),
    "table": Mapping((Key("table", TABLE, required=True, about="A small table with a header row, e.g. a dosing "
                          "schedule."),)),
    "qr": Mapping((Key("qr", QR, required=True, about="A QR code printed in black for a web address."),)),
}


class Body(OneOf):
    """A body entry: a paragraph, or the block its key names. A mapping that names neither
    is told every kind there is, with a guess at the one meant."""

    def _option(self, value: Any, path: Path_, check: Check) -> Kind:
        if not isinstance(value, dict) or "text" in value:
            return super()._option(value, path, check)
        kind = _block_in(value)
        if kind is None:
            key = next(iter(value), "")
            guess = closest(key, (*BLOCKS, *PARAGRAPH_KEYS))
            check.report(path + (key,), f"unknown key '{key}' in '{where(path)}': a body entry is a paragraph or "
                                        f"one of the blocks {', '.join(BLOCKS)}",
                         (f"did you mean '{guess}'? " if guess else "") + f"write a paragraph as text (or text: "
                         f"with {', '.join(PARAGRAPH_KEYS[1:])}), or start the entry with a block's name, "
                         f"e.g. '- numbered:'")
            raise Unusable
        return BLOCKS[kind]


PARAGRAPH_KEYS = ("text", *(key.name for key in ADDED))
BLOCK = Body((*PARAGRAPH.options, *BLOCKS.values()), kind_text="paragraph or block")

STORY = Mapping((
    Key("heading", PARAGRAPH, about="The story's heading; it may not cite references.",
        example="Starting Lumirix®"),
    Key("body", ListOf(BLOCK), required=True, about="The story's paragraphs and blocks, in reading order.",
        example="- Wait at least 8 hours between applications.[@pi-hk]"),
))

TEXT_FILE = Mapping((
    Key("language", LANGUAGE_TAG, required=True, about="The language of this file; it must match the file's "
        "name (`text/en.yaml` says `en`).", example="en"),
    Key("stories", Mapping((), values=STORY, names=Id()), required=True,
        about="The stories of this language, each under its id; flows and back_stories name them.",
        example="understanding-vitiligo: {heading: ..., body: [...]}"),
    *ADDED,
))

REFERENCE = Mapping((
    Key("id", Id(), required=True, about="How text cites it: `[@id]`.", example="birlea2017"),
    Key("text", Text(), required=True, about="The reference as printed.",
        example="Birlea SA, et al. Dermatol Clin. 2017;35(2):205-218."),
    Key("uncited", Text(), about="Why the reference is listed though nothing cites it; without this, an "
        "uncited reference is an error. Such references print after the cited ones.",
        example="listed in the source leaflet's reference list"),
))

REFERENCES_FILE = Mapping((
    Key("references", ListOf(REFERENCE, min_items=0), required=True,
        about="Every reference; numbers are given in order of first citation. The file may be left out.",
        example="- {id: ..., text: ...}"),
))

def _approval(required: bool) -> Mapping:
    return Mapping((
        Key("job_code", Text(), required=required, about="The job code (promotional material number) from regulatory "
            "affairs; printed on the back panel.", example="HK-LUM-0125-01"),
        Key("version", Name(VERSION, "it is part of the PDF file names, so it must be 1 to 32 letters, digits, "
                            "dots, hyphens or underscores, starting with a letter or digit",
                            'write the version like "1.0" or "2.1-rc1"'),
            required=required, about="The content version; part of every PDF's name. Quote it: \"1.0\".",
            example='"1.0"'),
        Key("date_of_preparation", Date(), required=required, about="Printed with the job code.", example="2025-01-22"),
        Key("status", Choice(STATUSES), required=required, about="draft until the whole leaflet is approved; see "
            "Change control in the README for approval records.", example="draft"),
    ))


APPROVAL = _approval(required=True)

FORMAT = Mapping((
    Key("sheet", Choice(tuple(SHEETS)), about="A standard sheet, landscape (A4 is 297 × 210 mm); or give trim_mm.",
        example="A4"),
    Key("trim_mm", ListOf(Number(50, 1000), length=2, shape="[width, height] in mm"),
        about="The flat sheet's trimmed size, width first; or name a sheet.", example="[297, 210]"),
    Key("bleed_mm", Number(0, 10), required=True, about="Bleed beyond the trim on every side.", example="3"),
    Key("fold", Text(), required=True, about="How the sheet folds: letter (roll), z, gate or bifold (the README's "
        "Folds section shows each).", example="letter"),
    Key("fold_in_mm", Number(0, 10), default=3.0, about="How much narrower a panel that folds in is.",
        example="3"),
    Key("safe_mm", Number(3, 30), default=5.0, about="Nothing important closer than this to trim or fold.",
        example="6"),
), one_of=("sheet", "trim_mm"))

CMYK = ListOf(Number(0, 100), length=4, shape="four CMYK percentages [C, M, Y, K]")
COLOUR = OneOf((CMYK, Mapping((
    Key("cmyk", CMYK, required=True, about="The CMYK alternate, in percent.", example="[78, 8, 32, 0]"),
    Key("spot", Text(), required=True, about="The spot ink's name; the colour prints on its own plate.",
        example="PANTONE 3268 C"),
))), kind_text="[C, M, Y, K] in percent, or {cmyk, spot}")

THEME_FONT = Mapping((
    Key("regular", Text(), required=True, about="The regular face's file, relative to the leaflet's folder.",
        example="fonts/Brand-Regular.ttf"),
    Key("bold", Text(), required=True, about="The bold face's file.", example="fonts/Brand-Bold.ttf"),
    Key("face_index", Number(0, 255, integer=True), default=0,
        about="Which face of a font collection (.ttc) to use.", example="0"),
))


def _colour(name: str, about: str) -> Key:
    return Key(name, COLOUR, required=True, about=about, example="[78, 8, 32, 0]")


THEME = Mapping((
    Key("colours", Mapping((
        _colour("brand", "Headings and the cover."), _colour("brand_dark", "Dark panels and rules."),
        _colour("accent", "Highlights."), _colour("tint", "Light panel backgrounds."),
    ), values=COLOUR), required=True,
        about="Colours as the print shop specifies them; any further names are allowed too.",
        example="{brand: [78, 8, 32, 0], ...}"),
    Key("body_size_pt", Number(6, 14), required=True, about="Body text size in points; at least min_body_pt.",
        example="10"),
    Key("body_leading_pt", Number(6, 28), required=True,
        about="Line spacing of body text in points: from the body size to twice it.", example="13.8"),
    Key("heading_size_pt", Number(6, 30), required=True, about="Heading size in points: at least the body size.",
        example="12.5"),
    Key("reference_size_pt", Number(6, 12), default=DEFAULT_REFERENCE_PT,
        about="Size of the reference list in points; a leaflet without references may leave it out.", example="7"),
    Key("min_body_pt", Number(6, 14), default=DEFAULT_MIN_BODY_PT,
        about="The readability floor for body text (patient-leaflet guidance: 9 pt).", example="9"),
    Key("fonts", Mapping((), values=THEME_FONT, names=LANGUAGE_TAG),
        about="Brand typefaces per language tag, instead of the pinned Noto fonts.",
        example="{en: {regular: fonts/Brand-Regular.ttf, bold: fonts/Brand-Bold.ttf}}"),
))

def _cover_part(name: str, value: Kind, about: str, example: str) -> Key:
    """A cover part: the same in every edition, or given per language (`product: {en: ..., zh-Hant-HK: ...}`)."""
    written = value.options if isinstance(value, OneOf) else (value,)
    return Key(name, OneOf((*written, Mapping((), values=value, names=LANGUAGE_TAG)),
                           kind_text=f"{value.kind}; or the same per language tag ({{en: ..., zh-Hant-HK: ...}})"),
               about=about, example=example)


TAGLINE = OneOf((Text(), ListOf(Text())), kind_text="text, or a list of lines")
COVER = Mapping((
    _cover_part("title", Text(), "A title above the tagline.", "Understanding vitiligo"),
    _cover_part("tagline", TAGLINE, "The cover's tagline: one line, or a list of lines.",
                '["IMAGINE THIS:", "A WAY TO"]'),
    _cover_part("product", Text(), "The product name.", "Lumirix®"),
    _cover_part("descriptor", Text(), "Generic name and strength.", "Ruxolitinib Cream 15mg/g"),
))

AGENT = Mapping((
    Key("language", LANGUAGE, required=True, about="The language the lines are in.", example="zh-Hant-HK"),
    Key("lines", ListOf(Text()), required=True, about="Name and address, one line per item.",
        example="[c/o Agent Ltd, 21/F Harbour Centre]"),
))

AGENTS = OneOf((AGENT, ListOf(AGENT)), kind_text="mapping, or a list of them, one per language")

FLOW = Mapping((
    Key("language", LANGUAGE, required=True, about="The language whose stories flow.", example="en"),
    Key("panels", ListOf(Text()), default_text="the fold's own panels for this flow",
        about="The panels the stories pour through, in reading order: text panels of the fold.",
        example="[inside-left, inside-middle]"),
    Key("stories", ListOf(Id()), required=True, about="Story ids from `text/<language>.yaml`, in order.",
        example="[understanding-vitiligo, starting-lumirix]"),
))

LEGAL = ListOf(Mapping((
    Key("language", LANGUAGE, required=True, about="The language of the line.", example="en"),
    Key("text", Text(), required=True, about="The line as printed.", example="Registration no. 12345"),
)))

PRINT = Mapping((
    Key("output_intent", Choice(tuple(PROFILES)), default=DEFAULT_PROFILE,
        about="The printing condition, by the name of a profile the tool ships.", example="fogra39"),
    Key("profile_file", Text(), about="The print shop's own CMYK ICC profile, relative to the leaflet's "
        "folder; it wins over output_intent.", example="icc/press.icc"),
    Key("condition", Text(), default_text="the profile file's name",
        about="The printing condition's name for profile_file.", example="PSOcoated_v3"),
))

LEAFLET_FILE = Mapping((
    Key("title", Text(), required=True, about="The leaflet's title, for the PDF's metadata.",
        example="Lumirix® patient leaflet"),
    Key("languages", ListOf(LANGUAGE_TAG, unique=True), required=True,
        about="The master text files, as language tags, however capitalised: each has its `text/<tag>.yaml`.",
        example="[en, zh-Hant-HK]"),
    Key("approval", APPROVAL, required=True, about="Job code, version, date and status."),
    Key("format", FORMAT, required=True, about="Sheet size, bleed and fold."),
    Key("theme", THEME, required=True, about="Colours, type sizes and brand fonts."),
    Key("cover", COVER, default_text="no cover text", about="The cover panel's text; every part is optional."),
    Key("agent", AGENTS, default_text="none", about="The local agent or distributor, printed on the back: "
        "one block, or one per language."),
    Key("flows", ListOf(FLOW), required=True, about="Which stories pour through which panels, per language."),
    Key("back_stories", ListOf(Id()), default_text="none",
        about="Stories printed on the back panel in every language.", example="[more-information]"),
    Key("legal", LEGAL, default_text="none", about="Legal lines printed on the back."),
    Key("print", PRINT, default_text="FOGRA39", about="The printing condition (output intent)."),
))

REGION_LANGUAGE = OneOf((LANGUAGE_TAG, Mapping((
    Key("tag", LANGUAGE_TAG, required=True, about="The language tag; it picks the glyph standard.",
        example="zh-Hant-TW"),
    Key("text", LANGUAGE_TAG, required=True, about="The text file this language prints: any `text/<tag>.yaml`.",
        example="zh-Hant-HK"),
))), kind_text="language tag, or {tag, text}")

REGION_TYPE = Mapping((
    Key("body_size_pt", Number(DEFAULT_MIN_BODY_PT, 14), default_text="the master's",
        about="Body size for this edition.", example="13"),
    Key("body_leading_pt", Number(DEFAULT_MIN_BODY_PT, 28), default_text="scaled with the body size",
        about="Body line spacing: from the body size to twice it.", example="22"),
    Key("heading_size_pt", Number(DEFAULT_MIN_BODY_PT, 30), default_text="scaled with the body size",
        about="Heading size: at least the body size.", example="16"),
))

REPLACEMENT = Mapping((
    Key("language", LANGUAGE, required=True, about="The edition language the wording changes in.",
        example="zh-Hant-TW"),
    Key("find", Text(), required=True, about="The master wording, exactly as written.", example="白蝕症"),
    Key("replace", Text(), required=True, about="The regional wording.", example="白斑症"),
    Key("story", Id(), default_text="every story", about="Only in this story.", example="understanding-vitiligo"),
    Key("approved", Text(), about="The approval reference of the regional wording.", example="MLR-0002"),
))

REGION_FILE = Mapping((
    Key("name", Text(), required=True, about="The region's name.", example="Hong Kong"),
    Key("languages", ListOf(REGION_LANGUAGE), required=True,
        about="The edition's languages in reading order: a tag whose text file is its own, or "
              "{tag, text} to print a master text in another glyph standard.",
        example="[en, {tag: zh-Hant-MO, text: zh-Hant-HK}]"),
    Key("job_code", Text(), default_text="the master's", about="This edition's job code.",
        example="HK-LUM-0125-01"),
    Key("approval", _approval(required=False), default_text="the master's",
        about="Any of the approval data this edition sets for itself."),
    Key("agent", AGENTS, default_text="the master's, in this edition's languages",
        about="This edition's local agent or distributor."),
    Key("cover", COVER, default_text="the master's", about="This edition's own cover text."),
    Key("back_stories", ListOf(Id(), min_items=0), default_text="the master's",
        about="This edition's own back-panel stories (`[]` for none).", example="[more-information]"),
    Key("references", ListOf(REFERENCE, min_items=0), default_text="the master's",
        about="This edition's own reference list."),
    Key("theme", Mapping((
        Key("colours", Mapping((), values=COLOUR), about="Colours this edition sets or adds.",
            example="{brand: [0, 60, 100, 0]}"),
        Key("fonts", Mapping((), values=THEME_FONT, names=LANGUAGE_TAG), about="Brand typefaces per language.",
            example="{en: {regular: fonts/Brand-Regular.ttf, bold: fonts/Brand-Bold.ttf}}"),
    )), default_text="the master's", about="This edition's own colours and brand fonts over the master's."),
    Key("legal", LEGAL, default_text="none", about="Legal lines printed on the back."),
    Key("replace", ListOf(REPLACEMENT), default_text="none", about="Regional wording."),
    Key("flows", ListOf(FLOW), default_text="the master's, with this edition's languages in order",
        about="This edition's own flows (needed when its languages differ in number from the master's)."),
    Key("type", REGION_TYPE, default_text="the master's", about="Type sizes for this edition."),
))


@dataclass(frozen=True)
class ContentFile:
    """One kind of content file, as the reference and `leaflet schema --file` name it."""

    name: str
    path: str
    about: str
    root: Mapping


FILES = {
    "leaflet": ContentFile("leaflet", "leaflet.yaml", "The leaflet: languages, approval, format, theme, cover, "
                           "agent and which stories flow through which panels.", LEAFLET_FILE),
    "text": ContentFile("text", "text/<language>.yaml", "The stories of one language: headings, paragraphs, "
                        "lists and figures.", TEXT_FILE),
    "references": ContentFile("references", "references.yaml", "The reference list, cited in text as `[@id]`.",
                              REFERENCES_FILE),
    "region": ContentFile("region", "regions/<code>.yaml", "A regional edition: its languages in order, "
                          "job code, agent, legal lines, regional wording and type sizes.", REGION_FILE),
}


def validate(doc: Document, root: Mapping, context: dict[str, Any] | None = None
             ) -> tuple[dict[str, Any] | None, list[ContentError]]:
    """The file's data checked against its schema: (clean data, or None when nothing can be
    built from it; every problem found)."""
    check = Check(doc, context or {})
    try:
        data = root.check(doc.data, (), check)
    except Unusable:
        data = None
    return data, check.problems


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one kind of content file, for editors that check YAML as it is typed."""
    file = FILES[name]
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": f"leaflet: {file.path}",
            **file.root.json(), "description": file.about}


def schema_json(name: str) -> str:
    """The JSON Schema as committed under docs/schema/: stable key order, UTF-8, one final newline."""
    return json.dumps(json_schema(name), ensure_ascii=False, indent=2) + "\n"
