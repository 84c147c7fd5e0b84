"""The Keras code a loss page hands out: a snippet to read, and a whole script to run.

Both hold exactly the page's settings. The code is the same in every language; only its
comments come from the catalogs (``views.code.*``).
"""

from __future__ import annotations

from teaching.registry import LossSpec, format_params

from ..i18n import t


def keras_snippet(spec: LossSpec, values: dict) -> str:
    """The lines that matter: compile with the loss, or call its function on two arrays."""
    args = format_params(values)
    return f"""import keras
from losses import {spec.keras_class}, {spec.function}  # {t("views.code.comment_import")}

# {t("views.code.comment_training")}
model.compile(
    optimizer="adam",
    loss={spec.keras_class}({args}),
    metrics=[keras.metrics.BinaryIoU(target_class_ids=[1])],
)

# {t("views.code.comment_function")}
value = {spec.function}(y_true, y_pred{", " + args if args else ""})
"""


def training_script(spec: LossSpec, values: dict) -> str:
    """A script that runs as it is beside a copy of ``losses/``: toy data, a small model,
    two epochs with this loss, and the loss of the trained model's predictions."""
    args = format_params(values)
    call_args = ", " + args if args else ""
    return f'''"""{spec.keras_class}({args}): {t("views.code.script_doc")}"""

import numpy as np

import keras
from losses import {spec.keras_class}, {spec.function}  # {t("views.code.comment_import")}

# {t("views.code.comment_data")}
rng = np.random.default_rng(0)
y = np.zeros((64, 32, 32, 1), "float32")
for i, (r, c) in enumerate(rng.integers(2, 22, size=(64, 2))):
    y[i, r : r + 8, c : c + 8] = 1.0
x = (y + rng.normal(0.0, 0.3, y.shape)).astype("float32")

model = keras.Sequential(
    [
        keras.Input((32, 32, 1)),
        keras.layers.Conv2D(8, 3, padding="same", activation="relu"),
        keras.layers.Conv2D(1, 1, activation="sigmoid"),
    ]
)
# {t("views.code.comment_training")}
model.compile(
    optimizer="adam",
    loss={spec.keras_class}({args}),
    metrics=[keras.metrics.BinaryIoU(target_class_ids=[1])],
)
model.fit(x, y, epochs=2, batch_size=16, verbose=2)

# {t("views.code.comment_function")}
value = {spec.function}(y, model.predict(x, verbose=0){call_args})
print("{spec.function} loss after training:", round(float(value), 4))
'''
