"""The anatomy shared by every loss page.

A page script only says which loss it teaches and which extra sections it
adds::

    from ui.page import loss_page
    loss_page("tversky", sections=[tversky_sections.trade_off])

Layout: the masks (presets, painting, upload) on the left; on the right, two
fragments: the sliders with the loss value, and below them the formula and the
views of figures. A slider move reruns only the first; the figures follow once
the new value is on screen (``ui/redraw.py``). The canvases are not redrawn.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import streamlit as st

from teaching.registry import LossSpec, format_formula, get

from . import charts, compute, masks, presets, redraw, slides, state, text
from .controls import param_controls, reset_buttons
from .errors import guard


@dataclass
class Context:
    """What a page section needs to draw itself."""

    spec: LossSpec
    y_true: np.ndarray
    y_pred: np.ndarray
    params: dict
    digest: str
    numbers: dict

    @property
    def frozen(self) -> tuple:
        return compute.frozen(self.params)


Section = tuple[str, Callable[[Context], None]]


def header(spec: LossSpec) -> None:
    st.title(f"{spec.title} loss")
    intuition = text.section(spec.key, "intuition")
    if intuition:
        st.markdown(intuition)


def about_section(ctx: Context) -> None:
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
            f"| `{p.name}` | {p.lo:g} to {p.hi:g} | {p.blog:g} | {p.paper:g} | {p.help} |"
            for p in spec.params
        )
        st.markdown(
            "| parameter | range | blog | paper | meaning |\n|---|---|---|---|---|\n" + rows
        )
    st.markdown("**References**\n\n" + "\n".join(f"- {r}" for r in spec.references))


def _metric(spec: LossSpec, value: float, signature: str) -> None:
    """The loss value, with its change since the previous interaction."""
    slot = f"last-value:{spec.key}"
    prev = st.session_state.get(slot)
    delta = None
    if prev is not None:
        prev_sig, prev_val, prev_delta = prev
        if prev_sig == signature:
            delta = prev_delta
        else:
            delta = value - prev_val
    st.session_state[slot] = (signature, value, delta)
    st.metric(
        f"{spec.title} loss",
        f"{value:.4f}",
        delta=None if delta is None or abs(delta) < 5e-5 else f"{delta:+.4f}",
        delta_color="inverse",
        help="Change since your last move: green means the loss went down.",
    )


def _counts_line(n: dict) -> str:
    return (
        f"Soft counts: **TP** {n['TP']:.1f} · **FP** {n['FP']:.1f} · **FN** {n['FN']:.1f} "
        f"· TN {n['TN']:.0f} pixels"
    )


def _legend() -> str:
    def sw(color, name):
        return (
            f"<span style='display:inline-block;width:0.9em;height:0.9em;background:{color};"
            f"border:1px solid #888;margin:0 0.3em 0 0.8em;vertical-align:middle'></span>{name}"
        )

    return (
        sw(charts.TP_COLOR, "TP (found)")
        + sw(charts.FP_COLOR, "FP (false alarm)")
        + sw(charts.FN_COLOR, "FN (missed)")
        + sw(charts.TN_COLOR, "TN (background)")
    )


def overlap_section(ctx: Context) -> None:
    spec, n = ctx.spec, ctx.numbers
    c1, c2 = st.columns([1, 1.2])
    with c1:
        st.image(charts.overlap_rgb(ctx.y_true, ctx.y_pred), width="stretch")
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
        attr = compute.attribution(ctx.digest, spec.key, ctx.frozen, ctx.y_true, ctx.y_pred)
        st.plotly_chart(
            charts.attribution_figure(attr, "What fixing each kind of error would gain"),
            width="stretch",
            key=f"attr-{spec.key}",
        )


def curves_section(ctx: Context) -> None:
    spec = ctx.spec
    curve, ref = compute.pixel_curves(spec.key, ctx.frozen)
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
        conf = compute.confidence(ctx.digest, spec.key, ctx.frozen, ctx.y_true, ctx.y_pred)
        cur = conf["current"]
        st.plotly_chart(
            charts.line_figure(
                conf["level"],
                conf["loss"],
                title="Your prediction, scaled from 0 to certain",
                xtitle="confidence c (prediction = c x shape / max)",
                ytitle="loss",
                mark_x=cur,
                mark_y=ctx.numbers["value"],
            ),
            width="stretch",
            key=f"conf-{spec.key}",
        )
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
        sh = compute.shifts(ctx.digest, spec.key, ctx.frozen, ctx.y_true, ctx.y_pred)
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


def _slide(ctx: Context) -> bytes:
    spec = ctx.spec
    curve, _ = compute.pixel_curves(spec.key, ctx.frozen)
    conf = compute.confidence(ctx.digest, spec.key, ctx.frozen, ctx.y_true, ctx.y_pred)
    settings = ", ".join(
        f"{k} = {v}" if isinstance(v, bool) else f"{k} = {v:g}" for k, v in ctx.params.items()
    )
    return slides.slide_png(
        f"{spec.title} loss",
        ctx.numbers["value"],
        settings or "no parameters",
        ctx.numbers,
        ctx.y_true,
        ctx.y_pred,
        curve,
        conf,
    )


def gradient_section(ctx: Context) -> None:
    spec = ctx.spec
    grad = compute.gradient(ctx.digest, spec.key, ctx.frozen, ctx.y_true, ctx.y_pred)
    img, scale = charts.push_rgb(grad)
    c1, c2 = st.columns([1, 1])
    with c1:
        st.image(img, width="stretch")
        st.caption(
            f"Red: gradient descent raises the probability here; blue: lowers it. Full colour "
            f"at |dL/dp| = {scale:.2e} (the 99th percentile), white: no push."
        )
    with c2:
        t = ctx.y_true >= 0.5
        fg = np.abs(grad[t]).mean() if t.any() else 0.0
        bg = np.abs(grad[~t]).mean() if (~t).any() else 0.0
        st.markdown(
            f"Mean push on a **foreground** pixel: `{fg:.3e}`  \n"
            f"Mean push on a **background** pixel: `{bg:.3e}`  \n"
            f"Total push, foreground / background: `{fg * t.sum():.3e}` / `{bg * (~t).sum():.3e}`"
        )
        if spec.pixelwise_part:
            m = compute.pixel_map(ctx.digest, spec.key, ctx.frozen, ctx.y_true, ctx.y_pred)
            mimg, vmax = charts.sequential_rgb(m)
            st.image(mimg, width="stretch")
            st.caption(
                f"Each pixel's own loss term (dark: large, up to {vmax:.3g}); the loss averages "
                "these."
            )


def code_section(ctx: Context) -> None:
    spec, params = ctx.spec, ctx.params
    args = ", ".join(
        f"{k}={v!r}" if isinstance(v, bool) else f"{k}={v:g}" for k, v in params.items()
    )
    cls = spec.keras_class or "BCELoss"
    st.code(
        f"""import keras
