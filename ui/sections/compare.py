"""The parts of the "Compare all losses" page: every loss on the same masks, the same
candidates and the same shrinking object.

Four sections, each computed by :mod:`teaching.compare` through :mod:`ui.runtime.cache`:

1. all seven losses and BCE on the current masks, raw and on one shared relative scale;
2. candidate predictions made from the ground truth, ranked by every loss, with the
   disagreements highlighted;
3. the imbalance sweep: the same relative error on ever smaller objects;
4. per-batch against per-image Dice.

Each loss uses the parameters set on its own page (``params.all_loss_params``), the
blog's defaults where none are set. A failing computation shows an error box, never a
traceback.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from teaching.candidates import CANDIDATE_NAMES
from teaching.compare import DEFAULT_FRACTIONS
from teaching.registry import format_params
from teaching.registry import get as get_spec

from .. import masks
from ..figures import charts, images, palette
from ..runtime import cache, params
from ..runtime.guard import guard

CANDIDATES = {
    "perfect": "the ground truth itself, fully confident",
    "over-segmented": "the object grown by the error size on every side (false positives only)",
    "under-segmented": "the object shrunk by the error size (false negatives only)",
    "shifted": "the object moved right and down by the error size",
    "uncertain": "blurred by the error size and never above 0.6: right place, hesitant",
    "your prediction": "the prediction from the mask input above",
}
assert tuple(CANDIDATES) == CANDIDATE_NAMES

HIGHLIGHT = "background-color: #FBE3B5; font-weight: 700"

#: This page's own controls, kept in the session and the link like every setting.
SETTINGS = (
    params.Setting("amount", "compare-amount", 4, params.number_in(1, 12, int), "error"),
    params.Setting("sweep_error", "compare-sweep-error", 0.2, params.number_in(0.05, 0.5), "sweep"),
    params.Setting(
        "shape", "compare-sweep-shape", "disk", params.choice_of(("disk", "square")), "shape"
    ),
)


def _title(key: str) -> str:
    return get_spec(key).title


def _join(keys) -> str:
    names = [_title(k) for k in keys]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _plural(keys) -> bool:
    return len(list(keys)) > 1


def _fraction_label(f: float) -> str:
    return f"{f * 100:g} %"


def masks_summary(t: np.ndarray, p: np.ndarray) -> None:
    """A thumbnail of the current masks and what they are."""
    c1, c2 = st.columns([1, 8], vertical_alignment="center")
    c1.image(images.overlap_rgb(t, p), width=130)
    info = masks.get_mask_info()
    where = f"preset *{info['preset']}*" if info.get("preset") else f"{info.get('source')}"
    c2.markdown(
        f"**Current masks** ({where}): object on {t.mean():.1%} of the image, prediction "
        f"above 0.5 on {(p >= 0.5).mean():.1%}. Open the section above to change them."
    )


# --------------------------------------------------------------------------- section 1
def _relative_figure(res: dict) -> go.Figure:
    keys = res["keys"]
    rel = [res["relative"][k] for k in keys]
    shown = [0.0 if not np.isfinite(v) else v for v in rel]
    colors = [palette.LOSS_STYLE[k][0] for k in keys]
    text = ["n/a" if not np.isfinite(v) else f"{v:.2f}" for v in rel]
    fig = go.Figure(
        go.Bar(
            y=[res["titles"][k] for k in keys],
            x=shown,
            orientation="h",
            marker_color=colors,
            text=text,
            textposition="inside",
            insidetextanchor="end",
            textfont=dict(color="white", size=15),
            hovertemplate="%{y}: %{x:.3f}<extra></extra>",
        )
    )
    fig = charts.style(
        fig,
        "All losses on one scale",
        "0 = perfect · 1 = as bad as predicting 0.5 everywhere",
        "",
        height=380,
    )
    top = max(1.15, max(shown) * 1.18)
    fig.add_vline(x=1.0, line=dict(color=palette.REF_COLOR, dash="dash", width=2))
    fig.add_annotation(
        x=1.0,
        y=1.0,
        yref="paper",
        text="know-nothing",
        showarrow=False,
        yanchor="bottom",
        font=dict(size=13, color=palette.REF_COLOR),
    )
    fig.update_xaxes(range=[0, top])
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(hovermode="closest", showlegend=False, margin=dict(l=10, r=30, t=60, b=10))
    return fig


_VALUE_COLUMNS = {
    "loss": st.column_config.TextColumn("loss", width=150),
    "settings": st.column_config.TextColumn(
        "parameters", help="From each loss page's sliders; blog defaults if unset."
    ),
    "value": st.column_config.NumberColumn(
        "loss value", format="%.4f", help="The raw value on your masks."
    ),
    "perfect": st.column_config.NumberColumn(
        "if perfect", format="%.4f", help="The value for prediction = ground truth."
    ),
    "all 0.5": st.column_config.NumberColumn(
        "if all 0.5", format="%.4f", help="The value for a prediction of 0.5 everywhere."
    ),
    "relative": st.column_config.NumberColumn(
        "relative", format="%.3f", help="(value - perfect) / (all 0.5 - perfect)"
    ),
}


def _values_table(res: dict) -> None:
    keys = res["keys"]
    table = pd.DataFrame(
        {
            "loss": [res["titles"][k] for k in keys],
            "settings": [format_params(res["params"][k], brief=True) for k in keys],
            "value": [res["raw"][k] for k in keys],
            "perfect": [res["perfect"][k] for k in keys],
            "all 0.5": [res["know_nothing"][k] for k in keys],
            "relative": [res["relative"][k] for k in keys],
        },
        index=pd.Index(list(keys), name="key"),
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        key="compare-raw-values",
        column_config=_VALUE_COLUMNS,
    )
    st.caption(
        "Raw values cannot be compared across rows: BCE has no upper bound, Dice lives "
        "in [0, 1] and Combo is negative by design. Each loss uses the parameters set on "
        "its own page, or the blog's defaults if you have not visited it."
    )


def _empty_truth_warning(res: dict) -> None:
    maxed = [k for k in res["keys"] if get_spec(k).kind == "region" and res["raw"][k] >= 0.99]
    if maxed:
        st.warning(
            f"The ground truth is empty. {_join(maxed)} "
            f"{'are' if _plural(maxed) else 'is'} then at the worst value for any "
            "prediction that is not exactly 0 everywhere: with nothing to overlap, "
            "a faint false alarm scores like a total miss. Pixel-wise losses still "
            "grade how faint it is.",
            icon=":material/warning:",
        )


def _harshest_judge(res: dict) -> None:
    finite = {k: v for k, v in res["relative"].items() if np.isfinite(v)}
    if not finite:
        return
    lo, hi = min(finite, key=finite.get), max(finite, key=finite.get)
    if finite[hi] - finite[lo] > 0.05:
        st.caption(
            f"On these masks {res['titles'][hi]} is the harshest judge "
            f"({finite[hi]:.2f} of the way to know-nothing) and {res['titles'][lo]} "
            f"the mildest ({finite[lo]:.2f})."
        )


def section_values(t: np.ndarray, p: np.ndarray, dig: str, loss_params: dict) -> None:
    st.subheader("1 · Every loss on your masks", anchor="every-loss")
    with guard("compute the losses on these masks"):
        res = cache.compared(dig, cache.frozen_by_loss(loss_params), t, p)
        c1, c2 = st.columns([1.7, 1], gap="medium")
        with c1:
            _values_table(res)
        with c2:
            st.plotly_chart(_relative_figure(res), width="stretch", key="compare-relative")
        st.markdown(
            "**The shared scale:** each loss is placed between its value for a perfect "
            "prediction (0) and its value for a prediction that says 0.5 everywhere, i.e. knows "
            "nothing (1), so a bar past the dashed line means *worse than a shrug*."
        )
        if float(np.max(t)) < 0.5:
            _empty_truth_warning(res)
        _harshest_judge(res)


# --------------------------------------------------------------------------- section 2
def _rank_styler(ranks: pd.DataFrame, names: list[str]):
    """Highlight every rank that differs from the rank most losses give that candidate."""
    majority = {c: Counter(ranks[c]).most_common(1)[0][0] for c in names}

    def style_col(col: pd.Series) -> list[str]:
        return ["" if v == majority[col.name] else HIGHLIGHT for v in col]

    return ranks.style.apply(style_col, axis=0, subset=names)


def _family_split(c: dict) -> bool:
    """True when only pixel-wise losses sit on one side and none on the other."""
    sides = [set(c["prefer_a"]), set(c["prefer_b"])]
    pix = {k for k in c["prefer_a"] + c["prefer_b"] if get_spec(k).kind == "pixel"}
    return any(s <= pix for s in sides) and any(not (s & pix) for s in sides)


def _best_conflict(conflicts: list[dict]) -> dict | None:
    """The most telling disagreement: a clean pixel-wise / region split first, then the most
    even split (most losses on the smaller side), then the earliest pair."""
    if not conflicts:
        return None
    return max(
        conflicts,
        key=lambda c: (
            _family_split(c),
            min(len(c["prefer_a"]), len(c["prefer_b"])),
            -conflicts.index(c),
        ),
    )


def _conflict_sentence(c: dict) -> str:
    a, b = c["a"], c["b"]
    verb_a = "rank" if _plural(c["prefer_a"]) else "ranks"
    verb_b = "put" if _plural(c["prefer_b"]) else "puts"
    text = (
        f"**{_join(c['prefer_a'])}** {verb_a} the *{a}* candidate above the *{b}* one, while "
        f"**{_join(c['prefer_b'])}** {verb_b} *{b}* first."
    )
    if _family_split(c):
        text += (
            " The split runs between pixel-wise losses, which add up a penalty per wrong "
            "pixel wherever it is, and region losses, which measure the errors against the "
            "size of the object and of the prediction."
        )
    if c["tie"]:
        text += f" {_join(c['tie'])} cannot tell the two apart."
    return text


def _candidate_gallery(t: np.ndarray, cands: dict, counts: dict, names: list[str]) -> None:
    cols = st.columns(len(names))
    for col, name in zip(cols, names, strict=True):
        tp, fp, fn = counts[name]
        with col:
            st.image(images.overlap_rgb(t, cands[name]), width="stretch")
            st.markdown(f"**{name}**")
            st.caption(f"TP {tp:.0f} · FP {fp:.0f} · FN {fn:.0f}")
    st.caption(
        "Green: found object (TP) · orange: false alarm (FP) · blue: missed object (FN) · "
        "grey: background. " + " · ".join(f"*{n}*: {d}" for n, d in CANDIDATES.items()) + "."
    )
    if counts["under-segmented"][0] < 0.5:
        st.warning(
            "The object is thinner than twice the error size, so the under-segmented "
            "candidate is empty. Lower the error size to keep part of it.",
            icon=":material/warning:",
        )


def _rank_table(r: dict) -> None:
    names = r["names"]
    ranks = pd.DataFrame(
        [[r["ranks"][k][n] for n in names] for k in r["keys"]],
        index=[_title(k) for k in r["keys"]],
        columns=names,
    )
    ranks["best"] = [" = ".join(n for n in names if r["ranks"][k][n] == 1) for k in r["keys"]]
    st.markdown("**Ranks** (1 = lowest loss = best)")
    st.dataframe(_rank_styler(ranks, names), width="stretch", key="compare-ranks")
    st.caption(
        "Highlighted: a rank that differs from the one most losses give that candidate. "
        "Equal ranks mean the values agree to six digits."
    )


def _disagreement(r: dict) -> None:
    if not r["disagree"]:
        st.success(
            "Every loss orders these candidates the same way. Try the *Shifted* or "
            "*Tiny object* preset, or a larger error size, to make them argue.",
            icon=":material/check_circle:",
        )
        return
    conflict = _best_conflict(r["conflicts"])
    if conflict is not None:
        st.markdown("**Where they disagree**")
        st.markdown(_conflict_sentence(conflict))
    if r["disagree_best"]:
        best = Counter(r["best"].values()).most_common()
        st.markdown(
            "Not even the winner is agreed: "
            + "; ".join(f"*{name}* for {n} loss{'es' if n > 1 else ''}" for name, n in best)
            + "."
        )
    st.caption(
        f"{len(r['conflicts'])} pair(s) of candidates are ordered differently by different losses."
    )


def _candidate_values(r: dict) -> None:
    names = r["names"]
    with st.expander("Loss values of every candidate"):
        values = pd.DataFrame(
            [[r["values"][k][n] for n in names] for k in r["keys"]],
            index=[_title(k) for k in r["keys"]],
            columns=names,
        )
        st.dataframe(values.style.format("{:.4f}"), width="stretch", key="compare-cand-values")
        if r["conflicts"]:
            st.markdown("\n".join(f"- {_conflict_sentence(c)}" for c in r["conflicts"]))


def section_candidates(t: np.ndarray, p: np.ndarray, dig: str, loss_params: dict) -> None:
    st.subheader("2 · Which prediction is best? The losses do not always agree", anchor="ranking")
    if float(np.max(t)) < 0.5:
        st.info(
            "The ground truth is empty, so there is no object to grow, shrink, shift or blur: "
            "the candidates would all be blank and the ranking would say nothing. Pick a preset "
            "with an object (or paint one) to compare candidates.",
            icon=":material/info:",
        )
        return
    amount = st.slider(
        "Error size (pixels)",
        1,
        12,
        key="compare-amount",
        help="How far the over- and under-segmented candidates grow or shrink the object, how "
        "far the shifted one moves, and how wide the uncertain one is blurred.",
    )
    with guard("rank the candidate predictions"):
        out = cache.ranked(dig, int(amount), cache.frozen_by_loss(loss_params), t, p)
        r = out["ranking"]
        _candidate_gallery(t, out["candidates"], out["counts"], r["names"])
        c1, c2 = st.columns([1.6, 1], gap="large")
        with c1:
            _rank_table(r)
        with c2:
            _disagreement(r)
        _candidate_values(r)


# --------------------------------------------------------------------------- section 3
def _sweep_figure(res: dict, which: str) -> go.Figure:
    fig = go.Figure()
    x = res["fraction"]
    for k in res["keys"]:
        color, dash, width = palette.LOSS_STYLE[k]
        y = res["loss"][k] if which == "loss" else res["grad_fg_ratio"][k]
        fig.add_scatter(
            x=x,
            y=y,
            name=res["titles"][k],
            mode="lines+markers",
            line=dict(color=color, dash=dash, width=width),
            marker=dict(size=7),
            hovertemplate="%{y:.4g}",
        )
    if which == "loss":
        fig = charts.style(fig, "Loss as the object shrinks", "foreground fraction", "loss", 430)
    else:
        fig = charts.style(
            fig,
            "Push on each object pixel, relative to the largest object",
            "foreground fraction",
            "mean |dL/dp| per object pixel, × its 50 % value",
            430,
        )
        fig.update_yaxes(type="log", dtick=1, ticksuffix="×")
    fig.update_xaxes(
        type="log",
        autorange="reversed",
        tickvals=list(DEFAULT_FRACTIONS),
        ticktext=[_fraction_label(f) for f in DEFAULT_FRACTIONS],
    )
    fig.update_layout(
        legend=dict(orientation="h", yanchor="top", y=-0.2, xanchor="left", x=0),
        margin=dict(l=10, r=10, t=50, b=10),
    )
    return fig


def _same_curves(res: dict, field: str) -> list[list[str]]:
    """Groups of losses whose curves lie on top of each other."""
    groups: list[list[str]] = []
    for k in res["keys"]:
        for g in groups:
            if np.allclose(res[field][k], res[field][g[0]], rtol=1e-3, atol=1e-6):
                g.append(k)
                break
        else:
            groups.append([k])
    return [g for g in groups if len(g) > 1]


def sweep_story(res: dict) -> str:
    """What the sweep shows, in sentences computed from its numbers."""
    keys = res["keys"]
    f0, f1 = res["fraction"][0], res["fraction"][-1]
    loss = res["loss"]
    stays, shrinks, other = [], [], []
    for k in keys:
        a, b = float(loss[k][0]), float(loss[k][-1])
        if abs(b - a) <= 0.1 * max(abs(a), 1e-12):
            stays.append(k)
        elif a > 0 and b < a / 10:
            shrinks.append(k)
        else:
            other.append(k)
    err = f"{res['relative_error']:.0%}"
    lines = [
        f"Every object here has the same {err} of its area wrong (missed on one side, "
        f"added on the other); only its size changes, from {_fraction_label(f0)} to "
        f"{_fraction_label(f1)} of the image."
    ]
    if stays:
        a, b = float(loss[stays[0]][0]), float(loss[stays[0]][-1])
        lines.append(
            f"**{_join(stays)}** {'keep' if _plural(stays) else 'keeps'} nearly the same value "
            f"({a:.3g} → {b:.3g}): the error is judged relative to the object."
        )
    if shrinks:
        ratios = [float(loss[k][0] / loss[k][-1]) for k in shrinks]
        lines.append(
            f"**{_join(shrinks)}** {'fall' if _plural(shrinks) else 'falls'} about "
            f"{min(ratios):.0f}-fold: averaged over every pixel, the mistake on a tiny object "
            "drowns in correct background."
        )
    if other:
        moves = ", ".join(
            f"{_title(k)} {float(loss[k][0]):.3g} → {float(loss[k][-1]):.3g}" for k in other
        )
        lines.append(f"The mixed losses land in between ({moves}).")

    ratio = {k: float(res["grad_fg_ratio"][k][-1]) for k in keys}
    finite = {k: v for k, v in ratio.items() if np.isfinite(v)}
    if finite:
        order = sorted(finite, key=finite.get, reverse=True)
        top = [k for k in order if finite[k] >= finite[order[0]] * 0.98]
        bottom = [k for k in order if finite[k] <= finite[order[-1]] * 1.02]
        lines.append(
            f"At {_fraction_label(f1)} foreground the strongest push on each object pixel comes "
            f"from **{_join(top)}** ({finite[order[0]]:.0f}× what the same pixel gets when the "
            f"object covers {_fraction_label(f0)}); **{_join(bottom)}** "
            f"{'stay' if _plural(bottom) else 'stays'} at {finite[order[-1]]:.2g}×."
        )
        if all(get_spec(k).region for k in top) and not any(get_spec(k).region for k in bottom):
            lines.append(
                "So region losses give a small object's pixels a far larger gradient, which "
                "keeps its total pull comparable to a large object's; pixel-wise losses give "
                "every object pixel the same push, so a tiny object's total pull shrinks with "
                "its area."
            )
    same = _same_curves(res, "loss")
    if same:
        lines.append(
            "Lines on top of each other: "
            + "; ".join(_join(g) for g in same)
            + " (with these parameters they are the same function here)."
        )
    return " ".join(lines)


def section_sweep(loss_params: dict) -> None:
    st.subheader(
        "3 · Class imbalance: the same mistake on ever smaller objects", anchor="imbalance"
    )
    st.markdown(
        "A synthetic round (or square) object shrinks from half the image to 0.1 % of it. "
        "The prediction is always 0.9 on what it calls object and misses the same share of the "
        "object, so only the object's size changes between the points."
    )
    c1, c2 = st.columns([2, 1], vertical_alignment="bottom")
    with c1:
        rel = st.slider(
            "Relative error (share of the object missed, and as many false alarms added)",
            0.05,
            0.5,
            step=0.05,
            key="compare-sweep-error",
        )
    with c2:
        shape = st.radio(
            "Object shape",
            ["disk", "square"],
            horizontal=True,
            key="compare-sweep-shape",
        )
    with guard("run the imbalance sweep"):
        res = cache.sweep(float(rel), str(shape), cache.frozen_by_loss(loss_params))
        g1, g2 = st.columns(2, gap="medium")
        with g1:
            st.plotly_chart(_sweep_figure(res, "loss"), width="stretch", key="compare-sweep-loss")
        with g2:
            st.plotly_chart(_sweep_figure(res, "grad"), width="stretch", key="compare-sweep-grad")
        st.info("**What this shows.** " + sweep_story(res), icon=":material/insights:")
        with st.expander("The numbers behind the two charts"):
            cols = [_fraction_label(f) for f in res["fraction"]]
            meta = pd.DataFrame(
                [res["object_pixels"], res["fn_pixels"], res["fp_pixels"]],
                index=["object pixels", "missed (FN)", "false alarms (FP)"],
                columns=cols,
            )
            st.dataframe(meta, width="stretch", key="compare-sweep-meta")
            vals = pd.DataFrame(
                [res["loss"][k] for k in res["keys"]],
                index=[res["titles"][k] for k in res["keys"]],
                columns=cols,
            )
            st.markdown("Loss values")
            st.dataframe(vals.style.format("{:.4g}"), width="stretch", key="compare-sweep-vals")
            grads = pd.DataFrame(
                [res["grad_fg"][k] for k in res["keys"]],
                index=[res["titles"][k] for k in res["keys"]],
                columns=cols,
            )
            st.markdown("Mean |dL/dp| on an object pixel")
            st.dataframe(grads.style.format("{:.3e}"), width="stretch", key="compare-sweep-grads")


# --------------------------------------------------------------------------- section 4
def section_batch(loss_params: dict) -> None:
    st.subheader("4 · Per-batch or per-image Dice?", anchor="batch-dice")
    smooth = float(loss_params["dice"]["smooth"])
    with guard("compare per-batch and per-image Dice"):
        res = cache.batch_dice(smooth, 0.2)
        size = res["y_true"].shape[-1]
        factor = max(1, 256 // size)
        n_large, n_small = (int(v) for v in res["object_pixels"])
        st.markdown(
            f"A batch of two {size} × {size} images: one with a large object ({n_large} pixels), "
            f"one with a tiny one ({n_small} pixels). In case A both are found with 20 % of "
            "each object wrong; in case B the tiny object is missed completely."
        )
        case_titles = ["Case A: both objects found", "Case B: the tiny object missed"]
        for c, title in enumerate(case_titles):
            i1, i2, m = st.columns([1, 1, 2.4], vertical_alignment="center")
            for col, img in ((i1, 0), (i2, 1)):
                with col:
                    rgb = images.overlap_rgb(
                        images.upscale(res["y_true"][img], factor),
                        images.upscale(res["y_pred"][c, img], factor),
                    )
                    st.image(rgb, width=220)
                    tp, fp, fn = res["counts"][c, img]
                    st.caption(
                        f"{'large' if img == 0 else 'tiny'} object · Dice loss "
                        f"{res['per_image'][c, img]:.3f}  \nTP {tp:.0f} · FP {fp:.0f} · FN {fn:.0f}"
                    )
            with m:
                st.markdown(f"**{title}**")
                a, b = st.columns(2)
                delta_pool = None if c == 0 else f"{res['pooled_change']:+.4f}"
                delta_img = None if c == 0 else f"{res['per_image_change']:+.4f}"
                a.metric(
                    "pooled over the batch",
                    f"{res['pooled'][c]:.4f}",
                    delta=delta_pool,
                    delta_color="inverse",
                    help="One Dice over all pixels of both images (the blog's way).",
                )
                b.metric(
                    "mean of per-image Dice",
                    f"{res['per_image_mean'][c]:.4f}",
                    delta=delta_img,
                    delta_color="inverse",
                    help="Dice of each image, then the average.",
                )
        ratio = (
            abs(res["per_image_change"] / res["pooled_change"])
            if abs(res["pooled_change"]) > 1e-12
            else float("inf")
        )
        st.markdown(
            "**Why does Dice change with batch size?** The usual Dice loss (the blog's, and "
            "`losses.dice` by default) adds up the overlap and the two areas over *every pixel "
            "of the batch* before dividing once. Each image then weighs in proportion to its "
            f"object's area: here the large object has {n_large} pixels and the tiny one "
            f"{n_small}, so losing the tiny object entirely moves the pooled loss by only "
            f"{res['pooled_change']:+.4f}. Scored one image at a time and averaged, the same "
            f"miss sends that image's loss to {res['per_image'][1, 1]:.2f} and the batch "
            f"average up by {res['per_image_change']:+.4f}, about {ratio:.0f} times more. "
            "With pooling, an image's loss (and its gradient) depends on which other images "
            "happen to share its batch, so batch size 1, 8 or 32 give different numbers for "
            "the same prediction; only with one image per batch do the two agree. If small "
            "objects matter, use `per_image=True` or validate with the per-image score."
        )
