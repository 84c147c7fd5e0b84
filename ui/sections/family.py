"""The family-tree page's parts: the dials, the two values, the tree, the lambda x delta map.

The dials are the Unified Focal loss's own registry settings (``param:unified_focal:*``,
in the session and the link as ``lambda_``, ``delta``, ``gamma``, ``symmetric``), so the
compare page and the training lab see what this page set. The maths is
:mod:`teaching.family`; this module only draws it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from teaching import family
from teaching.registry import format_params, format_value, get

from .. import masks
from ..figures import charts, palette
from ..i18n import loss_text, t
from ..runtime import cache, params
from ..runtime.guard import guard
from ..widgets import downloads
from ..widgets.sliders import param_control

KEY = family.KEY
SPEC = get(KEY)
DIALS = ("lambda_", "delta", "gamma", "symmetric")
#: The page's settings: the four dials (smooth stays as the loss's settings have it).
SETTINGS = tuple(s for s in params.loss_settings(SPEC) if s.name in DIALS)
GRID = tuple(float(v) for v in np.round(np.linspace(0.0, 1.0, 41), 3))


def title(key: str) -> str:
    return get(key).title


def _form(symmetric: bool) -> str:
    return t("family.form.symmetric") if symmetric else t("family.form.asymmetric")


def _num(v: float) -> str:
    return f"{float(v):.4f}"


def _signed(v: float) -> str:
    return f"{float(v):+.4f}"


def current_dials() -> dict:
    """The dials as the session has them, with the loss's smooth: a full setting."""
    values = params.values(SETTINGS)
    smooth = params.loss_params(KEY)["smooth"]
    return family.settings({**values, "smooth": smooth})


# ----------------------------------------------------------------------------- the dials
def _title(dials: dict) -> str:
    """A downloaded chart's title: the Unified Focal loss at these dials, and the masks."""
    name = t("loss_page.title", name=loss_text(KEY, "title"))
    return downloads.board_title(name, dials, masks.source_words())


def _take_me_to(key: str) -> None:
    """Button callback: move the dials to ``key``'s place (read at click time)."""
    params.reset(SETTINGS, family.take_me_to(key, current_dials()))


def dial_controls() -> None:
    """The three dials, the form switch, the "take me to" buttons and the paper's setting."""
    for s in SETTINGS:
        param_control(KEY, SPEC.param(s.name), s.key)
    st.caption(t("family.take_me_to"))
    with st.container(horizontal=True, gap="small"):
        for key in family.TAKE_ME_TO:
            st.button(title(key), key=f"family-go-{key}", on_click=_take_me_to, args=(key,))
    paper = SPEC.defaults("paper")
    st.button(
        t("family.paper_setting"),
        key="family-go-paper",
        on_click=params.reset,
        args=(SETTINGS, paper),
        help=format_params({k: paper[k] for k in DIALS}),
    )


# ----------------------------------------------------------------------------- the values
def _reason_text(entry: dict) -> str:
    """Why a place is not exact, with its numbers."""
    pl = entry["place"]
    if pl.needs_binary_truth and pl.exact and not entry["exact"]:
        return t("family.reason.soft_truth")
    # the background's own loss (the relation's later terms, before their coefficients)
    background = sum(v / term.coef for term, v in entry["terms"][1:])
    return t(
        f"family.reason.{pl.reason}",
        name=title(pl.key),
        named=_num(entry["named"]),
        unified=_num(entry["unified"]),
        background=_num(background),
        offset=format_value(pl.offset),
    )


def _verdict(shown: dict, entry: dict) -> None:
    pl = entry["place"]
    brief = format_params(pl.params, brief=True)
    name = title(pl.key) + (f" ({brief})" if brief else "")
    if not shown["on_place"]:
        s = pl.setting
        dist = np.sqrt(sum((shown["setting"][d] - s[d]) ** 2 for d in DIALS[:3]))
        st.info(
            t(
                "family.verdict.away",
                name=title(pl.key),
                distance=f"{dist:.2f}",
                lam=format_value(round(s["lambda_"], 3)),
                delta=format_value(s["delta"]),
                gamma=format_value(s["gamma"]),
            ),
            icon=":material/explore:",
        )
    elif entry["exact"]:
        st.success(
            t("family.verdict.exact", name=name, value=_num(entry["named"])),
            icon=":material/check_circle:",
        )
    else:
        note = "\n\n" + t("family.background_note") if pl.reason == "background" else ""
        st.warning(
            t("family.verdict.approximate", name=name, gap=_signed(entry["gap"]))
            + "\n\n"
            + _reason_text(entry)
            + note,
            icon=":material/difference:",
        )


