"""A class at once: N simulated users on one real server, against N = 1 in the same run.

Each user is one websocket speaking Streamlit's protocol (``bench/stclient.py``), so one
process holds dozens of them. The run, in order:

1. start ``streamlit run app.py`` headless on a free port (or use ``--url``) and open the
   page once (the first open after a start imports TensorFlow; not counted);
2. N = 1 baseline: open the page a few times one after another, then one user moves the
   loss slider about once a second;
3. "open": the N users open the page, each at a random moment within ``--spread`` seconds;
4. "sliders": all N move the slider about once a second for ``--seconds``; meanwhile
   ``--train K`` further users open the training lab and press Train (the extension point
   for the training pool: see ``train_user``).

It prints p50 / p95 / max of page open, slider to new value (the loss metric's new text)
and slider to figures (the last plotly chart of the figures' run), the errors, and the
server's RSS and CPU (cores busy) in each phase. ``--check`` exits 1 when a target fails:
slider value p95 <= 4x the N = 1 median, figures p95 <= 4x the N = 1 figures median,
open p95 <= 8x the N = 1 open median, zero errors.

    python bench/load.py --users 30 --seconds 60 --check
    python bench/load.py --users 3 --seconds 5              # smoke (tests/test_load_smoke.py)
    python bench/load.py --loopback --users 60      # two replicas behind nginx, on loopback
    python bench/load.py --url http://127.0.0.1:8080 --pid 1234 --pid 1235   # any server
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from bench.stclient import StreamlitSession, loss_slider_choices  # noqa: E402

#: target: p95 of N users within this many times the N = 1 median of the same run
TARGETS = {"open": 8.0, "value": 4.0, "figures": 4.0}
MOVE_TIMEOUT = 15.0  # a slider move that has not brought its figures by then is an error
OPEN_TIMEOUT = 90.0


@dataclass
class Samples:
    """Times in seconds per measurement, and the errors by kind."""

    open: list[float] = field(default_factory=list)
    value: list[float] = field(default_factory=list)
    figures: list[float] = field(default_factory=list)
    train: list[float] = field(default_factory=list)
    moves: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)

    def error(self, kind: str, detail: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1
        if len(self.examples) < 5:
            self.examples.append(f"{kind}: {detail}"[:300])

    @property
    def n_errors(self) -> int:
        return sum(self.errors.values())


# ---------------------------------------------------------------------------- one user
async def open_page(url: str, samples: Samples, timeout: float = OPEN_TIMEOUT):
    """Connect and open ``url``; the session (kept open) or None on an error."""
    session = StreamlitSession(url, timeout=timeout)
    started = time.monotonic()
    try:
        await session.connect()
        await session.open()
    except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
        samples.error("open", f"{type(exc).__name__}: {exc}")
        await _quietly_close(session)
        return None
    samples.open.append(time.monotonic() - started)
    session.timeout = MOVE_TIMEOUT
    return session


async def _quietly_close(session: StreamlitSession) -> None:
    try:
        await session.close()
    except Exception:  # noqa: BLE001 - closing a broken session
        pass


async def move_sliders(
    session: StreamlitSession, label: str, seconds: float, samples: Samples, seed: int
) -> None:
    """Move the slider called ``label`` to a new random value about once a second."""
    rng = random.Random(seed)
    end = time.monotonic() + seconds
    await asyncio.sleep(rng.uniform(0.0, 1.0))  # students do not move in step
    while time.monotonic() < end:
        tick = time.monotonic()
        slider = session.loss_slider(label)
        choices = loss_slider_choices(slider, session)
        try:
            move = await session.move_loss_slider(slider, rng.choice(choices))
        except Exception as exc:  # noqa: BLE001
            samples.error("slider", f"{type(exc).__name__}: {exc}")
            return  # a broken session stays broken; its user is counted once
        samples.moves += 1
        if move.value_seconds is None:
            samples.error("no new value", f"the metric kept its text ({session.metrics()})")
        else:
            samples.value.append(move.value_seconds)
        if move.figures_seconds is None:
            samples.error("no figures", "the move brought no plotly chart")
        else:
            samples.figures.append(move.figures_seconds)
        await asyncio.sleep(max(0.0, 1.0 - (time.monotonic() - tick)) + rng.uniform(-0.1, 0.1))


async def train_user(base_url: str, samples: Samples, button: str = "Train") -> None:
    """One student on the training lab who presses Train and watches until the results.

    The page queues the run in the training pool and shows its progress in a fragment that
    polls (``st.fragment(run_every=...)``); the client plays the browser's timer
    (:meth:`StreamlitSession.auto_rerun`) and stops at the first "Validation Dice" metric.
    """
    opened = Samples()  # the lab's open is not one of the class's page opens
    session = await open_page(f"{base_url}/training_lab", opened)
    if session is None:
        samples.error("train", "; ".join(opened.examples))
        return
    session.timeout = 600.0
    try:
        found = session.find("button", button)
        if not found:
            samples.error("train", f"no button labelled {button!r}")
            return
        started = time.monotonic()
        await session.click(found[0])
        while not _trained(session):
            if time.monotonic() - started > TRAIN_TIMEOUT:
                samples.error("train", "no results after the timeout")
                return
            await asyncio.sleep(min(session.auto_reruns.values(), default=1.0))
            await (session.auto_rerun() if session.auto_reruns else session.rerun())
        samples.train.append(time.monotonic() - started)
    except Exception as exc:  # noqa: BLE001
        samples.error("train", f"{type(exc).__name__}: {exc}")
    finally:
        await _quietly_close(session)


TRAIN_TIMEOUT = 600.0


def _trained(session: StreamlitSession) -> bool:
    """Whether the page shows a finished run's results (its validation metrics)."""
    return any(
        kind == "metric" and "Validation Dice" in body.label
        for kind, body in session.elements.values()
    )


