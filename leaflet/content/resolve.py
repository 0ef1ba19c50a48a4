"""Resolve stage: Leaflet model -> Edition, everything that will print, as
typesetting-ready paragraphs.

Citations become superscript numbers in order of first citation across the
leaflet (reading order of the flows, then the back panel); the reference list
is put in that order. An unknown reference id, or a reference nothing cites
and that does not say why it is listed, is an error.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from ..errors import CitationError, ContentError, LeafletError, Location, raise_all
from .schema import did_you_mean
from .blocks import list_entries
from .scripts import ScriptFaces, script_faces
from .model import (Agent, Block, Callout, Citation, Figure, ItemList, Leaflet, ListItem, Paragraph, Placeholder, QRCode,
                    Reference, Region, Replacement, Span, Story, Subheading, Table)

if TYPE_CHECKING:  # typing only: the records are made in change/, above this layer
    from ..change.approvals import Record

# Raised like a citation: typographic convention for the registered mark.
SUPERSCRIPT_CHARS = "®"


@dataclass(frozen=True)
class Run:
    """Text in one style, ready to set."""

    text: str
    bold: bool = False
    superscript: bool = False


@dataclass(frozen=True)
class Marker:
    """A list item's marker: set in the hanging indent, right-aligned on the widest marker of its level."""

    text: str  # "3.", "(b)", "一、"; "" for a bullet, which is drawn as a disc
    column: tuple[str, ...]  # every marker of its level under the same parent (empty: discs)
    outer: tuple[str, ...] | None = None  # the parent level's column, for a nested item


@dataclass(frozen=True)
class Para:
    """One paragraph to set: its runs, its role (which sets its style), where it came from."""

    runs: tuple[Run, ...]
    # heading, subheading, body, bullet, item (a list item with a written marker), callout, figure, caption,
    # reference, tagline, product, descriptor, agent, approval, slug
    role: str
    language: str
    where: Location | None
    number: int | None = None  # reference number, for role "reference"
    figure: Figure | None = None  # the artwork, for role "figure" (which has no runs)
    marker: Marker | None = None  # a list item's marker (None for a top-level bullet: the plain disc)
    callout: Callout | None = None  # the box this paragraph is set in, shared by its paragraphs
    block: SetTable | QRCode | Placeholder | None = None  # for roles "table", "qr" and "fpo"

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)

    @property
    def label(self) -> str:
        """The role, with the marker or box it prints with: what the content hash must cover."""
        if self.marker is not None:
            return f"{self.role} {self.marker.text or 'bullet'} level {1 if self.marker.outer is not None else 0}"
        return f"{self.role} {self.callout.style}" if self.callout else self.role

    def parts(self) -> tuple[Para, ...]:
        """The paragraphs this one sets: itself, or a table's cells."""
        return self.block.cells() if isinstance(self.block, SetTable) else (self,)


@dataclass(frozen=True)
class SetTable:
    """A table ready to set: its header cells and rows of cells, each a paragraph."""

    header: tuple[Para, ...]
    rows: tuple[tuple[Para, ...], ...]
    widths: str  # "content" or "even"

    def cells(self) -> tuple[Para, ...]:
        return self.header + tuple(cell for row in self.rows for cell in row)


@dataclass(frozen=True)
class TypesetStory:
    id: str
    language: str
    paras: tuple[Para, ...]
    where: Location | None


@dataclass(frozen=True)
class NumberedReference:
    number: int
    reference: Reference


