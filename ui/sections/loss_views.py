"""The views every loss page offers: overlap, curves, where it pushes, Keras code, sources.

Each view is ``draw(ctx)`` for a :class:`ui.sections.loss_page.Context`;
:data:`COMMON` lists them, by key, in the order the pages show them, after their own.
Their words are under ``views.*`` in the catalogs.
"""

from __future__ import annotations

import functools

import numpy as np
import streamlit as st

from teaching.registry import format_formula, format_params, format_value

from .. import text
from ..figures import charts, images, palette, slides
from ..i18n import current, param_text, t
from ..runtime import cache
from ..widgets import downloads
from ..widgets.sliders import shown_value
from . import keras_code


def _legend() -> str:
    def swatch(color, name):
        # one unbreakable unit per entry: Korean text may otherwise break inside a word
        return (
            "<span style='white-space:nowrap'>"
            f"<span style='display:inline-block;width:0.9em;height:0.9em;background:{color};"
            f"border:1px solid #888;margin:0 0.3em 0 0.8em;vertical-align:middle'></span>{name}"
            "</span> "
        )

    # catalog words, never link or upload text: safe inside this small piece of HTML
    return "".join(
        swatch(color, t(f"views.legend.{name}"))
        for name, color in (
            ("tp", palette.TP_COLOR),
            ("fp", palette.FP_COLOR),
            ("fn", palette.FN_COLOR),
            ("tn", palette.TN_COLOR),
        )
    )


def overlap(ctx) -> None:
    spec, n = ctx.spec, ctx.numbers
    c1, c2 = st.columns([1, 1.2])
    with c1:
        st.image(images.overlap_rgb(ctx.y_true, ctx.y_pred), width="stretch")
        st.markdown(_legend(), unsafe_allow_html=True)
        st.caption(t("views.overlap.soft_colours"))
    with c2:
        w = spec.weights_at(ctx.params)
        title = t("views.overlap.counts_weighted") if w else t("views.overlap.counts_pixelwise")
        ctx.chart(charts.counts_figure(n, w, title), f"counts-{spec.key}")
        attr = cache.attribution(ctx.digest, spec.key, ctx.frozen, ctx.y_true, ctx.y_pred)
        ctx.chart(
            charts.attribution_figure(attr, t("views.overlap.attribution")), f"attr-{spec.key}"
        )


def _pixel_and_confidence(ctx) -> None:
    spec = ctx.spec
    curve, ref = cache.pixel_curves(spec.key, ctx.frozen)
    c1, c2 = st.columns(2)
    with c1:
        ctx.chart(
            charts.pixel_curve_figure(
                curve, ref if spec.key != "bce" else None, t("views.curves.pixel_title")
            ),
            f"pix-{spec.key}",
        )
        if spec.region:
            st.caption(t("views.curves.region_note"))
    with c2:
        conf = cache.confidence(ctx.digest, spec.key, ctx.frozen, ctx.y_true, ctx.y_pred)
        ctx.chart(
            charts.line_figure(
                conf["level"],
                conf["loss"],
                title=t("views.curves.confidence_title"),
                xtitle=t("views.curves.confidence_axis"),
                ytitle=t("charts.loss"),
                mark_x=conf["current"],
                mark_y=ctx.numbers["value"],
            ),
            f"conf-{spec.key}",
        )


def _shift(ctx) -> None:
    spec = ctx.spec
    sh = cache.shifts(ctx.digest, spec.key, ctx.frozen, ctx.y_true, ctx.y_pred)
    ctx.chart(
        charts.line_figure(
            sh["shift"],
            sh["loss"],
            title=t("views.curves.shift_title"),
            xtitle=t("views.curves.shift_axis"),
            ytitle=t("charts.loss"),
            mark_x=0,
            mark_y=ctx.numbers["value"],
        ),
        f"shift-{spec.key}",
    )


def curves(ctx) -> None:
    spec = ctx.spec
    _pixel_and_confidence(ctx)
    st.download_button(
        t("views.curves.slide_button"),
        data=functools.partial(_slide, ctx, current()),
        file_name=f"{spec.key}_loss.png",
        mime="image/png",
        on_click="ignore",
        icon=":material/download:",
        key=f"slide-{spec.key}",
        help=t("views.curves.slide_help"),
    )
    if spec.region:
        _shift(ctx)


