"""The one download helper of the app: charts for slides, masks, code, all lazily built.

Every chart a page shows goes through :func:`chart`: the plotly figure on the page, and
under it two small buttons that download the same chart redrawn with matplotlib
(:mod:`ui.figures.export`) as a 2x PNG and as an SVG, under a title that says what it
shows. Files are only built when a button is pressed (the buttons get callables), so a
slider move costs nothing extra on the server.
"""

from __future__ import annotations

import functools
import re

import streamlit as st

from teaching.registry import format_params

from ..figures import export
from ..i18n import t

_ICON = ":material/download:"


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", name).strip("_") or "figure"


def file_button(label: str, data, file_name: str, mime: str, key: str, help: str | None = None):
    """A download button whose file is built (``data`` may be a callable) only when pressed."""
    st.download_button(
        label,
        data=data,
        file_name=file_name,
        mime=mime,
        on_click="ignore",
        icon=_ICON,
        key=key,
        help=help,
        type="tertiary",
    )


def figure_buttons(fig, name: str, title: str) -> None:
    """PNG and SVG downloads of a plotly figure (or its dict), redrawn with matplotlib."""
    stem = _safe_name(name)
    with st.container(horizontal=True, gap="small"):
        file_button(
            t("downloads.png"),
            functools.partial(export.to_png, fig, title),
            f"{stem}.png",
            "image/png",
            key=f"dl-png-{stem}",
            help=t("downloads.png_help"),
        )
        file_button(
            t("downloads.svg"),
            functools.partial(export.to_svg, fig, title),
            f"{stem}.svg",
            "image/svg+xml",
            key=f"dl-svg-{stem}",
            help=t("downloads.svg_help"),
        )


def chart(fig, key: str, title: str) -> None:
    """A plotly chart on the page, with its slide downloads under it."""
    st.plotly_chart(fig, width="stretch", key=key)
    figure_buttons(fig, key, title)


def deferred_buttons(charts: list) -> None:
    """The downloads of charts drawn where no widget may be (a view replayed from the cache):
    one row per chart, its title then its buttons. ``charts`` holds (figure dict, key, title)."""
    for figure, key, title in charts:
        with st.container(horizontal=True, gap="small", vertical_alignment="center"):
            st.caption(export.chart_title(figure) or title)
            figure_buttons(figure, key, title)


def board_title(what: str, values: dict | None = None, masks: str | None = None) -> str:
    """What a slide says it shows: ``what`` (a loss's name), its parameters, and where the
    masks came from (:func:`ui.masks.source_words`; None where a chart uses no masks)."""
    args = format_params(values or {})
    head = f"{what} ({args})" if args else what
    return " · ".join([head, masks] if masks else [head])