@dataclass(frozen=True)
class Edition:
    leaflet: Leaflet  # with the region's overlay applied
    languages: tuple[str, ...]
    furniture_language: str  # the language of the cover, references and approval line: the Latin face's
    stories: dict[tuple[str, str], TypesetStory]
    references: tuple[NumberedReference, ...]
    cover: TypesetStory
    back: tuple[TypesetStory, ...]  # in print order: back stories, agent, legal lines, references, approval
    slug: Para
    region: Region | None = None
    unapproved: tuple[Paragraph, ...] = ()  # wording not in the approved source and not yet approved
    # Approval records (change.approvals) of this edition, and the one its content matches, if any.
    records: tuple[Record, ...] = ()
    approval: Record | None = None
    placeholders: tuple[Placeholder, ...] = ()  # FPO boxes where artwork is still to come

    @property
    def status(self) -> str:
        """final when a recorded approval matches this edition's content; without
        records, when leaflet.yaml says approved and every word of this edition is too.
        Never while an FPO box stands in for artwork."""
        if self.placeholders:
            return "draft"
        if self.records:
            return "final" if self.approval is not None else "draft"
        return "final" if _legacy_final(self.leaflet, self.unapproved) else "draft"

    def fingerprint(self) -> str:
        """SHA-256 of everything this edition prints and how: the manifest's content hash."""
        leaflet = self.leaflet
        printed = {
            "languages": self.languages,
            "approval": [leaflet.approval.job_code, leaflet.approval.version,
                         leaflet.approval.date_of_preparation.isoformat(), self.status],
            "format": list(leaflet.format.printed().values()),
            "theme": [sorted(leaflet.theme.colours.items()), leaflet.theme.body_size, leaflet.theme.body_leading,
                      leaflet.theme.heading_size, leaflet.theme.reference_size],
            "flows": [[f.language, f.panels, f.stories] for f in leaflet.flows],
            "text": [[s.id, p.label, p.language, [[r.text, r.bold, r.superscript] for r in p.runs],
                      p.figure.file.name if p.figure else _printed_block(q.block)]
                     for s in self.all_stories() for q in s.paras for p in q.parts()],
        }
        return hashlib.sha256(json.dumps(printed, ensure_ascii=False, sort_keys=True).encode()).hexdigest()

    def all_stories(self) -> Iterator[TypesetStory]:
        yield from self.stories.values()
        yield self.cover
        yield from self.back
        yield TypesetStory("slug", self.slug.language, (self.slug,), None)

    @property
    def scripts(self) -> ScriptFaces:
        return script_faces(self.languages)

    @property
    def face_languages(self) -> tuple[str, ...]:
        """The languages whose faces print: the edition's, and the Latin face of one in Chinese only."""
        return tuple(dict.fromkeys((*self.languages, self.scripts.latin)))

    def character_sources(self, language: str, weight: str) -> Iterator[tuple[str, str, Location | None]]:
        """(character, story id, location) for every character set in this language's face and weight."""
        scripts = self.scripts
        for story in self.all_stories():
            for para in (part for p in story.paras for part in p.parts()):
                if para.marker and weight == "regular":  # list markers print in the face of their script
                    for text, face in scripts.runs(para.marker.text, para.language):
                        if face == language:
                            for char in text:
                                yield char, story.id, para.where
                for run in para.runs:
                    if ("bold" if run.bold else "regular") != weight:
                        continue
                    for text, face in scripts.runs(run.text, para.language):
                        if face == language:
                            for char in dict.fromkeys(text):  # each once: a run can be 2 MB of text
                                yield char, story.id, para.where

    def characters(self, language: str, weight: str) -> str:
        return "".join(sorted({c for c, _, _ in self.character_sources(language, weight)}))


def resolve(leaflet: Leaflet, region: Region | None = None, problems: list[LeafletError] | None = None) -> Edition:
    """Apply the region's overlay, number citations and compose everything that
    prints. Problems are raised together, or, given a `problems` list, added to
    it (an unknown citation then prints as "?") so later stages can look for more."""
    if region is not None:
        leaflet = _apply_region(leaflet, region, problems)
    numbers = _number_citations(leaflet, problems)
    stories = {}
    for flow in leaflet.flows:
        for story_id in flow.stories:
            stories[(flow.language, story_id)] = _typeset_story(leaflet, flow.language, story_id, numbers)
    for story_id in leaflet.back_stories:
        for language in leaflet.languages:
            stories[(language, story_id)] = _typeset_story(leaflet, language, story_id, numbers)
    furniture = script_faces(leaflet.languages).latin
    references = _order_references(leaflet, numbers)
    unapproved = tuple(p for p in _reading_order(leaflet, headings=True) if p.unapproved)
    placeholders = tuple(b for story in _stories_in_order(leaflet) for b in story.blocks if isinstance(b, Placeholder))
    return Edition(
        leaflet=leaflet,
        languages=leaflet.languages,
        furniture_language=furniture,
        stories=stories,
        references=references,
        cover=_cover(leaflet, furniture, region),
        back=_back(leaflet, furniture, stories, references),
        slug=_slug(leaflet, furniture, region, _legacy_final(leaflet, unapproved)),
        region=region,
        unapproved=unapproved,
        placeholders=placeholders,
    )


