"""The views every loss page offers: overlap, curves, where it pushes, Keras code, sources.

Each view is ``draw(ctx)`` for a :class:`ui.sections.loss_page.Context`;
:data:`COMMON` lists them in the order the pages show them, after their own.
"""

from __future__ import annotations

import functools

import numpy as np
import streamlit as st

from teaching.registry import format_formula, format_params, format_value

from .. import text
from ..figures import charts, images, palette, slides
from ..runtime import cache


def _legend() -> str:
    def swatch(color, name):
        return (
            f"<span style='display:inline-block;width:0.9em;height:0.9em;background:{color};"
            f"border:1px solid #888;margin:0 0.3em 0 0.8em;vertical-align:middle'></span>{name}"
        )

    return (
        swatch(palette.TP_COLOR, "TP (found)")
        + swatch(palette.FP_COLOR, "FP (false alarm)")
        + swatch(palette.FN_COLOR, "FN (missed)")
        + swatch(palette.TN_COLOR, "TN (background)")
    )


def overlap(ctx) -> None:
    spec, n = ctx.spec, ctx.numbers
    c1, c2 = st.columns([1, 1.2])
    with c1:
        st.image(images.overlap_rgb(ctx.y_true, ctx.y_pred), width="stretch")
        st.markdown(_legend(), unsafe_allow_html=True)
        st.caption(
            "Soft predictions mix colours: a foreground pixel predicted 0.7 is 70 % green, "
            "30 % blue."
        )
    with c2:
        w = spec.weights_at(ctx.params)
        title = (
            "Soft counts and their weight in the denominator"
            if w
            else "Soft counts (this loss weighs each pixel on its own)"
        )
        st.plotly_chart(
            charts.counts_figure(n, w, title), width="stretch", key=f"counts-{spec.key}"
        )
        attr = cache.attribution(ctx.digest, spec.key, ctx.frozen, ctx.y_true, ctx.y_pred)
        st.plotly_chart(
            charts.attribution_figure(attr, "What fixing each kind of error would gain"),
            width="stretch",
            key=f"attr-{spec.key}",
        )


def _pixel_and_confidence(ctx) -> None:
    spec = ctx.spec
    curve, ref = cache.pixel_curves(spec.key, ctx.frozen)
    c1, c2 = st.columns(2)
    with c1:
        st.plotly_chart(
            charts.pixel_curve_figure(
                curve, ref if spec.key != "bce" else None, "One pixel alone: loss against p"
            ),
            width="stretch",
            key=f"pix-{spec.key}",
        )
        if spec.region:
            st.caption(
                "For a region loss a one-pixel image is an extreme case: with only background, "
                "any prediction above 0 is a total failure. The whole-image curves are more telling."
            )
    with c2:
        conf = cache.confidence(ctx.digest, spec.key, ctx.frozen, ctx.y_true, ctx.y_pred)
        st.plotly_chart(
            charts.line_figure(
                conf["level"],
                conf["loss"],
                title="Your prediction, scaled from 0 to certain",
                xtitle="confidence c (prediction = c x shape / max)",
                ytitle="loss",
                mark_x=conf["current"],
                mark_y=ctx.numbers["value"],
            ),
            width="stretch",
            key=f"conf-{spec.key}",
        )


def _shift(ctx) -> None:
    spec = ctx.spec
    sh = cache.shifts(ctx.digest, spec.key, ctx.frozen, ctx.y_true, ctx.y_pred)
    st.plotly_chart(
        charts.line_figure(
            sh["shift"],
            sh["loss"],
            title="Your prediction slid sideways by k pixels",
            xtitle="shift k (pixels, to the right)",
            ytitle="loss",
            mark_x=0,
            mark_y=ctx.numbers["value"],
        ),
        width="stretch",
        key=f"shift-{spec.key}",
    )


def curves(ctx) -> None:
    spec = ctx.spec
    _pixel_and_confidence(ctx)
    st.download_button(
        "Figure for slides (PNG)",
        data=functools.partial(_slide, ctx),
        file_name=f"{spec.key}_loss.png",
        mime="image/png",
        on_click="ignore",
        icon=":material/download:",
        key=f"slide-{spec.key}",
        help="The overlap map and these curves as one static picture, drawn with matplotlib.",
    )
    if spec.region:
        _shift(ctx)


