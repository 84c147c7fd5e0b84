"""Make sure every page runs inside app.py's navigation.

Streamlit still has a legacy mode for apps with a ``pages/`` folder: on the
first request after the server starts, a link straight to a page (say
``/tversky``) runs ``pages/tversky.py`` on its own, without ``app.py``, so
the page config, the top navigation and the TensorFlow warm-up are missing.
That mode switches off for good once ``st.navigation`` has run. A page that
finds itself in that mode switches it off and reruns; the rerun goes through
``app.py``, which resolves the same URL path to the same page.

Still needed with Streamlit 1.67: its ``PagesManager`` turns the legacy mode on
whenever a ``pages/`` folder sits next to the entry point, and ``pages/`` is
where this project keeps its pages.
"""

from __future__ import annotations

import streamlit as st


def ensure_entry_point() -> None:
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a future Streamlit without the legacy mode
        return
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
