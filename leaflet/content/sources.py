"""Read a YAML file into plain Python values while remembering the line of
every value, so later stages can point a reviewer at the exact line.

Only the YAML a content author needs is accepted: mappings, lists and scalars.
Anchors and aliases are refused (they are how "billion laughs" bombs work and
no leaflet needs them), as are duplicate keys, which YAML would silently let
the last one win, and nesting deeper than any leaflet needs (which would
otherwise exhaust Python's recursion limit).
"""
from __future__ import annotations

import functools
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import ContentError, Location

MAX_BYTES = 2_000_000  # a leaflet's text is a few KB; anything this large is a mistake
MAX_DEPTH = 20  # a story body is about 7 levels deep; far deeper is a mistake or an attack

Path_ = tuple[str | int, ...]  # a path into the document: keys and list indexes


@dataclass
class Document:
    """A parsed YAML file: its data and the line each value started on."""

    file: Path
    data: object
    lines: dict[Path_, int] = field(default_factory=dict)
    last_lines: dict[Path_, int] = field(default_factory=dict)  # where each multi-line scalar ends
    # Unquoted numbers YAML reads as another text than was typed (0.10 is 0.1, 0125 is 85), as typed.
    retyped: dict[Path_, str] = field(default_factory=dict)
    source: str = field(default="", repr=False)  # the text, to find the line a character is on

    def at(self, path: Path_) -> Location:
        """Location of the value at `path`, or of its nearest located parent."""
        while path and path not in self.lines:
            path = path[:-1]
        return Location(self.file, self.lines.get(path))

    def line_of(self, path: Path_, char: str) -> Location:
        """The line of the value at `path` on which `char` is typed (a value folded
        over several lines), or the value's first line when it was written as an escape."""
        where = self.at(path)
        first = where.line or 1
        for number in range(first, self.last_lines.get(path, first) + 1):
            if char in self._source_lines[number - 1]:
                return Location(self.file, number)
        return where

    @functools.cached_property
    def _source_lines(self) -> list[str]:
        return self.source.split("\n")


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
    loader = None
    try:
        loader = _Loader(text, file)  # checks every character first
        node = loader.get_single_node()
    except yaml.reader.ReaderError as exc:  # a character YAML refuses outright, such as a NUL
        line = text[: exc.position].count("\n") + 1
        raise ContentError(f"the file contains the invisible control character U+{exc.character:04X}, which "
                           f"YAML does not allow", Location(file, line), fix="delete it") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        mark_line = mark.line + 1 if mark else None
        column = f", column {mark.column + 1}" if mark else ""
        problem = exc.problem or exc.context or "invalid YAML"
        hint = " (YAML does not allow tabs for indentation; use spaces)" if "\\t" in problem else ""
        raise ContentError(f"YAML syntax error{column}: {problem}{hint}", Location(file, mark_line),
                           fix="correct the YAML syntax at this line") from None
    except yaml.YAMLError as exc:
        raise ContentError(f"YAML syntax error: {exc}", Location(file), fix="correct the YAML syntax") from None
    finally:
        if loader:
            loader.dispose()
    if node is None:  # only comments
        raise ContentError("the file has no content, only comments", Location(file),
                           fix="add the content this file should hold")
    doc = Document(file, None, source=text)
    doc.data = _convert(node, (), doc)
    return doc


class _Loader(yaml.SafeLoader):
    """The safe loader, refusing nesting deeper than MAX_DEPTH while it composes
    (PyYAML composes recursively: 600 nested lists would be a RecursionError)."""

    def __init__(self, text: str, file: Path):
        super().__init__(text)
        self.file = file
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.depth >= MAX_DEPTH:
            # types-PyYAML leaves Parser.peek_event unannotated
            line = self.peek_event().start_mark.line + 1  # type: ignore[no-untyped-call]
            raise ContentError(f"the lists and mappings here are nested more than {MAX_DEPTH} levels deep",
                               Location(self.file, line),
                               fix="a leaflet needs only a few levels: check the indentation and brackets")
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


# What a path can be that is not an ordinary file, for the message.
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a device"),
          (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


def _read_bytes(file: Path) -> bytes:
    """The bytes of a regular file within the size cap, both checked before reading:
    a FIFO would hang a read and a device such as /dev/zero would never end it.
    O_NONBLOCK keeps the open itself from waiting for a FIFO's writer."""
    try:
        fd = os.open(file, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise ContentError("the file does not exist", Location(file), fix="create it or correct the path") from None
    except OSError as exc:
        raise ContentError(f"the file cannot be read ({exc.strerror})", Location(file)) from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a file")
            raise ContentError(f"this is not a regular file: it is {kind}", Location(file),
                               fix="content files must be ordinary YAML files; put the file itself here")
        if info.st_size > MAX_BYTES:
            raise ContentError(f"the file is {info.st_size:,} bytes; content files are limited to {MAX_BYTES:,}",
                               Location(file), fix="check that this is the right file")
        try:
            data = handle.read(MAX_BYTES + 1)  # never more than the cap, even if the file grows meanwhile
        except OSError as exc:
            raise ContentError(f"the file cannot be read ({exc.strerror})", Location(file)) from None
    if len(data) > MAX_BYTES:
        raise ContentError(f"the file is over {MAX_BYTES:,} bytes, the limit for content files", Location(file),
                           fix="check that this is the right file")
    return data


def _convert(node: yaml.Node, path: Path_, doc: Document, seen: set[int] | None = None) -> object:
    seen = set() if seen is None else seen
    line = node.start_mark.line + 1
    if id(node) in seen or getattr(node, "anchor", None):
        raise ContentError("YAML anchors and aliases (& and *) are not allowed in content",
                           Location(doc.file, line), fix="write the text out in full")
    seen.add(id(node))
    doc.lines[path] = line
    if isinstance(node, yaml.MappingNode):
        result: dict[str, object] = {}
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
    if node.end_mark.line > node.start_mark.line:
        doc.last_lines[path] = node.end_mark.line + 1
    value = _scalar(node, doc)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and str(value) != node.value:
        doc.retyped[path] = node.value
    return value


def _scalar(node: yaml.Node, doc: Document) -> object:
    """Resolve a scalar the way YAML's safe loader would (int, date, bool, text)."""
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        raise ContentError(f"cannot read this value: {exc}", Location(doc.file, node.start_mark.line + 1)) from None
    finally:
        loader.dispose()
