"""Per-run work removed at its source: plotly's template copy, Keras's clean-up after runs."""

from __future__ import annotations

import json
import sys

import plotly.graph_objects as go

from ui.figures import charts
from ui.runtime import boot


def _reference_style(fig, title, xtitle, ytitle, height=340):
    """What charts.style did before: plotly's own update_layout, template included."""
    fig.update_layout(
        title=dict(text=title, font=dict(size=17)),
        xaxis_title=xtitle,
        yaxis_title=ytitle,
        font=charts.FONT,
        height=height,
        margin=dict(l=10, r=10, t=50, b=10),
        template="plotly_white",
        legend=charts.LEGEND_BELOW,
        hovermode="x unified",
    )
    return fig


def _figure_with_settings():
    """A figure whose caller set things before style(): they must survive, merged."""
    fig = go.Figure(go.Heatmap(z=[[1, 2], [3, 4]]))
    fig.add_scatter(x=[0, 1], y=[1, 0], name="line")
    fig.update_yaxes(range=[0, 3], title="before")
    fig.update_layout(barmode="group", legend=dict(font=dict(size=9), x=0.5), template="ggplot2")
    return fig


def test_style_gives_the_same_figure_as_update_layout():
    ours = json.loads(charts.style(_figure_with_settings(), "T", "x", "y", 300).to_json())
    ref = json.loads(_reference_style(_figure_with_settings(), "T", "x", "y", 300).to_json())
    assert ours == ref
    assert ours["layout"]["template"]["layout"]["plot_bgcolor"] == "white"


def test_a_styled_figure_never_changes_the_shared_template():
    fig = charts.style(go.Figure(), "T", "x", "y")
    fig.layout.template.layout.plot_bgcolor = "red"
    again = charts.style(go.Figure(), "T", "x", "y")
    assert again.layout.template.layout.plot_bgcolor == "white"


def test_runs_end_without_keras_clean_up(monkeypatch):
    import keras
    from streamlit.runtime.scriptrunner import script_runner

    calls = []
    monkeypatch.setattr(keras.backend, "clear_session", lambda *a, **k: calls.append(a))
    # Streamlit's own function, even when an app run earlier in this process replaced it
    original = (boot.STREAMLIT_CLEAN_UP or [script_runner._clean_problem_modules])[0]
    monkeypatch.setattr(script_runner, "_clean_problem_modules", original)
    script_runner._clean_problem_modules()  # Streamlit's own: clears the Keras session
    assert calls, "Streamlit no longer clears Keras after a run: boot.skip_keras_clean_up can go"
    assert boot.skip_keras_clean_up()
    calls.clear()
    script_runner._clean_problem_modules()
    assert not calls
    assert "keras" in sys.modules
