"""Typst compiling the peer with only the given fonts folder. Run by benchmarks/bench.py."""
import sys
import typst
typst.compile(sys.argv[1], output=sys.argv[2], font_paths=[sys.argv[3]], ignore_system_fonts=True)
