"""Colour difference between a compact derived profile and its source, as
ΔE2000 over a grid of CMYK values within the profile's total ink limit.

    python icc/delta_e.py SOURCE.icc COMPACT.icc [TAC_PERCENT]
"""
import itertools
import math
import sys

from PIL import Image, ImageCms


def to_lab(profile: str, cmyk: list[tuple[int, int, int, int]]) -> list[tuple[float, float, float]]:
    lab = ImageCms.createProfile("LAB", 5000)
    transform = ImageCms.buildTransform(ImageCms.getOpenProfile(profile), lab, "CMYK", "LAB", renderingIntent=1)
    image = Image.new("CMYK", (len(cmyk), 1))
    image.putdata(cmyk)
    out = ImageCms.applyTransform(image, transform)
    return [(L * 100 / 255, a - 128, b - 128) for L, a, b in out.get_flattened_data()]


def delta_e_2000(lab1, lab2) -> float:
    (L1, a1, b1), (L2, a2, b2) = lab1, lab2
    C = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    G = 0.5 * (1 - math.sqrt(C ** 7 / (C ** 7 + 25 ** 7)))
    a1, a2 = (1 + G) * a1, (1 + G) * a2
    C1, C2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1, h2 = math.degrees(math.atan2(b1, a1)) % 360, math.degrees(math.atan2(b2, a2)) % 360
    dh = 0 if C1 * C2 == 0 else (h2 - h1 + 180) % 360 - 180
    dL, dC, dH = L2 - L1, C2 - C1, 2 * math.sqrt(C1 * C2) * math.sin(math.radians(dh / 2))
    Lm, Cm = (L1 + L2) / 2, (C1 + C2) / 2
    hm = h1 + h2 if C1 * C2 == 0 else ((h1 + h2) / 2 if abs(h1 - h2) <= 180 else (h1 + h2 + 360) / 2 % 360)
    T = (1 - 0.17 * math.cos(math.radians(hm - 30)) + 0.24 * math.cos(math.radians(2 * hm))
         + 0.32 * math.cos(math.radians(3 * hm + 6)) - 0.20 * math.cos(math.radians(4 * hm - 63)))
    Rc = 2 * math.sqrt(Cm ** 7 / (Cm ** 7 + 25 ** 7))
    Rt = -math.sin(math.radians(60 * math.exp(-(((hm - 275) / 25) ** 2)))) * Rc
    Sl = 1 + 0.015 * (Lm - 50) ** 2 / math.sqrt(20 + (Lm - 50) ** 2)
    Sc, Sh = 1 + 0.045 * Cm, 1 + 0.015 * Cm * T
    return math.sqrt((dL / Sl) ** 2 + (dC / Sc) ** 2 + (dH / Sh) ** 2 + Rt * (dC / Sc) * (dH / Sh))


def main(source: str, compact: str, tac: str = "300") -> None:
    steps = range(0, 256, 32)
    grid = [p for p in itertools.product([*steps, 255], repeat=4) if sum(p) <= int(tac) * 255 / 100]
    diffs = [delta_e_2000(a, b) for a, b in zip(to_lab(source, grid), to_lab(compact, grid))]
    print(f"{len(grid)} CMYK values within {tac}% ink: mean ΔE2000 {sum(diffs) / len(diffs):.2f}, "
          f"max {max(diffs):.2f}")


if __name__ == "__main__":
    main(*sys.argv[1:])
