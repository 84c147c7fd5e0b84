"""Sliders generated from the registry, and the blog / paper reset buttons."""

from __future__ import annotations

import streamlit as st

from teaching.registry import LossSpec, format_params

from . import state


def _fmt_choice(v: float) -> str:
    return f"{v:g}"


def param_controls(spec: LossSpec) -> None:
    """Draw one slider per parameter of ``spec``.

    Call it after ``state.init_params(spec)``: the page reads (and computes
    with) the values before it draws the sliders, so the seeding happens there.
    """
    for p in spec.params:
        key = state.param_key(spec, p.name)
        if p.kind == "bool":
            st.checkbox(p.label, key=key, help=p.help)
        elif p.choices:
            st.select_slider(
                p.label,
                options=list(p.choices),
                key=key,
                format_func=_fmt_choice,
                help=p.help + f" Blog: {p.blog:g}, paper: {p.paper:g}.",
            )
        else:
            st.slider(
                p.label,
                min_value=float(p.lo),
                max_value=float(p.hi),
                step=float(p.step),
                key=key,
                help=p.help + f" Blog: {p.blog:g}, paper: {p.paper:g}.",
            )


def reset_buttons(spec: LossSpec) -> None:
    """The "Blog defaults" and "Paper values" buttons."""
    if not spec.params:
        return
    # one horizontal container rather than st.columns(2): a column adds two layout
    # blocks, and every block costs the browser a little on each slider move
    with st.container(horizontal=True, gap="small"):
        for label, which in (("Blog defaults", "blog"), ("Paper values", "paper")):
            st.button(
                label,
                on_click=state.set_params,
                args=(spec, which),
                key=f"reset-{which}-{spec.key}",
                width="stretch",
                help=format_params(spec.defaults(which)),
            )
