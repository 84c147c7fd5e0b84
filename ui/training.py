"""The Training lab page: train a small U-Net with one or two losses and watch.

The page is a thin layer over :mod:`trainlab`:

* controls: loss A and an optional loss B (any loss of the registry, or BCE),
  each with its parameter sliders built from the registry's ``Param`` objects;
  the data (seed, number of images, object size, foreground share) and the
  training (epochs; batch, learning rate and model width under "More settings");
* Train and Stop buttons, a progress bar, per-epoch charts and a gallery of
  validation predictions, all redrawn while the model trains;
* after the run, one metric row per loss ("Validation Dice", precision,
  recall, objects found) and a "what to notice" summary written from the
  measured numbers (:func:`trainlab.train.summarize`).

State. Finished runs are cached with ``st.cache_data`` under a key made of
every setting: a run is deterministic, so any session that asks for the same
settings may reuse it, and revisiting a finished run is instant. The job that
is training lives in this session's ``st.session_state`` only, so two people
training at the same time never see each other's progress.

Stopping. Streamlit interrupts a running script at its next element update
when a widget is used; the progress bar is updated after every batch, so
Stop (or any other control) ends the training within one batch. The next run
of the script finds the job still marked "running" and records it as stopped
(Stop) or interrupted (any other control), keeping the finished epochs.
"""

from __future__ import annotations

import json
import time

import numpy as np
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from teaching import registry

from . import charts
from .errors import guard

P = "tl:"  # prefix of this page's session-state keys

RUN_COLORS = ("#D55E00", "#0072B2")  # vermillion for loss A, blue for loss B
ZOOM = 3  # gallery images are shown at 3x (nearest neighbour, crisp on a projector)

DEFAULTS = {
    "loss_a": "bce",
    "loss_b": "dice",
    "compare": True,
    "seed": 0,
    "n_train": 256,
    "epochs": 15,
    "object_size": 3.0,
    "fg_percent": 1.0,
    "n_val": 64,
    "batch_size": 32,
    "learning_rate": 0.01,
    "width": 4,
}

INTRO = (
    "The other pages show what a loss says about one prediction. Here you see what it does "
    "to a model. A small U-Net learns to find small bright objects on a noisy, textured "
    "background where, by default, only one pixel in a hundred belongs to an object. Pick one "
    "loss, or two to compare, press **Train**, and watch the validation numbers move. "
    "Everything runs on the CPU of this server, in seconds to half a minute per loss."
)

GALLERY_LEGEND = (
    "Each square is one validation image. Colours: "
    f"<span style='color:{charts.TP_COLOR}'>■</span> object found, "
    f"<span style='color:{charts.FN_COLOR}'>■</span> object missed, "
    f"<span style='color:{charts.FP_COLOR}'>■</span> false alarm, light grey: background "
    "left alone. Mixed colours mean the model is unsure (probabilities between 0 and 1)."
)


# --------------------------------------------------------------------------
# cached pieces
# --------------------------------------------------------------------------
class _NotCached(Exception):
    """Raised by :func:`_finished_run` when no finished run is stored for a key."""


@st.cache_data(show_spinner=False, max_entries=64)
def _finished_run(key: str, _run=None):
    """The finished run stored under ``key`` (all its settings, as JSON).

    Called with ``_run`` it stores that run (Streamlit does not hash
    underscore arguments, so the key alone decides); called without, it
    returns the stored run or raises :class:`_NotCached` (Streamlit never
    caches an exception, so a miss stays a miss).
    """
    if _run is None:
        raise _NotCached(key)
    return _run


@st.cache_resource(show_spinner=False, max_entries=8)
def _task(
    n_train: int, n_val: int, fg_fraction: float, object_size: float, image_size: int, seed: int
):
    """The generated images (shared read-only by every session)."""
    from trainlab.data import make_task

    return make_task(n_train, n_val, fg_fraction, object_size, image_size, seed)


