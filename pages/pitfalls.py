"""Pitfalls and FAQ: common mistakes with segmentation losses, each run live."""

from ui.boot import ensure_entry_point

ensure_entry_point()

from ui.pitfalls_page import render

render()