def _printed_block(block: SetTable | QRCode | Placeholder | None) -> str | None:
    """What a QR code or FPO box prints that its runs do not say, for the content hash."""
    if isinstance(block, QRCode):
        return f"qr {block.url} {block.size_mm:g}"
    if isinstance(block, Placeholder):
        return f"fpo {block.width_mm:g}x{block.height_mm:g}"
    if isinstance(block, SetTable):
        return f"table {block.widths}"
    return None


def _stories_in_order(leaflet: Leaflet) -> Iterator[Story]:
    ids = [(flow.language, s) for flow in leaflet.flows for s in flow.stories]
    ids += [(lang, s) for s in leaflet.back_stories for lang in leaflet.languages]
    return (leaflet.stories[key] for key in ids)


def _reading_order(leaflet: Leaflet, headings: bool = False) -> Iterator[Paragraph]:
    """Every paragraph that can cite (and the headings, if asked), in the order a reader meets it."""
    for story in _stories_in_order(leaflet):
        if headings and story.heading:
            yield story.heading
        for block in story.blocks:
            if isinstance(block, ItemList):
                yield from (entry.paragraph for entry in list_entries(block))
            elif isinstance(block, Table):
                yield from block.paragraphs()
            elif isinstance(block, (Figure, QRCode, Placeholder)):
                yield from (block.caption,) if block.caption else ()
            elif isinstance(block, Subheading):
                yield block.paragraph
            elif isinstance(block, Callout):
                yield from block.paragraphs
            else:
                yield block


def _number_citations(leaflet: Leaflet, found: list[LeafletError] | None) -> dict[str, int]:
    known = {ref.id: ref for ref in leaflet.references}
    numbers: dict[str, int] = {}
    problems: list[CitationError] = []
    for paragraph in _reading_order(leaflet):
        for inline in paragraph.inlines:
            if isinstance(inline, Citation):
                for ref_id in inline.ref_ids:
                    if ref_id not in known and not known:
                        problems.append(CitationError(
                            f"the citation [@{ref_id}] cites a reference, but this edition has no references",
                            inline.where, fix=f"add a reference with id '{ref_id}' to references.yaml (or the "
                                              f"region's 'references:'), or remove the citation"))
                    elif ref_id not in known:
                        problems.append(CitationError(
                            f"the citation [@{ref_id}] names no reference in references.yaml", inline.where,
                            fix=did_you_mean(ref_id, known) or f"add a reference with id '{ref_id}' or "
                                f"correct the id (known: {', '.join(sorted(known))})"))
                    else:
                        numbers.setdefault(ref_id, len(numbers) + 1)
    for ref in leaflet.references:
        if ref.id not in numbers and ref.uncited_reason is None:
            problems.append(CitationError(f"reference '{ref.id}' is never cited", ref.where,
                                          fix=f"cite it with [@{ref.id}], remove it, or add "
                                              f"'uncited: <why it is listed>' to keep it"))
    if found is None:
        raise_all(problems)
    else:
        found.extend(problems)
    return numbers


def _order_references(leaflet: Leaflet, numbers: dict[str, int]) -> tuple[NumberedReference, ...]:
    cited = sorted((r for r in leaflet.references if r.id in numbers), key=lambda r: numbers[r.id])
    uncited = [r for r in leaflet.references if r.id not in numbers]
    return tuple(NumberedReference(i + 1, ref) for i, ref in enumerate(cited + uncited))


