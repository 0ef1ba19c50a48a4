"""One error hierarchy for everything a user can get wrong.

Every error carries where it happened (file and line, when known) and what to
do about it, so the CLI can print one line a regulatory reviewer can act on.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Location:
    file: Path
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else str(self.file)


class LeafletError(Exception):
    """Base: a problem the user can fix. Never shown as a traceback."""

    kind = "error"

    def __init__(self, message: str, where: Location | None = None, fix: str | None = None):
        super().__init__(message)
        self.message = message
        self.where = where
        self.fix = fix

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        return f"{text} — {self.fix}" if self.fix else text


class ContentError(LeafletError):
    """The content files are malformed, incomplete or inconsistent."""

    kind = "content error"


class CitationError(ContentError):
    """A citation names a reference that does not exist, or a reference is never cited."""

    kind = "citation error"


class GlyphError(ContentError):
    """A character has no glyph in the font chosen for its language."""

    kind = "missing glyph"


class StoryOverflow(ContentError):
    """A story does not fit the panels it was given."""

    kind = "overflow"


class FontError(LeafletError):
    """A pinned font is missing or unreadable."""

    kind = "font error"


class OutputError(LeafletError):
    """The PDF could not be written, or failed its own verification."""

    kind = "output error"


class VerificationError(LeafletError):
    """A PDF does not carry what the approved content says it must."""

    kind = "verification failed"


class Problems(LeafletError):
    """Several problems found in one pass, so the user can fix them all at once."""

    def __init__(self, problems: Sequence[LeafletError]):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems
        self.kind = problems[0].kind if problems else "error"

    def __str__(self) -> str:
        return "\n".join(f"{p.kind}: {p}" for p in self.problems)


def raise_all(problems: Sequence[LeafletError]) -> None:
    """Raise the problems found: one as itself, several together."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise Problems(problems)


def individual(error: LeafletError) -> list[LeafletError]:
    """The single problems an error stands for."""
    return list(error.problems) if isinstance(error, Problems) else [error]
