"""Training speed of the lab's losses against Keras' own BinaryCrossentropy.

Every loss trains the same U-Net on the same data with the same seed, through
the same loop (``trainlab.train.train``). The baseline is the identical run
compiled with ``keras.losses.BinaryCrossentropy()``. Runs are interleaved
(baseline, then each loss, in a rotating order, ``--repeats`` times), so a
slow moment of a shared machine hits every loss alike; each ratio compares a
loss with the baseline of the same round, and the median over rounds is shown.

"Per epoch" is the time of the training steps of epochs 2 and later (epoch 1
also traces the graph); "run" is the whole default run including data
generation, tracing and validation, which is what a learner waits for.

    python bench/train_bench.py            # default data and epochs, 3 rounds
    python bench/train_bench.py --quick    # a smoke run of a few seconds

Target: every ratio <= 1.2, and the default one-loss run within 20 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import trainlab  # noqa: E402  (before TensorFlow: it chooses the oneDNN kernels)
from losses import registry  # noqa: E402
from losses._tf import keras, tf  # noqa: E402
from trainlab.data import make_task  # noqa: E402
from trainlab.train import TrainConfig, train  # noqa: E402

RATIO_TARGET = 1.2
RUN_TARGET_S = 20.0
BASELINE = "keras BCE"


def per_epoch(run) -> float:
    secs = run.history["seconds"][2:] or run.history["seconds"][1:]
    return statistics.median(secs)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="tiny data, 3 epochs, 1 round")
    ap.add_argument("--repeats", type=int, default=None, help="interleaved rounds (default 3)")
    ap.add_argument("--epochs", type=int, default=None, help="epochs per run (default 15)")
    ap.add_argument(
        "--losses",
        default=",".join(["bce", *registry.LOSSES]),
        help="comma-separated registry keys (default: all, and the package's bce)",
    )
    args = ap.parse_args(argv)

    base = TrainConfig()
    if args.quick:
        base = TrainConfig(n_train=64, n_val=32, epochs=3, batch_size=32)
    if args.epochs:
        base = TrainConfig(**{**base.to_dict(), "epochs": args.epochs})
    repeats = args.repeats or (1 if args.quick else 3)
    keys = [k.strip() for k in args.losses.split(",") if k.strip()]
    for k in keys:
        registry.get(k)  # unknown keys fail here, before any training

    print(
        f"TensorFlow {tf.__version__}, Keras {keras.__version__}, Python "
        f"{platform.python_version()}, {os.cpu_count()} CPU(s), oneDNN "
        f"{'on' if trainlab.onednn_enabled() else 'off'}"
    )
    print(
        f"data: {base.n_train} training + {base.n_val} validation images of "
        f"{base.image_size}x{base.image_size}, foreground {base.fg_fraction:.1%}, "
        f"object size {base.object_size:g}; {base.epochs} epochs, batch {base.batch_size}, "
        f"U-Net width {base.width}; {repeats} interleaved round(s)"
    )
    task = make_task(**base.data_settings())

    names = [BASELINE, *keys]
    epoch_s = {n: [] for n in names}
    run_s = {n: [] for n in names}
    ratios = {n: [] for n in keys}
    n_weights = 0
    for r in range(repeats):
        order = names[r % len(names) :] + names[: r % len(names)]
        round_epoch = {}
        for name in order:
            if name == BASELINE:
                cfg = base.with_loss("bce")
                loss = keras.losses.BinaryCrossentropy()
            else:
                cfg = base.with_loss(name)
                loss = None
            t0 = time.perf_counter()
            run = train(cfg, task, loss=loss)
            run_s[name].append(time.perf_counter() - t0)
            round_epoch[name] = per_epoch(run)
            epoch_s[name].append(round_epoch[name])
            n_weights = run.n_weights
        for k in keys:
            ratios[k].append(round_epoch[k] / round_epoch[BASELINE])

    print(f"model: {n_weights} weights\n")
    print(f"{'loss':<16}{'per epoch':>12}{'run':>10}{'ratio vs ' + BASELINE:>22}  verdict")
    b_epoch = statistics.median(epoch_s[BASELINE])
    b_run = statistics.median(run_s[BASELINE])
    print(f"{BASELINE:<16}{b_epoch * 1000:>10.0f}ms{b_run:>9.1f}s{1.0:>22.2f}  baseline")
    failed = []
    for k in keys:
        ratio = statistics.median(ratios[k])
        ok = ratio <= RATIO_TARGET
        if not ok:
            failed.append(k)
        print(
            f"{k:<16}{statistics.median(epoch_s[k]) * 1000:>10.0f}ms"
            f"{statistics.median(run_s[k]):>9.1f}s{ratio:>22.2f}  "
            f"{'PASS' if ok else 'FAIL'} (<= {RATIO_TARGET})"
        )
    one_run = statistics.median(run_s.get("dice", run_s[keys[0]]))
    which = "dice" if "dice" in run_s else keys[0]
    print()
    if args.quick:
        print(f"quick mode: one {which} run took {one_run:.1f} s (not the default setting)")
    else:
        verdict = "PASS" if one_run <= RUN_TARGET_S else "FAIL"
        print(
            f"default one-loss run ({which}): {one_run:.1f} s -> {verdict} (<= {RUN_TARGET_S:g} s)"
        )
    print(f"ratios: {'PASS' if not failed else 'FAIL: ' + ', '.join(failed)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
