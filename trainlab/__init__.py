"""The training lab: a synthetic segmentation task, a small U-Net and a training loop.

Pure TensorFlow and numpy (no Streamlit, no plotting), so a script can use it::

    from trainlab import TrainConfig, train
    run = train(TrainConfig(loss="dice", epochs=15, seed=0))
    print(run.final["dice"], run.final["precision"], run.final["recall"])

Modules: :mod:`trainlab.data` (the generator), :mod:`trainlab.settings` (a
run's settings and their checks), :mod:`trainlab.results` (metrics, a run's
record, how it behaved), :mod:`trainlab.model` (the U-Net), :mod:`trainlab.train`
(training) and :mod:`trainlab.pool` (training in worker processes, for a
server). It uses only the public names of the ``losses`` package: ``make_loss``
and ``KERAS_CLASSES``.

Importing the package does not import Keras: ``train``, ``build_unet`` and
``count_weights`` load :mod:`trainlab.train` on first use, so a server can
read settings and results while every model is built in a worker process.

Speed: TensorFlow's oneDNN kernels make the small convolutions here about
three times faster on a CPU. TensorFlow turns them on by default unless
``TF_ENABLE_ONEDNN_OPTS=0`` is set; :func:`onednn_enabled` tells which, and
the benchmark prints it.
"""

from __future__ import annotations

import importlib
import os

from .data import Split, Task, make_split, make_task
from .results import RunResult, behaviour, mask_metrics
from .settings import TrainConfig

#: Names that need Keras, and the module that holds each (imported on first use).
_LAZY = {"train": "train", "build_unet": "model", "count_weights": "model"}

__all__ = [
    "RunResult",
    "Split",
    "Task",
    "TrainConfig",
    "behaviour",
    "build_unet",
    "count_weights",
    "make_split",
    "make_task",
    "mask_metrics",
    "train",
]


def onednn_enabled() -> bool:
    """Whether this process's TensorFlow runs the oneDNN kernels."""
    try:
        from tensorflow.python.util import _pywrap_util_port

        return bool(_pywrap_util_port.IsMklEnabled())
    except Exception:  # private API; absent in some builds
        return os.environ.get("TF_ENABLE_ONEDNN_OPTS", "") not in ("0", "false", "False")


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
