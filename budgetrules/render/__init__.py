"""Presentation: documents rendered as text, markdown, CSV, xlsx and HTML, with one catalogue of
labels and messages in French and English. Renderers take a document, never the engine's state."""
