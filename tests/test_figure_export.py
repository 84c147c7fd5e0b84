"""ui.figures.export: the app's plotly charts redrawn with matplotlib for slides. The drawings
carry the same data, the files parse, the title is in them, and Hangul is drawn, not boxes."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import numpy as np
import plotly.graph_objects as go
import pytest
from PIL import Image
from plotly.subplots import make_subplots

from teaching import analysis
from ui.figures import charts, export
from ui.masks import presets

TITLE = "Tversky loss (alpha=0.3, beta=0.7) · preset: shifted"


def _figures() -> dict[str, go.Figure]:
    t, p = presets.load_preset("shifted")
    probs = np.linspace(0, 1, 51)
    curve, ref = analysis.pixel_curve("dice", probs), analysis.pixel_curve("bce", probs)
    grid = np.linspace(0, 1, 11)
    heat = go.Figure(
        go.Heatmap(
            x=grid,
            y=grid,
            z=analysis.tversky_grid(t, p, grid, grid),
            colorscale="Viridis",
            colorbar=dict(title="loss"),
        )
    )
    heat.add_contour(
        x=grid,
        y=grid,
        z=analysis.tversky_grid(t, p, grid, grid) - 0.3,
        contours=dict(start=0, end=0, size=1, coloring="lines"),
        showscale=False,
    )
    heat.update_yaxes(scaleanchor="x")
    area = go.Figure()
    area.add_scatter(x=[0, 1, 2], y=[1, 2, 3], stackgroup="one", name="hard")
    area.add_scatter(x=[0, 1, 2], y=[3, 2, 1], stackgroup="one", name="easy")
    area.add_vline(x=1.5, line=dict(dash="dash"))
    stacked = go.Figure()
    stacked.add_bar(x=["a", "b"], y=[1, 2], name="fg")
    stacked.add_bar(x=["a", "b"], y=[3, 1], name="bg")
    stacked.update_layout(barmode="stack")
    water = go.Figure(
        go.Waterfall(
            x=["ce", "dice", "total"],
            measure=["relative", "relative", "total"],
            y=[0.3, -0.4, 0],
            text=["+0.3", "-0.4", "-0.1"],
        )
    )
    water.add_hline(y=-0.5)
    grid_fig = make_subplots(rows=1, cols=2, subplot_titles=["Dice", "IoU"])
    grid_fig.add_scatter(x=[0, 1], y=[0, 1], row=1, col=1, name="A")
    grid_fig.add_scatter(x=[0, 1], y=[1, 0], row=1, col=2, name="B")
    log = charts.line_figure([0.5, 0.1, 0.01], [1, 2, 3], title="sweep", xtitle="f", ytitle="x")
    log.update_xaxes(
        type="log",
        autorange="reversed",
        tickvals=[0.5, 0.1, 0.01],
        ticktext=["50 %", "10 %", "1 %"],
    )
    return {
        "pixel curve": charts.pixel_curve_figure(curve, ref, "One pixel alone"),
        "line with a marker": charts.line_figure(
            probs, probs**2, title="scaled", xtitle="c", ytitle="loss", mark_x=0.5, mark_y=0.25
        ),
        "grouped bars": charts.counts_figure(
            {"TP": 10.0, "FP": 4.0, "FN": 6.0}, {"TP": 1.0, "FP": 0.3, "FN": 0.7}, "counts"
        ),
        "horizontal bars": charts.attribution_figure({"gain_fp": 0.1, "gain_fn": 0.2}, "gains"),
        "family": charts.family_figure(
            probs,
            np.stack([probs, probs**2]),
            [0.0, 2.0],
            2.0,
            title="family",
            xtitle="p_t",
            ytitle="loss",
        ),
        "heatmap and contour": heat,
        "stacked area": area,
        "stacked bars": stacked,
        "waterfall": water,
        "subplots": grid_fig,
        "log axis": log,
    }


FIGURES = _figures()


@pytest.mark.parametrize("name", list(FIGURES))
def test_every_kind_of_chart_becomes_a_png_and_an_svg_with_its_title(name):
    fig = FIGURES[name]
    png = export.to_png(fig, TITLE)
    img = Image.open(io.BytesIO(png))
    img.verify()
    assert Image.open(io.BytesIO(png)).width >= export.MIN_PNG_WIDTH - 2  # 2x a chart on the page
    svg = export.to_svg(fig, TITLE)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert "preset: shifted" in "".join(root.itertext())  # the title is text, editable


def test_the_drawing_carries_the_charts_data():
    fig = FIGURES["pixel curve"]
    drawing = export.render(fig, TITLE)
    ax = drawing.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    for trace in fig.data:
        drawn = lines[trace.name]
        assert np.allclose(drawn.get_xdata().astype(float), trace.x)
        assert np.allclose(drawn.get_ydata(), trace.y)
    bars = export.render(FIGURES["grouped bars"], TITLE).axes[0].patches
    heights = sorted(b.get_height() for b in bars)
    assert heights == pytest.approx(sorted([10.0, 4.0, 6.0, 10.0, 4.0 * 0.3, 6.0 * 0.7]))
    heat = export.render(FIGURES["heatmap and contour"], TITLE).axes[0].collections[0]
    assert np.allclose(
        np.asarray(heat.get_array()).reshape(11, 11), FIGURES["heatmap and contour"].data[0].z
    )


def test_stacked_bars_and_the_waterfall_add_up():
    ax = export.render(FIGURES["stacked bars"], TITLE).axes[0]
    tops = sorted(round(b.get_y() + b.get_height(), 6) for b in ax.patches)
    assert tops == [1.0, 2.0, 3.0, 4.0]  # a: 1 then 1 + 3; b: 2 then 2 + 1
    wax = export.render(FIGURES["waterfall"], TITLE).axes[0]
    total = [b for b in wax.patches][-1]
    assert total.get_height() == pytest.approx(-0.1)


def _glyph(text: str, family: str | None) -> np.ndarray:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(1, 1), dpi=60)
    kw = {"family": [family]} if family else {}
    fig.text(0.5, 0.5, text, fontsize=30, ha="center", va="center", **kw)
    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba())[..., 0].copy()
    plt.close(fig)
    return pixels


@pytest.mark.filterwarnings("ignore:Glyph 57344:UserWarning")  # the private-use box, on purpose
def test_hangul_is_drawn_with_real_glyphs():
    family = export.cjk_font()
    assert family is not None, "no CJK font: install Debian's fonts-noto-cjk"
    ga, na, missing = _glyph("가", family), _glyph("나", family), _glyph("\ue000", family)
    assert (ga < 128).any(), "nothing was drawn"
    assert not np.array_equal(ga, na), "two syllables drew the same box"
    assert not np.array_equal(ga, missing), "the syllable drew the missing-glyph box"
    svg = export.to_svg(FIGURES["grouped bars"], "Tversky 손실 · 프리셋: shifted")
    assert "손실" in "".join(ET.fromstring(svg).itertext())