from losses import {cls}, {spec.function}  # the losses/ package of this app

# In training: exactly the settings on this page
model.compile(
    optimizer="adam",
    loss={cls}({args}),
    metrics=[keras.metrics.BinaryIoU(target_class_ids=[1])],
)

# As a function of two arrays of probabilities in [0, 1]
value = {spec.function}(y_true, y_pred{", " + args if args else ""})
""",
        language="python",
    )
    st.caption("Copy the `losses/` folder next to your script; it needs only TensorFlow.")


BASE_SECTIONS: list[Section] = [
    ("Overlap", overlap_section),
    ("Curves", curves_section),
    ("Where it pushes", gradient_section),
]


TAIL_SECTIONS: list[Section] = [
    ("Keras code", code_section),
    ("Sources", about_section),
]


def _current(spec: LossSpec) -> tuple[np.ndarray, np.ndarray, dict, str, tuple, str]:
    """Masks, parameters, their cache keys, and the token of this state for ui/redraw.py."""
    y_true, y_pred = masks.get_masks()
    state.init_params(spec)
    params = state.current_params(spec)
    dig, frozen = masks.masks_digest(), compute.frozen(params)
    return y_true, y_pred, params, dig, frozen, f"{dig}|{frozen}"


@dataclass
class Slots:
    """Where the two fragments of a loss page write (containers made outside them).

    The value fragment fills ``controls`` (sliders and reset buttons) and
    ``value``; the figures fragment fills ``notes`` (the soft counts and the
    preset's caption, which change only with the masks) and everything below
    them. Keeping the value fragment this small is what makes a slider move
    show at once.
    """

    controls: Any
    value: Any
    notes: Any


def value_panel(spec: LossSpec, slots: Slots) -> None:
    """Sliders and the loss value: the small fragment a slider move reruns.

    The value is computed and sent first, before the sliders are drawn: a
    slider's new value is already in the session state when the rerun starts,
    so the number the learner is waiting for leaves the server within a few
    milliseconds. The figures follow (see ``ui/redraw.py``).
    """
    y_true, y_pred, params, dig, frozen, token = _current(spec)
    numbers = compute.value_and_counts(dig, spec.key, frozen, y_true, y_pred)
    with slots.value:
        _metric(spec, numbers["value"], token)
    with slots.controls:
        param_controls(spec)
        # the buttons belong here, not in the figures fragment: a button that sets
        # the sliders must rerun the fragment that draws them (a keyed rerun of both
        # fragments from the figures side left the sliders showing old values)
        reset_buttons(spec)
    redraw.request(spec.key, token)


def figures_panel(spec: LossSpec, sections: list[Section], slots: Slots) -> None:
    """The counts, the formula with the current values and one view."""
    y_true, y_pred, params, dig, frozen, token = _current(spec)
    redraw.mark_drawn(spec.key, token)
    # the address bar follows the sliders (a link opens with these values); done
    # here, not with the sliders: the browser's URL update costs some 10 ms
    state.sync_url(spec, params)
    numbers = compute.value_and_counts(dig, spec.key, frozen, y_true, y_pred)
    with slots.notes:
        st.markdown(_counts_line(numbers))
        info = masks.get_mask_info()
        cap = text.notice(spec.key, info.get("preset")) or (
            presets.preset_caption(info["preset"], spec.key) if info.get("preset") else None
        )
        if cap:
            st.info(f"**What to notice:** {cap}")
    # the formula with the current values spans the whole panel (it is long);
    # it is filled last: typesetting is the slowest thing in the browser here
    formula_slot = st.empty()
    ctx = Context(spec, y_true, y_pred, params, dig, numbers)
    all_sections = list(sections) + BASE_SECTIONS + TAIL_SECTIONS
    # One view at a time, chosen with a segmented control (st.tabs costs the
    # browser ~10 ms on every rerun, even of another fragment): only the chosen
    # view is computed and sent, and choosing another reruns this fragment only.
    names = [name for name, _ in all_sections]
    key = f"view-{spec.key}"
    if st.session_state.get(key) not in names:
        st.session_state[key] = names[0]
    choice = st.segmented_control(
        "View", names, key=key, required=True, label_visibility="collapsed", width="stretch"
    )
    draw = dict(all_sections)[choice]
    with guard(f"draw '{choice}'"):
        draw(ctx)
    formula_slot.latex(format_formula(spec, params).replace("L =", r"\mathcal{L} ="))


def loss_page(key: str, sections: list[Section] | None = None) -> None:
    """Render the page of one loss: header, masks, and the live results."""
    spec = get(key)
    header(spec)
    left, right = st.columns([1, 1.2], gap="medium")
    with left:
        masks.render_mask_input()
    with right:
        # two fragments: a slider move reruns the small one at once, the
        # figures follow when the new value is on screen (ui/redraw.py)
        cc, cv = st.columns([1, 1.2], gap="large")
        slots = Slots(controls=cc, value=cv.container(), notes=cv.container())
        st.fragment(value_panel, key=f"value-{key}")(spec, slots)
        st.fragment(figures_panel, key=redraw.figures_key(key))(spec, sections or [], slots)
