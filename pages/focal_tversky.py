"""Focal Tversky loss: the Tversky loss raised to gamma, in both conventions."""

from ui.runtime.boot import ensure_entry_point

ensure_entry_point()

from ui.sections import focal_tversky, loss_page, loss_views

loss_page.render(
    "focal_tversky",
    views=[("exponent", focal_tversky.exponent), *loss_views.COMMON],
)
