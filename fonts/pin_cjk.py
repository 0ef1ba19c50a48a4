"""How the pinned CJK faces in this folder were made (run once, by hand).

Debian's fonts-noto-cjk 1:20220127 ships Noto Sans CJK 2.004 as .ttc files of
~20 MB with every regional face. We keep the faces of the three Chinese glyph
standards (face index 2 = SC, 3 = TC, 4 = HK), each cut to the characters of
its standard's character set (SC: GBK, TC: Big5, HK: Big5-HKSCS) and the
whole basic CJK Unified Ideographs block, plus Latin, symbols, CJK punctuation
and full-width forms, with layout features kept and hinting dropped.
Committed once per weight.

    python fonts/pin_cjk.py /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc 4 HK \
        fonts/NotoSansCJKhk-Regular.otf

The result is deterministic (no timestamp is recalculated); SHA256SUMS
records what was committed.
"""
import sys

from fontTools import subset
from fontTools.ttLib import TTFont


# The character set that defines each glyph standard's cut, on top of the
# 20,992 unified ideographs of the basic CJK block that every cut keeps
# (medical words such as 酶 lie outside Big5).
CHARSETS = {"HK": "big5hkscs", "TC": "cp950", "SC": "gbk"}


def keep(cp: int, charset: str) -> bool:
    if cp < 0x3000 or 0x3000 <= cp <= 0x303F or 0xFF00 <= cp <= 0xFFEF or 0x4E00 <= cp <= 0x9FFF:
        return True
    try:
        chr(cp).encode(charset)
        return True
    except UnicodeEncodeError:
        return False


def main(src: str, index: str, standard: str, out: str) -> None:
    charset = CHARSETS[standard]
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
    subsetter.populate(unicodes=[cp for cp in font.getBestCmap() if keep(cp, charset)])
    subsetter.subset(font)
    font.save(out)


if __name__ == "__main__":
    main(*sys.argv[1:])
