"""Focal loss: how gamma turns down the easy pixels, and the two meanings of alpha."""

from ui.runtime.boot import ensure_entry_point

ensure_entry_point()

from ui.sections import focal, loss_page, loss_views

loss_page.render(
    "focal",
    views=[
        ("gamma_focus", focal.gamma_focus),
        ("alpha_forms", focal.alpha_forms),
        *loss_views.COMMON,
    ],
    live_views=focal.live_views,
)
