"""The focal_tversky page."""

from ui.page import loss_page

loss_page("focal_tversky")
