"""BCE-Dice loss: a pixel-wise and a region term, added."""

from ui.runtime.boot import ensure_entry_point

ensure_entry_point()

from ui.sections import loss_page, loss_views

loss_page.render("bce_dice", views=loss_views.COMMON)
