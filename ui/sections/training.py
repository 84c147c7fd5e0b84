"""The parts of the Training lab page: train a small U-Net with one or two losses and watch.

* controls: loss A and an optional loss B (any loss of the registry, or BCE), each
  with its parameter controls from the registry (:mod:`ui.widgets.sliders`); the data
  (seed, number of images, object size, foreground share) and the training (epochs;
  batch, learning rate and model width under "More settings"). Every setting lives in
  the session and in the page's link (:mod:`ui.runtime.params`).
* Train and Stop buttons, a progress bar, per-epoch charts and a gallery of validation
  predictions, all redrawn while the model trains;
* after the run, one metric row per loss and a "what to notice" summary written from
  the measured numbers (:mod:`ui.sections.training_story`).

Where training happens. Never in this server's Python process: each loss's run is a
job of the process-wide :func:`trainlab.pool.shared_pool`, trained in a worker
process. Jobs are keyed by every setting, so identical settings share one run (a
class pressing Train on the defaults costs one training, and everyone watches it),
and a finished run is kept for the next identical request. This session's
``tl:job`` holds only the keys of the jobs it watches and what it last saw of them.

Watching. While a job runs, :func:`live_view` is a fragment that polls the pool
once a second: the position in the queue, a progress bar (per batch, cheap) and the
charts and gallery, rebuilt once per finished epoch (shared by every session
watching the same runs). The rest of the page stays usable meanwhile; changing a
control does not stop the run.

Stopping. Stop drops this session's watch; the run is cancelled when nobody else
watches it. A closed tab drops its watches too (the pool asks Streamlit's runtime
which sessions are still open), so a run nobody watches any more ends.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from teaching import registry
from teaching.registry import format_params

from ..figures import charts, images, palette
from ..i18n import current, formatter, loss_text, t
from ..runtime import cache, params
from ..runtime.guard import guard
from ..widgets import downloads
from ..widgets.sliders import param_controls
from .training_story import config_title, run_title, summarize

P = "tl:"  # prefix of this page's session-state keys
ZOOM = 3  # gallery images are shown at 3x (nearest neighbour, crisp on a projector)

LOSS_KEYS = registry.ALL_KEYS
BATCH_SIZES = (8, 16, 32, 64, 128)
LEARNING_RATES = (0.0005, 0.001, 0.002, 0.005, 0.01, 0.02)
WIDTHS = (4, 8, 16)

#: Every setting of the page but the losses' own parameters: name, widget key, default,
#: how a link value is read, and its name in the link (``?loss_a=focal&epochs=10``).
#: ``loss_b=none`` in a link trains one loss only.
SETTINGS = (
    params.Setting("loss_a", f"{P}loss:A", "bce", params.choice_of(LOSS_KEYS), "loss_a"),
    params.Setting(
        "loss_b", f"{P}loss:B", "dice", params.choice_of((*LOSS_KEYS, "none")), "loss_b"
    ),
    params.Setting("compare", f"{P}compare", True, registry.parse_bool),
    params.Setting("seed", f"{P}seed", 0, params.number_in(0, 2**31 - 1, int), "seed"),
    params.Setting("n_train", f"{P}n_train", 256, params.number_in(8, 2048, int), "images"),
    params.Setting("n_val", f"{P}n_val", 64, params.number_in(8, 512, int), "val"),
    params.Setting("epochs", f"{P}epochs", 15, params.number_in(1, 60, int), "epochs"),
    params.Setting("object_size", f"{P}object_size", 3.0, params.number_in(1.0, 8.0), "size"),
    params.Setting("fg_percent", f"{P}fg_percent", 1.0, params.number_in(0.5, 5.0), "fg"),
    params.Setting("batch_size", f"{P}batch_size", 32, params.choice_of(BATCH_SIZES), "batch"),
    params.Setting(
        "learning_rate", f"{P}learning_rate", 0.01, params.choice_of(LEARNING_RATES), "lr"
    ),
    params.Setting("width", f"{P}width", 4, params.choice_of(WIDTHS), "width"),
)
KEY = {s.name: s.key for s in SETTINGS}


def _square(color: str) -> str:
    return f"<span style='color:{color}'>■</span>"


def gallery_legend() -> str:
    """What the colours of the gallery mean (HTML: the squares are drawn in their colours)."""
    return t(
        "training.gallery.legend",
        tp=_square(palette.TP_COLOR),
        fn=_square(palette.FN_COLOR),
        fp=_square(palette.FP_COLOR),
    )


# --------------------------------------------------------------------------
# the training pool, shared by every session
# --------------------------------------------------------------------------
POLL_SECONDS = 1.0  # how often a watching page asks the pool for news


def _session_alive(session_id: str) -> bool:
    """Whether a Streamlit session is still open (always True outside a real server)."""
    from streamlit.runtime import Runtime

    return not Runtime.exists() or Runtime.instance().is_active_session(session_id)


def pool():
    """The process-wide training pool (its workers start on the first visit of this page)."""
    from trainlab.pool import shared_pool

    return shared_pool(watcher_alive=_session_alive)


def watcher() -> str:
    """Who watches a job: this browser tab's session."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else "script"


