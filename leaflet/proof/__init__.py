"""Proof: the witnesses that a PDF prints the approved content of an edition
and has the print properties, each in a module of its own, merged into one
report of findings.

- text: every painted glyph is accounted for by the approved content, by
  position, visibly, at the approved size, face and ink;
- glyphs: every glyph's outline is the pinned font's glyph for the character
  the text layer claims;
- print: PDF/X-4 identification, output intent, boxes, fonts, colour, and
  nothing a print file must not carry;
- visual (for files that come back from outside): the rendered pages look
  like a fresh build of the approved content.
"""
from .findings import Finding
from .report import prove

__all__ = ["Finding", "prove"]
