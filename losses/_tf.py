"""Import TensorFlow quietly, once.

TensorFlow prints several lines of C++ start-up logging (oneDNN notices, CPU
feature hints, CUDA probes) that mean nothing to a learner. They are silenced
here, before the first import, unless the user already chose a log level.
"""

from __future__ import annotations

import logging
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")


def _import_tensorflow_quietly():
    """Import TensorFlow with the C++ start-up lines kept off the terminal.

    A few lines (the oneDNN notice among them) are printed by native code
    before TensorFlow reads TF_CPP_MIN_LOG_LEVEL, so the process's stderr is
    pointed at /dev/null for the duration of the import only. Python errors
    are unaffected: an ImportError is raised as usual after stderr is back.
    Set SEGLOSS_TF_VERBOSE=1 to see everything.
    """
    if os.environ.get("SEGLOSS_TF_VERBOSE") == "1":
        import tensorflow

        return tensorflow
    import sys

    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no real file descriptor (some notebooks)
        import tensorflow

        return tensorflow
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        import tensorflow
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
    return tensorflow


tf = _import_tensorflow_quietly()

tf.get_logger().setLevel(logging.ERROR)
logging.getLogger("absl").setLevel(logging.ERROR)

import keras  # noqa: E402

__all__ = ["tf", "keras"]