def run_key(config) -> str:
    from trainlab.pool import job_key

    return job_key(config)


def lookup(config):
    """The finished run for ``config`` (trained by any session), or None."""
    return pool().result(run_key(config))


# --------------------------------------------------------------------------
# controls
# --------------------------------------------------------------------------
def seed_settings() -> None:
    """Every control's starting value, once per session: the link's, else the default."""
    params.seed(SETTINGS)
    if st.session_state[KEY["loss_b"]] == "none":  # a link that trains one loss only
        params.reset(SETTINGS, {"loss_b": "dice", "compare": False})


def _loss_controls(slot: str) -> tuple[str, dict]:
    """A loss picker and its parameter controls, straight from the registry."""
    key = params.bound(
        st.selectbox,
        t("training.controls.loss", slot=slot),
        LOSS_KEYS,
        format_func=formatter("losses.{}.title"),
        key=f"{P}loss:{slot}",
    )
    spec = registry.get(key)
    settings = params.loss_settings(spec, scope=f"{P}{slot}", link_prefix=f"{slot.lower()}_")
    params.seed(settings)
    param_controls(spec, settings)
    values = params.values(settings)
    params.sync_link(settings, values)
    if not spec.params:
        st.caption(t("training.controls.no_params"))
    st.caption(loss_text(key, "summary"))
    return key, values


def _run_label(i: int, text: str) -> None:
    color = palette.RUN_COLORS[i]
    st.markdown(f"<span style='color:{color}'>●</span> **{text}**", unsafe_allow_html=True)


def _more_settings() -> None:
    with st.expander(t("training.controls.more")):
        params.bound(
            st.number_input,
            t("training.controls.n_val"),
            min_value=8,
            max_value=512,
            step=16,
            key=KEY["n_val"],
            help=t("training.controls.n_val_help"),
        )
        params.bound(
            st.select_slider, t("training.controls.batch"), BATCH_SIZES, key=KEY["batch_size"]
        )
        params.bound(
            st.select_slider, t("training.controls.lr"), LEARNING_RATES, key=KEY["learning_rate"]
        )
        params.bound(
            st.select_slider,
            t("training.controls.width"),
            WIDTHS,
            key=KEY["width"],
            help=t("training.controls.width_help"),
        )
        # on a line of its own: a link never wraps well inside a sentence in a narrow column
        st.caption(t("training.controls.link") + "  \n`?loss_a=focal&loss_b=dice&epochs=10&fg=2`")


def _data_controls() -> None:
    st.markdown(f"**{t('training.controls.data')}**")
    params.bound(
        st.number_input,
        t("training.controls.seed"),
        min_value=0,
        max_value=2**31 - 1,
        step=1,
        key=KEY["seed"],
        help=t("training.controls.seed_help"),
    )
    params.bound(
        st.number_input,
        t("training.controls.n_train"),
        min_value=8,
        max_value=2048,
        step=32,
        key=KEY["n_train"],
        help=t("training.controls.n_train_help"),
    )
    params.bound(
        st.slider,
        t("training.controls.epochs"),
        1,
        60,
        key=KEY["epochs"],
        help=t("training.controls.epochs_help"),
    )
    params.bound(
        st.slider,
        t("training.controls.object_size"),
        1.0,
        8.0,
        step=0.5,
        key=KEY["object_size"],
        help=t("training.controls.object_size_help"),
    )
    params.bound(
        st.slider,
        t("training.controls.fg"),
        0.5,
        5.0,
        step=0.25,
        key=KEY["fg_percent"],
        help=t("training.controls.fg_help"),
    )
    _more_settings()