# ---------------------------------------------------------------------------- the server
class ServerWatch:
    """RSS and CPU of the server's processes, read from /proc (Linux)."""

    def __init__(self, pids: list[int]) -> None:
        self.pids = pids
        self.ticks = os.sysconf("SC_CLK_TCK")

    def rss_mb(self) -> float | None:
        total = 0
        for pid in self.pids:
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except OSError:
                return None
        return total / 1024 if self.pids else None

    def cpu_seconds(self) -> float | None:
        total = 0.0
        for pid in self.pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                return None
            total += (int(fields[11]) + int(fields[12])) / self.ticks  # utime + stime
        return total if self.pids else None


def training_workers(server_pid: int) -> list[int]:
    """The server's spawned training processes (multiprocessing's spawn children, not its
    resource tracker); watch them with :class:`ServerWatch`."""
    out = []
    for task in Path(f"/proc/{server_pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            try:
                cmd = Path(f"/proc/{child}/cmdline").read_bytes()
            except OSError:  # it ended while we looked
                continue
            if b"spawn_main" in cmd:
                out.append(int(child))
    return out


@dataclass
class Phase:
    """The server's RSS (start, peak, end) and mean cores busy over one phase."""

    rss: list[float] = field(default_factory=list)
    cores: float | None = None
    cpu: float | None = None  # server CPU seconds over the phase


async def watched(watch: ServerWatch, coro) -> tuple[object, Phase]:
    """Run ``coro`` while sampling the server twice a second."""
    phase = Phase()
    cpu0, t0 = watch.cpu_seconds(), time.monotonic()
    task = asyncio.ensure_future(coro)
    while not task.done():
        rss = watch.rss_mb()
        if rss is not None:
            phase.rss.append(rss)
        await asyncio.wait([task], timeout=0.5)
    cpu1 = watch.cpu_seconds()
    if cpu0 is not None and cpu1 is not None:
        phase.cpu = cpu1 - cpu0
        phase.cores = phase.cpu / max(time.monotonic() - t0, 1e-9)
    return task.result(), phase


# ---------------------------------------------------------------------------- scenarios
async def baseline(url: str, label: str, seconds: float, opens: int = 5) -> Samples:
    """N = 1: ``opens`` page opens one after another, then one user moving the slider."""
    samples = Samples()
    for _ in range(opens - 1):
        session = await open_page(url, samples)
        if session is not None:
            await _quietly_close(session)
    session = await open_page(url, samples)
    if session is not None:
        await move_sliders(session, label, seconds, samples, seed=0)
        await _quietly_close(session)
    return samples


async def crowd(
    url: str, base_url: str, label: str, users: int, seconds: float, spread: float, train: int
) -> Samples:
    """N users open within ``spread`` seconds, then move sliders while ``train`` users train."""
    samples = Samples()

    async def one_open(i: int):
        await asyncio.sleep(random.Random(1000 + i).uniform(0.0, spread))
        return await open_page(url, samples)

    sessions = [s for s in await asyncio.gather(*(one_open(i) for i in range(users))) if s]
    open_done = Samples(open=list(samples.open), errors=dict(samples.errors))
    open_done.examples = list(samples.examples)
    moving = [move_sliders(s, label, seconds, samples, seed=i + 1) for i, s in enumerate(sessions)]
    training = [train_user(base_url, samples) for _ in range(train)]
    await asyncio.gather(*moving, *training)
    for s in sessions:
        await _quietly_close(s)
    return samples


# ---------------------------------------------------------------------------- report
def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _s(v: float | None) -> str:
    return "-" if v is None else f"{v:.3f}"


def verdicts(one: Samples, many: Samples) -> list[tuple[str, float | None, float, bool]]:
    """(measure, ratio of N's p95 to N = 1's median, target, passed) for each target."""
    out = []
    for name, target in TARGETS.items():
        base = getattr(one, name)
        p95 = _pct(getattr(many, name), 0.95)
        if not base or p95 is None:
            out.append((name, None, target, False))
            continue
        ratio = p95 / statistics.median(base)
        out.append((name, ratio, target, ratio <= target))
    out.append(
        ("errors", float(one.n_errors + many.n_errors), 0.0, one.n_errors + many.n_errors == 0)
    )
    return out


def report(users: int, one: Samples, many: Samples, phases: dict[str, Phase]) -> str:
    lines = [
        f"{'measure (s)':<18}{'N=1 median':>11}{f'N={users} p50':>11}{'p95':>8}{'max':>8}"
        f"{'n':>6}{'p95/N1':>9}{'target':>8}  verdict"
    ]
    checks = {name: (ratio, target, ok) for name, ratio, target, ok in verdicts(one, many)}
    for name, title in (
        ("open", "page open"),
        ("value", "slider -> value"),
        ("figures", "slider -> figures"),
    ):
        base, got = getattr(one, name), getattr(many, name)
        ratio, target, ok = checks[name]
        lines.append(
            f"{title:<18}{_s(statistics.median(base) if base else None):>11}"
            f"{_s(_pct(got, 0.5)):>11}{_s(_pct(got, 0.95)):>8}{_s(max(got) if got else None):>8}"
            f"{len(got):>6}{'-' if ratio is None else f'{ratio:.1f}x':>9}{f'{target:.0f}x':>8}"
            f"  {'PASS' if ok else 'FAIL'}"
        )
    if many.train:
        lines.append(
            f"{'train click->done':<18}{'':>11}{_s(_pct(many.train, 0.5)):>11}"
            f"{_s(_pct(many.train, 0.95)):>8}{_s(max(many.train)):>8}{len(many.train):>6}"
        )
    lines.append(
        f"slider moves: N=1 {one.moves}, N={users} {many.moves}; errors: N=1 {one.errors or 0}, "
        f"N={users} {many.errors or 0}  {'PASS' if checks['errors'][2] else 'FAIL'}"
    )
    for example in one.examples + many.examples:
        lines.append(f"  error: {example}")
    for (name, phase), samples in zip(phases.items(), (one, many), strict=False):
        rss = phase.rss
        rss_text = f"{rss[0]:.0f} / {max(rss):.0f} / {rss[-1]:.0f} MB" if rss else "n/a"
        cores = "n/a" if phase.cores is None else f"{phase.cores:.2f}"
        # CPU per move: what one slider move costs the server, opens included (the
        # least noisy figure on a shared machine: it does not count waiting)
        per_move = (
            f"{phase.cpu / samples.moves * 1e3:.0f} ms"
            if phase.cpu is not None and samples.moves
            else "n/a"
        )
        lines.append(
            f"server {name:<6} RSS start/peak/end {rss_text}; cores busy {cores}; "
            f"CPU per slider move {per_move}"
        )
    return "\n".join(lines)


# ---------------------------------------------------------------------------- main
def _stop(proc) -> None:
    from browser_support import stop_streamlit

    stop_streamlit(proc)


def _start_server() -> tuple[str, object]:
    from browser_support import start_streamlit

    return start_streamlit(ROOT / "app.py", timeout=120)


async def run(args) -> tuple[Samples, Samples, dict[str, Phase]]:
    base_url = args.url.rstrip("/")
    url = f"{base_url}/{args.page}" + (f"?{args.query}" if args.query else "")
    watch = ServerWatch(args.pid)
    warm = Samples()
    for _ in range(4):  # TensorFlow's import and the first caches (of each replica, behind nginx)
        session = await open_page(url, warm)
        if session is None:
            raise SystemExit(f"could not open {url}: {warm.examples}")
        await _quietly_close(session)
    phases = {}
    one, phases["N=1"] = await watched(watch, baseline(url, args.slider, args.baseline_seconds))
    many, phases[f"N={args.users}"] = await watched(
        watch,
        crowd(url, base_url, args.slider, args.users, args.seconds, args.spread, args.train),
    )
    return one, many, phases


def parse(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--users", type=int, default=30)
    ap.add_argument("--seconds", type=float, default=60.0, help="how long the sliders move")
    ap.add_argument("--baseline-seconds", type=float, default=None, help="N=1 slider time")
    ap.add_argument("--spread", type=float, default=3.0, help="the opens fall within this")
    ap.add_argument("--url", help="an existing server or proxy (default: start one)")
    ap.add_argument(
        "--loopback", action="store_true", help="two replicas behind nginx (deploy/loopback.py)"
    )
    ap.add_argument("--pid", type=int, action="append", default=[], help="server pid(s)")
    ap.add_argument("--page", default="tversky")
    ap.add_argument("--query", default="", help="query string for the page, e.g. alpha=0.3")
    ap.add_argument("--slider", default="alpha", help="the slider's label (a part of it)")
    ap.add_argument("--train", type=int, default=0, help="users pressing Train meanwhile")
    ap.add_argument("--check", action="store_true", help="exit 1 when a target fails")
    args = ap.parse_args(argv)
    if args.baseline_seconds is None:
        args.baseline_seconds = min(max(args.seconds / 3, 5.0), 20.0)
    return args


def main(argv=None) -> int:
    args = parse(argv)
    proc = None
    with contextlib.ExitStack() as stack:
        if args.loopback:
            from deploy.loopback import running

            lb = stack.enter_context(running())
            args.url, args.pid = lb.url, lb.pids
        elif not args.url:
            args.url, proc = _start_server()
            args.pid = args.pid or [proc.pid]
            stack.callback(_stop, proc)
        one, many, phases = asyncio.run(run(args))
    print(f"{args.users} users on {args.url}/{args.page}, sliders for {args.seconds:.0f} s")
    print(report(args.users, one, many, phases))
    failed = [name for name, _, _, ok in verdicts(one, many) if not ok]
    print("targets:", "all PASS" if not failed else "FAIL " + ", ".join(failed))
    if proc is not None:
        print(f"server log: {proc.log_path}")
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
