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

# The profiles the repository ships (CC0, derived compact; see icc/README.md).
PROFILES = {
    "fogra39": OutputProfile("FOGRA39", "ISO Coated v2 300% (FOGRA39), compact",
                             ICC_DIR / "ISOcoated_v2_300_compact.icc"),
    "japancolor2011": OutputProfile("JC200103", "Japan Color 2011 Coated, compact",
                                    ICC_DIR / "JapanColor2011coated_350_compact.icc"),
}
DEFAULT_PROFILE = "fogra39"