def _configs(values: dict, losses: list[tuple[str, dict]]) -> tuple[list, list[str]]:
    """One run config per chosen loss, and what makes them unable to train."""
    from trainlab.settings import TrainConfig, validate  # settings only: no model here

    common = dict(
        n_train=int(values["n_train"]),
        n_val=int(values["n_val"]),
        fg_fraction=round(float(values["fg_percent"]) / 100.0, 6),
        object_size=float(values["object_size"]),
        seed=int(values["seed"]),
        epochs=int(values["epochs"]),
        batch_size=int(values["batch_size"]),
        learning_rate=float(values["learning_rate"]),
        width=int(values["width"]),
    )
    configs = [TrainConfig(loss=key, params=prm, **common) for key, prm in losses]
    errors: list[str] = []
    if len(configs) == 2 and configs[0] == configs[1]:
        errors.append(t("training.controls.same_losses", compare=t("training.controls.compare")))
    if common["batch_size"] > common["n_train"]:  # the one check the controls can fail
        errors.append(
            t(
                "training.controls.batch_too_large",
                batch=common["batch_size"],
                images=common["n_train"],
            )
        )
        return configs, errors
    try:
        validate(configs[0])  # the data and training settings are shared
    except ValueError as exc:  # not reachable through the controls; English words of trainlab
        errors.append(t("training.controls.cannot_train", error=str(exc)))
    return configs, errors


def controls() -> tuple[list, list[str]]:
    """Draw every control; return the run configs (one or two) and the errors found."""
    seed_settings()
    col_a, col_b, col_data = st.columns(3, gap="medium")
    with col_a:
        _run_label(0, t("training.controls.first"))
        chosen = [_loss_controls("A")]
    with col_b:
        _run_label(1, t("training.controls.second"))
        if params.bound(st.checkbox, t("training.controls.compare"), key=KEY["compare"]):
            chosen.append(_loss_controls("B"))
    with col_data:
        _data_controls()
    values = params.values(SETTINGS)
    link = {**values, "loss_b": values["loss_b"] if values["compare"] else "none"}
    params.sync_link(SETTINGS, link)
    return _configs(values, chosen)


# --------------------------------------------------------------------------
# figures
# --------------------------------------------------------------------------
#: The panels of the training chart, in reading order; their titles are ``training.charts.*``.
PANELS = ("loss", "dice", "iou", "precision", "recall", "objects_found")


def _hover(digits: int, note: str = "") -> str:
    """A hover text such as 'epoch 3: 0.1234 (validation)' (plotly fills in the numbers)."""
    tail = f" ({note})" if note else ""
    return f"{t('training.charts.epoch')} %{{x}}: %{{y:.{digits}f}}{tail}"


def _loss_traces(fig: go.Figure, h: dict, label: str, color: str) -> None:
    """Training loss (solid, from epoch 1) and validation loss (dotted) in the first panel."""
    fig.add_scatter(
        x=h["epoch"][1:],
        y=h["loss"][1:],
        name=label,
        legendgroup=label,
        line=dict(color=color, width=3),
        row=1,
        col=1,
        hovertemplate=_hover(4),
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
        hovertemplate=_hover(4, t("training.charts.validation")),
    )


def curves_figure(runs: list, total_epochs: int) -> go.Figure:
    """Per-epoch validation metrics of every run, one colour per run."""
    fig = make_subplots(
        rows=2,
        cols=3,
        subplot_titles=[t(f"training.charts.{metric}") for metric in PANELS],
        horizontal_spacing=0.07,
        vertical_spacing=0.2,
    )
    for i, run in enumerate(runs):
        color = palette.RUN_COLORS[i % len(palette.RUN_COLORS)]
        h = run.history
        label = f"{'AB'[i]}: {run_title(run)}"
        _loss_traces(fig, h, label, color)
        for j, metric in enumerate(PANELS[1:], start=1):
            row, col = divmod(j, 3)
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
                hovertemplate=_hover(3),
            )
    epochs = [-0.3, max(total_epochs, 1) + 0.3]
    fig.update_xaxes(range=epochs)
    fig.update_xaxes(title_text=t("training.charts.epoch"), row=2)
    for j in range(1, 6):
        row, col = divmod(j, 3)
        fig.update_yaxes(range=[-0.03, 1.03], row=row + 1, col=col + 1)
    fig.update_annotations(font_size=15)
    # the app's look (legend under the plot, its template without a per-figure deep copy)
    fig = charts.style(fig, "", "", "", height=580)
    return fig


