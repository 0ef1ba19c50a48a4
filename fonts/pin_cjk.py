"""How the pinned CJK faces in this folder were made (run once, by hand).

Debian's fonts-noto-cjk 1:20220127 ships Noto Sans CJK 2.004 as .ttc files of
~20 MB with every regional face. We keep one face (HK = face index 4), cut to
the characters of its glyph standard (Big5-HKSCS, plus Latin, symbols, CJK
punctuation and full-width forms), with layout features kept and hinting
dropped. That is ~9 MB per weight, committed once.

    python fonts/pin_cjk.py /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc 4 \
        fonts/NotoSansCJKhk-Regular.otf

The result is deterministic (no timestamp is recalculated); SHA256SUMS
records what was committed.
"""
import sys

from fontTools import subset
from fontTools.ttLib import TTFont


def keep(cp: int) -> bool:
    if cp < 0x3000 or 0x3000 <= cp <= 0x303F or 0xFF00 <= cp <= 0xFFEF:
        return True
    try:
        chr(cp).encode("big5hkscs")
        return True
    except UnicodeEncodeError:
        return False


def main(src: str, index: str, out: str) -> None:
    font = TTFont(src, fontNumber=int(index), recalcTimestamp=False)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.recalc_timestamp = False
    options.drop_tables += ["VORG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[cp for cp in font.getBestCmap() if keep(cp)])
    subsetter.subset(font)
    font.save(out)


if __name__ == "__main__":
    main(*sys.argv[1:])
