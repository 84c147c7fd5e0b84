"""The training pool as a server sees it: shared runs, and a server that does not grow.

This process plays the server: it imports what the app's server imports
(the ``losses`` package with TensorFlow and Keras, the teaching maths) and owns
a :class:`trainlab.pool.TrainingPool`; every training runs in the pool's worker
processes.

(a) M students press Train on the same settings (the lab's default
    comparison, binary cross-entropy against Dice): each press submits both
    runs as its own watcher, from its own thread, at the same moment. The time
    until every student has both results, for M = 5, against M = 1 measured in
    the same run (on fresh seeds, so neither is served from the store).
    Target: within 1.5x (one shared training, not five).

(b) The server's resident memory (RSS) and the objects its garbage collector
    tracks, before and after K distinct trainings (one seed each, Dice, the
    lab's defaults) have been trained and their results received.
    Target: RSS within 1.3x.

    python bench/train_pool.py            # the lab's defaults (15 epochs)
    python bench/train_pool.py --quick    # tiny runs, a few seconds
    python bench/train_pool.py --check    # exit 1 when a target is missed
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import losses  # noqa: E402, F401 - what the server has loaded anyway
from teaching import analysis  # noqa: E402, F401
from trainlab import pool as tp  # noqa: E402
from trainlab.settings import TrainConfig  # noqa: E402

SHARE_TARGET = 1.5
RSS_TARGET = 1.3


def rss_mb(pid: int | str = "self") -> float:
    """Resident memory of a process in MB (Linux /proc)."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def press_train(pool: tp.TrainingPool, configs: list, students: int) -> tuple[float, int]:
    """``students`` threads submit ``configs`` at once; seconds until all have results."""
    started = pool.runs_started
    go = threading.Event()
    jobs: list = []

    def student(i: int) -> None:
        go.wait()
        jobs.extend(pool.submit(c, f"student-{i}") for c in configs)

    threads = [threading.Thread(target=student, args=(i,)) for i in range(students)]
    for th in threads:
        th.start()
    t0 = time.perf_counter()
    go.set()
    for th in threads:
        th.join()
    for job in jobs:
        job.finished.wait()
    seconds = time.perf_counter() - t0
    bad = [j for j in jobs if j.status != tp.DONE]
    if bad:
        raise SystemExit(f"a run did not finish: {bad[0].status} {bad[0].error}")
    return seconds, pool.runs_started - started


def sharing_section(pool, base: TrainConfig, crowd: int) -> list[str]:
    print(f"\n(a) students pressing Train on the same settings (pool of {pool.size})")
    results = {}
    for students, seed in ((1, 1001), (crowd, 1002)):
        configs = [replace(base, loss=k, seed=seed) for k in ("bce", "dice")]
        seconds, runs = press_train(pool, configs, students)
        results[students] = seconds
        print(
            f"  M = {students:2d}: {seconds:6.1f} s until everyone has both runs, {runs} trainings"
        )
    ratio = results[crowd] / results[1]
    ok = ratio <= SHARE_TARGET
    print(
        f"  M = {crowd} / M = 1: {ratio:.2f}x (target <= {SHARE_TARGET}x) {'ok' if ok else 'MISSED'}"
    )
    return [] if ok else [f"sharing {ratio:.2f}x"]


def memory_section(pool, base: TrainConfig, k: int) -> list[str]:
    print(f"\n(b) the server process before and after {k} distinct trainings")
    gc.collect()
    before, objects_before = rss_mb(), len(gc.get_objects())
    t0 = time.perf_counter()
    jobs = [pool.submit(replace(base, loss="dice", seed=2000 + i), "teacher") for i in range(k)]
    for job in jobs:
        job.finished.wait()
    seconds = time.perf_counter() - t0
    gc.collect()
    after, objects_after = rss_mb(), len(gc.get_objects())
    workers = ", ".join(f"{rss_mb(pid):.0f}" for pid in pool.worker_pids())
    ratio = after / before
    ok = ratio <= RSS_TARGET
    print(
        f"  {k} trainings in {seconds:.1f} s on {pool.size} workers (workers' RSS now {workers} MB)"
    )
    print(
        f"  server RSS: {before:.0f} MB -> {after:.0f} MB, {ratio:.3f}x (target <= {RSS_TARGET}x) "
        f"{'ok' if ok else 'MISSED'}"
    )
    print(
        f"  objects the garbage collector tracks: {objects_before} -> {objects_after} "
        f"({objects_after / objects_before:.3f}x)"
    )
    return [] if ok else [f"RSS {ratio:.2f}x"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="tiny data and few epochs")
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    ap.add_argument("--students", type=int, default=5, help="M of (a) (5)")
    ap.add_argument("--trainings", type=int, default=10, help="K of (b) (10)")
    args = ap.parse_args(argv)
    base = TrainConfig()  # the lab's defaults
    if args.quick:
        base = TrainConfig(n_train=32, n_val=16, epochs=2, batch_size=16)

    pool = tp.TrainingPool()
    print(
        f"{os.cpu_count()} CPU(s); pool of {pool.size} worker processes; server pid {os.getpid()}"
    )
    warm = pool.submit(TrainConfig(n_train=16, n_val=8, epochs=1, batch_size=16), "warm-up")
    warm.finished.wait()  # the workers have imported TensorFlow and traced once
    try:
        failed = sharing_section(pool, base, args.students)
        failed += memory_section(pool, base, args.trainings)
    finally:
        pool.close()
    print("\nall targets met" if not failed else "\nmissed: " + "; ".join(failed))
    return 1 if (args.check and failed) else 0


if __name__ == "__main__":
    raise SystemExit(main())
