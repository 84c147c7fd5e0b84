"""Training lab: train a small U-Net with one or two losses and compare what they learn."""

from ui.boot import ensure_entry_point

ensure_entry_point()

from ui.training import render

render()
