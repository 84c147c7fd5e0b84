"""The tversky page: the shared anatomy plus its own teaching sections."""

from ui.boot import ensure_entry_point

ensure_entry_point()

from ui.page import loss_page
from ui.sections import tversky as sections

loss_page("tversky", sections=sections.SECTIONS)