def _shown_params(config) -> dict:
    """A run's parameters as a slide names them: switches that are off left out."""
    values = {**registry.get(config.loss).defaults(), **config.param_dict}
    return {k: v for k, v in values.items() if v is not False}


def slide_title(configs: list) -> str:
    """What the training chart's slide says it shows: the losses compared, with their settings."""
    heads = [
        downloads.board_title(
            f"{'AB'[i]}: {loss_text(c.loss, 'title')}",
            _shown_params(c),
        )
        for i, c in enumerate(configs)
    ]
    return t("training.charts.slide", runs=" · ".join(heads))


def _zoom(img: np.ndarray) -> np.ndarray:
    return np.repeat(np.repeat(img, ZOOM, axis=0), ZOOM, axis=1)


def gallery_rows(task, runs: list) -> list[tuple[str, list[np.ndarray]]]:
    """Rows of RGB images: the inputs, the truth, then each run's prediction."""
    idx = runs[0].gallery_index
    rows = []
    imgs = task.val.images[idx, ..., 0]
    grey = [images.framed(_zoom(images.grey_rgb(im)[2:-2, 2:-2])) for im in imgs]
    rows.append((t("training.gallery.input"), grey))
    truth = [_zoom(images.overlap_rgb(m, m)) for m in task.val.masks[idx, ..., 0]]
    rows.append((t("training.gallery.truth"), truth))
    for i, run in enumerate(runs):
        if run.gallery_pred is None:
            continue
        preds = run.gallery_pred.astype(np.float32) / 255.0
        pics = [
            _zoom(images.overlap_rgb(m, p))
            for m, p in zip(task.val.masks[idx, ..., 0], preds, strict=True)
        ]
        run_name = f"{'AB'[i]}: {run_title(run)}"
        rows.append((t("training.gallery.prediction", run=run_name, epoch=run.epochs_done), pics))
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
                f"<span style='color:{palette.RUN_COLORS[i]}'>●</span> **{'AB'[i]}: {run_title(run)}**",
                unsafe_allow_html=True,
            )
            # two runs side by side: two rows of two, so "110 / 133" is never cut short
            c1, c2, c3, c4 = st.columns(4) if len(runs) == 1 else (*st.columns(2), *st.columns(2))
            gain = f["dice"] - h["dice"][0]
            flat = abs(gain) < 0.005
            c1.metric(
                t("training.metrics.dice"),
                f"{f['dice']:.2f}",
                delta=t("training.metrics.unchanged")
                if flat
                else t("training.metrics.gain", gain=f"{gain:+.2f}"),
                delta_color="off" if flat else "normal",
                delta_arrow="off" if flat else "auto",
                help=t("training.metrics.dice_help"),
            )
            c2.metric(
                t("training.metrics.precision"),
                f"{f['precision']:.2f}",
                help=t("training.metrics.precision_help"),
            )
            c3.metric(
                t("training.metrics.recall"),
                f"{f['recall']:.2f}",
                help=t("training.metrics.recall_help"),
            )
            c4.metric(
                t("training.metrics.objects"),
                f"{round(f['objects_found'] * f['n_objects'])} / {f['n_objects']}",
                help=t("training.metrics.objects_help"),
            )


def show_notice(runs: list) -> None:
    st.subheader(t("training.results.notice"))
    st.markdown("\n".join(f"- {line}" for line in summarize(runs)))
    st.caption(t("training.results.notice_caption"))


