"""Previews: a PNG of each page of a PDF and a contact sheet of the pages side
by side, for a reviewer without a DTP tool. PDFium renders (via pypdfium2), so
no system tools are needed."""
from __future__ import annotations

import io
import math
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from ..errors import LeafletError, Location, OutputError, VerificationError
from ..output import write_atomically
from ..typeset.folds import SIDES
GAP = 24  # pixels between pages on the contact sheet, and below them for labels
MAX_PIXELS = 100_000_000  # every page together; an A4 sheet at 600 dpi is 37 million


def preview(pdf: Path, out_dir: Path | None = None, dpi: int = 100) -> list[Path]:
    """Write <name>-<page>.png for every page and <name>-contact.png; return their paths."""
    pdf = Path(pdf)
    if not pdf.exists():
        raise LeafletError("the file does not exist", Location(pdf), fix="give the path of a PDF file")
    return preview_bytes(str(pdf), pdf, Path(out_dir or pdf.parent), dpi)


def preview_bytes(source: bytes | str, pdf: Path, out_dir: Path, dpi: int = 100) -> list[Path]:
    """The previews of a PDF given as bytes (or a file name), named after `pdf`."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(source)
        _refuse_huge([document[i].get_size() for i in range(len(document))], dpi, pdf)
        images = [document[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in range(len(document))]
    except (pdfium.PdfiumError, OSError) as exc:
        raise VerificationError(f"cannot read the PDF ({exc})", Location(pdf),
                                fix="give the path of a PDF file") from None
    names = SIDES if len(images) == len(SIDES) else [f"page{i + 1}" for i in range(len(images))]
    written = []
    for image, name in zip(images, names):
        written.append(_save(image, out_dir / f"{pdf.stem}-{name}.png"))
    written.append(_save(_contact_sheet(images, names), out_dir / f"{pdf.stem}-contact.png"))
    return written


def _refuse_huge(sizes: list[tuple[float, float]], dpi: int, pdf: Path) -> None:
    """Refuse, before rendering, pages whose pixels would not fit in memory (a 20000 pt page)."""
    points = sum(width * height for width, height in sizes)
    pixels = points * (dpi / 72) ** 2
    if pixels > MAX_PIXELS:
        most = math.floor(72 * math.sqrt(MAX_PIXELS / points))
        raise OutputError(f"the pages would be {pixels / 1e6:,.0f} million pixels at {dpi} dpi; a preview is at "
                          f"most {MAX_PIXELS / 1e6:.0f} million", Location(pdf),
                          fix=f"use --dpi {most} or less" if most >= 20 else "these pages are too large to preview")


def _contact_sheet(images: list[Image.Image], names: Sequence[str]) -> Image.Image:
    width = sum(i.width for i in images) + GAP * (len(images) + 1)
    height = max(i.height for i in images) + GAP * 2
    sheet = Image.new("RGB", (width, height), (236, 236, 236))
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default()
    x = GAP
    for image, name in zip(images, names):
        sheet.paste(image, (x, GAP // 2))
        draw.text((x, GAP // 2 + image.height + 4), name, fill=(60, 60, 60), font=font)
        x += image.width + GAP
    return sheet


def _save(image: Image.Image, path: Path) -> Path:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    write_atomically(path, buffer.getvalue())
    return path
