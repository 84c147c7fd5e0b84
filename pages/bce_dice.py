"""The bce_dice page."""

from ui.boot import ensure_entry_point

ensure_entry_point()

from ui.page import loss_page

loss_page("bce_dice")