def show_details(runs: list, task) -> None:
    cfg = runs[0].config
    with st.expander(t("training.details.title")):
        data = t(
            "training.details.data",
            n_train=cfg.n_train,
            n_val=cfg.n_val,
            objects=task.train.n_objects,
            measured=f"{task.train.fg_fraction:.2%}",
            asked=f"{cfg.fg_fraction:.2%}",
        )
        model = t(
            "training.details.model",
            weights=f"{runs[0].n_weights:,}",
            lr=f"{cfg.learning_rate:g}",
            batch=cfg.batch_size,
            epochs=cfg.epochs,
            seed=cfg.seed,
        )
        lines = [data, model] + [
            t(
                "training.details.run",
                run=f"{'AB'[i]}: {run_title(run)}",
                epochs=_epochs(run.epochs_done),
                train_seconds=f"{run.train_seconds:.1f}",
                seconds=f"{run.seconds:.1f}",
            )
            for i, run in enumerate(runs)
        ]
        st.markdown("\n".join(f"- {line}" for line in lines))
        lines = ["from trainlab import TrainConfig, train", ""]
        for run in runs:
            c = run.config.to_dict()
            args = ", ".join(f"{k}={v!r}" for k, v in c.items())
            lines.append(f"run = train(TrainConfig({args}))")
            lines.append('print(run.final["dice"], run.final["precision"], run.final["recall"])')
        st.markdown(t("training.details.script"))
        st.code("\n".join(lines), language="python")
        first = runs[-1].config
        args = format_params({**registry.get(first.loss).defaults(), **first.param_dict})
        st.markdown(t("training.details.own_model"))
        st.code(
            "from losses import make_loss\n"
            f"model.compile(optimizer=keras.optimizers.Adam({first.learning_rate:g}), "
            f"loss=make_loss({first.loss!r}{', ' + args if args else ''}))",
            language="python",
        )


def _epochs(n: int) -> str:
    return t("training.details.epoch_one" if n == 1 else "training.details.epoch_many", count=n)


def show_results(runs: list, task, note: str) -> None:
    """The finished (or stopped) view: metrics, curves, gallery, notes."""
    st.subheader(t("training.results.title"))
    if note:
        st.caption(note)
    show_metrics(runs)
    downloads.chart(
        curves_figure(runs, runs[0].config.epochs),
        "training-curves",
        slide_title([r.config for r in runs]),
    )
    if all(not r.stopped for r in runs):
        show_notice(runs)
    else:
        st.info(t("training.results.stopped_info"))
    st.subheader(t("training.results.predictions"))
    st.markdown(gallery_legend(), unsafe_allow_html=True)
    show_gallery(task, runs)
    show_details(runs, task)


def show_data_preview(task) -> None:
    with st.expander(t("training.data.title")):
        idx = np.arange(min(6, len(task.train)))
        imgs = task.train.images[idx, ..., 0]
        grey = [images.framed(_zoom(images.grey_rgb(im)[2:-2, 2:-2])) for im in imgs]
        truth = [_zoom(images.overlap_rgb(m, m)) for m in task.train.masks[idx, ..., 0]]
        st.image(grey, width=64 * ZOOM + 4)
        st.image(truth, width=64 * ZOOM + 4)
        empty = int((task.train.masks.reshape(len(task.train), -1).max(axis=1) == 0).sum())
        st.caption(
            t(
                "training.data.caption",
                images=len(task.train),
                objects=task.train.n_objects,
                share=f"{task.train.fg_fraction:.2%}",
                empty=empty,
            )
        )


# --------------------------------------------------------------------------
# watching the pool: queue, progress, live charts
# --------------------------------------------------------------------------
def _title(configs: list, i: int) -> str:
    name = config_title(configs[i])
    return f"{'AB'[i]}: {name}" if len(configs) > 1 else name


def sync_job(job: dict) -> None:
    """Bring this session's view of its job up to date with the pool."""
    if job["status"] != "running":
        return
    from trainlab import pool as tp

    jobs = job["jobs"]
    for pj in jobs:
        if pj.result is not None:
            job["runs"][pj.key] = pj.result
    failed = [pj for pj in jobs if pj.status == tp.FAILED]
    if failed:
        job["status"], job["error"] = "failed", failed[0].error
    elif all(pj.status == tp.DONE for pj in jobs):
        job["status"] = "done"
    elif any(pj.status == tp.STOPPED for pj in jobs):
        _keep_stopped(job, "stopped")


