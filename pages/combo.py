"""Combo loss: weighted cross-entropy minus the Dice coefficient."""

from ui.runtime.boot import ensure_entry_point

ensure_entry_point()

from ui.sections import combo, loss_page, loss_views

loss_page.render(
    "combo",
    views=[
        ("combo_parts", combo.parts),
        ("combo_grid", combo.grid),
        *loss_views.COMMON,
    ],
)
