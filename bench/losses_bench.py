"""Speed of the ``losses`` package, as ratios against baselines measured in the same run.

(a) Training step. A small Keras segmentation model (three convolutions on
    64x64x1 inputs, batch 16) is trained with our DiceLoss, TverskyLoss and
    FocalLoss and with Keras's own Dice, Tversky and BinaryFocalCrossentropy,
    from the same initial weights on the same batch. After a warm-up, each
    round alternates single ``train_on_batch`` steps of ours and of Keras
    (ABAB, then BABA in the next round) so a burst of load from elsewhere
    hits both sides alike; the ratio ours / Keras is taken inside each round
    and the median over rounds is reported. Target: ours no slower than 1.1x.
    An informational row times the loss alone (value and gradient wrt the
    prediction in a ``tf.function``), where any overhead of ours would show
    undiluted by the convolutions.

(b) Analysis helpers. ``pixel_curve``, ``confidence_curve``, ``shift_curve``,
    ``param_curve`` and ``tversky_grid`` on a 256x256 mask pair, against the
    same values computed point by point in a Python loop that calls the public
    loss functions (the loop builds each scaled or shifted prediction itself).
    The pair is what the app feeds them: a 0/1 ground truth and an 8-bit
    prediction (value / 255, from the canvas, a preset or an upload).
    Target: at least 10x faster. Extra rows (no target) use a float32
    prediction whose 65536 pixels are all distinct, where a pixel-wise loss
    must evaluate every pixel of every variant and the gain is smaller.

    python bench/losses_bench.py            # full run (about two minutes)
    python bench/losses_bench.py --quick    # a few repetitions: proves it runs
    python bench/losses_bench.py --check    # exit 1 if a target fails
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import losses  # noqa: E402
from losses._tf import keras, tf  # noqa: E402
from teaching import analysis, registry  # noqa: E402
from teaching.keras_probe import keras_tversky_args  # noqa: E402

TRAIN_TARGET = 1.1  # ours / keras, at most
HELPER_TARGET = 10.0  # loop / batched, at least
LOSS_KEYS = registry.LOSS_KEYS


# --------------------------------------------------------------------------
# timing
# --------------------------------------------------------------------------
def _time(fn, number: int = 1) -> float:
    start = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - start) / number


def _median(values) -> float:
    return float(statistics.median(values))


# --------------------------------------------------------------------------
# (a) training step
# --------------------------------------------------------------------------
def _model():
    inputs = keras.Input((64, 64, 1))
    x = keras.layers.Conv2D(8, 3, padding="same", activation="relu")(inputs)
    x = keras.layers.Conv2D(8, 3, padding="same", activation="relu")(x)
    outputs = keras.layers.Conv2D(1, 1, activation="sigmoid")(x)
    return keras.Model(inputs, outputs)


def _train_pairs():
    tversky_kw = keras_tversky_args(0.3, 0.7)  # same FP / FN weights in both
    return [
        ("Dice", losses.DiceLoss(), keras.losses.Dice()),
        (
            "Tversky",
            losses.TverskyLoss(alpha=0.3, beta=0.7),
            keras.losses.Tversky(**tversky_kw),
        ),
        (
            "Focal",
            losses.FocalLoss(alpha=0.25, gamma=2.0, class_balanced=True),
            keras.losses.BinaryFocalCrossentropy(apply_class_balancing=True, alpha=0.25, gamma=2.0),
        ),
    ]


def bench_training(rounds: int, steps: int, warmup: int) -> list[dict]:
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.random((16, 64, 64, 1)).astype(np.float32)
    y = (x > 0.7).astype(np.float32)
    template = _model()
    weights = template.get_weights()

    models = {}
    for name, ours, theirs in _train_pairs():
        for side, loss in (("ours", ours), ("keras", theirs)):
            m = _model()
            m.set_weights(weights)
            m.compile(optimizer=keras.optimizers.SGD(0.01), loss=loss)
            for _ in range(warmup):
                m.train_on_batch(x, y)
            models[name, side] = m

    # Ours and Keras's step alternate one step at a time (ABAB in even rounds, BABA in
    # odd ones), so a burst of load from elsewhere on the machine hits both sides alike.
    names = [name for name, _, _ in _train_pairs()]
    times = {(n, s): [] for n in names for s in ("ours", "keras")}
    ratios = {n: [] for n in names}
    for r in range(rounds):
        for n in names[r % len(names) :] + names[: r % len(names)]:
            total = {"ours": 0.0, "keras": 0.0}
            for i in range(steps):
                sides = ("ours", "keras") if (r + i) % 2 == 0 else ("keras", "ours")
                for side in sides:
                    m = models[n, side]
                    total[side] += _time(lambda m=m: m.train_on_batch(x, y))
            for side in total:
                times[n, side].append(total[side] / steps)
            ratios[n].append(total["ours"] / total["keras"])
    rows = []
    for n in names:
        rows.append(
            {
                "what": f"train step, {n}",
                "ours_ms": 1e3 * _median(times[n, "ours"]),
                "base_ms": 1e3 * _median(times[n, "keras"]),
                "ratio": _median(ratios[n]),
                "target": f"<= {TRAIN_TARGET}",
                "ok": _median(ratios[n]) <= TRAIN_TARGET,
            }
        )
    return rows


def bench_loss_only(rounds: int, steps: int) -> list[dict]:
    """Value and gradient of the loss alone, compiled; informational."""
    rng = np.random.default_rng(1)
    y = tf.constant((rng.random((16, 64, 64, 1)) < 0.3).astype(np.float32))
    p = tf.constant(rng.random((16, 64, 64, 1)).astype(np.float32))
    fns = {}
    for name, ours, theirs in _train_pairs():
        for side, loss in (("ours", ours), ("keras", theirs)):

            @tf.function
            def step(loss=loss):
                with tf.GradientTape() as tape:
                    tape.watch(p)
                    value = loss(y, p)
                return value, tape.gradient(value, p)

            for _ in range(3):
                step()
            fns[name, side] = step
    rows = []
    for name, _, _ in _train_pairs():
        ratios, t_ours, t_keras = [], [], []
        for r in range(rounds):
            sides = ("ours", "keras") if r % 2 == 0 else ("keras", "ours")
            got = {s: _time(fns[name, s], steps) for s in sides}
            t_ours.append(got["ours"])
            t_keras.append(got["keras"])
            ratios.append(got["ours"] / got["keras"])
        rows.append(
            {
                "what": f"loss + gradient only, {name}",
                "ours_ms": 1e3 * _median(t_ours),
                "base_ms": 1e3 * _median(t_keras),
                "ratio": _median(ratios),
                "target": "(info)",
                "ok": None,
            }
        )
    return rows


# --------------------------------------------------------------------------
# (b) analysis helpers against a Python loop over the public functions
# --------------------------------------------------------------------------
def masks(kind: str = "8bit", size: int = 256):
    """A 0/1 blob and a prediction that is shifted, a little too large and noisy."""
    yy, xx = np.mgrid[:size, :size].astype(np.float32)
    c = size / 2
    t = (((yy - c) ** 2 + (xx - c + 10) ** 2) < (size / 5) ** 2).astype(np.float32)
    d = np.sqrt((yy - c + 8) ** 2 + (xx - c - 6) ** 2) - size / 4.5
    p = 1.0 / (1.0 + np.exp(d / 4.0))
    p = np.clip(p + 0.05 * np.random.default_rng(3).random(p.shape), 0.0, 1.0)
    if kind == "8bit":
        p = np.round(p * 255.0) / 255.0
    return t, p.astype(np.float32)


def _shifted(p, k):
    out = np.zeros_like(p)
    if k >= 0:
        out[:, k:] = p[:, : p.shape[1] - k]
    else:
        out[:, :k] = p[:, -k:]
    return out


def _fn(key):
    return getattr(losses, key)


def helper_cases(keys, kind: str, quick: bool = False):
    """(label, batched call, point-by-point loop) for each helper; the app's sizes."""
    t, p = masks(kind)
    probs = np.linspace(0.0, 1.0, 21 if quick else 201)
    levels = np.linspace(0.0, 1.0, 11 if quick else 41)
    shifts = list(range(-10, 11, 5)) if quick else list(range(-40, 41, 2))
    values = np.linspace(0.0, 1.0, 5 if quick else 21)
    grid = np.linspace(0.0, 1.0, 5 if quick else 21)
    peak = np.float32(p.max())
    cases = []
    for key in keys:
        f = _fn(key)
        if kind == "8bit":
            cases.append(
                (
                    f"pixel_curve {key} ({len(probs)} p)",
                    lambda key=key: analysis.pixel_curve(key, probs),
                    lambda f=f: [float(f([v], [q])) for q in probs for v in (1.0, 0.0)],
                )
            )
        cases.append(
            (
                f"confidence_curve {key} ({len(levels)})",
                lambda key=key: analysis.confidence_curve(key, t, p, levels),
                lambda f=f: [float(f(t, np.float32(c) * (p / peak))) for c in levels],
            )
        )
        if kind == "8bit":
            cases.append(
                (
                    f"shift_curve {key} ({len(shifts)})",
                    lambda key=key: analysis.shift_curve(key, t, p, shifts),
                    lambda f=f: [float(f(t, _shifted(p, k))) for k in shifts],
                )
            )
        spec = registry.get(key)
        for prm in spec.numeric_params:
            if kind != "8bit" and key not in ("focal", "combo"):
                continue
            vals = values * (prm.hi - prm.lo) + prm.lo
            cases.append(
                (
                    f"param_curve {key} {prm.name} ({len(values)})",
                    lambda key=key, n=prm.name, v=vals: analysis.param_curve(key, t, p, n, v),
                    lambda f=f, n=prm.name, v=vals: [float(f(t, p, **{n: float(x)})) for x in v],
                )
            )
    if kind == "8bit":
        cases.append(
            (
                f"tversky_grid ({len(grid)} x {len(grid)})",
                lambda: analysis.tversky_grid(t, p, grid, grid),
                lambda: [
                    float(losses.tversky(t, p, alpha=float(a), beta=float(b)))
                    for b in grid
                    for a in grid
                ],
            )
        )
    return cases


