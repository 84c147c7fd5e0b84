"""Every loss on the same masks, candidates and object sizes: where the losses disagree."""

from __future__ import annotations

import itertools

import numpy as np

from losses import core
from losses._tf import tf
from losses.validation import EPSILON, check_pair, check_param

from ._common import vector
from .analysis import fill_params, rows_fn
from .registry import ALL_KEYS
from .registry import get as get_spec

#: Foreground fractions of the imbalance sweep: from half the image to 0.1 %.
DEFAULT_FRACTIONS = (0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001)


def _filled(keys, params_by_key) -> dict[str, dict]:
    params_by_key = params_by_key or {}
    unknown = set(params_by_key) - set(keys)
    if unknown:
        raise ValueError(f"params_by_key names unknown loss(es) {sorted(unknown)}.")
    return {k: fill_params(k, dict(params_by_key.get(k, {}))) for k in keys}


def compare_losses(y_true, y_pred, params_by_key: dict | None = None, keys=ALL_KEYS) -> dict:
    """All losses (and BCE) of the same prediction, raw and on one shared scale.

    Raw values live on different scales (Combo can be negative, BCE is
    unbounded, Dice is in [0, 1]). To put them side by side each loss is also
    given *relative to a know-nothing prediction*:

        relative = (L(y_pred) - L(perfect)) / (L(all 0.5) - L(perfect))

    where "perfect" predicts y_true itself and "all 0.5" says 0.5 everywhere.
    0 means perfect, 1 means no better than knowing nothing, above 1 worse
    than that. For losses whose perfect value is 0 this is simply
    L / L(all 0.5); subtracting L(perfect) keeps Combo (perfect value
    -(1 - ce_ratio)) on the same footing. The three predictions of each loss
    are evaluated in one call.

    Args:
        y_true: ground truth in [0, 1], any shape.
        y_pred: predicted probabilities, same shape.
        params_by_key: ``{loss key: {param: value}}``; missing ones take the
            registry's blog defaults (focal also accepts ``class_balanced``).
        keys: which losses, default :data:`teaching.registry.ALL_KEYS`.

    Returns:
        ``{"keys": [..], "titles": {k: str}, "params": {k: dict}, "raw": {k: float},
        "perfect": {k: float}, "know_nothing": {k: float}, "relative": {k: float}}``
        (``relative`` is NaN if a loss cannot tell perfect from know-nothing).
    """
    keys = list(keys)
    prm = _filled(keys, params_by_key)
    t0, p0 = check_pair(y_true, y_pred)
    t = tf.reshape(t0, [1, -1])
    p = tf.reshape(p0, [1, -1])
    stack = tf.concat([p, t, tf.fill(tf.shape(p), 0.5)], axis=0)  # (3, N)
    out = {
        "keys": keys,
        "titles": {k: get_spec(k).title for k in keys},
        "params": prm,
        "raw": {},
        "perfect": {},
        "know_nothing": {},
        "relative": {},
    }
    for k in keys:
        cur, best, half = (float(v) for v in rows_fn(k)(t, stack, **prm[k]).numpy())
        out["raw"][k] = cur
        out["perfect"][k] = best
        out["know_nothing"][k] = half
        span = half - best
        out["relative"][k] = (cur - best) / span if abs(span) > 1e-12 else float("nan")
    return out


