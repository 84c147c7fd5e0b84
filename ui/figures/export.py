"""Any chart of the app, redrawn with matplotlib for a teacher's slides: PNG (2x and more) and SVG.

The pages draw their charts with plotly; :func:`render` reads a plotly figure's data and
layout (``fig.to_dict()``) and draws the same thing with matplotlib, in the app's
palette, under a title that says what it shows (the loss, its parameters, the preset).
It understands what the app uses: lines, markers and text labels, stacked areas, grouped,
stacked and horizontal bars, heatmaps with their colour bar, a zero contour, a waterfall,
horizontal and vertical lines, annotations, log and reversed axes, custom ticks, equal
aspect, and subplot grids. Nothing is drawn until a download is asked for.

Hangul and other CJK text is drawn with a CJK font found by family name (Debian's
``fonts-noto-cjk``), never as missing-glyph boxes: without such a font the text falls
back to the default font and :func:`cjk_font` logs it once.
"""

from __future__ import annotations

import functools
import io
import logging
import re

import numpy as np

_log = logging.getLogger(__name__)

#: Families tried in order for Hangul; the first one matplotlib knows is used.
CJK_FAMILIES = (
    "Noto Sans CJK KR",
    "Noto Sans CJK JP",
    "Noto Sans CJK SC",
    "NanumGothic",
    "Noto Sans KR",
    "Source Han Sans K",
    "UnDotum",
)
DASHES = {"solid": "-", "dash": "--", "dot": ":", "dashdot": "-.", "longdash": "--"}
PX_PER_INCH = 100  # a plotly height of 400 px becomes 4 in


@functools.cache
def cjk_font() -> str | None:
    """The name of a font family with Hangul glyphs, or None (logged once) if there is none."""
    from matplotlib import font_manager

    known = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in known:
            return family
    _log.warning("no CJK font found (install fonts-noto-cjk); Hangul would not be drawn")
    return None


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _array(value, dtype=float) -> np.ndarray:
    """A plotly data field as a numpy array (plotly sends numpy data as base64 "bdata")."""
    if isinstance(value, dict) and "bdata" in value:
        import base64

        raw = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        shape = value.get("shape")
        if shape:
            dims = [int(d) for d in str(shape).split(",")] if isinstance(shape, str) else shape
            raw = raw.reshape(dims)
        return raw.astype(dtype) if dtype is not object else raw
    if value is None:
        return np.asarray([], dtype=dtype if dtype is not object else object)
    return (
        np.asarray(value, dtype=dtype) if dtype is not object else np.asarray(value, dtype=object)
    )


def _numbers_if_possible(values: np.ndarray) -> np.ndarray:
    """Numbers as floats (so areas and log axes work); labels stay as they are."""
    try:
        return values.astype(float)
    except (TypeError, ValueError):
        return values


def _color(value, default="#444444"):
    """A plotly colour (hex, rgb(), rgba(), a name) as something matplotlib takes."""
    if value is None or isinstance(value, (list, tuple, np.ndarray)):
        return default
    text = str(value).strip()
    m = re.match(r"rgba?\(([^)]*)\)", text)
    if m:
        parts = [float(v) for v in m.group(1).split(",")]
        rgb = [v / 255.0 for v in parts[:3]]
        return (*rgb, parts[3] if len(parts) > 3 else 1.0)
    return text


def _colormap(scale):
    """A plotly colour scale (a name or [[position, colour], ...]) as a matplotlib colour map."""
    from matplotlib import colormaps
    from matplotlib.colors import LinearSegmentedColormap

    if isinstance(scale, str):
        name = scale.lower()
        return colormaps[name] if name in colormaps else colormaps["viridis"]
    if isinstance(scale, (list, tuple)) and scale:
        stops = [(float(pos), _color(col)) for pos, col in scale]
        return LinearSegmentedColormap.from_list("plotly", stops)
    return colormaps["viridis"]


def _text(value) -> str:
    """Plotly text as plain text (its <br> line breaks kept, other tags dropped)."""
    if value is None:
        return ""
    text = value.get("text", "") if isinstance(value, dict) else str(value)
    text = re.sub(r"<br\s*/?>", "\n", text)
    return re.sub(r"<[^>]+>", "", text)