def citation_label(numbers: list[int]) -> str:
    """'1', '1,3', '1–3' (three or more consecutive numbers become a range)."""
    numbers = sorted(set(numbers))
    groups: list[list[int]] = []
    for n in numbers:
        if groups and n == groups[-1][-1] + 1:
            groups[-1].append(n)
        else:
            groups.append([n])
    return ",".join(f"{g[0]}–{g[-1]}" if len(g) >= 3 else ",".join(map(str, g)) for g in groups)


def runs_of(text: str, bold: bool = False) -> list[Run]:
    """Split text so each superscript character (®) gets its own raised run."""
    runs, start = [], 0
    for i, char in enumerate(text):
        if char in SUPERSCRIPT_CHARS:
            if i > start:
                runs.append(Run(text[start:i], bold))
            runs.append(Run(char, bold, superscript=True))
            start = i + 1
    if start < len(text):
        runs.append(Run(text[start:], bold))
    return runs


def _para(paragraph: Paragraph, role: str, language: str, numbers: dict[str, int], bold: bool = False) -> Para:
    runs: list[Run] = []
    for inline in paragraph.inlines:
        if isinstance(inline, Span):
            runs.extend(runs_of(inline.text, bold or inline.bold))
        else:
            known = [numbers[i] for i in inline.ref_ids if i in numbers]
            runs.append(Run(citation_label(known) if len(known) == len(inline.ref_ids) else "?", superscript=True))
    return Para(tuple(runs), role, language, paragraph.where)


def _typeset_story(leaflet: Leaflet, language: str, story_id: str, numbers: dict[str, int]) -> TypesetStory:
    story = leaflet.stories[(language, story_id)]
    paras = [_para(story.heading, "heading", language, numbers, bold=True)] if story.heading else []
    for block in story.blocks:
        if isinstance(block, ItemList):
            paras.extend(_items(block, language, numbers))
        elif isinstance(block, Subheading):
            paras.append(_para(block.paragraph, "subheading", language, numbers, bold=True))
        elif isinstance(block, Callout):
            paras.extend(dataclasses.replace(_para(p, "callout", language, numbers), callout=block)
                         for p in block.paragraphs)
        elif isinstance(block, Figure):
            paras.append(Para((), "figure", language, block.where, figure=block))
            if block.caption:
                paras.append(_para(block.caption, "caption", language, numbers))
        elif isinstance(block, Table):
            paras.append(_table(block, language, numbers))
        elif isinstance(block, (QRCode, Placeholder)):
            qr = isinstance(block, QRCode)
            runs = tuple(runs_of(block.printed_label)) if isinstance(block, Placeholder) else ()
            paras.append(Para(runs, "qr" if qr else "fpo", language, block.where, block=block))
            if block.caption:
                paras.append(_para(block.caption, "caption", language, numbers))
        else:
            paras.append(_para(block, "body", language, numbers))
    return TypesetStory(story_id, language, tuple(paras), story.where)


def _items(block: ItemList, language: str, numbers: dict[str, int]) -> list[Para]:
    """A list's items: bullets (drawn discs) or items with written markers, nested ones after their parent."""
    paras: list[Para] = []
    outer: tuple[str, ...] = ()
    for entry in list_entries(block):
        para = _para(entry.paragraph, "bullet" if entry.style == "bullet" else "item", language, numbers)
        if entry.level == 0:
            outer = entry.column()
        if entry.level or entry.style != "bullet":
            para = dataclasses.replace(para, marker=Marker(entry.marker, entry.column(), outer if entry.level else None))
        paras.append(para)
    return paras


def _table(table: Table, language: str, numbers: dict[str, int]) -> Para:
    header = tuple(_para(cell, "table-header", language, numbers, bold=True) for cell in table.header)
    rows = tuple(tuple(_para(cell, "table-cell", language, numbers) for cell in row.cells) for row in table.rows)
    return Para((), "table", language, table.where, block=SetTable(header, rows, table.widths))