def rank_candidates(
    y_true, candidates: dict, params_by_key: dict | None = None, keys=ALL_KEYS
) -> dict:
    """Rank several candidate predictions by each loss and flag where the losses disagree.

    All candidates are stacked as rows and scored in one call per loss. Rank
    1 is the lowest loss; candidates whose values differ by less than 1e-6
    (relative, plus 1e-7 absolute) share a rank, so float32 noise does not
    invent a disagreement.

    Args:
        y_true: ground truth in [0, 1], any shape.
        candidates: ``{name: prediction}``, each the shape of ``y_true``; at least two.
        params_by_key: as in :func:`compare_losses`.
        keys: which losses, default :data:`teaching.registry.ALL_KEYS`.

    Returns:
        ``{"names": [..], "keys": [..], "values": {k: {name: float}},
        "ranks": {k: {name: int}}, "order": {k: [names, best first]},
        "best": {k: name}, "disagree": bool, "disagree_best": bool,
        "conflicts": [{"a", "b", "prefer_a": [keys], "prefer_b": [keys],
        "tie": [keys]}]}``. ``disagree`` is True when the losses do not all give
        the same ranking, ``disagree_best`` when they do not all put the same
        candidate first, and ``conflicts`` lists each pair of candidates that
        some losses prefer one way and others the other way.
    """
    names = list(candidates)
    if len(names) < 2:
        raise ValueError("rank_candidates needs at least two candidates.")
    keys = list(keys)
    prm = _filled(keys, params_by_key)
    preds = []
    for name in names:
        t0, p0 = check_pair(y_true, candidates[name])
        preds.append(tf.reshape(p0, [-1]))
    t = tf.reshape(t0, [1, -1])
    stack = tf.stack(preds)  # (C, N)
    values, ranks, order, best = {}, {}, {}, {}
    for k in keys:
        v = rows_fn(k)(t, stack, **prm[k]).numpy().astype(float)
        tol = 1e-6 * np.maximum(np.abs(v), 1.0) + 1e-7
        beats = v[None, :] < v[:, None] - tol[:, None]  # beats[i, j]: j strictly better than i
        r = 1 + beats.sum(axis=1)
        values[k] = dict(zip(names, v.tolist(), strict=True))
        ranks[k] = {n: int(x) for n, x in zip(names, r, strict=True)}
        order[k] = [names[i] for i in np.lexsort((np.arange(len(names)), r))]
        best[k] = order[k][0]
    rank_rows = {tuple(ranks[k][n] for n in names) for k in keys}
    conflicts = []
    for a, b in itertools.combinations(names, 2):
        prefer_a = [k for k in keys if ranks[k][a] < ranks[k][b]]
        prefer_b = [k for k in keys if ranks[k][b] < ranks[k][a]]
        if prefer_a and prefer_b:
            tie = [k for k in keys if ranks[k][a] == ranks[k][b]]
            conflicts.append(
                {"a": a, "b": b, "prefer_a": prefer_a, "prefer_b": prefer_b, "tie": tie}
            )
    best_sets = {frozenset(n for n in names if ranks[k][n] == 1) for k in keys}
    return {
        "names": names,
        "keys": keys,
        "values": values,
        "ranks": ranks,
        "order": order,
        "best": best,
        "disagree": len(rank_rows) > 1,
        "disagree_best": len(best_sets) > 1,
        "conflicts": conflicts,
    }


def imbalance_masks(
    fractions,
    relative_error: float = 0.2,
    size: int = 256,
    shape: str = "disk",
    confidence: float = 0.9,
) -> dict:
    """Objects of shrinking size, each predicted with the same relative error.

    For each foreground fraction f the object has A = round(f size^2) pixels
    (at least 1): the A pixels nearest the image centre ("disk": Euclidean
    distance; "square": the larger of the two axis distances; ties broken in
    raster order), so the area is exact. The prediction misses the
    k = round(relative_error A) rightmost object pixels (false negatives) and
    adds k background pixels hugging the right side of the object (false
    positives), as if the object were shifted a little to the right. So the
    error is the same share of the object at every size.

    Prediction levels: ``confidence`` on predicted-object pixels (true and
    false positives), 1 - confidence on the missed pixels, and 0 on the rest
    of the background, so the background adds nothing to the soft counts and
    every count scales with A. With confidence 1 the prediction is binary
    (then the BCE and focal gradients on missed pixels come from the 1e-7
    clip, so prefer confidence < 1 for gradients).

    Args:
        fractions: foreground fractions in (0, 0.5], shape (F,).
        relative_error: k / A, in [0, 0.5].
        size: image side in pixels (>= 8).
        shape: ``"disk"`` or ``"square"``.
        confidence: in (0.5, 1].

    Returns:
        ``{"y_true": (F, size, size), "y_pred": (F, size, size)`` (float32),
        ``"object_pixels", "fn_pixels", "fp_pixels"`` (F,) ints and
        ``"fraction"`` (F,) the actual foreground fraction.
    """
    f = vector("fractions", fractions, 0.0, 0.5)
    if np.any(f <= 0):
        raise ValueError("fractions must be > 0.")
    relative_error = check_param("relative_error", relative_error, 0.0, 0.5)
    confidence = check_param("confidence", confidence, 0.5, 1.0)
    if confidence == 0.5:
        raise ValueError("confidence must be > 0.5 (0.5 would not be a prediction).")
    if isinstance(size, bool) or int(size) != size or size < 8:
        raise ValueError(f"size must be a whole number >= 8, got {size!r}.")
    if shape not in ("disk", "square"):
        raise ValueError(f"shape must be 'disk' or 'square', got {shape!r}.")
    size = int(size)
    n = size * size
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float64)
    c = (size - 1) / 2.0
    dy, dx = (yy - c).ravel(), (xx - c).ravel()
    dist = np.hypot(dx, dy) if shape == "disk" else np.maximum(np.abs(dx), np.abs(dy))
    idx = np.arange(n)
    rank = np.empty(n, dtype=np.int64)
    rank[np.lexsort((idx, dist))] = idx  # position of each pixel in the centre-out order
    area = np.maximum(1, np.rint(f.astype(np.float64) * n)).astype(np.int64)  # (F,)
    k = np.rint(relative_error * area).astype(np.int64)
    obj = rank[None, :] < area[:, None]  # (F, N)
    # false negatives: the k rightmost object pixels (largest x, then farthest)
    fn_key = np.where(obj, -(dx * 1e6 + dist)[None, :], np.inf)
    fn_rank = np.argsort(np.argsort(fn_key, axis=1, kind="stable"), axis=1, kind="stable")
    fn = obj & (fn_rank < k[:, None])
    # false positives: background pixels nearest the centre, right half first
    fp_key = np.where(obj, np.inf, (dist + (dx <= 0) * 4.0 * n)[None, :])
    fp_rank = np.argsort(np.argsort(fp_key, axis=1, kind="stable"), axis=1, kind="stable")
    fp = ~obj & (fp_rank < k[:, None])
    t = obj.astype(np.float32)
    p = np.where(obj & ~fn, confidence, 0.0)
    p = np.where(fn, 1.0 - confidence, p)
    p = np.where(fp, confidence, p).astype(np.float32)
    return {
        "y_true": t.reshape(-1, size, size),
        "y_pred": p.reshape(-1, size, size),
        "object_pixels": area.astype(int),
        "fn_pixels": fn.sum(axis=1).astype(int),
        "fp_pixels": fp.sum(axis=1).astype(int),
        "fraction": area / n,
    }


