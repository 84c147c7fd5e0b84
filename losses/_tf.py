"""Import TensorFlow and Keras quietly, once, and change nothing else.

TensorFlow prints several lines of C++ start-up logging (oneDNN notices, CPU
feature hints, CUDA probes) that mean nothing to someone computing a loss.
They are kept off the terminal during the import only: the log level is
raised and the process's stderr is pointed at /dev/null while TensorFlow
loads, then both are put back exactly as they were. Importing this package
therefore leaves ``os.environ`` unchanged: it never chooses a device
(``CUDA_VISIBLE_DEVICES``) or a Keras backend (``KERAS_BACKEND``) for the
script that imports it. Set ``SEGLOSS_TF_VERBOSE=1`` to see everything.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys

_LOG_LEVEL = "TF_CPP_MIN_LOG_LEVEL"


@contextlib.contextmanager
def _quiet_native_logging():
    """Raise TensorFlow's C++ log level and mute fd 2 for the block; restore both after.

    A few lines (the oneDNN notice among them) are written by native code
    before TensorFlow reads its log level, so muting the variable is not
    enough. Python errors are unaffected: an ImportError still propagates,
    after stderr is back.
    """
    saved_level = os.environ.get(_LOG_LEVEL)
    if saved_level is None:
        os.environ[_LOG_LEVEL] = "3"
    saved_fd = devnull = None
    try:
        sys.stderr.flush()
        saved_fd = os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
    except (OSError, ValueError):  # no real file descriptor 2 (some notebooks)
        saved_fd = None
    try:
        yield
    finally:
        if saved_fd is not None:
            os.dup2(saved_fd, 2)
            os.close(saved_fd)
        if devnull is not None:
            os.close(devnull)
        if saved_level is None:
            os.environ.pop(_LOG_LEVEL, None)


def _import_tensorflow():
    if os.environ.get("SEGLOSS_TF_VERBOSE") == "1":
        import tensorflow

        return tensorflow
    with _quiet_native_logging():
        import tensorflow
    return tensorflow


tf = _import_tensorflow()
tf.get_logger().setLevel(logging.ERROR)
logging.getLogger("absl").setLevel(logging.ERROR)

import keras  # noqa: E402

__all__ = ["tf", "keras"]
