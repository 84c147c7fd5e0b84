"""One way to fail on a page: a clear message in place of the part that failed."""

from __future__ import annotations

import contextlib

import streamlit as st

from ..i18n import t


@contextlib.contextmanager
def guard(what: str):
    """Show an error box instead of a traceback when a part of a page cannot be drawn.

    ``what`` names the part in the page's language, as a phrase that completes
    "Could not ..." (``t("compare.guard.values")``: "compute the losses on these
    masks" / "이 마스크에서 손실 계산"). The rest of the page goes on; the message
    says which part failed and why, in the words of the exception (our own code
    raises ValueErrors that say what to do instead).
    """
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - the page must survive any bad state
        st.error(t("common.could_not", what=what, error=str(exc)), icon=":material/error:")
