"""Make sure every page runs inside app.py's navigation.

Streamlit still has a legacy mode for apps with a ``pages/`` folder: on the
first request after the server starts, a link straight to a page (say
``/tversky``) runs ``pages/tversky.py`` on its own, without ``app.py``, so
the page config, the top navigation and the TensorFlow warm-up are missing.
That mode switches off for good once ``st.navigation`` has run. A page that
finds itself in that mode switches it off and reruns; the rerun goes through
``app.py``, which resolves the same URL path to the same page.

It also holds what the server process needs once, before the first run ends
(``install_server_hooks``, called by ``app.py``).

Still needed with Streamlit 1.67: its ``PagesManager`` turns the legacy mode on
whenever a ``pages/`` folder sits next to the entry point, and ``pages/`` is
where this project keeps its pages.
"""

from __future__ import annotations

import logging
import sys

import streamlit as st


def ensure_entry_point() -> None:
    install_server_hooks()  # the first run after a start may come here before app.py
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a future Streamlit without the legacy mode
        return
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


# --------------------------------------------------------------------------- the server process
def _clean_matplotlib_only() -> None:
    """What Streamlit's after-run clean-up does, less Keras: close pyplot figures."""
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        try:
            plt.close("all")
        except Exception:  # noqa: BLE001 - as Streamlit's own: never fail a run over it
            pass


#: Streamlit's own after-run clean-up, as it was before :func:`skip_keras_clean_up`.
STREAMLIT_CLEAN_UP: list = []


def skip_keras_clean_up() -> bool:
    """Stop Streamlit calling ``keras.backend.clear_session()`` after every script run.

    Streamlit does it once Keras is imported (TensorFlow imports it), in every session's
    thread, fragment runs included; it ends with a full ``gc.collect()`` holding the GIL,
    so every session waits while one session's run is cleaned up (a third of the server's
    time with a class moving sliders, more with every model the server holds). The pages
    build no Keras models: the losses are plain functions, and training keeps its own
    Keras state in its own run. Resetting Keras's global state from another session's
    thread mid-training would only be harmful. Returns False when this Streamlit has no
    such hook (then there is nothing to skip; tests/test_server_hooks.py notices).
    """
    try:
        from streamlit.runtime.scriptrunner import script_runner
    except ImportError:
        return False
    if not hasattr(script_runner, "_clean_problem_modules"):
        return False
    if script_runner._clean_problem_modules is not _clean_matplotlib_only:
        STREAMLIT_CLEAN_UP[:] = [script_runner._clean_problem_modules]  # for the test
    script_runner._clean_problem_modules = _clean_matplotlib_only
    return True


class _CutOffRequests(logging.Filter):
    """One calm line instead of a traceback when a browser goes away mid-request.

    uvicorn logs "Exception in ASGI application" with Starlette's whole stack when the
    client disconnects before an upload's body has arrived (``ClientDisconnect``, raised
    while Streamlit parses the form). In a classroom that is a closed laptop or a lost
    Wi-Fi, not a fault, and nothing of it is kept.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if type(exc).__name__ == "ClientDisconnect":
            record.msg = "A browser went away in the middle of a request (an upload, say)."
            record.args, record.exc_info, record.exc_text = (), None, None
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True


def quiet_cut_off_requests() -> bool:
    """Put :class:`_CutOffRequests` on uvicorn's error log (Streamlit's server), once."""
    server_log = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _CutOffRequests) for f in server_log.filters):
        server_log.addFilter(_CutOffRequests())
    return True


_installed: list[bool] = []


def install_server_hooks() -> None:
    """Once per server process: the changes above to how Streamlit runs every session."""
    if _installed:
        return
    _installed.append(skip_keras_clean_up())
    _installed.append(quiet_cut_off_requests())
