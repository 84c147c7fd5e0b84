"""Focal Tversky page: the exponent, in the blog's and the paper's conventions."""

from __future__ import annotations

import streamlit as st

from ..figures import charts, palette
from ..runtime import cache

FAMILY = (0.5, 0.75, 1.0, 1.5, 2.0)


def exponent(ctx) -> None:
    gamma = float(ctx.params["gamma"])
    gammas = tuple(sorted(set(FAMILY) | {round(gamma, 3)}))
    cur = cache.focal_tversky_curve(gammas)
    p = ctx.params
    tl = cache.tversky_terms(
        ctx.digest, float(p["alpha"]), float(p["beta"]), float(p["smooth"]), ctx.y_true, ctx.y_pred
    )["loss"]
    ti_now = 1.0 - tl
    c1, c2 = st.columns(2)
    for col, field, title, ytitle in (
        (c1, "blog", "Loss (1 - TI)^gamma", "loss"),
        (c2, "blog_grad", "How hard it pushes: |dL / dTI|", "|slope|"),
    ):
        fig = charts.family_figure(
            cur["ti"],
            cur[field],
            cur["gamma"],
            gamma,
            title=title,
            xtitle="Tversky index TI (1 = perfect)",
            ytitle=ytitle,
            ymax=4 if field == "blog_grad" else None,
        )
        fig.add_vline(
            x=ti_now,
            line=dict(color=palette.MARK_COLOR, width=3, dash="dash"),
            annotation_text=f"your TI = {ti_now:.3f}",
            annotation_position="bottom left",
        )
        col.plotly_chart(fig, width="stretch", key=f"ft-{field}")
    st.markdown(
        f"Your prediction's Tversky loss is **{tl:.4f}**; raised to gamma = {gamma:g} it becomes "
        f"**{tl**gamma:.4f}**. With gamma below 1 the curve is steepest near TI = 1, so "
        "the last, hard errors keep a strong push; above 1 it flattens there."
    )
    st.markdown(
        "**Two conventions.** The blog writes (1 - TI)^gamma. Abraham and Khan (2019) write "
        "(1 - TI)^(1/gamma) and recommend gamma = 4/3, which here is **gamma = 0.75** "
        "(the *Paper values* button sets it). Typing the paper's 4/3 into the blog's formula "
        f"gives the opposite effect: on your masks {tl ** (4 / 3):.4f} instead of "
        f"{tl**0.75:.4f}."
    )
