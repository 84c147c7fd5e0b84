"""The loss at every step of a slider's range, for the live sliders.

While a learner drags a parameter's slider, the browser shows the loss at the
value under the thumb without asking the server: it looks it up in a *slice*,
the loss of the current masks at every step of that parameter's range with
the other parameters held where they are. A slice is one batched call of the
shared maths (:func:`teaching.analysis.param_curve`: the parameter broadcast
along a leading axis, the soft counts summed once), so a page's slices cost
about as much as one more figure, not one loss evaluation per step.

The steps come from the registry (``lo``, ``hi``, ``step``, or the discrete
scale of ``smooth``), written as the app writes values (0.3, not
0.30000000000000004): the value the browser sends back on release is one of
these numbers, exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import analysis, focal, tversky
from .registry import Param, slider_steps
from .registry import get as get_spec

__all__ = [
    "Slice",
    "param_steps",
    "param_slice",
    "page_slices",
    "focal_steps",
    "tversky_steps",
    "VIEW_STEPS",
]


@dataclass(frozen=True)
class Slice:
    """The loss at each step of one parameter: ``losses[i]`` is the loss at ``values[i]``."""

    name: str
    values: tuple[float, ...]
    losses: tuple[float, ...]

    def index_of(self, value: float) -> int:
        """The step nearest to ``value`` (a value set by a link or a button may lie between)."""
        return int(np.argmin(np.abs(np.asarray(self.values) - float(value))))


def param_steps(p: Param) -> tuple[float, ...]:
    """Every value a slider for ``p`` can take, lowest first (see registry.slider_steps)."""
    return slider_steps(p)


def param_slice(key: str, y_true, y_pred, name: str, params: dict | None = None) -> Slice:
    """The loss of ``key`` on these masks at every step of ``name``, the others at ``params``."""
    spec = get_spec(key)
    p = spec.param(name)
    others = {k: v for k, v in (params or {}).items() if k != name}
    values = param_steps(p)
    losses = analysis.param_curve(key, y_true, y_pred, name, values, **others)
    return Slice(name, values, tuple(float(v) for v in losses))


def page_slices(key: str, y_true, y_pred, params: dict | None = None) -> dict[str, Slice]:
    """The slice of every numeric parameter of ``key`` (one batched call each)."""
    spec = get_spec(key)
    return {p.name: param_slice(key, y_true, y_pred, p.name, params) for p in spec.numeric_params}


# --------------------------------------------------------------------------
# what the named views show, at every step (they follow the drag too)
# --------------------------------------------------------------------------
#: Where the Focal family's member at each gamma step is drawn (p_t from easy-ish to sure).
FAMILY_P_T = tuple(float(v) for v in np.round(np.linspace(0.02, 1.0, 50), 4))


def focal_steps(y_true, y_pred, params: dict) -> dict[str, dict[str, tuple]]:
    """The Focal page's gamma views at every gamma step, in batched calls.

    ``{"gamma": {"hard_share", "easy", "hard", "kept_easy", "kept_hard", "family"}}``,
    each a tuple over the steps: the share of the loss from hard pixels, the easy and
    hard parts, the weight (1 - p_t)^gamma an easy (p_t = 0.9) and a hard (p_t = 0.1)
    pixel keep, and the member of the curve family (one pixel's loss at
    :data:`FAMILY_P_T`, alpha = 1).
    """
    gammas = param_steps(get_spec("focal").param("gamma"))
    prm = analysis.fill_params("focal", params)
    split = focal.focal_easy_hard_split(
        y_true, y_pred, gammas, alpha=float(prm["alpha"]), class_balanced=prm["class_balanced"]
    )
    g = np.asarray(gammas)
    out = {k: split[k] for k in ("hard_share", "easy", "hard")}
    out["kept_easy"], out["kept_hard"] = 0.1**g, 0.9**g
    steps = {k: tuple(float(x) for x in v) for k, v in out.items()}
    family = focal.focal_curve_family(FAMILY_P_T, gammas)["loss"]
    steps["family"] = tuple(tuple(float(x) for x in row) for row in family)
    return {"gamma": steps}


def tversky_steps(y_true, y_pred, params: dict) -> dict[str, dict]:
    """The Tversky page's weighted errors at every alpha step and every beta step.

    ``{"alpha": {"alpha_FP", "beta_FN"}, "beta": {...}, "grid", "at"}``: while alpha
    moves, alpha FP follows it and beta FN stays; while beta moves, the other way
    round. The soft counts are summed once. ``grid`` is the loss at every (alpha,
    beta) pair of steps (rows follow beta), one batched call: the map the marker
    moves on; ``at`` the current alpha and beta.
    """
    prm = analysis.fill_params("tversky", params)
    terms = tversky.tversky_weighted_terms(y_true, y_pred, 1.0, 1.0, float(prm["smooth"]))
    fp, fn = terms["FP"], terms["FN"]
    spec = get_spec("tversky")
    out = {}
    for name in ("alpha", "beta"):
        steps = np.asarray(param_steps(spec.param(name)))
        a = steps if name == "alpha" else np.full_like(steps, float(prm["alpha"]))
        b = steps if name == "beta" else np.full_like(steps, float(prm["beta"]))
        out[name] = {
            "alpha_FP": tuple(float(x) for x in a * fp),
            "beta_FN": tuple(float(x) for x in b * fn),
        }
    alphas, betas = (param_steps(spec.param(n)) for n in ("alpha", "beta"))
    grid = analysis.tversky_grid(y_true, y_pred, alphas, betas, smooth=float(prm["smooth"]))
    out["grid"] = tuple(tuple(float(x) for x in row) for row in grid)
    out["at"] = {"alpha": float(prm["alpha"]), "beta": float(prm["beta"])}
    return out


#: The per-step numbers of a page's named views, by loss (pages without any are absent).
VIEW_STEPS = {"focal": focal_steps, "tversky": tversky_steps}
