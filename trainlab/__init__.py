"""The training lab: a synthetic segmentation task, a small U-Net and a training loop.

Pure TensorFlow and numpy (no Streamlit, no plotting), so a script can use it::

    from trainlab import TrainConfig, train
    run = train(TrainConfig(loss="dice", epochs=15, seed=0))
    print(run.final["dice"], run.final["precision"], run.final["recall"])

Modules: :mod:`trainlab.data` (the generator), :mod:`trainlab.model` (the
U-Net), :mod:`trainlab.train` (training, metrics, the "what to notice" text).

Speed: TensorFlow's oneDNN kernels make the small convolutions here about
three times faster on a CPU. ``losses._tf`` decides whether they are on (it
sets ``TF_ENABLE_ONEDNN_OPTS`` unless the environment already does);
:func:`onednn_enabled` tells which, and the benchmark prints it.
"""

from __future__ import annotations

import os

from .data import Split, Task, make_split, make_task
from .model import build_unet, count_weights
from .train import (
    RunResult,
    TrainConfig,
    describe_loss,
    mask_metrics,
    summarize,
    train,
)

__all__ = [
    "RunResult",
    "Split",
    "Task",
    "TrainConfig",
    "build_unet",
    "count_weights",
    "describe_loss",
    "make_split",
    "make_task",
    "mask_metrics",
    "summarize",
    "train",
]


def onednn_enabled() -> bool:
    """Whether this process's TensorFlow runs the oneDNN kernels."""
    try:
        from tensorflow.python.util import _pywrap_util_port

        return bool(_pywrap_util_port.IsMklEnabled())
    except Exception:  # private API; absent in some builds
        return os.environ.get("TF_ENABLE_ONEDNN_OPTS", "") not in ("0", "false", "False")
