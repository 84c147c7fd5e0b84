"""Tversky loss: how alpha and beta trade false positives against false negatives."""

from ui.runtime.boot import ensure_entry_point

ensure_entry_point()

from ui.sections import loss_page, loss_views, tversky

loss_page.render(
    "tversky",
    views=[
        ("tversky_square", tversky.heatmap),
        ("tversky_flips", tversky.changes_its_mind),
        *loss_views.COMMON,
    ],
    live_views=tversky.live_views,
)
