"""Typesetting: fonts, line breaking, folds and the layout of panels."""
