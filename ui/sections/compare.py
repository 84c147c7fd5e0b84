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
traceback. The words are under ``compare.*`` in the catalogs; the sentences that depend on
the numbers are put together here from catalog pieces.
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
from ..i18n import formatter, loss_text, t
from ..masks import presets
from ..runtime import cache, params
from ..runtime.guard import guard
from ..widgets import downloads

#: The candidates' catalog keys (``compare.candidates.<key>.name`` / ``.description``), by
#: the name teaching.candidates gives them.
CANDIDATES = {
    "perfect": "perfect",
    "over-segmented": "over",
    "under-segmented": "under",
    "shifted": "shifted",
    "uncertain": "uncertain",
    "your prediction": "yours",
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
    return loss_text(key, "title")


def _candidate(name: str, field: str = "name") -> str:
    """A candidate's ``name`` or ``description`` in the page's language (unknown: as is)."""
    if name not in CANDIDATES:
        return name
    return t(f"compare.candidates.{CANDIDATES[name]}.{field}")


def _join(keys) -> str:
    """Loss names as a list in a sentence: "Dice, IoU and Tversky"."""
    names = [_title(k) for k in keys]
    if len(names) <= 1:
        return "".join(names)
    return t("compare.join", first=", ".join(names[:-1]), last=names[-1])


def _plural(keys) -> bool:
    return len(list(keys)) > 1


def _number(keys) -> str:
    """ "one" or "many": which form of a sentence fits a list of losses (English verbs)."""
    return "many" if _plural(keys) else "one"


def _fraction_label(f: float) -> str:
    return f"{f * 100:g} %"


def masks_summary(y_true: np.ndarray, y_pred: np.ndarray) -> None:
    """A thumbnail of the current masks and what they are."""
    c1, c2 = st.columns([1, 8], vertical_alignment="center")
    c1.image(images.overlap_rgb(y_true, y_pred), width=130)
    info = masks.get_mask_info()
    if info.get("preset"):
        where = t("compare.summary.preset", title=presets.preset_text(info["preset"], "title"))
    else:
        where = t(f"compare.summary.source_{info.get('source', 'paint')}")
    c2.markdown(
        t(
            "compare.summary.masks",
            where=where,
            object=f"{y_true.mean():.1%}",
            above=f"{(y_pred >= 0.5).mean():.1%}",
        )
    )


# --------------------------------------------------------------------------- section 1
def _relative_figure(res: dict) -> go.Figure:
    keys = res["keys"]
    rel = [res["relative"][k] for k in keys]
    shown = [0.0 if not np.isfinite(v) else v for v in rel]
    colors = [palette.LOSS_STYLE[k][0] for k in keys]
    text = [t("compare.values.not_available") if not np.isfinite(v) else f"{v:.2f}" for v in rel]
    fig = go.Figure(
        go.Bar(
            y=[_title(k) for k in keys],
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
        fig, t("compare.values.scale_title"), t("compare.values.scale_axis"), "", height=380
    )
    top = max(1.15, max(shown) * 1.18)
    fig.add_vline(x=1.0, line=dict(color=palette.REF_COLOR, dash="dash", width=2))
    fig.add_annotation(
        x=1.0,
        y=1.0,
        yref="paper",
        text=t("compare.values.know_nothing"),
        showarrow=False,
        yanchor="bottom",
        font=dict(size=13, color=palette.REF_COLOR),
    )
    fig.update_xaxes(range=[0, top])
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(hovermode="closest", showlegend=False, margin=dict(l=10, r=30, t=60, b=10))
    return fig


def _value_columns() -> dict:
    """The column headers and help of the raw-values table, in the page's language."""

    def head(name: str) -> str:
        return t(f"compare.values.columns.{name}")

    def tip(name: str) -> str:
        return t(f"compare.values.columns.{name}_help")

    return {
        "loss": st.column_config.TextColumn(head("loss"), width=150),
        "settings": st.column_config.TextColumn(head("settings"), help=tip("settings")),
        "value": st.column_config.NumberColumn(head("value"), format="%.4f", help=tip("value")),
        "perfect": st.column_config.NumberColumn(
            head("perfect"), format="%.4f", help=tip("perfect")
        ),
        "all 0.5": st.column_config.NumberColumn(head("half"), format="%.4f", help=tip("half")),
        "relative": st.column_config.NumberColumn(
            head("relative"), format="%.3f", help=tip("relative")
        ),
    }


def _values_table(res: dict) -> None:
    keys = res["keys"]
    table = pd.DataFrame(
        {
            "loss": [_title(k) for k in keys],
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
        column_config=_value_columns(),
    )
    st.caption(t("compare.values.raw_caption"))


def _empty_truth_warning(res: dict) -> None:
    maxed = [k for k in res["keys"] if get_spec(k).kind == "region" and res["raw"][k] >= 0.99]
    if maxed:
        st.warning(
            t(f"compare.values.empty_truth_{_number(maxed)}", losses=_join(maxed)),
            icon=":material/warning:",
        )


def _harshest_judge(res: dict) -> None:
    finite = {k: v for k, v in res["relative"].items() if np.isfinite(v)}
    if not finite:
        return
    lo, hi = min(finite, key=finite.get), max(finite, key=finite.get)
    if finite[hi] - finite[lo] > 0.05:
        st.caption(
            t(
                "compare.values.harshest",
                harsh=_title(hi),
                harsh_value=f"{finite[hi]:.2f}",
                mild=_title(lo),
                mild_value=f"{finite[lo]:.2f}",
            )
        )


def _slide_title(masks_words: str | None = None) -> str:
    """A downloaded chart's title: this page, and the masks where the chart uses them."""
    return downloads.board_title(t("compare.page.title"), None, masks_words)


def section_values(y_true: np.ndarray, y_pred: np.ndarray, dig: str, loss_params: dict) -> None:
    st.subheader(t("compare.values.header"), anchor="every-loss")
    with guard(t("compare.guard.values")):
        res = cache.compared(dig, cache.frozen_by_loss(loss_params), y_true, y_pred)
        c1, c2 = st.columns([1.7, 1], gap="medium")
        with c1:
            _values_table(res)
        with c2:
            downloads.chart(
                _relative_figure(res), "compare-relative", _slide_title(masks.source_words())
            )
        st.markdown(t("compare.values.scale_explain"))
        if float(np.max(y_true)) < 0.5:
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
    text = t(
        f"compare.ranking.conflict_{_number(c['prefer_a'])}_{_number(c['prefer_b'])}",
        first=_join(c["prefer_a"]),
        second=_join(c["prefer_b"]),
        a=_candidate(c["a"]),
        b=_candidate(c["b"]),
    )
    if _family_split(c):
        text += " " + t("compare.ranking.family_split")
    if c["tie"]:
        text += " " + t("compare.ranking.tie", losses=_join(c["tie"]))
    return text


def _candidate_gallery(y_true: np.ndarray, cands: dict, counts: dict, names: list[str]) -> None:
    cols = st.columns(len(names))
    for col, name in zip(cols, names, strict=True):
        tp, fp, fn = counts[name]
        with col:
            st.image(images.overlap_rgb(y_true, cands[name]), width="stretch")
            st.markdown(f"**{_candidate(name)}**")
            st.caption(f"TP {tp:.0f} · FP {fp:.0f} · FN {fn:.0f}")
    described = " · ".join(f"*{_candidate(n)}*: {_candidate(n, 'description')}" for n in CANDIDATES)
    st.caption(t("compare.ranking.gallery_caption", candidates=described))
    if counts["under-segmented"][0] < 0.5:
        st.warning(t("compare.ranking.under_empty"), icon=":material/warning:")


def _rank_table(r: dict) -> None:
    names = r["names"]
    shown = [_candidate(n) for n in names]
    ranks = pd.DataFrame(
        [[r["ranks"][k][n] for n in names] for k in r["keys"]],
        index=[_title(k) for k in r["keys"]],
        columns=shown,
    )
    ranks[t("compare.ranking.best_column")] = [
        " = ".join(_candidate(n) for n in names if r["ranks"][k][n] == 1) for k in r["keys"]
    ]
    st.markdown(t("compare.ranking.ranks"))
    st.dataframe(_rank_styler(ranks, shown), width="stretch", key="compare-ranks")
    st.caption(t("compare.ranking.highlight_caption"))


def _disagreement(r: dict) -> None:
    if not r["disagree"]:
        st.success(
            t(
                "compare.ranking.all_agree",
                shifted=presets.preset_text("shifted", "title"),
                tiny=presets.preset_text("tiny", "title"),
            ),
            icon=":material/check_circle:",
        )
        return
    conflict = _best_conflict(r["conflicts"])
    if conflict is not None:
        st.markdown(t("compare.ranking.where"))
        st.markdown(_conflict_sentence(conflict))
    if r["disagree_best"]:
        best = Counter(r["best"].values()).most_common()
        votes = "; ".join(
            t("compare.ranking.votes_many", candidate=_candidate(name), n=str(n))
            if n > 1
            else t("compare.ranking.votes_one", candidate=_candidate(name))
            for name, n in best
        )
        st.markdown(t("compare.ranking.no_winner", votes=votes))
    st.caption(t("compare.ranking.pairs", n=str(len(r["conflicts"]))))


def _candidate_values(r: dict) -> None:
    names = r["names"]
    with st.expander(t("compare.ranking.values_expander")):
        values = pd.DataFrame(
            [[r["values"][k][n] for n in names] for k in r["keys"]],
            index=[_title(k) for k in r["keys"]],
            columns=[_candidate(n) for n in names],
        )
        st.dataframe(values.style.format("{:.4f}"), width="stretch", key="compare-cand-values")
        if r["conflicts"]:
            st.markdown("\n".join(f"- {_conflict_sentence(c)}" for c in r["conflicts"]))


def section_candidates(y_true: np.ndarray, y_pred: np.ndarray, dig: str, loss_params: dict) -> None:
    st.subheader(t("compare.ranking.header"), anchor="ranking")
    if float(np.max(y_true)) < 0.5:
        st.info(t("compare.ranking.empty_truth"), icon=":material/info:")
        return
    amount = st.slider(
        t("compare.ranking.amount"),
        1,
        12,
        key="compare-amount",
        help=t("compare.ranking.amount_help"),
    )
    with guard(t("compare.guard.ranking")):
        out = cache.ranked(dig, int(amount), cache.frozen_by_loss(loss_params), y_true, y_pred)
        r = out["ranking"]
        _candidate_gallery(y_true, out["candidates"], out["counts"], r["names"])
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
            name=_title(k),
            mode="lines+markers",
            line=dict(color=color, dash=dash, width=width),
            marker=dict(size=7),
            hovertemplate="%{y:.4g}",
        )
    if which == "loss":
        fig = charts.style(
            fig, t("compare.sweep.loss_title"), t("compare.sweep.fraction"), t("charts.loss"), 430
        )
    else:
        fig = charts.style(
            fig,
            t("compare.sweep.push_title"),
            t("compare.sweep.fraction"),
            t("compare.sweep.push_axis"),
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


def _sorted_by_trend(loss: dict, keys) -> tuple[list, list, list]:
    """Losses whose value stays (within 10 %), falls tenfold or more, or does neither."""
    stays, shrinks, other = [], [], []
    for k in keys:
        a, b = float(loss[k][0]), float(loss[k][-1])
        if abs(b - a) <= 0.1 * max(abs(a), 1e-12):
            stays.append(k)
        elif a > 0 and b < a / 10:
            shrinks.append(k)
        else:
            other.append(k)
    return stays, shrinks, other


def _value_lines(res: dict) -> list[str]:
    """How each loss's value moves as the object shrinks."""
    f0, f1 = res["fraction"][0], res["fraction"][-1]
    loss = res["loss"]
    stays, shrinks, other = _sorted_by_trend(loss, res["keys"])
    lines = [
        t(
            "compare.sweep.story_setup",
            error=f"{res['relative_error']:.0%}",
            start=_fraction_label(f0),
            end=_fraction_label(f1),
        )
    ]
    if stays:
        a, b = float(loss[stays[0]][0]), float(loss[stays[0]][-1])
        lines.append(
            t(
                f"compare.sweep.story_stays_{_number(stays)}",
                losses=_join(stays),
                start=f"{a:.3g}",
                end=f"{b:.3g}",
            )
        )
    if shrinks:
        ratios = [float(loss[k][0] / loss[k][-1]) for k in shrinks]
        lines.append(
            t(
                f"compare.sweep.story_falls_{_number(shrinks)}",
                losses=_join(shrinks),
                fold=f"{min(ratios):.0f}",
            )
        )
    if other:
        moves = ", ".join(
            f"{_title(k)} {float(loss[k][0]):.3g} → {float(loss[k][-1]):.3g}" for k in other
        )
        lines.append(t("compare.sweep.story_mixed", moves=moves))
    return lines


def _push_lines(res: dict) -> list[str]:
    """Which losses push a tiny object's pixels hardest, relative to the largest object."""
    f0, f1 = res["fraction"][0], res["fraction"][-1]
    ratio = {k: float(res["grad_fg_ratio"][k][-1]) for k in res["keys"]}
    finite = {k: v for k, v in ratio.items() if np.isfinite(v)}
    if not finite:
        return []
    order = sorted(finite, key=finite.get, reverse=True)
    top = [k for k in order if finite[k] >= finite[order[0]] * 0.98]
    bottom = [k for k in order if finite[k] <= finite[order[-1]] * 1.02]
    lines = [
        t(
            f"compare.sweep.story_push_{_number(bottom)}",
            end=_fraction_label(f1),
            top=_join(top),
            top_ratio=f"{finite[order[0]]:.0f}",
            start=_fraction_label(f0),
            bottom=_join(bottom),
            bottom_ratio=f"{finite[order[-1]]:.2g}",
        )
    ]
    if all(get_spec(k).region for k in top) and not any(get_spec(k).region for k in bottom):
        lines.append(t("compare.sweep.story_region_push"))
    return lines


def sweep_story(res: dict) -> str:
    """What the sweep shows, in sentences computed from its numbers."""
    lines = _value_lines(res) + _push_lines(res)
    same = _same_curves(res, "loss")
    if same:
        lines.append(t("compare.sweep.story_same", groups="; ".join(_join(g) for g in same)))
    return " ".join(lines)


def section_sweep(loss_params: dict) -> None:
    st.subheader(t("compare.sweep.header"), anchor="imbalance")
    st.markdown(t("compare.sweep.intro"))
    c1, c2 = st.columns([2, 1], vertical_alignment="bottom")
    with c1:
        rel = st.slider(
            t("compare.sweep.error"),
            0.05,
            0.5,
            step=0.05,
            key="compare-sweep-error",
        )
    with c2:
        shape = st.radio(
            t("compare.sweep.shape"),
            ["disk", "square"],
            format_func=formatter("compare.sweep.shape_{}"),
            horizontal=True,
            key="compare-sweep-shape",
        )
    with guard(t("compare.guard.sweep")):
        res = cache.sweep(float(rel), str(shape), cache.frozen_by_loss(loss_params))
        g1, g2 = st.columns(2, gap="medium")
        with g1:
            downloads.chart(_sweep_figure(res, "loss"), "compare-sweep-loss", _slide_title())
        with g2:
            downloads.chart(_sweep_figure(res, "grad"), "compare-sweep-grad", _slide_title())
        st.info(
            t("compare.sweep.what_it_shows", story=sweep_story(res)), icon=":material/insights:"
        )
        _sweep_numbers(res)


def _sweep_numbers(res: dict) -> None:
    """The tables behind the two sweep charts, in an expander."""
    with st.expander(t("compare.sweep.numbers")):
        cols = [_fraction_label(f) for f in res["fraction"]]
        meta = pd.DataFrame(
            [res["object_pixels"], res["fn_pixels"], res["fp_pixels"]],
            index=[
                t("compare.sweep.object_pixels"),
                t("compare.sweep.missed"),
                t("compare.sweep.false_alarms"),
            ],
            columns=cols,
        )
        st.dataframe(meta, width="stretch", key="compare-sweep-meta")
        names = [_title(k) for k in res["keys"]]
        vals = pd.DataFrame([res["loss"][k] for k in res["keys"]], index=names, columns=cols)
        st.markdown(t("compare.sweep.loss_values"))
        st.dataframe(vals.style.format("{:.4g}"), width="stretch", key="compare-sweep-vals")
        grads = pd.DataFrame([res["grad_fg"][k] for k in res["keys"]], index=names, columns=cols)
        st.markdown(t("compare.sweep.mean_push"))
        st.dataframe(grads.style.format("{:.3e}"), width="stretch", key="compare-sweep-grads")


# --------------------------------------------------------------------------- section 4
def section_batch(loss_params: dict) -> None:
    st.subheader(t("compare.batch.header"), anchor="batch-dice")
    smooth = float(loss_params["dice"]["smooth"])
    with guard(t("compare.guard.batch")):
        res = cache.batch_dice(smooth, 0.2)
        size = res["y_true"].shape[-1]
        n_large, n_small = (int(v) for v in res["object_pixels"])
        st.markdown(
            t("compare.batch.intro", size=str(size), large=str(n_large), small=str(n_small))
        )
        for case in (0, 1):
            _batch_case(res, case, max(1, 256 // size))
        st.markdown(_batch_explanation(res, n_large, n_small))


def _batch_case(res: dict, case: int, factor: int) -> None:
    """One case of the batch: its two images with their Dice, and the two ways to average."""
    i1, i2, m = st.columns([1, 1, 2.4], vertical_alignment="center")
    for col, img in ((i1, 0), (i2, 1)):
        with col:
            rgb = images.overlap_rgb(
                images.upscale(res["y_true"][img], factor),
                images.upscale(res["y_pred"][case, img], factor),
            )
            st.image(rgb, width=220)
            tp, fp, fn = res["counts"][case, img]
            st.caption(
                t(
                    "compare.batch.image_large" if img == 0 else "compare.batch.image_tiny",
                    dice=f"{res['per_image'][case, img]:.3f}",
                    tp=f"{tp:.0f}",
                    fp=f"{fp:.0f}",
                    fn=f"{fn:.0f}",
                )
            )
    with m:
        st.markdown(f"**{t('compare.batch.case_a' if case == 0 else 'compare.batch.case_b')}**")
        # the two ways to average, side by side: (catalog name, value, change from case A)
        ways = (
            ("pooled", "pooled", "pooled_change"),
            ("per_image", "per_image_mean", "per_image_change"),
        )
        for col, (name, value, change) in zip(st.columns(2), ways, strict=True):
            col.metric(
                t(f"compare.batch.{name}"),
                f"{res[value][case]:.4f}",
                delta=None if case == 0 else f"{res[change]:+.4f}",
                delta_color="inverse",
                help=t(f"compare.batch.{name}_help"),
            )


def _batch_explanation(res: dict, n_large: int, n_small: int) -> str:
    ratio = (
        abs(res["per_image_change"] / res["pooled_change"])
        if abs(res["pooled_change"]) > 1e-12
        else float("inf")
    )
    return t(
        "compare.batch.why",
        large=str(n_large),
        small=str(n_small),
        pooled_change=f"{res['pooled_change']:+.4f}",
        tiny_loss=f"{res['per_image'][1, 1]:.2f}",
        per_image_change=f"{res['per_image_change']:+.4f}",
        ratio=f"{ratio:.0f}",
    )
