"""The training pool: real worker processes, real TensorFlow, tiny runs.

One pool of one worker serves the whole file (its start, TensorFlow's import,
is the slow part); each run trains 16 images of 32 x 32 pixels.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from trainlab import pool as tp
from trainlab.settings import TrainConfig

ROOT = Path(__file__).resolve().parent.parent
TINY = dict(n_train=16, n_val=8, image_size=32, fg_fraction=0.03, batch_size=8, width=4)
LONG = 200  # epochs of a run that is stopped long before it ends
WAIT = 60


def tiny(seed: int = 0, epochs: int = 2, loss: str = "dice") -> TrainConfig:
    return TrainConfig(loss=loss, seed=seed, epochs=epochs, **TINY)


def _until(condition, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


GONE = set()  # the watchers whose "tab" was closed


@pytest.fixture(scope="module")
def pool():
    p = tp.TrainingPool(1, watcher_alive=lambda w: w not in GONE, watcher_grace=0.0, stop_grace=20)
    yield p
    p.close()


def _running(job: tp.Job, epochs: int = 1) -> None:
    _until(lambda: job.status == tp.RUNNING and job.epochs_done >= epochs)


def test_a_run_trains_in_a_worker_and_the_caller_never_imports_keras():
    code = (
        "import json, os, sys\n"
        "from trainlab.pool import TrainingPool\n"
        "from trainlab.settings import TrainConfig\n"
        f"cfg = TrainConfig(loss='dice', epochs=2, **{TINY!r})\n"
        "pool = TrainingPool(1)\n"
        "job = pool.submit(cfg, 'me')\n"
        f"pool.wait(job.key, {WAIT})\n"
        "print(json.dumps({'status': job.status, 'pid': job.pid, 'me': os.getpid(),\n"
        "    'epochs': job.result.epochs_done, 'dice': job.result.history['dice'],\n"
        "    'loaded': sorted(m for m in ('keras', 'tensorflow', 'trainlab.train',\n"
        "        'trainlab.model') if m in sys.modules)}))\n"
        "pool.close()\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert out.returncode == 0, out.stderr[-2000:]
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["status"] == tp.DONE and seen["epochs"] == 2
    assert seen["pid"] not in (0, seen["me"])
    assert len(seen["dice"]) == 3 and all(0.0 <= d <= 1.0 for d in seen["dice"])
    assert seen["loaded"] == []  # the model was built and trained in the worker only


def test_identical_settings_share_one_run_and_its_result(pool):
    cfg = tiny(seed=1)
    started = pool.runs_started
    first, second = pool.submit(cfg, "a"), pool.submit(tiny(seed=1), "b")
    assert first is second and pool.watchers(first.key) == 2
    pool.wait(first.key, WAIT)
    assert first.status == tp.DONE and first.result.epochs_done == 2
    assert first.pid != os.getpid()
    assert pool.runs_started == started + 1  # two presses, one training
    again = pool.submit(cfg, "c")  # asked again later: the stored result, at once
    assert again.status == tp.DONE and again.result is first.result
    assert pool.runs_started == started + 1


def test_jobs_wait_their_turn_first_come_first_served(pool):
    jobs = [pool.submit(tiny(seed=10 + i, epochs=3), f"q{i}") for i in range(3)]
    _until(lambda: jobs[0].status == tp.RUNNING)
    assert [pool.position(j.key) for j in jobs] == [0, 1, 2]
    assert jobs[1].status == jobs[2].status == tp.QUEUED
    _until(lambda: jobs[1].status != tp.QUEUED)
    assert jobs[0].status == tp.DONE
    assert pool.position(jobs[2].key) == 1
    for job in jobs:
        pool.wait(job.key, WAIT)
    assert [j.status for j in jobs] == [tp.DONE] * 3


def test_stop_cancels_only_when_nobody_else_watches(pool):
    workers = pool.worker_pids()
    job = pool.submit(tiny(seed=20, epochs=LONG), "a")
    assert pool.submit(tiny(seed=20, epochs=LONG), "b") is job
    _running(job)
    assert not pool.stop(job.key, "a")  # b still watches: the run goes on
    time.sleep(0.3)
    assert job.status == tp.RUNNING
    assert pool.stop(job.key, "b")
    assert job.finished.wait(20)
    assert job.status == tp.STOPPED and job.result.stopped
    assert 1 <= job.result.epochs_done < LONG
    assert pool.worker_pids() == workers  # stopped between batches: the worker lives on
    # the same settings asked again start a fresh run
    fresh = pool.submit(tiny(seed=20, epochs=LONG), "c")
    assert fresh is not job and fresh.status in (tp.QUEUED, tp.RUNNING)
    pool.stop(fresh.key, "c")
    assert fresh.finished.wait(20)


def test_a_queued_job_stopped_leaves_the_queue(pool):
    running = pool.submit(tiny(seed=30, epochs=LONG), "a")
    queued = pool.submit(tiny(seed=31), "b")
    _until(lambda: running.status == tp.RUNNING)
    assert pool.position(queued.key) == 1
    assert pool.stop(queued.key, "b")
    assert queued.status == tp.STOPPED and pool.position(queued.key) == 0
    pool.stop(running.key, "a")
    assert running.finished.wait(20)


def test_a_run_nobody_watches_any_more_is_cancelled(pool):
    job = pool.submit(tiny(seed=40, epochs=LONG), "tab")
    _running(job)
    GONE.add("tab")  # the tab was closed
    assert job.finished.wait(20)
    assert job.status == tp.STOPPED and job.result.epochs_done < LONG


def test_a_worker_that_dies_fails_its_job_and_is_replaced(pool):
    job = pool.submit(tiny(seed=50, epochs=LONG), "a")
    _running(job)
    dead = job.pid
    os.kill(dead, signal.SIGKILL)
    assert job.finished.wait(20)
    assert job.status == tp.FAILED and job.error == tp.CRASHED
    assert dead not in pool.worker_pids()
    after = pool.submit(tiny(seed=51, epochs=1), "a")  # the new worker trains
    pool.wait(after.key, WAIT)
    assert after.status == tp.DONE and after.pid not in (0, dead)


def test_settings_that_cannot_train_fail_with_their_reason(pool):
    job = pool.submit(tiny(loss="no_such_loss"), "a")
    pool.wait(job.key, WAIT)
    assert job.status == tp.FAILED
    assert "unknown loss" in job.error and "no_such_loss" in job.error
