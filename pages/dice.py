"""Dice loss: the overlap of whole regions."""

from ui.runtime.boot import ensure_entry_point

ensure_entry_point()

from ui.sections import loss_page, loss_views

loss_page.render("dice", views=loss_views.COMMON)