def _plain(text: str, role: str, language: str, where: Location | None, bold: bool = False,
           number: int | None = None) -> Para:
    return Para(tuple(runs_of(text, bold)), role, language, where, number)


COVER_BOLD = ("title", "tagline", "product")


def _cover(leaflet: Leaflet, furniture: str, region: Region | None) -> TypesetStory:
    """The cover's lines, part by part; a part given per language prints in each of the
    edition's languages that has it, in reading order, each in its own language."""
    cover = leaflet.cover
    texts: dict[str | None, str] = {lang.tag: lang.text for lang in region.languages} if region else {}
    paras: list[Para] = []
    for role in dict.fromkeys(line.role for line in cover.lines):
        lines = [line for line in cover.lines if line.role == role]
        for language in (None, *leaflet.languages):
            text = texts.get(language)  # zh-Hant-TW set with zh-Hant-HK's text takes zh-Hant-HK's cover too
            mine = [line for line in lines if line.language == language] or \
                [line for line in lines if text is not None and line.language == text]
            paras.extend(_plain(line.text, role, language or furniture, line.where, bold=role in COVER_BOLD)
                         for line in mine)
    return TypesetStory("cover", furniture, tuple(paras), cover.where)


def approval_text(leaflet: Leaflet) -> str:
    a = leaflet.approval
    return (f"Job code {a.job_code} · Version {a.version} · "
            f"Date of preparation {a.date_of_preparation.strftime('%d %B %Y').lstrip('0')}")


def _back(leaflet: Leaflet, language: str, stories: dict[tuple[str, str], TypesetStory],
          references: tuple[NumberedReference, ...]) -> tuple[TypesetStory, ...]:
    back = [stories[(lang, s)] for s in leaflet.back_stories for lang in leaflet.languages]
    for agent in sorted(leaflet.agents, key=lambda a: leaflet.languages.index(a.language)):  # reading order
        back.append(TypesetStory("agent", agent.language, tuple(
            _plain(line, "agent", agent.language, agent.where) for line in agent.lines), agent.where))
    if references:  # no references, no heading
        refs = [_plain("References", "reference-heading", language, None, bold=True)]
        refs += [_plain(f"{n.number}. {n.reference.text}", "reference", language, n.reference.where,
                        number=n.number) for n in references]
        back.append(TypesetStory("references", language, tuple(refs), None))
    if leaflet.legal:
        back.append(TypesetStory("legal", language, tuple(
            _plain(line.text, "legal", line.language, line.where) for line in leaflet.legal), leaflet.legal[0].where))
    approval = _plain(approval_text(leaflet), "approval", language, leaflet.approval.where)
    back.append(TypesetStory("approval", language, (approval,), leaflet.approval.where))
    return tuple(back)


def with_approvals(edition: Edition, records: Sequence[Record], approval: Record | None) -> Edition:
    """The edition under its approval records: final only when `approval`, one of them, matches its content."""
    edition = dataclasses.replace(edition, records=tuple(records), approval=approval)
    return dataclasses.replace(edition, slug=_slug(edition.leaflet, edition.furniture_language, edition.region,
                                                   edition.status == "final"))


def _legacy_final(leaflet: Leaflet, unapproved: Sequence[Paragraph]) -> bool:
    return leaflet.approval.status == "approved" and not unapproved


def _slug(leaflet: Leaflet, language: str, region: Region | None, final: bool) -> Para:
    a = leaflet.approval
    status = "APPROVED" if final else "DRAFT — not approved for print"
    edition = f"{leaflet.name} {region.code.upper()}" if region else leaflet.name
    return _plain(f"{edition} · {a.job_code} · v{a.version} · {status}", "slug", language, a.where)


# --- regional overlay -------------------------------------------------------------------