# --------------------------------------------------------------------------- traces
def _scatter(ax, tr: dict, stacks: dict) -> None:
    x = _numbers_if_possible(_array(tr.get("x"), object))
    y = _array(tr.get("y", []))
    mode = tr.get("mode", "lines")
    line = tr.get("line", {}) or {}
    color = _color(line.get("color") or (tr.get("marker", {}) or {}).get("color"), None)
    label = tr.get("name") if tr.get("showlegend", True) is not False else None
    group = tr.get("stackgroup")
    if group is not None:
        base = stacks.get(group, np.zeros_like(y))
        ax.fill_between(x, base, base + y, color=color, alpha=0.75, label=label, lw=0)
        stacks[group] = base + y
        return
    if "lines" in mode or mode == "":
        ax.plot(
            x,
            y,
            color=color,
            lw=float(line.get("width", 2)) * 0.9,
            ls=DASHES.get(line.get("dash", "solid"), "-"),
            label=label,
        )
        label = None
    if "markers" in mode:
        marker = tr.get("marker", {}) or {}
        symbol = {"x": "X", "diamond": "D"}.get(str(marker.get("symbol", "")), "o")
        ax.scatter(
            x,
            y,
            s=float(marker.get("size", 8)) ** 2 * 0.9,
            marker=symbol,
            color=_color(marker.get("color"), color or "#444444"),
            edgecolors="black",
            linewidths=0.8,
            zorder=4,
            label=label,
        )
    if "text" in mode and tr.get("text") is not None:
        texts = tr["text"] if isinstance(tr["text"], (list, tuple)) else [tr["text"]] * len(x)
        for xi, yi, ti in zip(x, y, texts, strict=False):
            ax.annotate(
                _text(ti),
                (xi, yi),
                textcoords="offset points",
                xytext=(0, 8),
                ha="center",
                fontsize=11,
            )


def _bars(ax, traces: list[dict], barmode: str) -> None:
    horizontal = traces[0].get("orientation") == "h"
    cats = list(_array(traces[0].get("y" if horizontal else "x"), object))
    n = len(traces)
    width = 0.8 / n if barmode == "group" else 0.8
    base = np.zeros(len(cats))
    for i, tr in enumerate(traces):
        vals = _array(tr.get("x" if horizontal else "y", []))
        pos = np.arange(len(cats), dtype=float)
        if barmode == "group":
            pos = pos - 0.4 + width * (i + 0.5)
        marker = tr.get("marker", {}) or {}
        colors = marker.get("color")
        colors = (
            [_color(c) for c in colors] if isinstance(colors, (list, tuple)) else _color(colors)
        )
        hatch = "//" if (marker.get("pattern", {}) or {}).get("shape") else None
        kw = dict(
            color=colors,
            alpha=float(tr.get("opacity", 1.0)),
            hatch=hatch,
            label=tr.get("name") if n > 1 else None,
            edgecolor="white",
        )
        offset = base if barmode == "stack" else 0
        bars = (
            ax.barh(pos, vals, height=width, left=offset, **kw)
            if horizontal
            else ax.bar(pos, vals, width=width, bottom=offset, **kw)
        )
        if tr.get("text") is not None:
            labels = (
                tr["text"] if isinstance(tr["text"], (list, tuple)) else [tr["text"]] * len(vals)
            )
            ax.bar_label(
                bars,
                labels=[_text(v) for v in labels],
                fontsize=11,
                label_type="center" if barmode == "stack" else "edge",
                padding=2,
            )
        if barmode == "stack":
            base = base + vals
    ticks = np.arange(len(cats))
    (ax.set_yticks if horizontal else ax.set_xticks)(ticks, [_text(c) for c in cats])


def _heatmap(ax, tr: dict):
    z = _array(tr.get("z"))
    x = _array(tr["x"]) if tr.get("x") is not None else np.arange(z.shape[1])
    y = _array(tr["y"]) if tr.get("y") is not None else np.arange(z.shape[0])
    mesh = ax.pcolormesh(
        x,
        y,
        z,
        shading="nearest",
        cmap=_colormap(tr.get("colorscale")),
        vmin=tr.get("zmin"),
        vmax=tr.get("zmax"),
    )
    if tr.get("showscale", True) is not False:
        bar = ax.figure.colorbar(mesh, ax=ax, fraction=0.05, pad=0.02)
        bar.set_label(_text((tr.get("colorbar", {}) or {}).get("title")))
    return mesh


def _contour(ax, tr: dict) -> None:
    z = _array(tr.get("z"))
    x, y = _array(tr.get("x")), _array(tr.get("y"))
    c = tr.get("contours", {}) or {}
    level = float(c.get("start", 0.0))
    if np.nanmin(z) < level < np.nanmax(z):
        color = _color((tr.get("line", {}) or {}).get("color"), "white")
        ax.contour(x, y, z, levels=[level], colors=[color], linewidths=2.5)