def value_panel(y_true, y_pred, digest: str, dials: dict, evaluated: dict) -> None:
    """The unified value next to the nearest named loss by its own function, and why."""
    shown = cache.family_value(digest, cache.frozen(dials), y_true, y_pred)
    key = shown["nearest"]
    entry = evaluated[key]
    a, b = st.columns(2)
    a.metric(t("family.unified_metric"), _num(shown["unified"]))
    b.metric(
        t("family.named_metric", name=title(key)),
        _num(shown["named"]),
        help=t(
            "family.named_metric_help",
            function=get(key).function,
            params=format_params(entry["place"].params),
        ),
    )
    _verdict(shown, entry)
    st.latex(family.formula_tex(dials))


# ----------------------------------------------------------------------------- the tree
#: Where each node of the tree is drawn (x, y).
NODES = {
    "root": (0.46, 4.3),
    "focal": (0.16, 3.1),
    "weighted_ce": (0.16, 1.5),
    "combo": (0.36, 3.1),
    "bce_dice": (0.36, 1.5),
    "focal_tversky": (0.7, 3.1),
    "tversky": (0.7, 2.05),
    "dice": (0.7, 1.0),
    "iou": (0.42, 0.3),
}
#: The edges as (parent, child): the child's dial settings label the edge.
EDGES = (
    ("root", "focal"),
    ("focal", "weighted_ce"),
    ("root", "combo"),
    ("combo", "bce_dice"),
    ("root", "focal_tversky"),
    ("focal_tversky", "tversky"),
    ("tversky", "dice"),
    ("dice", "iou"),
)
INK = "#222222"
#: A node's label goes to its right, except where its edge arrives from the right.
LABEL_LEFT = {"focal", "combo", "iou"}


def _node_label(key: str, entry: dict) -> str:
    if entry["exact"]:
        status = t("family.tree.exact")
    else:
        status = t("family.tree.gap", gap=_signed(entry["gap"]))
        if key == "iou":
            status = t("family.tree.outside") + " · " + status
    return f"<b>{title(key)}</b><br>{status}"


def _edges(fig: go.Figure) -> None:
    for parent, child in EDGES:
        (x0, y0), (x1, y1) = NODES[parent], NODES[child]
        # a shape below the traces: the edge never crosses a node's marker
        fig.add_shape(
            type="line",
            x0=x0,
            y0=y0,
            x1=x1,
            y1=y1,
            layer="below",
            line=dict(color=palette.REF_COLOR, width=2, dash="dot" if child == "iou" else "solid"),
        )
        vertical = abs(x1 - x0) < 1e-9
        fig.add_annotation(
            x=x0 - 0.012 if vertical else (x0 + x1) / 2,
            y=(y0 + y1) / 2,
            xanchor="right" if vertical else "center",
            text=t(f"family.tree.edge.{child}"),
            showarrow=False,
            font=dict(size=14, color=INK),
            bgcolor="rgba(255,255,255,0.9)",
        )


def _member_nodes(fig: go.Figure, evaluated: dict, nearest_key: str) -> None:
    keys = list(family.MEMBERS)
    ring = [k == nearest_key for k in keys]
    fig.add_scatter(
        x=[NODES[k][0] for k in keys],
        y=[NODES[k][1] for k in keys],
        mode="markers+text",
        text=[_node_label(k, evaluated[k]) for k in keys],
        textposition=["middle left" if k in LABEL_LEFT else "middle right" for k in keys],
        textfont=dict(size=15, color=INK),
        marker=dict(
            opacity=1.0,
            size=[34 if r else 24 for r in ring],
            color=[palette.TP_COLOR if evaluated[k]["exact"] else "white" for k in keys],
            line=dict(
                color=[palette.MARK_COLOR if r else palette.FP_COLOR for r in ring],
                width=[6 if r else 3 for r in ring],
            ),
        ),
        customdata=[format_params(evaluated[k]["place"].params, brief=True) for k in keys],
        hovertemplate="%{customdata}<extra></extra>",
        showlegend=False,
    )


