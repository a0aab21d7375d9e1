"""Renderers of a Report: JSON (the contract), Markdown, and a terminal table."""

from detector.render.markdown import to_markdown
from detector.render.table import print_table

__all__ = ["print_table", "to_markdown"]