def _keep_stopped(job: dict, status: str) -> None:
    job["status"] = status
    job["runs"] = {
        k: dataclasses.replace(r, stopped=r.epochs_done < r.config.epochs)
        for k, r in job["runs"].items()
    }


@st.cache_resource(show_spinner=False, max_entries=32)
def _live_pictures(signature: tuple, lang: str, _runs: list, _task, total_epochs: int):
    """The live chart and gallery (as PNG bytes) of some runs at some epoch, built once.

    ``signature`` names the runs and their finished epochs: every session watching
    the same runs in the same language ``lang`` (the chart's words, the captions)
    gets the same objects, rebuilt only when an epoch ends.
    """
    figure = curves_figure(_runs, total_epochs)
    # each row as one piece of HTML with inline PNGs: st.image would re-read and re-register
    # every picture with the media manager on every poll of every watching session
    width = 64 * ZOOM
    rows = [
        (
            caption,
            "".join(
                f'<img src="{images.png_data_url(p)}" width="{width}" height="{width}" '
                'style="margin:0 4px 4px 0;image-rendering:pixelated" alt="">'
                for p in pics
            ),
        )
        for caption, pics in gallery_rows(_task, _runs)
    ]
    return figure, rows


def _progress_line(configs: list, i: int, pj) -> None:
    """One run's place: in the queue, starting, or a progress bar over its batches."""
    from trainlab import pool as tp

    title = _title(configs, i)
    epochs = configs[i].epochs
    if pj.status == tp.QUEUED:
        position = pool().position(run_key(configs[i]))
        if position <= pool().starting():
            st.info(t("queue.warming", title=title), icon=":material/hourglass_top:")
            return
        st.info(
            t("queue.waiting", title=title, position=position, workers=pool().size),
            icon=":material/hourglass_top:",
        )
        return
    epoch, step, steps = pj.progress
    done = (max(epoch - 1, 0) + (step / steps if steps else 0)) / epochs
    if pj.status != tp.RUNNING or (epoch, step) == (0, 0):
        text = t("queue.starting", title=title)
    elif steps:
        text = t("queue.batch", title=title, epoch=epoch, epochs=epochs, step=step, steps=steps)
    else:
        text = t("queue.epoch", title=title, epoch=pj.epochs_done, epochs=epochs)
    st.progress(min(max(pj.epochs_done / epochs, done), 1.0), text=text)
    if pj.result is not None and pj.epochs_done:
        f = pj.result.final
        st.caption(
            t(
                "queue.metrics",
                dice=f"{f['dice']:.2f}",
                precision=f"{f['precision']:.2f}",
                recall=f"{f['recall']:.2f}",
            )
        )


def _watchers_note(jobs: list) -> None:
    count = max((len(pj.watchers) for pj in jobs), default=0)
    if count > 1:
        st.caption(t("queue.shared", count=count))


def show_progress(job: dict, task) -> None:
    """Queue positions, progress bars, then the chart and gallery of the epochs so far."""
    configs = job["configs"]
    jobs = job["jobs"]
    for i, pj in enumerate(jobs):
        _progress_line(configs, i, pj)
    _watchers_note(jobs)
    runs = [job["runs"][k] for k in job["keys"] if k in job["runs"]]
    if not runs:
        return
    signature = tuple((k, job["runs"][k].epochs_done) for k in job["keys"] if k in job["runs"])
    figure, rows = _live_pictures(signature, current(), runs, task, configs[0].epochs)
    # a stable key: the fragment redraws the same chart and buttons every poll
    downloads.chart(figure, "training-live", slide_title(configs))
    st.markdown(gallery_legend(), unsafe_allow_html=True)
    for caption, pictures in rows:
        st.caption(caption)
        st.html(pictures)


@st.fragment(run_every=POLL_SECONDS)
def live_view(task) -> None:
    """While this session's job runs: poll the pool and redraw; a full rerun when it ends."""
    job = st.session_state.get(f"{P}job")
    if job is None or job["status"] != "running":
        return
    sync_job(job)
    if job["status"] != "running":
        st.rerun()  # the whole page shows the results
    show_progress(job, task)


