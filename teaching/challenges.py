"""Graded challenges: each a question about the losses, checked on the learner's own state.

A challenge looks at the current masks and at the settings of its own controls, computes
what it needs with the public functions of :mod:`losses` (never a typed number), and
says whether it is solved, with the numbers that decide it. The page
(``ui/sections/challenges.py``) draws the controls and the words; everything here is
numbers, so each challenge is tested with a state that solves it and one that does not.

Each :class:`Challenge` names the controls it needs as ``(loss key, parameter)`` pairs of
the registry (the page builds them with the same slider builder as the loss pages), or
its own :class:`Dial` for a quantity that is not a loss parameter (an object's radius).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

import losses

from .focal import focal_easy_hard_split
from .registry import get


@dataclass(frozen=True)
class Dial:
    """A whole-number control of a challenge that is not a loss parameter."""

    name: str
    lo: int
    hi: int
    step: int
    default: int


@dataclass(frozen=True)
class Result:
    """Whether a challenge is solved, and the numbers that decide it (for the page's words)."""

    solved: bool
    numbers: dict


@dataclass(frozen=True)
class Challenge:
    """One task: the controls it needs, and the check on the current state."""

    key: str
    params: tuple[tuple[str, str], ...]  # (loss, parameter) pairs of the registry
    check: Callable[[np.ndarray, np.ndarray, dict], Result]
    dials: tuple[Dial, ...] = field(default_factory=tuple)
    uses_masks: bool = True

    def defaults(self) -> dict:
        """The starting value of every control: the registry's blog default, a dial's own."""
        out = {f"{k}.{n}": get(k).param(n).blog for k, n in self.params}
        out.update({d.name: d.default for d in self.dials})
        return out


def _f(x) -> float:
    return float(np.asarray(x))


# --------------------------------------------------------------------------- the checks
def _dice_good_bce_bad(t, p, s) -> Result:
    dice, bce = _f(losses.dice(t, p)), _f(losses.bce(t, p))
    return Result(dice < 0.2 and bce > 0.5, {"dice": dice, "bce": bce})


def _tversky_prefers_over(t, p, s) -> Result:
    from .candidates import make_candidates

    if float(np.sum(np.asarray(t) >= 0.5)) < 30:
        return Result(False, {"too_small": True, "over": float("nan"), "under": float("nan")})
    c = make_candidates(t, amount=3)
    a, b = s["tversky.alpha"], s["tversky.beta"]
    over = _f(losses.tversky(t, c["over"], alpha=a, beta=b))
    under = _f(losses.tversky(t, c["under"], alpha=a, beta=b))
    return Result(over < under, {"over": over, "under": under, "too_small": False})


def _focal_easy_share(t, p, s) -> Result:
    split = focal_easy_hard_split(t, p, [s["focal.gamma"]], alpha=s["focal.alpha"])
    total, easy = float(split["total"][0]), float(split["easy"][0])
    share = easy / total if total > 0 else 0.0
    return Result(total > 0 and share < 0.10, {"easy_share": share, "n_easy": split["n_easy"]})


def _combo_negative(t, p, s) -> Result:
    value = _f(losses.combo(t, p, alpha=s["combo.alpha"], ce_ratio=s["combo.ce_ratio"]))
    return Result(value < 0, {"combo": value})


def _iou_harsher(t, p, s) -> Result:
    dice, iou = _f(losses.dice(t, p)), _f(losses.iou(t, p))
    ratio = iou / dice if dice > 0 else float("nan")
    return Result(dice > 0.01 and ratio >= 1.5, {"dice": dice, "iou": iou, "ratio": ratio})


def _beta_matters_more(t, p, s) -> Result:
    a, b = s["tversky.alpha"], s["tversky.beta"]
    base = _f(losses.tversky(t, p, alpha=a, beta=b))
    up_a = _f(losses.tversky(t, p, alpha=min(a + 0.1, 1.0), beta=b))
    up_b = _f(losses.tversky(t, p, alpha=a, beta=min(b + 0.1, 1.0)))
    da, db = up_a - base, up_b - base
    return Result(db > da + 1e-6, {"by_alpha": da, "by_beta": db})


def _focal_tversky_higher(t, p, s) -> Result:
    tv = _f(losses.tversky(t, p))
    ft = _f(losses.focal_tversky(t, p, gamma=s["focal_tversky.gamma"]))
    return Result(ft - tv >= 0.1, {"tversky": tv, "focal_tversky": ft})


def _balanced_foreground(t, p, s) -> Result:
    from .focal import focal_alpha_comparison

    cmp_ = focal_alpha_comparison(t, p, alpha=s["focal.alpha"], gamma=s["focal.gamma"])
    share = cmp_["class_balanced"]["positive_share"]
    return Result(cmp_["n_positive"] > 0 and share > 0.5, {"share": share})


def missed_object_batch(radius: float, size: int = 128) -> tuple[np.ndarray, np.ndarray]:
    """The batch of :func:`missed_object_dice`: ``(y_true, y_pred)``, each (2, size, size)."""
    yy, xx = np.mgrid[0:size, 0:size]
    c = (size - 1) / 2

    def disk(r):
        return ((yy - c) ** 2 + (xx - c) ** 2 <= r * r).astype(np.float32)

    t = np.stack([disk(24.0), disk(float(radius))])
    p = np.stack([disk(24.0), np.zeros((size, size), np.float32)])
    return t, p


def missed_object_dice(radius: float, size: int = 128) -> dict:
    """Pooled against per-image Dice of a batch: a large object found, a small one missed.

    Image 1 holds a disk of radius 24 predicted perfectly; image 2 a disk of ``radius``
    that the prediction misses completely. Pooled Dice adds both images' counts before
    dividing, so the missed object counts only by its area; per-image Dice scores it as
    a total failure of its image.
    """
    t, p = missed_object_batch(radius, size)
    return {
        "pooled": _f(losses.dice(t, p)),
        "per_image": _f(losses.dice(t, p, per_image=True)),
        "area": int(t[1].sum()),
    }


NOTICED = 0.05  # a pooled Dice loss above this "notices" the missed object


def _smallest_noticed(t, p, s) -> Result:
    r = float(s["radius"])
    here, smaller = missed_object_dice(r), missed_object_dice(max(r - 1.0, 0.0))
    solved = here["pooled"] > NOTICED and (r <= 1.0 or smaller["pooled"] <= NOTICED)
    return Result(solved, {**here, "smaller_pooled": smaller["pooled"], "threshold": NOTICED})


CHALLENGES: dict[str, Challenge] = {
    c.key: c
    for c in (
        Challenge("dice_good_bce_bad", (), _dice_good_bce_bad),
        Challenge(
            "tversky_prefers_over",
            (("tversky", "alpha"), ("tversky", "beta")),
            _tversky_prefers_over,
        ),
        Challenge("focal_easy_share", (("focal", "alpha"), ("focal", "gamma")), _focal_easy_share),
        Challenge("combo_negative", (("combo", "alpha"), ("combo", "ce_ratio")), _combo_negative),
        Challenge("iou_harsher", (), _iou_harsher),
        Challenge(
            "beta_matters_more", (("tversky", "alpha"), ("tversky", "beta")), _beta_matters_more
        ),
        Challenge("focal_tversky_higher", (("focal_tversky", "gamma"),), _focal_tversky_higher),
        Challenge(
            "balanced_foreground", (("focal", "alpha"), ("focal", "gamma")), _balanced_foreground
        ),
        Challenge(
            "smallest_noticed",
            (),
            _smallest_noticed,
            dials=(Dial("radius", 1, 24, 1, 12),),
            uses_masks=False,
        ),
    )
}


def check(key: str, y_true, y_pred, settings: dict) -> Result:
    """Check challenge ``key`` on these masks and settings (``"loss.param"`` and dial names)."""
    challenge = CHALLENGES[key]
    values = {**challenge.defaults(), **settings}
    return challenge.check(y_true, y_pred, values)
