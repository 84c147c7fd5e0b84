"""Compare all losses: the same masks, candidates and object sizes under every loss."""

from ui.boot import ensure_entry_point

ensure_entry_point()

from ui.compare_page import render

render()
