"""One findings type for every witness: where on the sheet (page, panel), what
content (story, language), and a short statement of what differs."""
from __future__ import annotations

from dataclasses import dataclass

from ..typeset.folds import SIDES


@dataclass(frozen=True)
class Finding:
    """One way a PDF differs from what was approved or from print requirements."""

    what: str
    page: int | None = None  # 0-based page index; None for the whole document
    panel: str | None = None
    story: str | None = None
    language: str | None = None
    witness: str = ""  # which witness saw it: text, glyphs, visual, print

    @property
    def where(self) -> str:
        if self.page is None:
            return "document"
        name = f" ({SIDES[self.page]})" if self.page < len(SIDES) else ""
        parts = [f"page {self.page + 1}{name}"]
        if self.panel:
            parts.append(f"panel '{self.panel}'")
        if self.story:
            parts.append(f"story '{self.story}'" + (f" ({self.language})" if self.language else ""))
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"
