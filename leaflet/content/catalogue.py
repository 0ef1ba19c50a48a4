"""What the tool ships for content to name: pinned faces per language and
output-intent profiles. Data only, so loading content can check a language
tag or a profile name without importing the font or PDF machinery."""
from __future__ import annotations

from pathlib import Path

from .model import OutputProfile

_SHIPPED = Path(__file__).resolve().parents[2]
FONT_DIR = _SHIPPED / "fonts"
ICC_DIR = _SHIPPED / "icc"

_HK = ("NotoSansCJKhk-Regular.otf", "NotoSansCJKhk-Bold.otf")
_TC = ("NotoSansCJKtc-Regular.otf", "NotoSansCJKtc-Bold.otf")
_SC = ("NotoSansCJKsc-Regular.otf", "NotoSansCJKsc-Bold.otf")

# Pinned faces per BCP 47 language tag: (regular, bold) in fonts/. The Chinese
# glyph standard follows the region: HK for Hong Kong and Macau, TC for
# Taiwan, SC for Simplified Chinese.
FACES: dict[str, tuple[str, str]] = {
    "en": ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    "zh-Hant-HK": _HK,
    "zh-Hant-MO": _HK,
    "zh-Hant-TW": _TC,
    "zh-Hans": _SC,
    "zh-Hans-SG": _SC,
    "zh-Hans-CN": _SC,
}



def canonical_tag(tag: str) -> str:
    """A BCP 47 tag in its usual spelling: zh-hant-hk -> zh-Hant-HK, EN-tw -> en-TW."""
    parts = tag.split("-")
    rest = [p.title() if len(p) == 4 and p.isalpha() else p.upper() if len(p) == 2 or p.isdigit() else p.lower()
            for p in parts[1:]]
    return "-".join([parts[0].lower(), *rest])


def face_tag(tag: str) -> str | None:
    """The FACES entry a language tag is set in: the tag itself, else the nearest shorter
    tag (en-TW -> en, zh-Hans-MY -> zh-Hans); None when no prefix has a pinned face."""
    parts = canonical_tag(tag).split("-")
    while parts:
        if "-".join(parts) in FACES:
            return "-".join(parts)
        parts.pop()
    return None


# The profiles the repository ships (CC0, derived compact; see icc/README.md).
PROFILES = {
    "fogra39": OutputProfile("FOGRA39", "ISO Coated v2 300% (FOGRA39), compact",
                             ICC_DIR / "ISOcoated_v2_300_compact.icc"),
    "japancolor2011": OutputProfile("JC200103", "Japan Color 2011 Coated, compact",
                                    ICC_DIR / "JapanColor2011coated_350_compact.icc"),
}
DEFAULT_PROFILE = "fogra39"
