"""One report type for every stage: errors a build rejects and warnings it allows.

A warning is something a designer or reviewer should look at (a panel under half
full, a paragraph ending on one word) that does not make the PDF wrong;
`leaflet check --strict` treats warnings as errors.
"""
from __future__ import annotations

from dataclasses import dataclass

from .errors import LeafletError, Location


@dataclass(frozen=True)
class Diagnostic:
    severity: str  # "error" or "warning"
    location: Location | None
    message: str
    hint: str | None = None
    kind: str = "layout warning"  # what sort of problem, as errors name it ("overflow", "citation error", ...)

    @classmethod
    def of(cls, error: LeafletError) -> Diagnostic:
        return cls("error", error.where, error.message, error.fix, error.kind)

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        return f"{text} — {self.hint}" if self.hint else text
