#!/usr/bin/env bash
# How the compact profiles here were derived (run by hand; needs Debian's argyll).
# The sources are the CC0 profiles in ../../shared/icc (pmjdebruijn/amethyst-cmyk-icc-profiles).
set -euo pipefail
src=${1:-../../shared/icc}
# grid.ti1: 2000 CMYK patches chosen by `targen -d4 -G -e4 -B4 -f 2000 grid` (kept here: targen is slow)
cp grid.ti1 fogra.ti1 && fakeread "$src/ISOcoated_v2_300_mth.icc" fogra
colprof -ql -bl -kr -l300 -L95 -D "ISO Coated v2 300% compact (derived from amethyst-cmyk-icc-profiles, CC0)" \
  -C "CC0 1.0: derived from ISOcoated_v2_300_mth.icc (pmjdebruijn/amethyst-cmyk-icc-profiles)" \
  -O ISOcoated_v2_300_compact.icc fogra
cp grid.ti1 japan.ti1 && fakeread "$src/JapanColor2011coated_350_mth.icc" japan
colprof -ql -bl -kr -l350 -L95 -D "Japan Color 2011 Coated compact (derived from amethyst-cmyk-icc-profiles, CC0)" \
  -C "CC0 1.0: derived from JapanColor2011coated_350_mth.icc (pmjdebruijn/amethyst-cmyk-icc-profiles)" \
  -O JapanColor2011coated_350_compact.icc japan
rm -f fogra.ti1 fogra.ti3 japan.ti1 japan.ti3
python3 delta_e.py "$src/ISOcoated_v2_300_mth.icc" ISOcoated_v2_300_compact.icc 300
python3 delta_e.py "$src/JapanColor2011coated_350_mth.icc" JapanColor2011coated_350_compact.icc 350
