"""The one builder of loss-parameter controls, and the blog / paper reset buttons.

Every place that sets a loss parameter (the loss pages, the training lab) draws
it with :func:`param_control`, straight from the registry's ``Param``: a slider
for a number, a slider over a discrete scale for ``smooth``, a checkbox for a
switch. Where the masks are known (the loss pages, the challenges), a number
gets the live slider of :mod:`ui.widgets.live_slider` instead, with the loss at
every step of its range (a slice, :mod:`teaching.slices`). The value lives in the session under the setting's key
(:mod:`ui.runtime.params` seeds it), so the widgets are built without a
``value=`` of their own. Labels and help come from the language catalogs
(``params.<loss>.<name>.*``), read through :func:`ui.i18n.param_text`.
"""

from __future__ import annotations

import streamlit as st

from teaching.registry import LossSpec, Param, format_params, format_value
from teaching.slices import Slice

from ..i18n import loss_text, param_text, t
from ..runtime import params
from . import live_slider


def shown_value(p: Param, value) -> str:
    """A parameter value as a learner reads it: numbers as code writes them, switches as words."""
    if p.kind == "bool":
        return t("params.switch_on") if value else t("params.switch_off")
    return format_value(value)


def _help(loss: str, p: Param) -> str:
    return t(
        "params.help_with_values",
        help=param_text(loss, p.name, "help"),
        blog=shown_value(p, p.blog),
        paper=shown_value(p, p.paper),
    )


def param_control(
    loss: str, p: Param, key: str, sl: Slice | None = None, extras: dict | None = None
) -> None:
    """One control for parameter ``p`` of loss ``loss``, bound to the session-state ``key``.

    With the parameter's slice ``sl`` (and the page's ``extras`` for it, see
    :func:`ui.widgets.live_slider.payload`) a number gets a live slider.
    """
    label = param_text(loss, p.name, "label")
    if sl is not None and p.kind != "bool":
        data = live_slider.payload(
            key,
            p,
            st.session_state.get(key, p.blog),
            sl,
            label=label,
            help_text=_help(loss, p),
            loss_label=t("loss_page.title", name=loss_text(loss, "title")),
            extras=extras,
        )
        live_slider.live_slider(key, p, data)
    elif p.kind == "bool":
        params.bound(st.checkbox, label, key=key, help=_help(loss, p))
    elif p.choices:
        params.bound(
            st.select_slider,
            label,
            options=list(p.choices),
            key=key,
            format_func=format_value,
            help=_help(loss, p),
        )
    else:
        params.bound(
            st.slider,
            label,
            min_value=float(p.lo),
            max_value=float(p.hi),
            step=float(p.step),
            key=key,
            help=_help(loss, p),
        )


def param_controls(
    spec: LossSpec,
    settings: tuple,
    slices: dict[str, Slice] | None = None,
    extras: dict[str, dict] | None = None,
) -> None:
    """The controls of every parameter of ``spec`` (``settings`` from ``params.loss_settings``).

    ``slices`` (by parameter name) make the numbers live sliders; ``extras`` adds
    what the page's views show at each step of a parameter.
    """
    slices, extras = slices or {}, extras or {}
    for p, s in zip(spec.params, settings, strict=True):
        param_control(spec.key, p, s.key, slices.get(p.name), extras.get(p.name))


def reset_buttons(spec: LossSpec, settings: tuple) -> None:
    """The "Blog defaults" and "Paper values" buttons."""
    if not spec.params:
        return
    # one horizontal container rather than st.columns(2): a column adds two layout
    # blocks, and every block costs the browser a little on each slider move
    with st.container(horizontal=True, gap="small"):
        for which in ("blog", "paper"):
            st.button(
                t(f"params.reset.{which}"),
                on_click=params.reset,
                args=(settings, spec.defaults(which)),
                key=f"reset-{which}-{spec.key}",
                width="stretch",
                help=format_params(spec.defaults(which)),
            )