def imbalance_sweep(
    fractions=DEFAULT_FRACTIONS,
    relative_error: float = 0.2,
    size: int = 256,
    shape: str = "disk",
    confidence: float = 0.9,
    params_by_key: dict | None = None,
    keys=ALL_KEYS,
) -> dict:
    """The same relative error on ever smaller objects: which losses notice the object shrink?

    Builds the masks of :func:`imbalance_masks` and evaluates every loss on
    all fractions at once (one row per fraction, per-row reduction), together
    with dL/dp from one ``tf.GradientTape`` per loss (each row's loss depends
    only on its own row, so the gradient of the sum is every row's gradient).
    As in :func:`teaching.analysis.gradient_map` the prediction is clipped to
    [1e-7, 1 - 1e-7] before differentiating. Pixel-averaged losses (BCE,
    Focal) shrink with the object and so do their gradients; region losses
    (Dice, IoU, Tversky) give the same value at every size and a gradient per
    foreground pixel that grows as the object shrinks.

    Args:
        fractions: foreground fractions in (0, 0.5], shape (F,).
        relative_error, size, shape, confidence: see :func:`imbalance_masks`.
        params_by_key: as in :func:`compare_losses`.
        keys: which losses, default :data:`teaching.registry.ALL_KEYS`.

    Returns:
        ``{"fraction": (F,) requested, "actual_fraction": (F,), "object_pixels",
        "fn_pixels", "fp_pixels": (F,) ints, "keys": [..], "titles": {k: str},
        "loss": {k: (F,)}, "grad_fg": {k: (F,)}, "grad_fg_ratio": {k: (F,)},
        "relative_error", "confidence"}``. ``grad_fg`` is the mean |dL/dp| over
        foreground pixels; ``grad_fg_ratio`` divides it by its value at the
        first fraction.
    """
    f = vector("fractions", fractions, 0.0, 0.5)
    masks = imbalance_masks(f, relative_error, size, shape, confidence)
    keys = list(keys)
    prm = _filled(keys, params_by_key)
    nf = len(f)
    t = tf.constant(masks["y_true"].reshape(nf, -1))
    p = tf.clip_by_value(tf.constant(masks["y_pred"].reshape(nf, -1)), EPSILON, 1.0 - EPSILON)
    fg_count = tf.reduce_sum(t, axis=-1)
    loss, grad_fg, ratio = {}, {}, {}
    for k in keys:
        fn = rows_fn(k)
        with tf.GradientTape() as tape:
            tape.watch(p)
            vals = fn(t, p, **prm[k])  # (F,)
            total = tf.reduce_sum(vals)
        g = tape.gradient(total, p)
        mean_g = (tf.reduce_sum(tf.abs(g) * t, axis=-1) / fg_count).numpy().astype(float)
        loss[k] = vals.numpy().astype(float)
        grad_fg[k] = mean_g
        ratio[k] = mean_g / mean_g[0] if mean_g[0] != 0 else np.full_like(mean_g, np.nan)
    return {
        "fraction": f.astype(float),
        "actual_fraction": masks["fraction"],
        "object_pixels": masks["object_pixels"],
        "fn_pixels": masks["fn_pixels"],
        "fp_pixels": masks["fp_pixels"],
        "keys": keys,
        "titles": {k: get_spec(k).title for k in keys},
        "loss": loss,
        "grad_fg": grad_fg,
        "grad_fg_ratio": ratio,
        "relative_error": relative_error,
        "confidence": confidence,
    }


