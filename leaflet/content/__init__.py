"""Content: the YAML sources, their schema and markup, regions, and the resolved edition."""
