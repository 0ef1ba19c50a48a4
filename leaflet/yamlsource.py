"""Read a YAML file into plain Python values while remembering the line of
every value, so later stages can point a reviewer at the exact line.

Only the YAML a content author needs is accepted: mappings, lists and scalars.
Anchors and aliases are refused (they are how "billion laughs" bombs work and
no leaflet needs them), as are duplicate keys, which YAML would silently let
the last one win.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import ContentError, Location

MAX_BYTES = 2_000_000  # a leaflet's text is a few KB; anything this large is a mistake

Path_ = tuple  # a path into the document: keys and list indexes


@dataclass
class Document:
    """A parsed YAML file: its data and the line each value started on."""

    file: Path
    data: object
    lines: dict[Path_, int] = field(default_factory=dict)
    problems: list = field(default_factory=list)  # problems found that did not stop reading

    def at(self, path: Path_) -> Location:
        """Location of the value at `path`, or of its nearest located parent."""
        while path and path not in self.lines:
            path = path[:-1]
        return Location(self.file, self.lines.get(path))


def read_yaml(file: Path) -> Document:
    raw = _read_bytes(file)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError(f"the file is not valid UTF-8 text (byte {exc.start})", Location(file, line),
                           fix="save the file as UTF-8") from None
    if not text.strip():
        raise ContentError("the file is empty", Location(file), fix="add the content this file should hold")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = f", column {mark.column + 1}" if mark else ""
        problem = exc.problem or exc.context or "invalid YAML"
        hint = " (YAML does not allow tabs for indentation; use spaces)" if "\\t" in problem else ""
        raise ContentError(f"YAML syntax error{column}: {problem}{hint}", Location(file, line),
                           fix="correct the YAML syntax at this line") from None
    except yaml.YAMLError as exc:
        raise ContentError(f"YAML syntax error: {exc}", Location(file), fix="correct the YAML syntax") from None
    if node is None:  # only comments
        raise ContentError("the file has no content, only comments", Location(file),
                           fix="add the content this file should hold")
    doc = Document(file, None)
    doc.data = _convert(node, (), doc)
    return doc


def _read_bytes(file: Path) -> bytes:
    try:
        size = file.stat().st_size
        if size > MAX_BYTES:
            raise ContentError(f"the file is {size:,} bytes; content files are limited to {MAX_BYTES:,}",
                               Location(file), fix="check that this is the right file")
        return file.read_bytes()
    except FileNotFoundError:
        raise ContentError("the file does not exist", Location(file), fix="create it or correct the path") from None
    except IsADirectoryError:
        raise ContentError("expected a file but found a folder", Location(file)) from None
    except OSError as exc:
        raise ContentError(f"the file cannot be read ({exc.strerror})", Location(file)) from None


def _convert(node: yaml.Node, path: Path_, doc: Document, seen: set | None = None) -> object:
    seen = set() if seen is None else seen
    line = node.start_mark.line + 1
    if id(node) in seen or getattr(node, "anchor", None):
        raise ContentError("YAML anchors and aliases (& and *) are not allowed in content",
                           Location(doc.file, line), fix="write the text out in full")
    seen.add(id(node))
    doc.lines[path] = line
    if isinstance(node, yaml.MappingNode):
        result = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise ContentError("a key must be plain text", Location(doc.file, key_node.start_mark.line + 1))
            key = key_node.value
            if key == "<<":
                raise ContentError("YAML merge keys (<<) are not allowed in content",
                                   Location(doc.file, key_node.start_mark.line + 1), fix="write the keys out in full")
            if key in result:
                first = doc.lines[path + (key,)]
                raise ContentError(f"the key '{key}' appears twice (first on line {first})",
                                   Location(doc.file, key_node.start_mark.line + 1),
                                   fix="remove or rename one of them")
            doc.lines[path + (key,)] = key_node.start_mark.line + 1
            result[key] = _convert(value_node, path + (key,), doc, seen)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, path + (i,), doc, seen) for i, item in enumerate(node.value)]
    return _scalar(node, doc)


def _scalar(node: yaml.ScalarNode, doc: Document) -> object:
    """Resolve a scalar the way YAML's safe loader would (int, date, bool, text)."""
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        raise ContentError(f"cannot read this value: {exc}", Location(doc.file, node.start_mark.line + 1)) from None
    finally:
        loader.dispose()
