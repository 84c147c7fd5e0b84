""" "What to notice" after a training run: sentences written from the measured numbers.

Nothing here is decided in advance: which loss found more objects, and whether
a model marked too much or too little (:func:`trainlab.behaviour`), come from
the counts on the validation set after the last epoch.
"""

from __future__ import annotations

from dataclasses import replace

from teaching.registry import describe
from trainlab import RunResult, behaviour


def run_title(run: RunResult) -> str:
    """The loss of a run and its settings, such as 'Focal (alpha=0.8, gamma=2)'."""
    return describe(run.config.loss, run.config.param_dict)


def _times(x: float) -> str:
    """A ratio such as '1.6 times' or '96 times'."""
    return f"{x:.0f} times" if x >= 10 else f"{x:.1f} times"


def _pct(x: float) -> str:
    """A share as a percentage, with a decimal when rounding would say 0 or 100."""
    text = f"{100 * x:.0f}"
    if (text == "100" and x < 1) or (text == "0" and x > 0):
        text = f"{100 * x:.1f}"
    return text + " %"


def _empty_sentence(name: str, f: dict, true_px: int, pred_px: int, found: str) -> str:
    if pred_px == 0:
        return (
            f"{name} marked no pixel as foreground, so it found none of the "
            f"{f.get('n_objects', 0)} objects (Dice {f['dice']:.2f}). Calling every "
            f"pixel background is already right for {_pct(1 - f['true_fraction'])} of the "
            "pixels, and this loss has not yet been pushed past that."
        )
    return (
        f"{name} marked only {pred_px} pixels where {true_px} are objects: it found {found} "
        f"and missed nearly all foreground (recall {f['recall']:.2f}, Dice {f['dice']:.2f})."
    )


def run_sentence(run: RunResult) -> str:
    """How one run behaved: empty, over- or under-segmenting, poor or balanced."""
    f = run.final
    name = f"**{run_title(run)}**"
    true_px, pred_px = f["tp"] + f["fn"], f["tp"] + f["fp"]
    found = f"{_pct(f.get('objects_found', 0.0))} of the {f.get('n_objects', 0)} objects"
    kind = behaviour(f)
    if kind == "empty":
        text = _empty_sentence(name, f, true_px, pred_px, found)
    elif kind == "over":
        text = (
            f"{name} over-segments: it marks {_times(pred_px / true_px)} as many "
            f"pixels as there are object pixels. Recall is {f['recall']:.2f} but "
            f"precision only {f['precision']:.2f}, so many marked pixels are "
            f"background (it found {found})."
        )
    elif kind == "under":
        text = (
            f"{name} under-segments: it marks only {_pct(pred_px / true_px)} of the "
            f"object area. What it marks is mostly right (precision "
            f"{f['precision']:.2f}), but it misses foreground (recall "
            f"{f['recall']:.2f}; it found {found})."
        )
    elif kind == "poor":
        text = (
            f"{name} marks about the right amount of foreground "
            f"({_times(pred_px / true_px)} the object area) but in the wrong "
            f"places: precision {f['precision']:.2f}, recall {f['recall']:.2f}, "
            f"Dice {f['dice']:.2f}; it found {found}."
        )
    else:
        text = (
            f"{name} is well balanced: precision {f['precision']:.2f} and recall "
            f"{f['recall']:.2f} are close, Dice {f['dice']:.2f}, and it found {found}."
        )
    if run.stopped:
        text += f" (Stopped after {run.epochs_done} of {run.config.epochs} epochs.)"
    return text


def _objects_sentence(a: RunResult, b: RunResult) -> str:
    oa, ob = a.final.get("objects_found", 0.0), b.final.get("objects_found", 0.0)
    if abs(oa - ob) < 0.05:
        return f"Both found about the same share of the objects ({_pct(oa)} and {_pct(ob)})."
    win, lose = (a, b) if oa > ob else (b, a)
    text = (
        f"On the small objects, **{run_title(win)}** found "
        f"{_pct(win.final['objects_found'])} of them and **{run_title(lose)}** "
        f"{_pct(lose.final['objects_found'])}."
    )
    wf = win.final
    w_true, w_pred = wf["tp"] + wf["fn"], wf["tp"] + wf["fp"]
    if w_true and w_pred >= 3 * w_true:
        text += (
            f" That lead is cheap, though: it marks {_times(w_pred / w_true)} as many "
            "pixels as there are object pixels, so it covers objects by covering everything."
        )
    return text


def _dice_sentence(a: RunResult, b: RunResult) -> str:
    da, db = a.final["dice"], b.final["dice"]
    if max(da, db) < 0.2:
        return (
            f"Neither model segments the objects yet (validation Dice {da:.2f} and "
            f"{db:.2f}). More epochs or more images give the losses time to show "
            "their difference."
        )
    if abs(da - db) >= 0.05:
        win, lose = (a, b) if da > db else (b, a)
        return (
            f"Validation Dice: {win.final['dice']:.2f} for **{run_title(win)}** "
            f"against {lose.final['dice']:.2f} for **{run_title(lose)}**."
        )
    return (
        f"Their validation Dice is close ({da:.2f} and {db:.2f}): on this data and "
        "with these epochs the two losses end up in a similar place."
    )


def summarize(runs: list[RunResult]) -> list[str]:
    """Sentences (Markdown) that read the measured numbers of one or two runs."""
    lines = [run_sentence(run) for run in runs]
    if len(runs) == 2:
        a, b = runs
        lines.append(_objects_sentence(a, b))
        lines.append(_dice_sentence(a, b))
        if replace(a.config, loss="bce", params=()) == replace(b.config, loss="bce", params=()):
            lines.append(
                "Both models started from the same weights and saw the same images in the "
                "same order, so the loss is the only difference between them."
            )
    return lines