def _slide(ctx) -> bytes:
    spec = ctx.spec
    curve, _ = cache.pixel_curves(spec.key, ctx.frozen)
    conf = cache.confidence(ctx.digest, spec.key, ctx.frozen, ctx.y_true, ctx.y_pred)
    return slides.slide_png(
        f"{spec.title} loss",
        ctx.numbers["value"],
        format_params(ctx.params) or "no parameters",
        ctx.numbers,
        ctx.y_true,
        ctx.y_pred,
        curve,
        conf,
    )


def _push_summary(grad: np.ndarray, y_true: np.ndarray) -> str:
    t = y_true >= 0.5
    fg = np.abs(grad[t]).mean() if t.any() else 0.0
    bg = np.abs(grad[~t]).mean() if (~t).any() else 0.0
    return (
        f"Mean push on a **foreground** pixel: `{fg:.3e}`  \n"
        f"Mean push on a **background** pixel: `{bg:.3e}`  \n"
        f"Total push, foreground / background: `{fg * t.sum():.3e}` / `{bg * (~t).sum():.3e}`"
    )


def gradient(ctx) -> None:
    spec = ctx.spec
    grad = cache.gradient(ctx.digest, spec.key, ctx.frozen, ctx.y_true, ctx.y_pred)
    img, scale = images.push_rgb(grad)
    c1, c2 = st.columns([1, 1])
    with c1:
        st.image(img, width="stretch")
        st.caption(
            f"Red: gradient descent raises the probability here; blue: lowers it. Full colour "
            f"at |dL/dp| = {scale:.2e} (the 99th percentile), white: no push."
        )
    with c2:
        st.markdown(_push_summary(grad, ctx.y_true))
        if spec.pixelwise_part:
            m = cache.pixel_map(ctx.digest, spec.key, ctx.frozen, ctx.y_true, ctx.y_pred)
            mimg, vmax = images.sequential_rgb(m)
            st.image(mimg, width="stretch")
            st.caption(
                f"Each pixel's own loss term (dark: large, up to {vmax:.3g}); the loss averages "
                "these."
            )


def keras_snippet(spec, values: dict) -> str:
    """Python that trains with exactly these settings (and runs as it is, given a model)."""
    args = format_params(values)
    return f"""import keras
from losses import {spec.keras_class}, {spec.function}  # the losses/ package of this app

# In training: exactly the settings on this page
model.compile(
    optimizer="adam",
    loss={spec.keras_class}({args}),
    metrics=[keras.metrics.BinaryIoU(target_class_ids=[1])],
)

# As a function of two arrays of probabilities in [0, 1]
value = {spec.function}(y_true, y_pred{", " + args if args else ""})
"""


def code(ctx) -> None:
    st.code(keras_snippet(ctx.spec, ctx.params), language="python")
    st.caption("Copy the `losses/` folder next to your script; it needs only TensorFlow.")


def _range(p) -> str:
    return "off or on" if p.kind == "bool" else f"{format_value(p.lo)} to {format_value(p.hi)}"


def sources(ctx) -> None:
    """The general formula, the parameters with their blog and paper values, the references.

    A view rather than an expander under the title: an expander's content is
    rendered (and its LaTeX typeset) on every rerun even while it is closed.
    """
    spec = ctx.spec
    st.latex(format_formula(spec, spec.defaults()).replace("L =", r"\mathcal{L} ="))
    st.caption("Written with the blog's default values; the formula above the views shows yours.")
    more = text.section(spec.key, "formula")
    if more:
        st.markdown(more)
    if spec.params:
        rows = "\n".join(
            f"| `{p.name}` | {_range(p)} | {format_value(p.blog)} | {format_value(p.paper)} "
            f"| {p.help} |"
            for p in spec.params
        )
        st.markdown(
            "| parameter | range | blog | paper | meaning |\n|---|---|---|---|---|\n" + rows
        )
    st.markdown("**References**\n\n" + "\n".join(f"- {r}" for r in spec.references))


COMMON = [
    ("Overlap", overlap),
    ("Curves", curves),
    ("Where it pushes", gradient),
    ("Keras code", code),
    ("Sources", sources),
]
