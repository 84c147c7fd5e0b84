"""The bce_dice page."""

from ui.page import loss_page

loss_page("bce_dice")
