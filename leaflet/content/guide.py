"""The content reference (docs/content.md), written from the schema so that it lists
exactly the keys the tool accepts: `leaflet schema --format markdown`."""
from __future__ import annotations

from . import schema
from .schema import BLOCKS, FILES, PARAGRAPH, Key, ListOf, Mapping, OneOf

INTRO = """\
# Content reference

A leaflet's content is a folder of plain-text YAML files: what the leaflet
says, in which languages, for which regions, and how it is printed. This
reference lists every file and every key the tool accepts — nothing else is
allowed, so a misspelt key is an error, never silently ignored. It is written
from the schema the tool checks content with (`leaflet schema --format
markdown`), so it is always complete.

    content/<leaflet>/
      leaflet.yaml           # the leaflet: languages, approval, format, theme, cover, agent, flows
      references.yaml        # the reference list
      text/<language>.yaml   # the stories of one language, e.g. text/en.yaml
      regions/<code>.yaml    # one regional edition each, e.g. regions/hk.yaml

**Checking your work.** `leaflet check content/<leaflet>` reports every
problem in every file at once, each with its file, line and what to do, and
suggests the name you probably meant for a misspelt key, story id, language
tag, panel or reference. Editors can check as you type with the JSON Schemas
in `docs/schema/` (see the README).

**Reading the tables.** A key written `format.bleed_mm` is `bleed_mm` inside
`format:`. `[]` stands for each item of a list (`flows[].language` is the
`language` of every flow), and `<id>` or `<name>` for a name you choose
(`stories.<id>.heading`). *Required* keys must be there; the others take the
default shown. Text may be written plain or in quotes; quote anything that
looks like a number, a date or yes/no (`version: "1.0"`).

**Wording.** Medical wording comes only from the approved source leaflet.
Anything else — a translation, the completion of a cut sentence, regional
wording — is marked with `added:` and stays a draft until it carries
`approved:` (see Paragraphs).
"""

KeyPath = tuple[str, ...]  # a key as the tables write it: format.bleed_mm, flows[].language
Row = tuple[KeyPath, Key]

# Kinds documented once, in their own section, and named where they are used: (one, several).
SHARED_NOTE = {
    id(PARAGRAPH): ("paragraph (see Paragraphs)", "paragraphs (see Paragraphs)"),
    id(schema.BLOCK): ("paragraph or block", "paragraphs and blocks (see Paragraphs and Blocks)"),
}


def reference_markdown() -> str:
    """The whole content reference, as Markdown."""
    parts = [INTRO]
    for file in FILES.values():
        parts.append(f"## `{file.path}`\n\n{file.about}\n\n{_table(_rows(file.root, ()))}")
        if file.name == "text":
            parts.append(_text_extras())
    return "\n".join(parts)


def _text_extras() -> str:
    paragraph = next(o for o in PARAGRAPH.options if isinstance(o, Mapping))
    blocks = [row for block in BLOCKS.values() for row in _rows(block, ())]
    return (f"### Paragraphs\n\nA paragraph is a line of text, or — for wording a reviewer must see was "
            f"added — a mapping with these keys. `**bold**` marks emphasis; `[@id]` or `[@id1, @id2]` cites "
            f"references, numbered in order of first citation.\n\n{_table(_rows(paragraph, ()))}\n"
            f"### Blocks\n\nBesides paragraphs, a story's body may hold these blocks, each written as a "
            f"mapping named by the block's key (`- numbered: [...]`); a list's style and start sit beside its key."
            f" The tool writes list markers, so an item never types its own.\n\n{_table(blocks)}")


def _rows(node: schema.Kind, path: KeyPath) -> list[Row]:
    """(key path, key) for every key below `node`, in the order a file is written."""
    if isinstance(node, schema.Refusing):
        return _rows(node.inner, path)
    if id(node) in SHARED_NOTE:
        return []
    if isinstance(node, Mapping):
        # A named key that holds what the other names do (theme.colours.brand) is described under <name>.
        rows = [row for key in node.keys
                for row in (_key_rows(key, path) if key.value is not node.values else [(path + (key.name,), key)])]
        if node.values is not None:
            rows += _rows(node.values, path + (_placeholder(node),))
        return rows
    if isinstance(node, ListOf):
        return _rows(node.item, path[:-1] + (f"{path[-1]}[]",)) if path else []
    if isinstance(node, OneOf):  # a list of another option (agent: one block or several) is described once
        options = [o for o in node.options if not (isinstance(o, ListOf) and o.item in node.options)]
        return [row for option in options for row in _rows(option, path)]
    return []


def _key_rows(key: Key, path: KeyPath) -> list[Row]:
    return [(path + (key.name,), key), *_rows(key.value, path + (key.name,))]


def _placeholder(node: Mapping) -> str:
    return "<id>" if isinstance(node.names, schema.Id) else "<language>" if node.names else "<name>"


def _table(rows: list[Row]) -> str:
    lines = ["| Key | Required / default | What it is | Written as | Example |", "|---|---|---|---|---|"]
    for path, key in rows:
        lines.append(f"| `{'.'.join(path)}` | {_need(key)} | {key.about} | {_kind(key.value)} | "
                     f"{f'`{key.example}`' if key.example else ''} |")
    return "\n".join(lines) + "\n"


def _need(key: Key) -> str:
    if key.required:
        return "required"
    default = key.default_text or ("" if key.default is None else f"`{key.default:g}`"
                                   if isinstance(key.default, float) else f"`{key.default}`")
    return f"default: {default}" if default else "optional"


def _kind(node: schema.Kind) -> str:
    node = _bare(node)
    if id(node) in SHARED_NOTE:
        return SHARED_NOTE[id(node)][0]
    if isinstance(node, ListOf) and id(_bare(node.item)) in SHARED_NOTE:
        return f"list of {SHARED_NOTE[id(_bare(node.item))][1]}"
    return node.kind


def _bare(node: schema.Kind) -> schema.Kind:
    """What a Refusing value is, apart from what it refuses."""
    return node.inner if isinstance(node, schema.Refusing) else node
