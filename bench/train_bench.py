"""Training speed of the Training lab, as ratios against Keras' BinaryCrossentropy.

(a) Per epoch, interleaved. One U-Net per loss, all from the same initial
    weights, compiled with the registry's loss object (``make_loss``), plus
    the baseline: the same U-Net compiled with ``keras.losses.BinaryCrossentropy()``.
    After a warm-up step each (tracing), every epoch trains each model for one
    epoch on the same batches, the models taking turns in a rotating order,
    so a burst of load from elsewhere on a shared machine hits every loss
    alike. The ratio loss / baseline is taken inside each epoch and the
    median over epochs is reported. Target: no more than 1.2x.

(b) The default run, as a learner waits for it: ``trainlab.train.train`` with
    the default settings and one loss (Dice), from data generation to the last
    validation, alternating with the same run compiled with Keras' BCE.
    Target: within 20 s on a 2-core CPU.

    python bench/train_bench.py            # default data and epochs
    python bench/train_bench.py --quick    # a smoke run of a few seconds
    python bench/train_bench.py --check    # exit 1 when a target is missed
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import trainlab  # noqa: E402
from losses._tf import keras, tf  # noqa: E402
from teaching import registry  # noqa: E402
from trainlab.data import make_task  # noqa: E402
from trainlab.model import build_unet  # noqa: E402
from trainlab.train import TrainConfig, make_loss_object, make_optimizer, train  # noqa: E402

RATIO_TARGET = 1.2
RUN_TARGET_S = 20.0
BASELINE = "keras BCE"


def per_epoch_interleaved(base: TrainConfig, keys: list[str], task) -> dict[str, list[float]]:
    """Seconds of every epoch for every model, the models taking turns."""
    x, y = task.train.images, task.train.masks
    bs = base.batch_size
    steps = len(x) // bs
    models = {}
    for name in [BASELINE, *keys]:
        cfg = base.with_loss("bce" if name == BASELINE else name)
        loss = keras.losses.BinaryCrossentropy() if name == BASELINE else make_loss_object(cfg)
        model = build_unet(base.image_size, base.width, base.seed)
        model.compile(optimizer=make_optimizer(cfg, steps), loss=loss)
        model.train_on_batch(x[:bs], y[:bs])  # trace once, outside the timing
        models[name] = model
    names = list(models)
    times: dict[str, list[float]] = {n: [] for n in names}
    rng = np.random.default_rng([base.seed, 2])
    for epoch in range(base.epochs):
        perm = rng.permutation(len(x))
        batches = [np.sort(perm[s * bs : (s + 1) * bs]) for s in range(steps)]
        shift = epoch % len(names)
        for name in names[shift:] + names[:shift]:
            model = models[name]
            t0 = time.perf_counter()
            for idx in batches:
                model.train_on_batch(x[idx], y[idx])
            times[name].append(time.perf_counter() - t0)
    return times


def per_epoch_section(base, keys, task) -> list[str]:
    """(a): each loss's epoch time against Keras BCE's, models taking turns; the misses."""
    failed = []
    print("\n(a) per epoch, models taking turns every epoch")
    times = per_epoch_interleaved(base, keys, task)
    b = times[BASELINE]
    print(f"{'loss':<16}{'per epoch':>12}{'ratio vs ' + BASELINE:>24}  verdict")
    print(f"{BASELINE:<16}{statistics.median(b) * 1000:>10.0f}ms{1.0:>24.2f}  baseline")
    for k in keys:
        ratio = statistics.median(t / tb for t, tb in zip(times[k], b, strict=True))
        ok = ratio <= RATIO_TARGET
        failed += [] if ok else [f"{k} ratio {ratio:.2f}"]
        print(
            f"{k:<16}{statistics.median(times[k]) * 1000:>10.0f}ms{ratio:>24.2f}  "
            f"{'PASS' if ok else 'FAIL'} (<= {RATIO_TARGET})"
        )
    return failed


def whole_run_section(base, runs: int, quick: bool) -> list[str]:
    """(b): a whole one-loss run, ours against Keras BCE; the misses."""
    failed = []
    print("\n(b) whole run, one loss (data, model, training, validation every epoch)")
    totals: dict[str, list[float]] = {BASELINE: [], "dice": []}
    finals = {}
    for r in range(runs):
        order = [BASELINE, "dice"] if r % 2 == 0 else ["dice", BASELINE]
        for name in order:
            loss = keras.losses.BinaryCrossentropy() if name == BASELINE else None
            cfg = base.with_loss("bce" if name == BASELINE else "dice")
            t0 = time.perf_counter()
            run = train(cfg, loss=loss)
            totals[name].append(time.perf_counter() - t0)
            finals[name] = run.final
    tb, td = statistics.median(totals[BASELINE]), statistics.median(totals["dice"])
    print(f"{BASELINE:<16}{tb:>8.1f} s   validation Dice {finals[BASELINE]['dice']:.2f}")
    print(
        f"{'dice':<16}{td:>8.1f} s   validation Dice {finals['dice']['dice']:.2f}   "
        f"ratio {td / tb:.2f}"
    )
    if quick:
        print(
            f"quick mode: no verdict on the run time (the default run is {TrainConfig().epochs} epochs)"
        )
    else:
        ok = td <= RUN_TARGET_S
        failed += [] if ok else [f"default run {td:.1f} s"]
        print(
            f"default one-loss run: {td:.1f} s -> {'PASS' if ok else 'FAIL'} (<= {RUN_TARGET_S:g} s)"
        )
    return failed


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="tiny data and few epochs")
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    ap.add_argument("--epochs", type=int, default=None, help="epochs (default: the lab's 15)")
    ap.add_argument("--runs", type=int, default=None, help="default runs per side in (b) (2)")
    ap.add_argument(
        "--losses",
        default=",".join(["bce", *registry.LOSSES]),
        help="comma-separated registry keys (default: the package's bce and all seven)",
    )
    args = ap.parse_args(argv)

    base = TrainConfig()
    if args.quick:
        base = TrainConfig(n_train=64, n_val=32, epochs=3)
    if args.epochs:
        base = TrainConfig(**{**base.to_dict(), "epochs": args.epochs})
    runs = args.runs or (1 if args.quick else 2)
    keys = [k.strip() for k in args.losses.split(",") if k.strip()]
    for k in keys:
        registry.get(k)  # an unknown key fails here, before any training

    print(
        f"TensorFlow {tf.__version__}, Keras {keras.__version__}, Python "
        f"{platform.python_version()}, {os.cpu_count()} CPU(s), oneDNN "
        f"{'on' if trainlab.onednn_enabled() else 'off'}"
    )
    print(
        f"data: {base.n_train} training + {base.n_val} validation images of "
        f"{base.image_size}x{base.image_size}, foreground {base.fg_fraction:.1%}, object size "
        f"{base.object_size:g}; {base.epochs} epochs, batch {base.batch_size}, U-Net width "
        f"{base.width}"
    )
    task = make_task(**base.data_settings())

    failed = per_epoch_section(base, keys, task) + whole_run_section(base, runs, args.quick)
    print("\nall targets met" if not failed else "\nmissed: " + "; ".join(failed))
    return 1 if (args.check and failed) else 0


if __name__ == "__main__":
    raise SystemExit(main())
