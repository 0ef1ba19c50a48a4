"""leaflet: approved content in, verified print-ready PDF leaflet out."""

__version__ = "0.1.0"
