"""Import TensorFlow quietly, once.

TensorFlow prints several lines of C++ start-up logging (oneDNN notices, CPU
feature hints, CUDA probes) that mean nothing to a learner. They are silenced
here, before the first import, unless the user already chose a log level.
"""

from __future__ import annotations

import logging
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import tensorflow as tf  # noqa: E402

tf.get_logger().setLevel(logging.ERROR)
logging.getLogger("absl").setLevel(logging.ERROR)

import keras  # noqa: E402

__all__ = ["tf", "keras"]
