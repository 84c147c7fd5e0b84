""" "What to notice" after a training run: sentences written from the measured numbers.

Nothing here is decided in advance: which loss found more objects, and whether
a model marked too much or too little (:func:`trainlab.behaviour`), come from
the counts on the validation set after the last epoch. The words are the catalogs'
(``training.story.*``); the numbers are formatted here and passed in as text.
"""

from __future__ import annotations

from dataclasses import replace

from teaching.registry import format_params, get
from trainlab import RunResult, behaviour

from ..i18n import loss_text, t


def config_title(config) -> str:
    """A run's loss and its settings, such as 'Focal (alpha=0.8, gamma=2)', in the page's
    language (parameter names stay as they are)."""
    args = format_params({**get(config.loss).defaults(), **config.param_dict}, brief=True)
    name = loss_text(config.loss, "title")
    return f"{name} ({args})" if args else name


def run_title(run: RunResult) -> str:
    """The loss of a finished (or stopped) run and its settings."""
    return config_title(run.config)


def _times(x: float) -> str:
    """A ratio such as '1.6 times' or '96 times'."""
    return t("training.story.times", ratio=f"{x:.0f}" if x >= 10 else f"{x:.1f}")


def _pct(x: float) -> str:
    """A share as a percentage, with a decimal when rounding would say 0 or 100."""
    text = f"{100 * x:.0f}"
    if (text == "100" and x < 1) or (text == "0" and x > 0):
        text = f"{100 * x:.1f}"
    return text + " %"


def _two(x: float) -> str:
    return f"{x:.2f}"


def _empty_sentence(name: str, f: dict, true_px: int, pred_px: int, found: str) -> str:
    if pred_px == 0:
        return t(
            "training.story.empty_none",
            name=name,
            count=f.get("n_objects", 0),
            dice=_two(f["dice"]),
            background=_pct(1 - f["true_fraction"]),
        )
    return t(
        "training.story.empty_few",
        name=name,
        marked=pred_px,
        objects=true_px,
        found=found,
        recall=_two(f["recall"]),
        dice=_two(f["dice"]),
    )


def run_sentence(run: RunResult) -> str:
    """How one run behaved: empty, over- or under-segmenting, poor or balanced."""
    f = run.final
    name = run_title(run)
    true_px, pred_px = f["tp"] + f["fn"], f["tp"] + f["fp"]
    found = t(
        "training.story.found",
        share=_pct(f.get("objects_found", 0.0)),
        count=f.get("n_objects", 0),
    )
    kind = behaviour(f)
    numbers = dict(
        name=name,
        found=found,
        precision=_two(f["precision"]),
        recall=_two(f["recall"]),
        dice=_two(f["dice"]),
    )
    if kind == "empty":
        text = _empty_sentence(name, f, true_px, pred_px, found)
    elif kind == "under":
        text = t("training.story.under", share=_pct(pred_px / true_px), **numbers)
    elif kind in ("over", "poor"):
        text = t(f"training.story.{kind}", times=_times(pred_px / true_px), **numbers)
    else:
        text = t("training.story.balanced", **numbers)
    if run.stopped:
        text += t("training.story.stopped", done=run.epochs_done, epochs=run.config.epochs)
    return text


def _objects_sentence(a: RunResult, b: RunResult) -> str:
    oa, ob = a.final.get("objects_found", 0.0), b.final.get("objects_found", 0.0)
    if abs(oa - ob) < 0.05:
        return t("training.story.objects_same", a=_pct(oa), b=_pct(ob))
    win, lose = (a, b) if oa > ob else (b, a)
    text = t(
        "training.story.objects_lead",
        win=run_title(win),
        win_share=_pct(win.final["objects_found"]),
        lose=run_title(lose),
        lose_share=_pct(lose.final["objects_found"]),
    )
    wf = win.final
    w_true, w_pred = wf["tp"] + wf["fn"], wf["tp"] + wf["fp"]
    if w_true and w_pred >= 3 * w_true:
        text += t("training.story.objects_cheap", times=_times(w_pred / w_true))
    return text


def _dice_sentence(a: RunResult, b: RunResult) -> str:
    da, db = a.final["dice"], b.final["dice"]
    if max(da, db) < 0.2:
        return t("training.story.dice_none", a=_two(da), b=_two(db))
    if abs(da - db) >= 0.05:
        win, lose = (a, b) if da > db else (b, a)
        return t(
            "training.story.dice_lead",
            win=run_title(win),
            win_dice=_two(win.final["dice"]),
            lose=run_title(lose),
            lose_dice=_two(lose.final["dice"]),
        )
    return t("training.story.dice_close", a=_two(da), b=_two(db))


def summarize(runs: list[RunResult]) -> list[str]:
    """Sentences (Markdown) that read the measured numbers of one or two runs."""
    lines = [run_sentence(run) for run in runs]
    if len(runs) == 2:
        a, b = runs
        lines.append(_objects_sentence(a, b))
        lines.append(_dice_sentence(a, b))
        if replace(a.config, loss="bce", params=()) == replace(b.config, loss="bce", params=()):
            lines.append(t("training.story.same_start"))
    return lines