def _slide(ctx, lang: str) -> bytes:
    """The slide PNG in ``lang`` (the page's language when the button was drawn)."""
    spec = ctx.spec
    curve, _ = cache.pixel_curves(spec.key, ctx.frozen)
    conf = cache.confidence(ctx.digest, spec.key, ctx.frozen, ctx.y_true, ctx.y_pred)
    return slides.slide_png(
        spec.key,
        ctx.numbers["value"],
        format_params(ctx.params),
        ctx.numbers,
        ctx.y_true,
        ctx.y_pred,
        curve,
        conf,
        lang=lang,
    )


def _push_summary(grad: np.ndarray, y_true: np.ndarray) -> str:
    fg_mask = y_true >= 0.5
    fg = np.abs(grad[fg_mask]).mean() if fg_mask.any() else 0.0
    bg = np.abs(grad[~fg_mask]).mean() if (~fg_mask).any() else 0.0
    return t(
        "views.push.summary",
        fg=f"{fg:.3e}",
        bg=f"{bg:.3e}",
        fg_total=f"{fg * fg_mask.sum():.3e}",
        bg_total=f"{bg * (~fg_mask).sum():.3e}",
    )


def gradient(ctx) -> None:
    spec = ctx.spec
    grad = cache.gradient(ctx.digest, spec.key, ctx.frozen, ctx.y_true, ctx.y_pred)
    img, scale = images.push_rgb(grad)
    c1, c2 = st.columns([1, 1])
    with c1:
        st.image(img, width="stretch")
        st.caption(t("views.push.caption", scale=f"{scale:.2e}"))
    with c2:
        st.markdown(_push_summary(grad, ctx.y_true))
        if spec.pixelwise_part:
            m = cache.pixel_map(ctx.digest, spec.key, ctx.frozen, ctx.y_true, ctx.y_pred)
            mimg, vmax = images.sequential_rgb(m)
            st.image(mimg, width="stretch")
            st.caption(t("views.push.pixel_terms", vmax=f"{vmax:.3g}"))


def code(ctx) -> None:
    spec = ctx.spec
    st.code(keras_code.keras_snippet(spec, ctx.params), language="python")
    st.caption(t("views.code.caption"))
    downloads.file_button(
        t("downloads.script"),
        functools.partial(keras_code.training_script, spec, dict(ctx.params)),
        f"train_{spec.key}.py",
        "text/x-python",
        key=f"dl-script-{spec.key}",
        help=t("downloads.script_help"),
    )


def _range(p) -> str:
    if p.kind == "bool":
        return t("views.sources.off_or_on")
    return t("views.sources.range", lo=format_value(p.lo), hi=format_value(p.hi))


def sources(ctx) -> None:
    """The general formula, the parameters with their blog and paper values, the references.

    A view rather than an expander under the title: an expander's content is
    rendered (and its LaTeX typeset) on every rerun even while it is closed.
    """
    spec = ctx.spec
    st.latex(format_formula(spec, spec.defaults()).replace("L =", r"\mathcal{L} ="))
    st.caption(t("views.sources.formula_caption"))
    more = text.section(spec.key, "formula")
    if more:
        st.markdown(more)
    if spec.params:
        # short cells only: a long "meaning" column squeezed the numbers (and, in Korean,
        # broke the headers inside words); the meanings follow as a list
        rows = "\n".join(
            f"| `{p.name}` | {_range(p)} | {shown_value(p, p.blog)} | {shown_value(p, p.paper)} |"
            for p in spec.params
        )
        meanings = "\n".join(
            f"- `{p.name}`: {param_text(spec.key, p.name, 'help')}" for p in spec.params
        )
        st.markdown(
            t("views.sources.table_header") + "\n|---|---|---|---|\n" + rows + "\n\n" + meanings
        )
    st.markdown(
        f"**{t('views.sources.references')}**\n\n" + "\n".join(f"- {r}" for r in spec.references)
    )


#: The common views by key; their labels are ``views.tabs.<key>`` in the catalogs.
COMMON = [
    ("overlap", overlap),
    ("curves", curves),
    ("push", gradient),
    ("code", code),
    ("sources", sources),
]