def run_key(config) -> str:
    return json.dumps(config.to_dict(), sort_keys=True)


def lookup(config):
    """The cached finished run for ``config``, or None."""
    try:
        return _finished_run(run_key(config))
    except _NotCached:
        return None


def store(run) -> None:
    if not run.stopped and run.epochs_done == run.config.epochs:
        _finished_run(run_key(run.config), _run=run)


# --------------------------------------------------------------------------
# controls
# --------------------------------------------------------------------------
LOSS_KEYS = tuple(registry.ALL_SPECS)
BATCH_SIZES = (8, 16, 32, 64, 128)
LEARNING_RATES = (0.0005, 0.001, 0.002, 0.005, 0.01, 0.02)
WIDTHS = (4, 8, 16)

#: Settings a link may carry (``?loss_a=focal&loss_b=dice&epochs=10``): query name ->
#: (setting, kind, allowed range or choices). ``loss_b=none`` trains one loss only.
LINK = {
    "loss_a": ("loss_a", "choice", LOSS_KEYS),
    "loss_b": ("loss_b", "choice", (*LOSS_KEYS, "none")),
    "seed": ("seed", "int", (0, 2**31 - 1)),
    "images": ("n_train", "int", (8, 2048)),
    "val": ("n_val", "int", (8, 512)),
    "epochs": ("epochs", "int", (1, 60)),
    "size": ("object_size", "float", (1.0, 8.0)),
    "fg": ("fg_percent", "float", (0.5, 5.0)),
    "batch": ("batch_size", "choice", BATCH_SIZES),
    "lr": ("learning_rate", "choice", LEARNING_RATES),
    "width": ("width", "choice", WIDTHS),
}

_WIDGET_KEYS = {
    "loss_a": f"{P}loss:A",
    "loss_b": f"{P}loss:B",
    "compare": f"{P}compare",
    **{name: f"{P}{name}" for name in DEFAULTS if name not in ("loss_a", "loss_b", "compare")},
}


def _parse(raw: str, kind: str, allowed):
    """A query value as a setting, or None when it is not acceptable."""
    try:
        if kind == "choice":
            for option in allowed:
                if str(option) == raw or (
                    not isinstance(option, str) and float(raw) == float(option)
                ):
                    return option
            return None
        value = int(raw) if kind == "int" else float(raw)
    except ValueError:
        return None
    lo, hi = allowed
    return min(max(value, lo), hi)


def init_state() -> None:
    """Give every control its starting value once per session: the link's, else the default."""
    if st.session_state.get(f"{P}initialised"):
        # Streamlit forgets the value of a widget that was not drawn in the last run (loss B
        # while the comparison is off): bring such a control back at its default.
        for setting, key in _WIDGET_KEYS.items():
            st.session_state.setdefault(key, DEFAULTS[setting])
        return
    values = dict(DEFAULTS)
    ignored = []
    for name, (setting, kind, allowed) in LINK.items():
        raw = st.query_params.get(name)
        if raw is None:
            continue
        value = _parse(raw, kind, allowed)
        if value is None:
            ignored.append(f"{name}={raw}")
        elif setting == "loss_b" and value == "none":
            values["compare"] = False
        else:
            values[setting] = value
    for setting, key in _WIDGET_KEYS.items():
        st.session_state.setdefault(key, values[setting])
    st.session_state[f"{P}initialised"] = True
    if ignored:
        st.toast("Ignored from the link (not a valid setting): " + ", ".join(ignored))


def _fmt_loss(key: str) -> str:
    return registry.ALL_SPECS[key].title


