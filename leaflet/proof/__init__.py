"""Proof: the witnesses that a PDF prints the approved content of an edition
and has the print properties, each in a module of its own, merged into one
report of findings."""