def batch_vs_image_dice(
    size: int = 64,
    large_fraction: float = 0.25,
    small_fraction: float = 0.005,
    relative_error: float = 0.2,
    smooth: float = 1e-6,
) -> dict:
    """Why Dice changes with the batch: pooled (per-batch) against per-image Dice.

    A batch of two images, one with a large object and one with a tiny one
    (built as in :func:`imbalance_masks`, binary predictions, each missing
    ``relative_error`` of its object and adding as many false positives).
    Two cases: both objects predicted with that error, and the tiny object
    missed completely (its prediction all 0). Pooled Dice sums TP and areas
    over the whole batch, so the big object dominates and missing the tiny
    one barely moves it; per-image Dice scores each image and averages, so
    the miss costs half the batch. The same image therefore gets a different
    loss depending on what else is in its batch when Dice is pooled.

    Args:
        size: image side in pixels.
        large_fraction: foreground fraction of the large object, in (0, 0.5].
        small_fraction: foreground fraction of the tiny object, in (0, 0.5].
        relative_error: share of each object missed (and added as FP), in [0, 0.5].
        smooth: s >= 0 of the Dice loss.

    Returns:
        ``{"cases": ["both_predicted", "small_missed"], "pooled": (2,),
        "per_image": (2, 2) [case, image], "per_image_mean": (2,),
        "pooled_change": float, "per_image_change": float,
        "object_pixels": (2,) ints [large, small], "counts": (2, 2, 3) soft
        [TP, FP, FN] per case and image, "y_true": (2, size, size),
        "y_pred": (2, 2, size, size) [case, image]}``. The changes are
        small_missed minus both_predicted. ``pooled`` equals
        ``losses.dice(y_true, y_pred[c])`` and ``per_image_mean`` equals
        ``losses.dice(..., per_image=True)``.
    """
    smooth = check_param("smooth", smooth, 0.0)
    m = imbalance_masks([large_fraction, small_fraction], relative_error, size, "disk", 1.0)
    t_img = m["y_true"]  # (2, H, W)
    missed = m["y_pred"].copy()
    missed[1] = 0.0
    preds = np.stack([m["y_pred"], missed])  # (2 cases, 2 images, H, W)
    n = size * size
    t = tf.constant(np.tile(t_img.reshape(1, 2, n), (2, 1, 1)).reshape(4, n))
    p = tf.constant(preds.reshape(4, n))
    per_image = core.dice_rows(t, p, smooth).numpy().astype(float).reshape(2, 2)
    pooled = core.dice_rows(tf.reshape(t, [2, 2 * n]), tf.reshape(p, [2, 2 * n]), smooth)
    pooled = pooled.numpy().astype(float)
    tp, fp, fn, _ = core.counts_rows(t, p)
    counts = np.stack([x.numpy() for x in (tp, fp, fn)], axis=-1).astype(float).reshape(2, 2, 3)
    per_mean = per_image.mean(axis=1)
    return {
        "cases": ["both_predicted", "small_missed"],
        "pooled": pooled,
        "per_image": per_image,
        "per_image_mean": per_mean,
        "pooled_change": float(pooled[1] - pooled[0]),
        "per_image_change": float(per_mean[1] - per_mean[0]),
        "object_pixels": m["object_pixels"],
        "counts": counts,
        "y_true": t_img,
        "y_pred": preds,
    }
