"""The PDF: print and proof rendering, PDF/X-4 finishing, previews."""