def _apply_region(leaflet: Leaflet, region: Region, problems: list[LeafletError] | None) -> Leaflet:
    """The master content as this region prints it: its languages (glyph standard and
    text), order, flows, agent, legal lines, job code and regional wording."""
    texts = {lang.tag: lang.text for lang in region.languages}
    stories: dict[tuple[str, str], Story] = {}
    uses = {r: 0 for r in region.replacements}
    for tag, text in texts.items():
        for (language, story_id), story in leaflet.stories.items():
            if language == text:
                mine = [r for r in region.replacements if r.language == tag and r.story in (None, story_id)]
                stories[(tag, story_id)] = _reworded(dataclasses.replace(story, language=tag), mine, uses)
    unused = [ContentError(f"the text “{r.find}” does not occur in {r.language}"
                           + (f" story '{r.story}'" if r.story else ""), r.where,
                           fix="correct the text to find, or remove the replacement") for r, n in uses.items() if not n]
    if problems is None:
        raise_all(unused)
    else:
        problems.extend(unused)
    master_order = list(dict.fromkeys(flow.language for flow in leaflet.flows))
    by_position = dict(zip(master_order, texts))
    flows = region.flows or tuple(dataclasses.replace(f, language=by_position[f.language]) for f in leaflet.flows)
    own = {part: getattr(region, part) for part in ("cover", "back_stories", "references")
           if getattr(region, part) is not None}
    return dataclasses.replace(leaflet, languages=tuple(texts), stories=stories, flows=flows,
                               agents=_inherited_agents(leaflet.agents, texts) if region.agents is None
                               else region.agents, legal=region.legal,
                               approval=region.approval, theme=region.theme or leaflet.theme, **own)


def _inherited_agents(agents: tuple[Agent, ...], texts: dict[str, str]) -> tuple[Agent, ...]:
    """The master's agent blocks, for a region that names none: each in the edition's tag for
    its language; a block in a language the edition does not have is left out."""
    inherited = []
    for agent in agents:
        tag = next((tag for tag, text in texts.items() if agent.language in (tag, text)), None)
        inherited += [dataclasses.replace(agent, language=tag)] if tag else []
    return tuple(inherited)


def _reworded(story: Story, replacements: list[Replacement], uses: dict[Replacement, int]) -> Story:
    """The story with regional wording; a changed paragraph is marked as such (not yet approved
    unless the replacement carries its approval)."""
    if not replacements:
        return story

    def paragraph(p: Paragraph) -> Paragraph:
        inlines = list(p.inlines)
        changed = None
        for r in replacements:
            for i, inline in enumerate(inlines):
                if isinstance(inline, Span) and r.find in inline.text:
                    uses[r] += inline.text.count(r.find)
                    inlines[i] = dataclasses.replace(inline, text=inline.text.replace(r.find, r.replace))
                    changed = r
        if changed is None:
            return p
        return dataclasses.replace(p, inlines=tuple(inlines), added=p.added or "regional wording",
                                   approved=changed.approved if p.added is None else p.approved)

    def optional(p: Paragraph | None) -> Paragraph | None:
        return None if p is None else paragraph(p)

    def block(b: Block) -> Block:
        if isinstance(b, ItemList):
            return dataclasses.replace(b, items=tuple(ListItem(paragraph(i.paragraph), tuple(map(paragraph, i.items)))
                                                      for i in b.items))
        if isinstance(b, Subheading):
            return Subheading(paragraph(b.paragraph))
        if isinstance(b, Callout):
            return dataclasses.replace(b, paragraphs=tuple(map(paragraph, b.paragraphs)))
        if isinstance(b, (Figure, QRCode, Placeholder)):
            return dataclasses.replace(b, caption=optional(b.caption))
        if isinstance(b, Table):
            return dataclasses.replace(b, header=tuple(map(paragraph, b.header)), rows=tuple(
                dataclasses.replace(row, cells=tuple(map(paragraph, row.cells))) for row in b.rows))
        return paragraph(b)

    return dataclasses.replace(story, heading=optional(story.heading), blocks=tuple(block(b) for b in story.blocks))
