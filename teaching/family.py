"""The family tree: where the seven losses sit among the settings of the Unified Focal loss.

The Unified Focal loss (Yeung, Sala, Schönlieb, Rundo 2022; ``losses.unified_focal``) has
three dials and a form: ``lambda_`` mixes its focal cross-entropy part with its focal
Tversky part, ``delta`` weighs the foreground (and each class's false negatives), ``gamma``
focuses, and ``symmetric`` chooses whether both classes are focused alike. A setting is a
dict ``{"lambda_", "delta", "gamma", "symmetric", "smooth"}`` (missing entries take the
registry's defaults).

Each of the seven losses of the app has a :class:`Place`: the setting nearest to the
current one where the family meets it, the named loss's own parameters there, and the
exact relation between the two, written as terms of the named losses' own functions:

* **exact** members: the unified value *is* the named loss. Focal (class-balanced,
  alpha = delta, 0 <= gamma <= 1) at ``lambda_ = 1`` in the symmetric form (and in both
  forms at gamma = 0), for a 0/1 ground truth; Combo at ce_ratio = 1 (weighted BCE).
* **per class**: the family scores the background as a second class, so at the Dice,
  Tversky and Focal Tversky settings the unified value is the named loss of the
  foreground *plus* the same loss of the background (computed by the same function on
  the inverted masks, 1 - t and 1 - p). That background term is the gap.
* **scaled or shifted**: BCE-Dice is 3 x the unified value at lambda_ = 2/3, minus the
  background's Dice; Combo subtracts a Dice *coefficient*, so it sits 1 - ce_ratio
  (plus the background term) below.
* **outside**: IoU (= 2 Dice / (1 + Dice), not a setting of the family), Focal with
  gamma > 1, Tversky with alpha + beta != 1, and the asymmetric form's focal part (the
  foreground is never focused there): the nearest setting is shown with its gap.

Everything here is TensorFlow / numpy through :mod:`teaching.analysis`; nothing draws.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from losses import core
from losses._tf import tf
from losses.validation import check_pair

from . import analysis
from .registry import get as get_spec

__all__ = [
    "KEY",
    "MEMBERS",
    "TAKE_ME_TO",
    "Place",
    "settings",
    "place",
    "places",
    "nearest",
    "take_me_to",
    "evaluate",
    "at_dials",
    "lambda_delta_grid",
    "formula_tex",
]

KEY = "unified_focal"
#: The seven losses of the app, in the order the family diagram lists them.
MEMBERS = ("focal", "combo", "bce_dice", "focal_tversky", "tversky", "dice", "iou")
#: The losses a "take me to" control exists for.
TAKE_ME_TO = ("dice", "focal", "tversky", "focal_tversky", "combo")
#: Places this close to the dials (half a slider step) count as reached by them.
TIE = 0.026
#: Most specific first: a point beats a line, a line beats a face.
_SPECIFICITY = ("dice", "bce_dice", "tversky", "combo", "focal", "focal_tversky")
_DIALS = ("lambda_", "delta", "gamma")


@dataclass(frozen=True)
class Term:
    """One term of a relation: ``coef x loss(masks, **params)``; ``side`` "bg" inverts both."""

    key: str
    params: dict
    coef: float = 1.0
    side: str = "fg"


@dataclass(frozen=True)
class Place:
    """Where the family meets one named loss, nearest to a given setting.

    ``setting`` is the unified loss's setting there and ``params`` the named loss's own
    parameters. When ``relation`` is not None, the unified value at ``setting`` equals
    ``sum(term) + offset`` exactly, the first term being the named loss itself; the place
    is exact when that is all there is. ``reason`` names why it is not exact (a key of the
    page's texts), ``needs_binary_truth`` that the equality holds for 0/1 targets only.
    """

    key: str
    setting: dict
    params: dict
    relation: tuple[Term, ...] | None
    offset: float = 0.0
    reason: str | None = None
    needs_binary_truth: bool = False

    @property
    def exact(self) -> bool:
        """The unified value is the named loss's own value (on a 0/1 truth if so marked)."""
        rel = self.relation
        return rel is not None and len(rel) == 1 and rel[0].coef == 1.0 and self.offset == 0.0


def settings(dials: dict | None = None) -> dict:
    """A full, range-checked setting of the unified loss (registry defaults filled in)."""
    spec = get_spec(KEY)
    filled = analysis.fill_params(KEY, dict(dials or {}))
    return {p.name: p.clamp(filled[p.name]) for p in spec.params}


def _with(s: dict, **changes) -> dict:
    return {**s, **changes}


# ----------------------------------------------------------------------------- the places
def _focal(s: dict) -> Place:
    lam1 = _with(s, lambda_=1.0)
    prm = {"alpha": s["delta"], "gamma": s["gamma"], "class_balanced": True}
    if s["symmetric"] or s["gamma"] == 0.0:
        return Place("focal", lam1, prm, (Term("focal", prm),), needs_binary_truth=True)
    return Place("focal", lam1, prm, None, reason="focal_asymmetric", needs_binary_truth=True)


def _per_class(key: str, prm: dict, bg_key: str, bg_prm: dict) -> tuple[Term, Term]:
    """The named loss of the foreground plus a loss of the background (inverted masks)."""
    return (Term(key, prm), Term(bg_key, bg_prm, side="bg"))


def _tversky_params(s: dict) -> dict:
    # the family's delta is the weight of false negatives: Tversky's beta; 1 - delta is alpha
    return {"alpha": 1.0 - s["delta"], "beta": s["delta"], "smooth": s["smooth"]}


def _focal_tversky(s: dict) -> Place:
    at = _with(s, lambda_=0.0)
    prm = {**_tversky_params(s), "gamma": 1.0 - s["gamma"]}
    bg = ("focal_tversky", prm) if s["symmetric"] else ("tversky", _tversky_params(s))
    rel = _per_class("focal_tversky", prm, *bg)
    return Place("focal_tversky", at, prm, rel, reason="background")


def _tversky(s: dict) -> Place:
    at = _with(s, lambda_=0.0, gamma=0.0)
    prm = _tversky_params(s)
    rel = _per_class("tversky", prm, "tversky", prm)
    return Place("tversky", at, prm, rel, reason="background")


def _dice_setting(s: dict) -> dict:
    return _with(s, lambda_=0.0, delta=0.5, gamma=0.0)


def _dice(s: dict) -> Place:
    # the family's Tversky index at delta = 0.5 is the Dice coefficient with smooth 2 s
    prm = {"smooth": 2.0 * s["smooth"]}
    rel = _per_class("dice", prm, "dice", prm)
    return Place("dice", _dice_setting(s), prm, rel, reason="background")


def _bce_dice(s: dict) -> Place:
    # lambda_ = 2/3: (1/3) (BCE / 2 * 2) + (1/3) (Dice_fg + Dice_bg) = (BCE-Dice + Dice_bg) / 3
    at = _with(s, lambda_=2.0 / 3.0, delta=0.5, gamma=0.0)
    prm = {"smooth": 2.0 * s["smooth"]}
    third = 1.0 / 3.0
    rel = (Term("bce_dice", prm, third), Term("dice", prm, third, "bg"))
    return Place("bce_dice", at, prm, rel, reason="bce_dice_scaled")


def _combo(s: dict) -> Place:
    # Combo = r wCE - (1 - r) DSC; the family adds (1 - r)(Dice_fg + Dice_bg) instead,
    # and Dice_fg = 1 - DSC: the difference is (1 - r)(1 + Dice_bg)
    at = _with(s, delta=0.5, gamma=0.0)
    r = at["lambda_"]
    prm = {"alpha": 0.5, "ce_ratio": r, "smooth": 2.0 * s["smooth"]}
    terms = [Term("combo", prm)]
    if r < 1.0:
        terms.append(Term("dice", {"smooth": prm["smooth"]}, 1.0 - r, "bg"))
    return Place("combo", at, prm, tuple(terms), offset=1.0 - r, reason="combo_shifted")


def _iou(s: dict) -> Place:
    return Place("iou", _dice_setting(s), {"smooth": s["smooth"]}, None, reason="iou_outside")


_PLACES = {
    "focal": _focal,
    "combo": _combo,
    "bce_dice": _bce_dice,
    "focal_tversky": _focal_tversky,
    "tversky": _tversky,
    "dice": _dice,
    "iou": _iou,
}


def place(key: str, dials: dict | None = None) -> Place:
    """Where the family meets ``key``, nearest to ``dials``."""
    try:
        build = _PLACES[key]
    except KeyError:
        raise ValueError(f"{key!r} is not one of the seven losses {list(MEMBERS)}.") from None
    return build(settings(dials))


def places(dials: dict | None = None) -> dict[str, Place]:
    """The place of each of the seven losses, nearest to ``dials``."""
    s = settings(dials)
    return {k: _PLACES[k](s) for k in MEMBERS}


def _distance(a: dict, b: dict) -> float:
    return math.sqrt(sum((float(a[d]) - float(b[d])) ** 2 for d in _DIALS))


def nearest(dials: dict | None = None) -> str:
    """The named loss whose place is nearest to ``dials`` (IoU, not a member, never is).

    Places within :data:`TIE` of the dials count as reached, and the most specific of
    them wins (Dice's point before Tversky's line before Focal Tversky's face); otherwise
    the nearest wins, equal distances going to the more specific.
    """
    s = settings(dials)
    dist = {k: _distance(s, _PLACES[k](s).setting) for k in _SPECIFICITY}
    reached = [k for k in _SPECIFICITY if dist[k] <= TIE]
    return reached[0] if reached else min(_SPECIFICITY, key=dist.__getitem__)


def take_me_to(key: str, dials: dict | None = None) -> dict:
    """The setting a "take me to ``key``" control moves the dials to.

    Only the dials the named loss fixes move; the others keep their values, because the
    loss is the whole line or face there (Focal is every delta and gamma at lambda_ = 1).
    Focal takes the symmetric form, the only one that focuses the foreground too. At
    gamma = 0 Focal would be plain weighted BCE and Focal Tversky plain Tversky, so gamma
    then takes 0.5 (the Unified Focal paper's) and 0.25 (Focal Tversky's exponent 0.75);
    Tversky at delta = 0.5 would be Dice, so delta then takes 0.7 (Salehi et al.'s beta).
    Combo keeps lambda_ as its ce_ratio unless that leaves no Dice or no cross-entropy.
    """
    if key not in TAKE_ME_TO:
        raise ValueError(f"no 'take me to' for {key!r}; choose one of {list(TAKE_ME_TO)}.")
    s = settings(dials)
    focused = s["gamma"] > 0.0
    if key == "focal":
        return _with(s, lambda_=1.0, symmetric=True, gamma=s["gamma"] if focused else 0.5)
    if key == "focal_tversky":
        return _with(s, lambda_=0.0, gamma=s["gamma"] if focused else 0.25)
    if key == "tversky":
        return _with(s, lambda_=0.0, gamma=0.0, delta=s["delta"] if s["delta"] != 0.5 else 0.7)
    if key == "combo":
        lam = s["lambda_"] if 0.0 < s["lambda_"] < 1.0 else 0.5
        return _with(s, lambda_=lam, delta=0.5, gamma=0.0)
    return _PLACES[key](s).setting


# ----------------------------------------------------------------------------- on masks
def _is_binary(t: np.ndarray) -> bool:
    return bool(np.all((t == 0.0) | (t == 1.0)))


def _unified_values(t, p, setting_list: list[dict]) -> list[float]:
    """The unified loss at several settings of one form, in one batched evaluation."""
    rows = core.as_rows(tf.constant(t), tf.constant(p))
    vectors = {d: tf.constant([s[d] for s in setting_list], tf.float32) for d in _DIALS}
    first = setting_list[0]
    fixed = {"symmetric": first["symmetric"], "smooth": first["smooth"]}
    values = analysis.rows_fn(KEY)(*rows, **vectors, **fixed).numpy()
    return [float(v) for v in values]


def _term_values(pl_list, t, p) -> dict:
    """Every distinct term of the relations, computed once: {(key, params, side): value}."""
    inverted = (1.0 - t, 1.0 - p)
    wanted = {
        (term.key, tuple(sorted(term.params.items())), term.side)
        for pl in pl_list
        for term in pl.relation or ()
    }
    out = {}
    for key, prm, side in wanted:
        tt, pp = inverted if side == "bg" else (t, p)
        out[key, prm, side] = analysis.loss_value(key, tt, pp, **dict(prm))
    return out


def evaluate(y_true, y_pred, dials: dict | None = None) -> dict[str, dict]:
    """Each of the seven losses at its place, on these masks.

    Returns ``{key: {"place", "unified", "named", "gap", "exact", "terms", "explained"}}``:
    the unified value at the place's setting, the named loss by its own function, their
    difference ``unified - named``, whether the place is exact for these masks, each term
    of the relation with its value (``(Term, coef x value)``), and ``sum(terms) + offset``
    (None without a relation).
    """
    t, p = (x.numpy() for x in check_pair(y_true, y_pred))
    pls = places(dials)
    unified = dict(
        zip(pls, _unified_values(t, p, [pl.setting for pl in pls.values()]), strict=True)
    )
    named = analysis.loss_values(MEMBERS, t, p, {k: pl.params for k, pl in pls.items()})
    values = _term_values(pls.values(), t, p)
    binary = _is_binary(t)
    out = {}
    for key, pl in pls.items():
        terms, explained = [], None
        if pl.relation is not None:
            terms = [
                (term, term.coef * values[term.key, tuple(sorted(term.params.items())), term.side])
                for term in pl.relation
            ]
            explained = sum(v for _, v in terms) + pl.offset
        out[key] = {
            "place": pl,
            "unified": unified[key],
            "named": named[key],
            "gap": unified[key] - named[key],
            "exact": pl.exact and (binary or not pl.needs_binary_truth),
            "terms": terms,
            "explained": explained,
        }
    return out


def at_dials(y_true, y_pred, dials: dict | None = None) -> dict:
    """The unified value at ``dials`` next to the nearest named loss by its own function.

    Returns ``{"setting", "unified", "nearest", "named", "difference", "on_place"}``:
    ``difference`` is ``unified - named``, ``on_place`` whether the dials sit on the
    nearest loss's place (then the difference is that place's gap).
    """
    s = settings(dials)
    key = nearest(s)
    pl = _PLACES[key](s)
    unified = analysis.loss_value(KEY, y_true, y_pred, **s)
    named = analysis.loss_value(key, y_true, y_pred, **pl.params)
    return {
        "setting": s,
        "unified": unified,
        "nearest": key,
        "named": named,
        "difference": unified - named,
        "on_place": _distance(s, pl.setting) < 1e-9,
    }


def lambda_delta_grid(y_true, y_pred, lambdas, deltas, dials: dict | None = None) -> np.ndarray:
    """The unified loss over the lambda_ x delta square at the dials' gamma and form.

    Rows follow delta, columns lambda_ (as a heatmap is drawn).
    """
    s = settings(dials)
    fixed = {k: v for k, v in s.items() if k not in ("lambda_", "delta")}
    return analysis.param_grid(
        KEY, y_true, y_pred, ("lambda_", lambdas), ("delta", deltas), **fixed
    )


def _tex(v: float) -> str:
    return f"{float(v):.3g}"


def formula_tex(dials: dict | None = None) -> str:
    """The unified loss at ``dials`` in LaTeX, in the chosen form (three aligned lines)."""
    s = settings(dials)
    lam, d, g = (_tex(s[k]) for k in _DIALS)
    e = _tex(1.0 - s["gamma"])
    fg_focus = rf"\,(1-p)^{{{g}}}" if s["symmetric"] else ""
    bg_power = f"^{{{e}}}" if s["symmetric"] else ""
    ce = (
        rf"-\tfrac{{1}}{{N}}\textstyle\sum_i \big[{d}\,t{fg_focus}\log p"
        rf" + {_tex(1.0 - s['delta'])}\,(1-t)\,p^{{{g}}}\log(1-p)\big]"
    )
    region = rf"(1-\mathrm{{mTI}}_{{fg}})^{{{e}}} + (1-\mathrm{{mTI}}_{{bg}}){bg_power}"
    return (
        rf"\begin{{aligned}}\mathcal{{L}} &= {lam}\,\mathcal{{L}}_{{F}}"
        rf" + {_tex(1.0 - s['lambda_'])}\,\mathcal{{L}}_{{FT}} \\"
        rf" \mathcal{{L}}_{{F}} &= {ce} \\ \mathcal{{L}}_{{FT}} &= {region}\end{{aligned}}"
    )