def _loss_controls(slot: str) -> tuple[str, dict]:
    """A loss picker and its parameter sliders, read from the registry's Param objects."""
    key = st.selectbox(f"Loss {slot}", LOSS_KEYS, format_func=_fmt_loss, key=f"{P}loss:{slot}")
    spec = registry.ALL_SPECS[key]
    params: dict = {}
    for p in spec.params:
        wkey = f"{P}{slot}:{key}:{p.name}"
        st.session_state.setdefault(wkey, p.blog)
        helptext = f"{p.help} Blog: {p.blog:g}, paper: {p.paper:g}."
        if p.kind == "bool":
            params[p.name] = st.checkbox(p.label, key=wkey, help=p.help)
            continue
        if p.choices:
            value = st.select_slider(
                p.label,
                options=list(p.choices),
                format_func=lambda v: f"{v:g}",
                key=wkey,
                help=helptext,
            )
        else:
            value = st.slider(
                p.label,
                min_value=float(p.lo),
                max_value=float(p.hi),
                step=float(p.step),
                key=wkey,
                help=helptext,
            )
        params[p.name] = float(value)
    if not spec.params:
        st.caption("No parameters: every pixel's cross-entropy, averaged.")
    st.caption(spec.summary)
    return key, params


def controls() -> tuple[list, list[str]]:
    """Draw every control; return the run configs (one or two) and the errors found."""
    from trainlab.train import TrainConfig, validate

    init_state()
    col_a, col_b, col_data = st.columns(3, gap="medium")
    with col_a:
        st.markdown(
            f"<span style='color:{RUN_COLORS[0]}'>●</span> **First loss**", unsafe_allow_html=True
        )
        key_a, params_a = _loss_controls("A")
    with col_b:
        st.markdown(
            f"<span style='color:{RUN_COLORS[1]}'>●</span> **Second loss**", unsafe_allow_html=True
        )
        compare = st.checkbox("Compare with a second loss", key=f"{P}compare")
        if compare:
            key_b, params_b = _loss_controls("B")
    with col_data:
        st.markdown("**Data and training**")
        seed = st.number_input(
            "Seed",
            min_value=0,
            max_value=2**31 - 1,
            step=1,
            key=f"{P}seed",
            help="Chooses the images, the starting weights and the order of the batches. "
            "The same seed and settings always give the same curves.",
        )
        n_train = st.number_input(
            "Training images",
            min_value=8,
            max_value=2048,
            step=32,
            key=f"{P}n_train",
            help="64 x 64 pixels each. More images: better models, slower epochs.",
        )
        epochs = st.slider(
            "Epochs", 1, 60, key=f"{P}epochs", help="Passes over the training images."
        )
        object_size = st.slider(
            "Object size (radius in pixels)",
            1.0,
            8.0,
            step=0.5,
            key=f"{P}object_size",
            help="Typical radius of a blob; the thin lines are a few times longer than it.",
        )
        fg_percent = st.slider(
            "Foreground (% of pixels)",
            0.5,
            5.0,
            step=0.25,
            key=f"{P}fg_percent",
            help="How much of each image the objects cover, on average. Less foreground "
            "means a stronger imbalance between object and background pixels.",
        )
        with st.expander("More settings"):
            n_val = st.number_input(
                "Validation images",
                min_value=8,
                max_value=512,
                step=16,
                key=f"{P}n_val",
                help="A fixed set, generated from the seed, never used for training.",
            )
            batch_size = st.select_slider("Batch size", BATCH_SIZES, key=f"{P}batch_size")
            learning_rate = st.select_slider(
                "Learning rate (Adam)", LEARNING_RATES, key=f"{P}learning_rate"
            )
            width = st.select_slider(
                "Model width (filters in the first layer)",
                WIDTHS,
                key=f"{P}width",
                help="4: about 4,400 weights; 8: about 17,000; 16: about 70,000 (slower).",
            )
            st.caption(
                "A link can carry these settings, for example "
                "`?loss_a=focal&loss_b=dice&epochs=10&images=128&fg=2`."
            )

    errors: list[str] = []
    common = dict(
        n_train=int(n_train),
        n_val=int(n_val),
        fg_fraction=round(float(fg_percent) / 100.0, 6),
        object_size=float(object_size),
        seed=int(seed),
        epochs=int(epochs),
        batch_size=int(batch_size),
        learning_rate=float(learning_rate),
        width=int(width),
    )
    configs = [TrainConfig(loss=key_a, params=params_a, **common)]
    if compare:
        configs.append(TrainConfig(loss=key_b, params=params_b, **common))
        if configs[0] == configs[1]:
            errors.append(
                "Both slots hold the same loss with the same parameters, so the two runs "
                "would be identical. Change a parameter of the second loss, pick another "
                "loss, or untick *Compare with a second loss*."
            )
    try:
        validate(configs[0])  # the data and training settings are shared
    except ValueError as exc:
        errors.append(f"This setting cannot train: {exc}")
    return configs, errors


