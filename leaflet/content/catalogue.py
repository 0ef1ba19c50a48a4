"""What the tool ships for content to name: pinned faces per language and
output-intent profiles. Data only, so loading content can check a language
tag or a profile name without importing the font or PDF machinery."""
from __future__ import annotations

from pathlib import Path

from .model import OutputProfile

_PACKAGE = Path(__file__).resolve().parents[1]
# An installed wheel carries the repository's fonts/, icc/ and content/ as leaflet/_shipped/ (see
# pyproject.toml); a checkout, or an editable install of it, reads them at the top of the repository.
INSTALLED = (_PACKAGE / "_shipped").is_dir()
_SHIPPED = _PACKAGE / "_shipped" if INSTALLED else _PACKAGE.parent
FONT_DIR = _SHIPPED / "fonts"
ICC_DIR = _SHIPPED / "icc"
EXAMPLES_DIR = _SHIPPED / "content"  # the example leaflets `leaflet new --example` copies


def restore_fonts_hint(font_dir: Path) -> str:
    """How to get back a pinned font file that is missing or altered."""
    if INSTALLED:
        return ("reinstall leaflet the way it was installed (`pip install --force-reinstall --no-deps …` or "
                "`pipx reinstall leaflet`) to restore its pinned fonts")
    return f"restore the pinned fonts with `git checkout -- fonts/` in {font_dir.parent}"

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
