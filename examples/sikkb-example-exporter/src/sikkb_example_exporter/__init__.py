"""An example third-party sikkb exporter (Markdown summary)."""
