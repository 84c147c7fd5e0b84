"""Keep the server quick: import TensorFlow early, keep garbage collection short.

``warm_up_tensorflow`` imports TensorFlow in the background once per server,
off the main path. It lives in a module rather than in ``app.py`` because
``app.py`` runs again on every full rerun, and decorating a function with
``st.cache_resource`` hashes its source code: with TensorFlow loaded,
``inspect`` looking the source up among thousands of modules cost some 40 ms
per rerun.

``settle_garbage`` was written because Streamlit calls ``keras.backend.clear_session()``
after every script run, fragment runs included, whenever Keras is imported (and
TensorFlow imports it). That runs a full garbage collection while holding the
GIL, so the messages of the run just finished wait for it before they leave for
the browser. ``ui/runtime/boot.py`` now stops that call; freezing still keeps
Python's own full collections (every so many allocations) short. A full collection walks every object that is not frozen: after the
first page has imported plotly's validators and filled the line cache, that was
about 15,000 objects and 4-8 ms per slider move. Freezing what a full page run
leaves alive brings it under 1 ms.
"""

from __future__ import annotations

import gc
import importlib
import threading

import streamlit as st

_full_runs = 0


@st.cache_resource(show_spinner=False)
def warm_up_tensorflow() -> threading.Thread:
    """Start importing the TensorFlow side of `losses`; return the thread doing it."""

    def work() -> None:
        for name in ("losses.core", "teaching.analysis", "losses.keras_losses"):
            importlib.import_module(name)
        # TensorFlow brings some 400,000 long-lived objects. Freezing what
        # exists now keeps any later full garbage collection short.
        gc.freeze()

    thread = threading.Thread(target=work, name="tf-warm-up", daemon=True)
    thread.start()
    _started["thread"] = thread
    return thread


def wait_for_tensorflow(timeout: float = 120.0) -> None:
    """Block until the background import of TensorFlow has finished (if one was started).

    A page that computes with TensorFlow must not import it while the warm-up thread is
    still doing so: two threads importing the package's submodules at once can see a
    half-initialised module (``dataset_ops has no attribute 'DatasetV2'``). Joining the
    thread first makes the page's own import a dictionary lookup.
    """
    thread = _started.get("thread")
    if thread is not None and thread.is_alive():
        thread.join(timeout)


_started: dict = {}


def settle_garbage() -> bool:
    """After a full page run: freeze what is alive now, on runs 1, 2, 4, 8, ...

    Returns True when it froze. Frozen objects are never examined by the
    garbage collector again; those that die later are still freed by
    reference counting, only reference cycles among them would stay. Freezing
    on ever sparser runs catches the modules that later pages import (the
    training lab, the compare page) while a long session freezes a few dozen
    times at most.
    """
    global _full_runs
    # sessions run in their own threads; a lost increment only moves one freeze
    _full_runs += 1
    if _full_runs & (_full_runs - 1):
        return False
    gc.collect()
    gc.freeze()
    return True