# --------------------------------------------------------------------------
# figures
# --------------------------------------------------------------------------
PANELS = (
    ("loss", "Loss (solid: training, dotted: validation)"),
    ("dice", "Dice"),
    ("iou", "IoU"),
    ("precision", "Precision"),
    ("recall", "Recall"),
    ("objects_found", "Objects found (share)"),
)


def curves_figure(runs: list, total_epochs: int) -> go.Figure:
    """Per-epoch validation metrics of every run, one colour per run."""
    fig = make_subplots(
        rows=2,
        cols=3,
        subplot_titles=[t for _, t in PANELS],
        horizontal_spacing=0.07,
        vertical_spacing=0.2,
    )
    for i, run in enumerate(runs):
        color = RUN_COLORS[i % len(RUN_COLORS)]
        h = run.history
        label = f"{'AB'[i]}: {run.title}"
        for j, (metric, _) in enumerate(PANELS):
            row, col = divmod(j, 3)
            if metric == "loss":
                fig.add_scatter(
                    x=h["epoch"][1:],
                    y=h["loss"][1:],
                    name=label,
                    legendgroup=label,
                    line=dict(color=color, width=3),
                    row=1,
                    col=1,
                    hovertemplate="epoch %{x}: %{y:.4f}",
                )
                fig.add_scatter(
                    x=h["epoch"],
                    y=h["val_loss"],
                    name=label,
                    legendgroup=label,
                    line=dict(color=color, width=2, dash="dot"),
                    showlegend=False,
                    row=1,
                    col=1,
                    hovertemplate="epoch %{x}: %{y:.4f} (validation)",
                )
            else:
                fig.add_scatter(
                    x=h["epoch"],
                    y=h[metric],
                    name=label,
                    legendgroup=label,
                    line=dict(color=color, width=3),
                    mode="lines+markers",
                    marker=dict(size=5),
                    showlegend=False,
                    row=row + 1,
                    col=col + 1,
                    hovertemplate="epoch %{x}: %{y:.3f}",
                )
    fig.update_xaxes(range=[-0.3, max(total_epochs, 1) + 0.3], title_text="epoch", row=2)
    fig.update_xaxes(range=[-0.3, max(total_epochs, 1) + 0.3])
    for j in range(1, 6):
        row, col = divmod(j, 3)
        fig.update_yaxes(range=[-0.03, 1.03], row=row + 1, col=col + 1)
    fig.update_layout(
        height=560,
        font=charts.FONT,
        template="plotly_white",
        margin=dict(l=10, r=10, t=60, b=10),
        legend=dict(orientation="h", yanchor="bottom", y=1.08, xanchor="left", x=0),
        hovermode="x",
    )
    fig.update_annotations(font_size=15)
    return fig


def _zoom(img: np.ndarray) -> np.ndarray:
    return np.repeat(np.repeat(img, ZOOM, axis=0), ZOOM, axis=1)