# --------------------------------------------------------------------------
# the flow of the page: buttons, the job, what to show
# --------------------------------------------------------------------------
def buttons(disabled: bool) -> tuple[bool, bool]:
    """The Train and Stop buttons; whether each was pressed."""
    b1, b2, _ = st.columns([1, 1, 4])
    train = b1.button(
        t("training.controls.train"),
        type="primary",
        key=f"{P}train",
        disabled=disabled,
        width="stretch",
    )
    stop = b2.button(t("training.controls.stop"), key=f"{P}stop", width="stretch")
    return train, stop


def _stop(job: dict) -> None:
    """Drop this session's watch of its runs; say so when others keep them going."""
    sync_job(job)
    if job["status"] != "running":
        st.toast(t("queue.nothing_running"))
        return
    others = 0
    for key in job["keys"]:
        if not pool().stop(key, watcher()):
            others = max(others, pool().watchers(key))
    _keep_stopped(job, "stopped")
    job["others"] = others


def settle_job(train_clicked: bool, stop_clicked: bool) -> dict | None:
    """This session's last job, brought up to date (and stopped, when Stop was pressed)."""
    job = st.session_state.get(f"{P}job")
    if stop_clicked:
        if job is None:
            st.toast(t("queue.nothing_running"))
        else:
            _stop(job)
    elif job is not None:
        sync_job(job)
    return job


def task_for(config):
    """The data set of ``config`` (shared by every session), or None with the reason shown."""
    try:
        return cache.training_task(**config.data_settings())
    except ValueError as exc:
        st.error(t("training.controls.cannot_make_data", error=str(exc)))
        return None


def train_now(configs: list, task) -> dict:
    """Queue the runs of these settings (or join identical ones); the page then watches them."""
    del task  # the workers make the same data from the settings
    old = st.session_state.get(f"{P}job")
    keys = [run_key(c) for c in configs]
    if old is not None and old["status"] == "running":
        for key in set(old["keys"]) - set(keys):  # no longer watched by this tab
            pool().stop(key, watcher())
    jobs = [pool().submit(c, watcher()) for c in configs]
    from trainlab import pool as tp

    job = {
        "configs": configs,
        "keys": keys,
        "jobs": jobs,  # the pool's own records, read-only here
        "status": "running",
        "runs": {},
        "cached": {pj.key for pj in jobs if pj.status == tp.DONE},
        "error": "",
        "others": 0,
    }
    st.session_state[f"{P}job"] = job
    sync_job(job)
    return job


def _job_note(job: dict, configs: list) -> str:
    if job["status"] == "done" and job["configs"] == configs:
        return t("training.results.just_watched")
    if job["status"] == "done":
        return t("training.results.settings_changed")
    if job.get("others"):
        return t("queue.stopped_others", count=job["others"])
    return t("training.results.you_stopped")


def _failure(job: dict) -> None:
    from trainlab import pool as tp

    if job["error"] == tp.CRASHED:
        st.error(t("queue.crashed"), icon=":material/error:")
    elif job["error"] == tp.NO_WORKERS:
        st.error(t("queue.no_workers"), icon=":material/error:")
    else:
        st.error(t("queue.failed", error=job["error"]), icon=":material/error:")


def show_latest(configs: list, job: dict | None, task) -> None:
    """The live view while training; else the results of these settings, of the last job, or a hint."""
    if job is not None and job["status"] == "running":
        if job["configs"] != configs:
            st.caption(t("queue.settings_changed"))
        live_view(task)
        return
    if job is not None and job["status"] == "failed":
        _failure(job)
    cached = [lookup(c) for c in configs]
    if all(r is not None for r in cached):
        same_job = job is not None and job["status"] == "done" and job["configs"] == configs
        if same_job and not all(run_key(c) in job["cached"] for c in configs):
            note = t("training.results.just_watched")
        else:
            note = t("training.results.cached")
        with guard(t("training.page.guard_results")):
            show_results(cached, task, note)
        return
    if job is not None and job["runs"] and job["status"] in ("stopped", "done"):
        runs = [job["runs"][k] for k in job["keys"] if k in job["runs"]]
        with guard(t("training.page.guard_last")):
            show_results(runs, task_for(job["configs"][0]), _job_note(job, configs))
        return
    st.info(t("training.results.hint"))
