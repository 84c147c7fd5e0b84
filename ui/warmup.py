"""Import TensorFlow in the background once per server, off the main path.

This lives in a module rather than in ``app.py`` because ``app.py`` runs again
on every full rerun, and decorating a function with ``st.cache_resource``
hashes its source code: with TensorFlow loaded, ``inspect`` looking the source
up among thousands of modules cost some 40 ms per rerun.
"""

from __future__ import annotations

import gc
import importlib
import threading

import streamlit as st


@st.cache_resource(show_spinner=False)
def warm_up_tensorflow() -> threading.Thread:
    """Start importing the TensorFlow side of `losses`; return the thread doing it."""

    def work() -> None:
        for name in ("losses.core", "losses.analysis", "losses.keras_losses"):
            importlib.import_module(name)
        # TensorFlow brings some 400,000 long-lived objects. Freezing what
        # exists now keeps any later full garbage collection short.
        gc.freeze()

    thread = threading.Thread(target=work, name="tf-warm-up", daemon=True)
    thread.start()
    return thread