def _waterfall(ax, tr: dict) -> None:
    names = [_text(v) for v in _array(tr.get("x"), object)]
    values = _array(tr.get("y", []))
    measures = tr.get("measure", ["relative"] * len(values))
    colors = {
        k: _color(((tr.get(k, {}) or {}).get("marker", {}) or {}).get("color"), "#888888")
        for k in ("increasing", "decreasing", "totals")
    }
    total = 0.0
    texts = tr.get("text") or [""] * len(values)
    for i, (v, m) in enumerate(zip(values, measures, strict=False)):
        if m == "total":
            bottom, height, col = 0.0, total, colors["totals"]
        else:
            bottom, height = total, v
            col = colors["increasing" if v >= 0 else "decreasing"]
            total += v
        bars = ax.bar(i, height, bottom=bottom, color=col, width=0.6)
        ax.bar_label(bars, labels=[_text(texts[i])], padding=2, fontsize=11)
    ax.set_xticks(range(len(names)), names)


# --------------------------------------------------------------------------- layout
def _axis_name(ref: str, kind: str) -> str:
    """'x2' -> 'xaxis2', 'y' -> 'yaxis'."""
    return kind + "axis" + ref[1:]


def _style_axes(ax, layout: dict, xname: str, yname: str) -> None:
    xa, ya = layout.get(xname, {}) or {}, layout.get(yname, {}) or {}
    ax.set_xlabel(_text(xa.get("title")), fontsize=12)
    ax.set_ylabel(_text(ya.get("title")), fontsize=12)
    for spec, setter in ((xa, "x"), (ya, "y")):
        if spec.get("type") == "log":
            (ax.set_xscale if setter == "x" else ax.set_yscale)("log")
        rng = spec.get("range")
        if rng and spec.get("type") != "log":
            (ax.set_xlim if setter == "x" else ax.set_ylim)(*rng)
        if spec.get("tickvals") is not None:
            labels = spec.get("ticktext") or [f"{v:g}" for v in spec["tickvals"]]
            (ax.set_xticks if setter == "x" else ax.set_yticks)(spec["tickvals"], labels)
        if spec.get("autorange") == "reversed":
            (ax.invert_xaxis if setter == "x" else ax.invert_yaxis)()
    if ya.get("scaleanchor") == "x":
        ax.set_aspect("equal", adjustable="box")
    ax.grid(alpha=0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _shapes(ax, layout: dict) -> None:
    for shape in layout.get("shapes", []) or []:
        line = shape.get("line", {}) or {}
        kw = dict(
            color=_color(line.get("color"), "#444444"),
            lw=float(line.get("width", 2)),
            ls=DASHES.get(line.get("dash", "solid"), "-"),
        )
        if shape.get("x0") == shape.get("x1") and "x" in str(shape.get("xref", "x")):
            ax.axvline(shape["x0"], **kw)
        elif shape.get("y0") == shape.get("y1"):
            ax.axhline(shape["y0"], **kw)


def _annotations(fig, ax_by_ref: dict, layout: dict) -> None:
    for a in layout.get("annotations", []) or []:
        text = _text(a.get("text"))
        if not text:
            continue
        xref, yref = str(a.get("xref", "x")), str(a.get("yref", "y"))
        if xref == "paper" and yref == "paper":  # subplot titles and page-level notes
            x, y = _on_figure(a.get("x", 0.5), a.get("y", 1.0))
            fig.text(x, y, text, ha="center", va="bottom", fontsize=12)
            continue
        ax = ax_by_ref.get(xref.replace(" domain", ""), next(iter(ax_by_ref.values())))
        transform = ax.get_xaxis_transform() if yref == "paper" else ax.transData
        ax.text(
            a.get("x", 0),
            a.get("y", 0),
            text,
            transform=transform,
            ha="center",
            va="bottom",
            fontsize=11,
            color="#555555",
        )


#: Where plotly's plot area (paper 0..1) sits on the slide: left, bottom, width, height.
#: The rest is room for the slide's title above, tick labels and the legend below.
PLOT_AREA = (0.08, 0.1, 0.88, 0.78)


def _on_figure(x: float, y: float) -> tuple[float, float]:
    """A point in plotly's paper coordinates, in the slide's figure coordinates."""
    left, bottom, width, height = PLOT_AREA
    return left + width * float(x), bottom + height * float(y)


def _axes_grid(fig, layout: dict, traces: list[dict]) -> dict:
    """One matplotlib axes per plotly (xaxis, yaxis) pair, placed at their domains."""
    pairs = sorted({(tr.get("xaxis", "x"), tr.get("yaxis", "y")) for tr in traces} or {("x", "y")})
    out = {}
    for xref, yref in pairs:
        xd = (layout.get(_axis_name(xref, "x"), {}) or {}).get("domain", [0, 1])
        yd = (layout.get(_axis_name(yref, "y"), {}) or {}).get("domain", [0, 1])
        left, bottom = _on_figure(xd[0], yd[0])
        width = PLOT_AREA[2] * (xd[1] - xd[0]) - 0.03
        height = PLOT_AREA[3] * (yd[1] - yd[0]) - 0.06
        out[(xref, yref)] = fig.add_axes([left, bottom, max(width, 0.1), max(height, 0.1)])
    return out


def _draw_traces(axes: dict, traces: list[dict], layout: dict) -> None:
    stacks: dict = {}
    barmode = layout.get("barmode", "group")
    bars: dict = {}
    for tr in traces:
        ax = axes[(tr.get("xaxis", "x"), tr.get("yaxis", "y"))]
        kind = tr.get("type", "scatter")
        if kind == "bar":
            bars.setdefault(id(ax), (ax, []))[1].append(tr)
        elif kind == "heatmap":
            _heatmap(ax, tr)
        elif kind == "contour":
            _contour(ax, tr)
        elif kind == "waterfall":
            _waterfall(ax, tr)
        else:
            _scatter(ax, tr, stacks)
    for ax, group in bars.values():
        _bars(ax, group, barmode)


def _legend(fig, axes: dict, layout: dict) -> None:
    """One legend: inside a single chart where it covers least, under a grid of charts."""
    if layout.get("showlegend", True) is False:
        return
    handles, labels = [], []
    for ax in axes.values():
        for h, label in zip(*ax.get_legend_handles_labels(), strict=True):
            if label not in labels:
                handles.append(h)
                labels.append(label)
    if len(handles) < 2:
        return
    if len(axes) == 1:
        next(iter(axes.values())).legend(handles, labels, loc="best", framealpha=0.9, fontsize=10)
    else:
        fig.legend(
            handles,
            labels,
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            ncol=min(len(handles), 4),
            frameon=False,
            fontsize=11,
        )


def chart_title(spec: dict) -> str:
    """The title a plotly figure (as a dict) shows on the page, as plain text."""
    return _text(spec.get("layout", {}).get("title"))


def render(plotly_figure, title: str, subtitle: str = ""):
    """The matplotlib figure of a plotly figure (or its dict), under ``title`` (what it shows)."""
    plt = _pyplot()
    spec = plotly_figure if isinstance(plotly_figure, dict) else plotly_figure.to_dict()
    traces, layout = spec.get("data", []), spec.get("layout", {})
    height = float(layout.get("height") or 400) / PX_PER_INCH
    family = cjk_font()
    context = {"font.family": [family, "DejaVu Sans"]} if family else {}
    with plt.rc_context({**context, "axes.unicode_minus": False}):
        fig = plt.figure(figsize=(11, max(3.2, height * 1.25)))
        axes = _axes_grid(fig, layout, traces)
        _draw_traces(axes, traces, layout)
        for (xref, yref), ax in axes.items():
            _style_axes(ax, layout, _axis_name(xref, "x"), _axis_name(yref, "y"))
        _shapes(next(iter(axes.values())), layout)
        _annotations(fig, {x: ax for (x, _), ax in axes.items()}, layout)
        chart_title = subtitle or _text(layout.get("title"))
        fig.suptitle(title + ("\n" + chart_title if chart_title else ""), fontsize=14, y=0.98)
        _legend(fig, axes, layout)
    return fig


MIN_PNG_WIDTH = 2200  # pixels: more than twice a chart's width on the page


def to_png(plotly_figure, title: str, subtitle: str = "") -> bytes:
    """The chart as a PNG for slides, at least :data:`MIN_PNG_WIDTH` pixels wide."""
    return _save(render(plotly_figure, title, subtitle), "png", MIN_PNG_WIDTH)


def to_svg(plotly_figure, title: str, subtitle: str = "") -> bytes:
    """The chart as an SVG (text kept as text, so a slide editor can change it)."""
    return _save(render(plotly_figure, title, subtitle), "svg", 0)


def _save(fig, fmt: str, min_width: int) -> bytes:
    """Save the figure cropped to what it draws; a PNG gets at least ``min_width`` pixels."""
    plt = _pyplot()
    dpi = 100
    if min_width:
        box = fig.get_tightbbox(fig.canvas.get_renderer())
        dpi = max(100, int(np.ceil(min_width / max(box.width, 1e-3))) + 1)
    buf = io.BytesIO()
    with plt.rc_context({"svg.fonttype": "none"}):
        fig.savefig(buf, format=fmt, dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()
