"""Show the number first, then redraw the figures.

A loss page has two fragments on its right-hand side: a small one with the
sliders and the loss value, and a larger one with the views of figures and the
formula. A slider move reruns only the small one, so the browser has little to
render before the new value appears. That run ends by mounting a tiny
JavaScript component that carries a token of the new state; once the browser
has shown the value, the component fires, and its callback reruns the figures
fragment by its key (``st.rerun(<key>)``). The figures therefore follow one
round trip later, and never hold the number back.

A full run (a new mask, a page change) draws both fragments in the same run,
so the component is not mounted then.
"""

from __future__ import annotations

import functools

import streamlit as st
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.scriptrunner import get_script_run_ctx

# One shared map per browser tab: the last token sent for each page, so a
# re-render of the same state never asks twice.
_JS = """
const lastSent = new Map();
export default function ({ data, setTriggerValue }) {
  if (!data || lastSent.get(data.page) === data.token) return;
  lastSent.set(data.page, data.token);
  setTriggerValue("go", data.token);
}
"""

_DRAWN = "_segloss_drawn:"


def figures_key(page: str) -> str:
    """The key of a page's figures fragment."""
    return f"figures-{page}"


def _trigger_key(page: str) -> str:
    """The widget key of a page's redraw component."""
    return f"_segloss_redraw_{page}"


@functools.cache
def _component():
    return st.components.v2.component("segloss_redraw", js=_JS)


def _in_fragment_run() -> bool:
    ctx = get_script_run_ctx()
    return bool(ctx is not None and ctx.fragment_ids_this_run)


def mark_drawn(page: str, token: str) -> None:
    """Called by the figures fragment: the figures now show ``token``."""
    st.session_state[_DRAWN + page] = token


def _redraw(page: str) -> None:
    token = st.session_state.get(_trigger_key(page))
    token = getattr(token, "go", None) if token is not None else None
    if token is not None and st.session_state.get(_DRAWN + page) == token:
        return  # already drawn (a repeated event): let the value fragment rerun cheaply
    try:
        st.rerun(figures_key(page))
    except StreamlitAPIException:
        st.rerun()  # the figures fragment is gone (a page change): redraw everything


def request(page: str, token: str) -> None:
    """Ask for the figures of ``page`` to be redrawn for ``token`` once the value shows.

    Does nothing in a full run (the figures fragment runs right after) or when
    the figures already show this token.
    """
    if not _in_fragment_run() or st.session_state.get(_DRAWN + page) == token:
        return
    _component()(
        key=_trigger_key(page),
        data={"page": page, "token": token},
        height=0,
        on_go_change=functools.partial(_redraw, page),
    )
