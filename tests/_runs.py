"""Made-up training runs with chosen counts, for the tests of what the app says about runs."""

from __future__ import annotations

import numpy as np

from trainlab.train import RunResult, TrainConfig, mask_metrics


def fake_run(loss: str, tp: int, fp: int, fn: int, found: float, params=None) -> RunResult:
    n = 64 * 64 * 16
    m = mask_metrics(np.zeros(1), np.zeros(1))  # template keys
    m.update(
        tp=tp,
        fp=fp,
        fn=fn,
        dice=2 * tp / max(2 * tp + fp + fn, 1),
        iou=tp / max(tp + fp + fn, 1),
        precision=tp / (tp + fp) if tp + fp else 0.0,
        recall=tp / (tp + fn) if tp + fn else 0.0,
        pred_fraction=(tp + fp) / n,
        true_fraction=(tp + fn) / n,
        objects_found=found,
        n_objects=40,
    )
    cfg = TrainConfig(loss=loss, params=params or {})
    return RunResult(config=cfg, history={"epoch": [0, 1]}, final=m)