def _helper_nodes(fig: go.Figure, dials: dict, unified: float) -> None:
    root = t("family.tree.root", value=_num(unified), form=_form(dials["symmetric"]))
    for key, text in (("root", f"<b>{root}</b>"), ("weighted_ce", t("family.tree.weighted_ce"))):
        x, y = NODES[key]
        fig.add_scatter(
            x=[x],
            y=[y],
            mode="markers+text",
            text=[text],
            textposition="middle right",
            textfont=dict(size=15, color=INK),
            marker=dict(size=18, symbol="square", color=palette.REF_COLOR),
            hoverinfo="skip",
            showlegend=False,
        )


def tree_figure(evaluated: dict, nearest_key: str, dials: dict, unified: float) -> go.Figure:
    """The family tree: the seven losses where the dials reach them, exact or with a gap."""
    fig = go.Figure()
    _edges(fig)
    _helper_nodes(fig, dials, unified)
    _member_nodes(fig, evaluated, nearest_key)
    fig = charts.style(fig, t("family.tree.title"), "", "", height=540)
    fig.update_xaxes(visible=False, range=[-0.02, 1.0])
    fig.update_yaxes(visible=False, range=[0.0, 4.65])
    fig.update_layout(hovermode="closest", margin=dict(l=10, r=10, t=50, b=10))
    return fig


# ----------------------------------------------------------------------------- the map
#: Where each loss's label goes beside its diamond (the places share points and lines).
LABEL_SIDE = {
    "dice": ("right", "bottom"),
    "iou": ("right", "bottom"),
    "tversky": ("right", "top"),
    "focal_tversky": ("right", "top"),
    "focal": ("left", "middle"),
    "combo": ("center", "bottom"),
    "bce_dice": ("right", "top"),
}


def _marks(evaluated: dict, dials: dict) -> list[dict]:
    """The seven places on the lambda x delta square, merged where they coincide."""
    merged: dict[tuple, dict] = {}
    for key, entry in evaluated.items():
        s = entry["place"].setting
        where = (round(s["lambda_"], 3), round(s["delta"], 3))
        here = abs(s["gamma"] - dials["gamma"]) < 1e-9
        name = title(key) if here else f"{title(key)} (γ = {format_value(s['gamma'])})"
        mark = merged.setdefault(
            where, {"x": where[0], "y": where[1], "names": [], "here": [], "key": key}
        )
        mark["names"].append(name)
        mark["here"].append(here)
    return list(merged.values())


def _mark_labels(fig: go.Figure, marks: list[dict]) -> None:
    """Each place's names in a white box beside its diamond, readable on any colour."""
    for m in marks:
        xside, yside = LABEL_SIDE[m["key"]]
        # near an edge of the square the label goes inwards, whichever loss it starts with
        xside = "right" if m["x"] < 0.15 else "left" if m["x"] > 0.85 else xside
        shift = {"left": -12, "right": 12, "center": 0}[xside]
        lift = {"top": 14, "bottom": -14, "middle": 0}[yside]
        fig.add_annotation(
            x=m["x"],
            y=m["y"],
            text="<br>".join(m["names"]),
            showarrow=False,
            xanchor={"left": "right", "right": "left", "center": "center"}[xside],
            yanchor={"top": "bottom", "bottom": "top", "middle": "middle"}[yside],
            xshift=shift,
            yshift=lift,
            align="left",
            font=dict(size=13, color=INK),
            bgcolor="rgba(255,255,255,0.85)",
        )


def grid_figure(grid: np.ndarray, evaluated: dict, dials: dict) -> go.Figure:
    fig = go.Figure(
        go.Heatmap(
            x=GRID,
            y=GRID,
            z=grid,
            colorscale="Viridis",
            colorbar=dict(title=t("family.grid.loss")),
            hovertemplate="λ %{x}<br>δ %{y}<br>%{z:.4f}<extra></extra>",
        )
    )
    marks = _marks(evaluated, dials)
    fig.add_scatter(
        x=[m["x"] for m in marks],
        y=[m["y"] for m in marks],
        mode="markers",
        marker=dict(
            symbol=["diamond" if any(m["here"]) else "diamond-open" for m in marks],
            size=14,
            color="white",
            line=dict(color="black", width=2),
        ),
        text=["<br>".join(m["names"]) for m in marks],
        hoverinfo="text",
        showlegend=False,
    )
    _mark_labels(fig, marks)
    fig.add_scatter(
        x=[dials["lambda_"]],
        y=[dials["delta"]],
        mode="markers",
        marker=dict(
            symbol="x", size=18, color=palette.MARK_COLOR, line=dict(color="black", width=1.5)
        ),
        hovertemplate=t("family.grid.you") + "<extra></extra>",
        showlegend=False,
    )
    title_ = t(
        "family.grid.title", gamma=format_value(dials["gamma"]), form=_form(dials["symmetric"])
    )
    fig = charts.style(fig, title_, t("family.grid.x"), t("family.grid.y"), height=540)
    fig.update_layout(hovermode="closest")
    fig.update_xaxes(range=[-0.03, 1.03], constrain="domain")
    fig.update_yaxes(range=[-0.03, 1.03], scaleanchor="x")
    return fig


