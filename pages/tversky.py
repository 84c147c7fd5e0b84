"""The tversky page."""

from ui.page import loss_page

loss_page("tversky")