def gallery_rows(task, runs: list) -> list[tuple[str, list[np.ndarray]]]:
    """Rows of RGB images: the inputs, the truth, then each run's prediction."""
    idx = runs[0].gallery_index
    rows = []
    imgs = task.val.images[idx, ..., 0]
    grey = [
        charts.framed(_zoom(np.repeat((im * 255).astype(np.uint8)[..., None], 3, 2))) for im in imgs
    ]
    rows.append(("What the model sees", grey))
    truth = [_zoom(charts.overlap_rgb(m, m)) for m in task.val.masks[idx, ..., 0]]
    rows.append(("The objects to find (ground truth)", truth))
    for i, run in enumerate(runs):
        if run.gallery_pred is None:
            continue
        preds = run.gallery_pred.astype(np.float32) / 255.0
        pics = [
            _zoom(charts.overlap_rgb(m, p))
            for m, p in zip(task.val.masks[idx, ..., 0], preds, strict=True)
        ]
        rows.append((f"{'AB'[i]}: {run.title}, after epoch {run.epochs_done}", pics))
    return rows


def show_gallery(task, runs: list) -> None:
    for caption, pics in gallery_rows(task, runs):
        st.caption(caption)
        st.image(pics, width=64 * ZOOM + 4)


def show_metrics(runs: list) -> None:
    cols = st.columns(len(runs))
    for i, (col, run) in enumerate(zip(cols, runs, strict=True)):
        f, h = run.final, run.history
        with col:
            st.markdown(
                f"<span style='color:{RUN_COLORS[i]}'>●</span> **{'AB'[i]}: {run.title}**",
                unsafe_allow_html=True,
            )
            c1, c2, c3, c4 = st.columns(4)
            gain = f["dice"] - h["dice"][0]
            flat = abs(gain) < 0.005
            c1.metric(
                "Validation Dice",
                f"{f['dice']:.2f}",
                delta="unchanged" if flat else f"{gain:+.2f} vs untrained",
                delta_color="off" if flat else "normal",
                delta_arrow="off" if flat else "auto",
                help="Dice of the thresholded prediction (probability >= 0.5) on the "
                "validation images, all pixels pooled. The change is measured against the "
                "same model before training.",
            )
            c2.metric(
                "Precision",
                f"{f['precision']:.2f}",
                help="Of the pixels marked, the share that are object.",
            )
            c3.metric(
                "Recall",
                f"{f['recall']:.2f}",
                help="Of the object pixels, the share that were marked.",
            )
            c4.metric(
                "Objects found",
                f"{round(f['objects_found'] * f['n_objects'])} / {f['n_objects']}",
                help="Validation objects of which the model marks at least half of the pixels.",
            )


def show_notice(runs: list) -> None:
    from trainlab.train import summarize

    st.subheader("What to notice")
    st.markdown("\n".join(f"- {line}" for line in summarize(runs)))
    st.caption(
        "These sentences are written from the numbers measured on the validation images "
        "after the last epoch (threshold 0.5), so they change when the settings change."
    )


def show_details(runs: list, task) -> None:
    cfg = runs[0].config
    with st.expander("Details and code"):
        st.markdown(
            f"- Data: {cfg.n_train} training and {cfg.n_val} validation images, "
            f"{task.train.n_objects} training objects, measured foreground "
            f"{task.train.fg_fraction:.2%} (asked {cfg.fg_fraction:.2%}).\n"
            f"- Model: U-Net with {runs[0].n_weights:,} weights, Adam with learning rate "
            f"{cfg.learning_rate:g}, batch {cfg.batch_size}, {cfg.epochs} epochs, seed {cfg.seed}.\n"
            + "\n".join(
                f"- {'AB'[i]}: {run.title}: {_epochs(run.epochs_done)} in {run.train_seconds:.1f} s "
                f"of training ({run.seconds:.1f} s in all)."
                for i, run in enumerate(runs)
            )
        )
        lines = ["from trainlab import TrainConfig, train", ""]
        for run in runs:
            c = run.config.to_dict()
            args = ", ".join(f"{k}={v!r}" for k, v in c.items())
            lines.append(f"run = train(TrainConfig({args}))")
            lines.append('print(run.final["dice"], run.final["precision"], run.final["recall"])')
        st.markdown("The same runs from a script (same numbers):")
        st.code("\n".join(lines), language="python")
        first = runs[-1].config
        params = {**registry.get(first.loss).defaults("blog"), **first.param_dict}
        args = ", ".join(f"{k}={v!r}" for k, v in params.items())
        st.markdown("The loss goes into your own model exactly like this:")
        st.code(
            "from losses import make_loss\n"
            f"model.compile(optimizer=keras.optimizers.Adam({first.learning_rate:g}), "
            f"loss=make_loss({first.loss!r}{', ' + args if args else ''}))",
            language="python",
        )


