"""sikkb_exporters: the exporter plugin host and the built-in exporters."""
