"""One way to fail on a page: a clear message in place of the part that failed."""

from __future__ import annotations

import contextlib

import streamlit as st


@contextlib.contextmanager
def guard(what: str):
    """Show an error box instead of a traceback when a part of a page cannot be drawn.

    The rest of the page goes on; the message says which part failed and why,
    in the words of the exception (our own code raises ValueErrors that say
    what to do instead).
    """
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - the page must survive any bad state
        st.error(f"Could not {what}: {exc}", icon=":material/error:")
