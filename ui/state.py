"""Parameter state shared by sliders, pages and the URL.

Slider values live in ``st.session_state`` under ``param:<loss>:<name>``, so
they survive page changes. The current page's values are mirrored into the
URL query string (``?alpha=0.3&beta=0.7``) so a teacher can share a link that
opens with the same settings; values from a link are clamped into range.
"""

from __future__ import annotations

import streamlit as st

from teaching.registry import LossSpec


def param_key(spec: LossSpec, name: str) -> str:
    return f"param:{spec.key}:{name}"


def init_params(spec: LossSpec) -> None:
    """Seed each slider once: from the URL if it names the value, else the blog's default."""
    qp = st.query_params
    for p in spec.params:
        k = param_key(spec, p.name)
        if k in st.session_state:
            continue
        value = p.blog
        raw = qp.get(p.name)
        if raw is not None:
            try:
                value = p.clamp(raw)
            except ValueError:
                st.toast(f"Ignored {p.name}={raw!r} from the link: not a valid value.")
        st.session_state[k] = value


def current_params(spec: LossSpec) -> dict:
    out = {}
    for p in spec.params:
        value = st.session_state[param_key(spec, p.name)]
        out[p.name] = bool(value) if p.kind == "bool" else float(value)
    return out


def set_params(spec: LossSpec, which: str) -> None:
    """Button callback: reset every slider to the blog's or the paper's values."""
    for name, value in spec.defaults(which).items():
        st.session_state[param_key(spec, name)] = value


def sync_url(spec: LossSpec, params: dict) -> None:
    """Write the current values into the query string (only when they changed)."""
    want = {}
    for name, value in params.items():
        if isinstance(value, bool):
            want[name] = "1" if value else "0"
        else:
            want[name] = f"{value:g}"
    qp = st.query_params
    if any(qp.get(k) != v for k, v in want.items()):
        qp.update(want)
