"""Write the outline tables of the pinned faces: `<font file>.outlines` beside
each font, recorded in SHA256SUMS like the fonts themselves.

For every character a face maps, the table holds the SHA-256 (first 8 bytes)
and length of the glyph exactly as a build embeds it: cut by
`leaflet.typeset.fonts._truetype_subset`, CFF outlines converted to TrueType. The glyph
witness of `leaflet verify` compares each glyph of a PDF with it, so a build's
self-check does not convert hundreds of CJK outlines again in every process;
where the table disagrees (a newer fontTools converts differently), the witness
converts the pinned glyph itself, so the table can only make it faster.

Run from the repository root after changing a pinned font:

    python fonts/pin_outlines.py && (cd fonts && sha256sum *.otf *.ttf *.outlines > SHA256SUMS)

Format: b"LEAFOUT1", uint32 count, then count uint32 code points (ascending),
count uint16 lengths (0xFFFF: a composite glyph, compared by its outline), and
count 8-byte digests. Little-endian.
"""
from __future__ import annotations

import array
import hashlib
import io
import struct
import sys
from pathlib import Path

from fontTools.ttLib import TTFont

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from leaflet.typeset.fonts import _truetype_subset  # noqa: E402 - the very preparation a build uses

MAGIC = b"LEAFOUT1"
COMPOSITE = 0xFFFF


def glyph_bytes(glyph, glyf) -> bytes | None:
    """A glyph's data as the prepared font stores it, without the table's padding;
    None for a composite (its component numbers change with every subset)."""
    glyph.expand(glyf)
    if glyph.isComposite():
        return None
    return glyph.compile(glyf, recalcBBoxes=False)


def table(font_path: Path) -> bytes:
    font = TTFont(font_path, lazy=True, recalcTimestamp=False)
    chars = "".join(chr(cp) for cp in sorted(font.getBestCmap()))
    prepared = TTFont(io.BytesIO(_truetype_subset(font_path.read_bytes(), 0, chars)), lazy=True)
    glyf = prepared["glyf"]
    cmap = prepared.getBestCmap()
    stored = {name: getattr(glyph, "data", b"") for name, glyph in glyf.glyphs.items()}  # as saved, before anything is expanded
    points, lengths, digests = array.array("I"), array.array("H"), bytearray()
    for cp in sorted(cmap):
        data = glyph_bytes(glyf[cmap[cp]], glyf)
        if data is not None:  # what the file holds is this glyph, padded with zeros
            saved = stored[cmap[cp]]
            assert saved[:len(data)] == data and not saved[len(data):].strip(b"\0"), (font_path, cp)
        points.append(cp)
        lengths.append(COMPOSITE if data is None else len(data))
        digests += hashlib.sha256(data or b"").digest()[:8]
    if sys.byteorder != "little":
        points.byteswap()
        lengths.byteswap()
    return MAGIC + struct.pack("<I", len(points)) + points.tobytes() + lengths.tobytes() + bytes(digests)


def main() -> None:
    folder = Path(__file__).resolve().parent
    for path in sorted(folder.glob("*.otf")) + sorted(folder.glob("*.ttf")):
        out = path.with_name(path.name + ".outlines")
        out.write_bytes(table(path))
        print(f"{out.name}: {out.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