def bench_helpers(keys, rounds: int, kind: str = "8bit", quick: bool = False) -> list[dict]:
    rows = []
    for label, batched, loop in helper_cases(keys, kind, quick):
        batched()  # warm-up (first TensorFlow calls, caches)
        loop()
        fast, slow, ratios = [], [], []
        for r in range(rounds):
            if r % 2 == 0:
                b = min(_time(batched) for _ in range(3))
                s = _time(loop)
            else:
                s = _time(loop)
                b = min(_time(batched) for _ in range(3))
            fast.append(b)
            slow.append(s)
            ratios.append(s / b)
        ratio = _median(ratios)
        target = kind == "8bit"
        rows.append(
            {
                "what": label + ("" if target else ", float32 p"),
                "ours_ms": 1e3 * _median(fast),
                "base_ms": 1e3 * _median(slow),
                "ratio": ratio,
                "target": f">= {HELPER_TARGET:g}" if target else "(info)",
                "ok": (ratio >= HELPER_TARGET) if target else None,
            }
        )
    return rows


# --------------------------------------------------------------------------
def print_table(title: str, rows: list[dict], base_name: str, times: bool = False) -> None:
    """Ratios only (absolute times depend on the machine); --times adds them for debugging."""
    print(f"\n{title}")
    extra = f" {'ours ms':>9s} {base_name + ' ms':>11s}" if times else ""
    head = f"{'case':44s}{extra} {'ratio':>8s}  {'target':>7s}  verdict"
    print(head)
    print("-" * len(head))
    for r in rows:
        verdict = "" if r["ok"] is None else ("PASS" if r["ok"] else "FAIL")
        cols = f" {r['ours_ms']:9.2f} {r['base_ms']:11.2f}" if times else ""
        print(f"{r['what']:44s}{cols} {r['ratio']:8.2f}  {r['target']:>7s}  {verdict}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument(
        "--quick", action="store_true", help="few repetitions and points, one loss: proves it runs"
    )
    ap.add_argument("--check", action="store_true", help="exit 1 if a target fails")
    ap.add_argument("--times", action="store_true", help="also print absolute times (debugging)")
    args = ap.parse_args(argv)

    if args.quick:
        train_rounds, train_steps, warmup = 2, 1, 2
        helper_rounds, keys, info_keys = 1, ("dice",), ("focal",)
    else:
        train_rounds, train_steps, warmup = 15, 5, 10
        helper_rounds, keys, info_keys = 3, LOSS_KEYS, ("focal", "combo", "dice")

    print(f"losses benchmark: TensorFlow {tf.__version__}, Keras {keras.__version__}")
    train = bench_training(train_rounds, train_steps, warmup)
    info = bench_loss_only(train_rounds, max(train_steps, 5))
    print_table(
        "(a) training step: ours / keras.losses (median of per-round ratios; lower is faster)",
        train + info,
        "keras",
        args.times,
    )
    helpers = bench_helpers(keys, helper_rounds, "8bit", args.quick)
    extra = bench_helpers(info_keys, helper_rounds, "float", args.quick)
    print_table(
        "(b) analysis helpers on 256x256: Python loop over public functions / batched helper "
        "(higher is faster)",
        helpers + extra,
        "loop",
        args.times,
    )
    failed = [r["what"] for r in train + helpers if r["ok"] is False]
    print()
    if failed:
        print(f"{len(failed)} target(s) missed: " + "; ".join(failed))
    else:
        print("all targets met")
    return 1 if (args.check and failed) else 0


if __name__ == "__main__":
    sys.exit(main())
