"""Projector mode: the same pages, set for a room that reads them from a screen at 1280 x 720.

A switch on every page (and ``?present=1`` in a link) turns it on for the session. It
changes no number, only how the page reads from the back of a lecture hall: larger type,
a larger loss value, thicker chart lines, a compact mask panel and a shorter top, so
that the value, the sliders and the open view stay above the fold; the long
explanations fold away behind their titles (the pages ask :func:`is_on`).

The look is one style sheet, added to the page while the mode is on. It targets
Streamlit's own test ids, plotly's SVG classes and the ``st-key-*`` classes of keyed
containers, so no element of the page is built twice.
"""

from __future__ import annotations

import streamlit as st

from teaching.registry import parse_bool

from ..i18n import t
from ..runtime import params

SETTING = params.Setting("present", "_segloss_present", False, parse_bool, "present")

_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 3.8rem; padding-bottom: 2rem; }
/* the live sliders draw in a shadow root; a custom property is what reaches in */
[data-testid="stMainBlockContainer"] { --segloss-live-scale: 1.15; }
[data-testid="stMainBlockContainer"] p, [data-testid="stMainBlockContainer"] li,
[data-testid="stWidgetLabel"] p, [data-testid="stCaptionContainer"] {
  font-size: 1.06rem !important; line-height: 1.4;
}
h1 { font-size: 2.1rem !important; padding-top: 0 !important; padding-bottom: 0.2rem !important; }
h2, h3 { font-size: 1.5rem !important; }
[data-testid="stMainBlockContainer"] [data-testid="stMetricValue"],
[data-testid="stMainBlockContainer"] [data-testid="stMetricValue"] * {
  font-size: 4.2rem !important; line-height: 1.05 !important;
}
[data-testid="stMetricLabel"] p { font-size: 1.3rem !important; }
[data-testid="stMetricDelta"] { font-size: 1.3rem !important; }
.js-plotly-plot .scatterlayer .js-line { stroke-width: 5px !important; }
.js-plotly-plot .gtitle { font-size: 21px !important; }
.js-plotly-plot .xtitle, .js-plotly-plot .ytitle { font-size: 18px !important; }
.js-plotly-plot .xtick text, .js-plotly-plot .ytick text { font-size: 16px !important; }
.js-plotly-plot .legendtext { font-size: 16px !important; }
.st-key-mask-notes, .st-key-mask-brush-help { display: none !important; }
</style>
"""


def is_on() -> bool:
    """Whether this session shows the pages for a projector."""
    params.seed([SETTING])
    return bool(params.values([SETTING])["present"])


def switch() -> None:
    """The toggle every page shows next to the language switch; it keeps ``?present=1``."""
    params.seed([SETTING])
    params.bound(st.toggle, t("projector.switch"), key=SETTING.key, help=t("projector.help"))
    on = bool(params.values([SETTING])["present"])
    qp = st.query_params
    if on and qp.get("present") != "1":
        qp["present"] = "1"
    elif not on and "present" in qp:
        del qp["present"]


def style() -> None:
    """Add the projector's style sheet to the page while the mode is on."""
    if is_on():
        st.html(_CSS)
