"""Import TensorFlow and Keras quietly, once, and leave the environment as it was.

TensorFlow prints several lines of C++ start-up logging (oneDNN notices, CPU
feature hints, CUDA probes) that mean nothing to someone computing a loss.
They are kept off the terminal during the import only: the log level is
raised and the process's stderr is pointed at /dev/null while TensorFlow
loads, then stderr is put back.

Importing this package leaves ``os.environ`` exactly as it found it. It never
chooses a device (``CUDA_VISIBLE_DEVICES``) or a Keras backend
(``KERAS_BACKEND``) for the script that imports it, and it also takes back
the variables TensorFlow's own import sets for itself (``TF2_BEHAVIOR``,
``ENABLE_RUNTIME_UPTIME_TELEMETRY``, ``TPU_ML_PLATFORM``,
``TPU_ML_PLATFORM_VERSION``, and ``HDF5_PLUGIN_PATH``, which TensorFlow sets
just before it loads h5py). Each is read while TensorFlow loads: HDF5, for
one, reads its plugin path when h5py starts, so the plugin lock-out
TensorFlow asked for stays in force in this process after the variable is
gone. If TensorFlow was imported before this package, nothing here runs
again and nothing changes. Set ``SEGLOSS_TF_VERBOSE=1`` to see TensorFlow's
start-up messages.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys

_LOG_LEVEL = "TF_CPP_MIN_LOG_LEVEL"


@contextlib.contextmanager
def _environment_kept():
    """Put ``os.environ`` back exactly as it was (added keys removed, changed ones reset)."""
    saved = dict(os.environ)
    try:
        yield
    finally:
        for key in set(os.environ) - set(saved):
            del os.environ[key]
        for key, value in saved.items():
            if os.environ.get(key) != value:
                os.environ[key] = value


@contextlib.contextmanager
def _quiet_native_logging():
    """Raise TensorFlow's C++ log level and mute fd 2 for the block; restore stderr after.

    A few lines (the oneDNN notice among them) are written by native code
    before TensorFlow reads its log level, so muting the variable is not
    enough. Python errors are unaffected: an ImportError still propagates,
    after stderr is back. The log level variable itself is put back by
    :func:`_environment_kept`.
    """
    os.environ.setdefault(_LOG_LEVEL, "3")
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


def _import_tensorflow_and_keras():
    verbose = os.environ.get("SEGLOSS_TF_VERBOSE") == "1"
    with _environment_kept():
        with contextlib.nullcontext() if verbose else _quiet_native_logging():
            import tensorflow
        import keras
    return tensorflow, keras


tf, keras = _import_tensorflow_and_keras()
tf.get_logger().setLevel(logging.ERROR)
logging.getLogger("absl").setLevel(logging.ERROR)

__all__ = ["tf", "keras"]
