"""Training in worker processes: a bounded pool, a FIFO queue, shared runs, Stop.

A web server that trains in its own Python process pays for it on every
request: the training holds the GIL, and every model it leaves behind makes
each later garbage collection longer. Here every run happens in a worker
process started with the "spawn" method (TensorFlow is never forked); the
server keeps only the settings, the per-epoch records the workers send back
and a bounded store of finished runs. This module imports neither Keras nor
TensorFlow; the workers import them on their own::

    pool = TrainingPool(size=2)
    job = pool.submit(TrainConfig(loss="dice", epochs=5), watcher="session-1")
    pool.wait(job.key)              # or poll job.status / job.result / pool.position(job.key)

Sharing. A job is keyed by every setting of its run (:func:`job_key`); runs
are deterministic, so identical settings share one job: thirty people pressing
Train on the defaults cost one training and all of them watch it. A finished
run is kept (least recently used first out) and given to the next identical
request at once.

Watchers. Each job counts who watches it (a session id, say). ``stop`` drops
one watch and cancels the run only when nobody else still watches; a watcher
that ``watcher_alive`` says is gone (a closed tab) is dropped the same way, so
a run that nobody watches any more is cancelled.

Stopping is cooperative: the worker checks its stop flag between batches and
ends the run with the epochs completed so far. A worker that does not answer
within ``stop_grace`` seconds is terminated and replaced, and so is one that
dies (the job is marked failed with ``error == CRASHED``).

Threads. One reader thread per pool receives the workers' messages, notices
dead workers, prunes watchers and hands queued jobs to idle workers. Every
public method may be called from any thread (Streamlit runs each session in
its own thread); state changes happen under one lock.
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import json
import multiprocessing as mp
import os
import sys
import threading
import time
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import wait as wait_for_any

from .results import RunResult
from .settings import TrainConfig

QUEUED, RUNNING, DONE, STOPPED, FAILED = "queued", "running", "done", "stopped", "failed"
FINISHED = (DONE, STOPPED, FAILED)
CRASHED = "crashed"  # the error of a job whose worker process died
NO_WORKERS = "no_workers"  # the error when worker processes cannot start at all
START_ATTEMPTS = 3  # workers that die before they are ready, in a row, before giving up
BATCH_REPORT_SECONDS = 0.5  # a worker reports batch progress at most this often


def job_key(config: TrainConfig) -> str:
    """Every setting of a run as one string: equal settings, equal key, one shared run."""
    return json.dumps(config.to_dict(), sort_keys=True)


def default_size() -> int:
    """One worker per core, at most two (the workers leave the server room to breathe)."""
    return max(1, min(2, os.cpu_count() or 1))


@dataclass
class Job:
    """One run and who watches it. Readers see whole values: each field is replaced, never edited.

    Attributes:
        key: :func:`job_key` of ``config``.
        status: queued, running, done, stopped or failed.
        result: the :class:`RunResult` so far (after each epoch), the final one when done.
        progress: (epoch, batch, batches per epoch) of the batch last reported.
        error: why it failed (:data:`CRASHED` when its worker died), else "".
        pid: the worker process that runs it (0 while queued).
        version: grows with every change, so a page redraws only when something changed.
    """

    key: str
    config: TrainConfig
    status: str = QUEUED
    result: RunResult | None = None
    progress: tuple[int, int, int] = (0, 0, 0)
    error: str = ""
    pid: int = 0
    version: int = 0
    watchers: set = field(default_factory=set)
    finished: threading.Event = field(default_factory=threading.Event)

    @property
    def epochs_done(self) -> int:
        return self.result.epochs_done if self.result is not None else 0


# --------------------------------------------------------------------------
# the worker process
# --------------------------------------------------------------------------
def _worker_main(jobs, events, stop_flag, threads: int) -> None:
    """Run jobs from ``jobs`` until it is closed; report every step on ``events``."""
    os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")  # the app trains on the CPU
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    try:
        # the lowest priority: a class moving sliders takes the CPU first, training gets the
        # rest (at nice 5 two workers on two cores still doubled the slider p95)
        os.nice(19)
    except OSError:
        pass
    # TensorFlow and Keras load here, in the worker only (quietly: the losses package first)
    import losses  # noqa: F401, I001
    import tensorflow as tf

    from .train import train

    tf.config.threading.set_intra_op_parallelism_threads(threads)
    events.send(("ready", os.getpid()))
    import keras

    while True:
        try:
            key, config = jobs.recv()
        except (EOFError, OSError):
            return
        try:
            _run_one(train, key, config, events, stop_flag)
        except OSError:  # the server has gone (its end of the pipe closed): end quietly
            return
        keras.backend.clear_session()  # the worker keeps no model of a finished run


def _run_one(train, key: str, config: TrainConfig, events, stop_flag) -> None:
    last = [0.0]

    def on_batch(epoch, step, steps, loss):
        now = time.monotonic()
        if now - last[0] >= BATCH_REPORT_SECONDS or step == steps:
            last[0] = now
            events.send(("batch", key, (epoch, step, steps)))

    try:
        run = train(
            config,
            on_epoch=lambda r: events.send(("epoch", key, r)),
            on_batch=on_batch,
            should_stop=stop_flag.is_set,
        )
    except Exception as exc:  # noqa: BLE001 - the server shows the reason, the worker goes on
        events.send(("failed", key, f"{type(exc).__name__}: {exc}"))
        return
    events.send(("finished", key, run))


_start_lock = threading.Lock()


@contextlib.contextmanager
def _main_module_hidden():
    """Start a spawned child without re-running this process's main script in it.

    "spawn" runs the parent's ``__main__`` file again in the child (as
    ``__mp_main__``). In a Streamlit server ``__main__`` is the app or page
    script being run, which must not run in a training worker; the worker needs
    nothing of it. For the instant of the start, ``__main__`` is a bare module.
    """
    with _start_lock:
        saved = sys.modules.get("__main__")
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            if saved is not None:
                sys.modules["__main__"] = saved


@dataclass
class _Worker:
    process: mp.Process
    jobs: object  # sending end of the job pipe
    events: object  # receiving end of the event pipe
    stop_flag: object
    ready: bool = False
    job: Job | None = None
    stop_asked_at: float = 0.0


# --------------------------------------------------------------------------
# the pool, in the server
# --------------------------------------------------------------------------
class TrainingPool:
    """A bounded pool of training processes with a FIFO queue (see the module's notes).

    Args:
        size: number of worker processes (default :func:`default_size`).
        results: how many finished runs to keep for identical requests.
        watcher_alive: tells whether a watcher still exists (a session still
            open); a job whose watchers are all gone is cancelled. None: every
            watcher lives until it calls :meth:`stop`.
        stop_grace: seconds a worker has to end a stopped run before it is
            terminated and replaced.
        watcher_grace: seconds a watcher may be missing (a websocket that
            reconnects) before its watch is dropped.
    """

    def __init__(
        self,
        size: int | None = None,
        *,
        results: int = 64,
        watcher_alive: Callable[[str], bool] | None = None,
        stop_grace: float = 15.0,
        watcher_grace: float = 3.0,
    ):
        self.size = size or default_size()
        self._ctx = mp.get_context("spawn")
        self._lock = threading.RLock()
        self._jobs: dict[str, Job] = {}  # queued and running
        self._queue: collections.deque[Job] = collections.deque()
        self._results: collections.OrderedDict[str, RunResult] = collections.OrderedDict()
        self._max_results = results
        self._watcher_alive = watcher_alive
        self._stop_grace = stop_grace
        self._watcher_grace = watcher_grace
        self._missing: dict[str, float] = {}  # watcher -> when it was first found gone
        self._workers = [self._start_worker() for _ in range(self.size)]
        self._closed = False
        self._failed_starts = 0  # workers in a row that died before they were ready
        self.runs_started = 0  # trainings handed to a worker (for tests and benchmarks)
        self._reader = threading.Thread(target=self._read, name="training-pool", daemon=True)
        self._reader.start()

    # ---------------------------------------------------------------- public
    def submit(self, config: TrainConfig, watcher: str) -> Job:
        """The job for ``config``, watched by ``watcher``: a finished one, the running one, or new."""
        key = job_key(config)
        with self._lock:
            if key in self._results:
                self._results.move_to_end(key)
                return self._finished_job(key, config, self._results[key])
            job = self._jobs.get(key)
            if job is None and not self._workers:
                job = Job(key=key, config=config, status=FAILED, error=NO_WORKERS)
                job.finished.set()
                return job
            if job is None:
                job = Job(key=key, config=config)
                self._jobs[key] = job
                self._queue.append(job)
            job.watchers = job.watchers | {watcher}
            self._dispatch()
            return job

    def job(self, key: str) -> Job | None:
        """The queued or running job of ``key``, else a finished one from the store, else None."""
        with self._lock:
            if key in self._jobs:
                return self._jobs[key]
            run = self._results.get(key)
            return None if run is None else self._finished_job(key, run.config, run)

    def result(self, key: str) -> RunResult | None:
        """The finished run stored under ``key``, or None."""
        with self._lock:
            run = self._results.get(key)
            if run is not None:
                self._results.move_to_end(key)
            return run

    def position(self, key: str) -> int:
        """1 for the next job to start, 2 for the one after...; 0 when not waiting."""
        with self._lock:
            for i, job in enumerate(self._queue):
                if job.key == key:
                    return i + 1
            return 0

    def stop(self, key: str, watcher: str) -> bool:
        """Drop ``watcher``'s watch; cancel the run if nobody watches it now. True when cancelled."""
        with self._lock:
            job = self._jobs.get(key)
            if job is None:
                return False
            job.watchers = job.watchers - {watcher}
            if job.watchers:
                return False
            self._cancel(job)
            return True

    def watchers(self, key: str) -> int:
        with self._lock:
            job = self._jobs.get(key)
            return len(job.watchers) if job is not None else 0

    def wait(self, key: str, timeout: float | None = None) -> Job | None:
        """Block until the job of ``key`` has finished (for scripts and tests, never for a page)."""
        job = self.job(key)
        if job is not None:
            job.finished.wait(timeout)
        return job

    def starting(self) -> int:
        """Workers still starting (importing TensorFlow): the first run waits for one."""
        with self._lock:
            return sum(1 for w in self._workers if not w.ready)

    def worker_pids(self) -> list[int]:
        with self._lock:
            return [w.process.pid for w in self._workers]

    def close(self) -> None:
        """End the workers and the reader thread."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            for w in self._workers:
                w.jobs.close()
            workers = list(self._workers)
        for w in workers:
            w.process.join(2)
            if w.process.is_alive():
                w.process.terminate()
                w.process.join(2)
        self._reader.join(2)

    # ---------------------------------------------------------------- inside (under the lock)
    def _finished_job(self, key: str, config: TrainConfig, run: RunResult) -> Job:
        job = Job(key=key, config=config, status=DONE, result=run)
        job.progress = (run.epochs_done, 0, 0)
        job.finished.set()
        return job

    def _start_worker(self) -> _Worker:
        job_out, job_in = self._ctx.Pipe(duplex=False)  # (receiving end, sending end)
        event_out, event_in = self._ctx.Pipe(duplex=False)
        stop_flag = self._ctx.Event()
        threads = max(1, (os.cpu_count() or 1) // self.size)
        process = self._ctx.Process(
            target=_worker_main,
            args=(job_out, event_in, stop_flag, threads),
            name="training-worker",
            daemon=True,
        )
        with _main_module_hidden():
            process.start()
        job_out.close()  # the child holds its own copies
        event_in.close()
        return _Worker(process=process, jobs=job_in, events=event_out, stop_flag=stop_flag)

    def _changed(self, job: Job, **fields) -> None:
        for name, value in fields.items():
            setattr(job, name, value)
        job.version += 1

    def _dispatch(self) -> None:
        """Hand queued jobs to idle, ready workers, first come first served."""
        for worker in self._workers:
            if not self._queue:
                return
            if worker.ready and worker.job is None and worker.process.is_alive():
                job = self._queue.popleft()
                worker.stop_flag.clear()
                try:
                    worker.jobs.send((job.key, job.config))
                except OSError:  # it died just now; the reader replaces it
                    self._queue.appendleft(job)
                    continue
                worker.job = job
                self.runs_started += 1
                self._changed(job, status=RUNNING, pid=worker.process.pid)

    def _cancel(self, job: Job) -> None:
        if job.status == QUEUED:
            self._queue.remove(job)
            self._finish(job, STOPPED)
            return
        if self._jobs.get(job.key) is job:  # a new request for these settings starts afresh
            del self._jobs[job.key]
        for worker in self._workers:
            if worker.job is job and not worker.stop_asked_at:
                worker.stop_flag.set()
                worker.stop_asked_at = time.monotonic()

    def _finish(self, job: Job, status: str, result: RunResult | None = None, error: str = ""):
        if result is not None:
            self._changed(job, result=result)
        if status == DONE and job.result is not None:
            self._results[job.key] = job.result
            while len(self._results) > self._max_results:
                self._results.popitem(last=False)
        if status == STOPPED and job.result is not None:
            job.result.stopped = True
        if self._jobs.get(job.key) is job:
            del self._jobs[job.key]
        self._changed(job, status=status, error=error)
        job.finished.set()

    # ---------------------------------------------------------------- the reader thread
    def _read(self) -> None:
        last_prune = 0.0
        while True:
            with self._lock:
                if self._closed:
                    return
                waitables = {}
                for w in self._workers:
                    waitables[w.events] = w
                    waitables[w.process.sentinel] = w
            try:
                ready = wait_for_any(list(waitables), timeout=0.25)
            except OSError:
                ready = []
            with self._lock:
                if self._closed:
                    return
                for item in ready:
                    worker = waitables[item]
                    if item is worker.events:
                        self._receive(worker)
                    elif worker in self._workers:
                        self._replace(worker)
                self._overdue_stops()
                if time.monotonic() - last_prune > 1.0:
                    last_prune = time.monotonic()
                    self._prune_watchers()
                self._dispatch()

    def _receive(self, worker: _Worker) -> None:
        try:
            while worker.events.poll():
                self._handle(worker, worker.events.recv())
        except (EOFError, OSError):
            pass  # its sentinel fires too; the worker is replaced there

    def _handle(self, worker: _Worker, message: tuple) -> None:
        kind = message[0]
        if kind == "ready":
            worker.ready = True
            return
        job = worker.job
        if job is None or message[1] != job.key:
            return
        if kind == "batch":
            self._changed(job, progress=message[2])
        elif kind == "epoch":
            run = message[2]
            self._changed(job, result=run, progress=(run.epochs_done, 0, 0))
        else:  # "finished" or "failed": the worker is free again
            worker.job = None
            worker.stop_asked_at = 0.0
            if kind == "failed":
                self._finish(job, FAILED, error=message[2])
            else:
                run = message[2]
                self._finish(job, STOPPED if run.stopped else DONE, result=run)

    def _replace(self, worker: _Worker) -> None:
        """A worker died (or was terminated): fail or end its job, start another worker."""
        job = worker.job
        if job is not None:
            if worker.stop_asked_at:
                self._finish(job, STOPPED)
            else:
                self._finish(job, FAILED, error=CRASHED)
        worker.process.join(1)
        for end in (worker.jobs, worker.events):
            end.close()
        self._failed_starts = 0 if worker.ready else self._failed_starts + 1
        if self._failed_starts < START_ATTEMPTS:
            self._workers[self._workers.index(worker)] = self._start_worker()
            return
        # Workers that cannot even start (a broken installation): stop trying, say so.
        self._workers.remove(worker)
        if not self._workers:
            while self._queue:
                self._finish(self._queue.popleft(), FAILED, error=NO_WORKERS)

    def _overdue_stops(self) -> None:
        now = time.monotonic()
        for worker in self._workers:
            if worker.stop_asked_at and now - worker.stop_asked_at > self._stop_grace:
                worker.process.terminate()  # its sentinel fires; _replace ends the job

    def _prune_watchers(self) -> None:
        if self._watcher_alive is None:
            return
        now = time.monotonic()
        watched = {w for job in self._jobs.values() for w in job.watchers}
        gone = set()
        for watcher in watched:
            if self._safe_alive(watcher):
                self._missing.pop(watcher, None)
            elif now - self._missing.setdefault(watcher, now) >= self._watcher_grace:
                gone.add(watcher)
        self._missing = {w: t for w, t in self._missing.items() if w in watched - gone}
        for job in list(self._jobs.values()):
            alive = job.watchers - gone
            if alive != job.watchers:
                job.watchers = alive
                if not alive:
                    self._cancel(job)

    def _safe_alive(self, watcher: str) -> bool:
        try:
            return bool(self._watcher_alive(watcher))
        except Exception:  # noqa: BLE001 - when in doubt, keep the watch
            return True


# --------------------------------------------------------------------------
# one pool per server process
# --------------------------------------------------------------------------
_shared: dict = {}
_shared_lock = threading.Lock()


def shared_pool(watcher_alive: Callable[[str], bool] | None = None) -> TrainingPool:
    """The process-wide pool, created on first use (thread-safe); closed at exit.

    ``SEGLOSS_TRAIN_WORKERS`` sets its size (default :func:`default_size`).
    """
    with _shared_lock:
        pool = _shared.get("pool")
        if pool is None:
            size = int(os.environ.get("SEGLOSS_TRAIN_WORKERS", "0") or 0) or None
            pool = TrainingPool(size, watcher_alive=watcher_alive)
            _shared["pool"] = pool
            atexit.register(pool.close)
        return pool