def _epochs(n: int) -> str:
    return f"{n} epoch" if n == 1 else f"{n} epochs"


def show_results(runs: list, task, note: str) -> None:
    """The finished (or stopped) view: metrics, curves, gallery, notes."""
    st.subheader("Results")
    if note:
        st.caption(note)
    show_metrics(runs)
    st.plotly_chart(curves_figure(runs, runs[0].config.epochs), key=f"{P}curves", width="stretch")
    if all(not r.stopped for r in runs):
        show_notice(runs)
    else:
        st.info(
            "The run was stopped before its last epoch, so there is no summary. The curves "
            "show the epochs that finished; press Train to run the whole setting."
        )
    st.subheader("Validation predictions")
    st.markdown(GALLERY_LEGEND, unsafe_allow_html=True)
    show_gallery(task, runs)
    show_details(runs, task)


def show_data_preview(task) -> None:
    with st.expander("Look at the training data"):
        idx = np.arange(min(6, len(task.train)))
        imgs = task.train.images[idx, ..., 0]
        grey = [
            charts.framed(_zoom(np.repeat((im * 255).astype(np.uint8)[..., None], 3, 2)))
            for im in imgs
        ]
        truth = [_zoom(charts.overlap_rgb(m, m)) for m in task.train.masks[idx, ..., 0]]
        st.image(grey, width=64 * ZOOM + 4)
        st.image(truth, width=64 * ZOOM + 4)
        empty = int((task.train.masks.reshape(len(task.train), -1).max(axis=1) == 0).sum())
        st.caption(
            f"{len(task.train)} training images with {task.train.n_objects} objects; "
            f"{task.train.fg_fraction:.2%} of the pixels are object; {empty} images "
            "contain no object at all."
        )