# ----------------------------------------------------------------------------- the table
def _setting_text(s: dict) -> str:
    return f"λ={format_value(round(s['lambda_'], 3))}, δ={format_value(s['delta'])}, γ={format_value(s['gamma'])}"


def members_table(evaluated: dict) -> pd.DataFrame:
    rows = []
    for key, e in evaluated.items():
        status = t("family.badge_exact") if e["exact"] else t("family.badge_approx")
        rows.append(
            {
                t("family.table.loss"): title(key),
                t("family.table.setting"): _setting_text(e["place"].setting),
                t("family.table.status"): status,
                t("family.table.unified"): round(e["unified"], 4),
                t("family.table.named"): round(e["named"], 4),
                t("family.table.gap"): round(e["gap"], 4),
            }
        )
    return pd.DataFrame(rows)


def reasons(evaluated: dict) -> None:
    """One line per approximate place: why, with its numbers."""
    lines = []
    for key, e in evaluated.items():
        if e["exact"]:
            continue
        prm = format_params(e["place"].params, brief=True)
        lines.append(f"- **{title(key)}**" + (f" ({prm})" if prm else "") + f": {_reason_text(e)}")
    st.markdown("\n".join(lines))
    if any(e["place"].reason == "background" and not e["exact"] for e in evaluated.values()):
        st.caption(t("family.background_note"))


# ----------------------------------------------------------------------------- the page
def live() -> None:
    """Everything that follows the dials (a fragment: the mask canvases are not redrawn)."""
    y_true, y_pred = masks.get_masks()
    digest = masks.masks_digest()
    left, right = st.columns([1, 1.35], gap="large")
    with left:
        st.subheader(t("family.dials_title"))
        dial_controls()
    dials = current_dials()
    frozen = cache.frozen(dials)
    params.sync_link(SETTINGS, {k: dials[k] for k in DIALS})
    evaluated = cache.family_members(digest, frozen, y_true, y_pred)
    with right, guard(t("family.guard.values")):
        value_panel(y_true, y_pred, digest, dials, evaluated)
    with guard(t("family.guard.tree")):
        nearest_key = family.nearest(dials)
        unified = cache.family_value(digest, frozen, y_true, y_pred)["unified"]
        downloads.chart(
            tree_figure(evaluated, nearest_key, dials, unified), "family-tree", _title(dials)
        )
        st.caption(t("family.tree.caption"))
    c1, c2 = st.columns([1, 1.2], gap="medium")
    with c1, guard(t("family.guard.grid")):
        # the square does not depend on where lambda_ and delta stand: keyed without them
        at = cache.frozen({k: dials[k] for k in ("gamma", "symmetric", "smooth")})
        grid = cache.family_grid(digest, at, GRID, y_true, y_pred)
        downloads.chart(grid_figure(grid, evaluated, dials), "family-grid", _title(dials))
        st.caption(t("family.grid.caption"))
    with c2:
        st.subheader(t("family.table.title"))
        table = members_table(evaluated)
        numbers = {c: st.column_config.NumberColumn(width="small") for c in table.columns[3:]}
        st.dataframe(
            table, hide_index=True, width="stretch", column_config=numbers, key="family-table"
        )
        reasons(evaluated)


def explanations() -> None:
    """What the dials do, why the asymmetric form, and the letters of each paper."""
    a, b = st.columns(2, gap="large")
    with a:
        st.subheader(t("family.explain.dials_title"))
        st.markdown(t("family.explain.dials"))
        st.subheader(t("family.explain.asym_title"))
        st.markdown(t("family.explain.asym"))
    with b:
        st.subheader(t("family.explain.letters_title"))
        st.markdown(t("family.explain.letters"))
        st.subheader(t("family.explain.conventions_title"))
        st.markdown(t("family.explain.conventions"))