# --------------------------------------------------------------------------
# training with live updates
# --------------------------------------------------------------------------
def _train_live(job: dict, task) -> None:
    """Train every config of the job that is not cached, redrawing as it goes."""
    from trainlab.train import describe_loss, train

    configs = job["configs"]
    n = len(configs)
    status = st.empty()
    bar = st.progress(0.0, text="Starting...")
    chart = st.empty()
    gallery = st.empty()
    counter = iter(range(10**9))

    def runs_so_far():
        return [job["runs"][run_key(c)] for c in configs if run_key(c) in job["runs"]]

    def redraw() -> None:
        runs = runs_so_far()
        if not runs:
            return
        chart.plotly_chart(
            curves_figure(runs, configs[0].epochs), key=f"{P}live:{next(counter)}", width="stretch"
        )
        with gallery.container():
            st.markdown(GALLERY_LEGEND, unsafe_allow_html=True)
            show_gallery(task, runs)

    for i, cfg in enumerate(configs):
        key = run_key(cfg)
        cached = lookup(cfg)
        if cached is not None:
            job["runs"][key] = cached
            job["cached"].add(key)
            continue
        epochs = cfg.epochs
        total = epochs * max(cfg.n_train // cfg.batch_size, 1)
        name = describe_loss(cfg.loss, cfg.param_dict)
        title = f"{'AB'[i]}: {name}" if n > 1 else name

        def on_batch(epoch, step, steps, loss, i=i, title=title, total=total, epochs=epochs):
            done = (epoch - 1) * steps + step
            bar.progress(
                min((i + done / total) / n, 1.0),
                text=f"Training {title}: epoch {epoch} of {epochs}, batch {step} of {steps}",
            )

        def on_epoch(run, key=key, title=title, epochs=epochs):
            job["runs"][key] = run
            f = run.final
            status.markdown(
                f"**{title}**, epoch {run.epochs_done} of {epochs}: validation Dice "
                f"{f['dice']:.2f}, precision {f['precision']:.2f}, recall {f['recall']:.2f}"
            )
            redraw()

        run = train(cfg, task, on_epoch=on_epoch, on_batch=on_batch)
        job["runs"][key] = run
        store(run)
    bar.progress(1.0, text="Done")


# --------------------------------------------------------------------------
# the page
# --------------------------------------------------------------------------
def render() -> None:
    st.title("Training lab")
    st.markdown(INTRO)

    configs, errors = controls()
    for e in errors:
        st.error(e)

    b1, b2, _ = st.columns([1, 1, 4])
    train_clicked = b1.button(
        "Train", type="primary", key=f"{P}train", disabled=bool(errors), width="stretch"
    )
    stop_clicked = b2.button("Stop", key=f"{P}stop", width="stretch")

    job = st.session_state.get(f"{P}job")
    if stop_clicked:
        if job is not None and job["status"] == "running":
            _finish_stopped(job, "stopped")
        else:
            st.toast("Nothing is training right now.")
    elif job is not None and job["status"] == "running" and not train_clicked:
        _finish_stopped(job, "interrupted")

    if errors:
        return

    cfg0 = configs[0]
    try:
        task = _task(**cfg0.data_settings())
    except ValueError as exc:
        st.error(f"These settings cannot make a data set: {exc}")
        return

    if train_clicked:
        job = {
            "configs": configs,
            "status": "running",
            "runs": {},
            "cached": set(),
            "started": time.time(),
        }
        st.session_state[f"{P}job"] = job
        try:
            _train_live(job, task)
        except Exception as exc:  # a bug or a bad value: say so, never a traceback
            job["status"] = "failed"
            st.error(f"Training failed: {type(exc).__name__}: {exc}")
            return
        job["status"] = "done"
        st.rerun()

    with guard("show the training data"):
        show_data_preview(task)

    cached = [lookup(c) for c in configs]
    if all(r is not None for r in cached):
        same_job = job is not None and job["status"] == "done" and job["configs"] == configs
        if same_job and not all(run_key(c) in job["cached"] for c in configs):
            note = "These numbers come from the run you just watched."
        else:
            note = (
                "Loaded from the cache: this exact setting has been trained on this server "
                "before, and the same settings always give the same numbers."
            )
        with guard("draw the results"):
            show_results(cached, task, note)
        return

    if job is not None and job["runs"] and job["status"] in ("stopped", "interrupted", "done"):
        runs = [job["runs"][run_key(c)] for c in job["configs"] if run_key(c) in job["runs"]]
        if job["status"] == "done" and job["configs"] == configs:
            note = "These numbers come from the run you just watched."
        elif job["status"] == "done":
            note = "Results of your last run. The settings have changed since: press Train to run them."
        elif job["status"] == "stopped":
            note = "You stopped this run; the curves show the epochs that finished."
        else:
            note = (
                "This run was interrupted because a control changed while it trained; the "
                "curves show the epochs that finished. Press Train to run the current settings."
            )
        with guard("draw the results of the last run"):
            show_results(runs, _task(**job["configs"][0].data_settings()), note)
        return

    st.info(
        "Press **Train** to start. The default comparison (binary cross-entropy against "
        "Dice, 15 epochs) takes well under a minute."
    )


def _finish_stopped(job: dict, status: str) -> None:
    job["status"] = status
    for run in job["runs"].values():
        if run.epochs_done < run.config.epochs:
            run.stopped = True
