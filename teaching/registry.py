"""One description per loss, read by the pages, the docs and the tests.

This module is pure Python (no TensorFlow import), so the home page and the
slider code can read it instantly. Each parameter carries its range, step, the
reference blog's default (what the sliders start at) and the paper's value.

The registry holds facts, not prose: what a learner reads about a loss (its
summary, each parameter's label and help) lives in the language catalogs under
``assets/i18n`` (``losses.<key>.*`` and ``params.<key>.<name>.*``). ``title`` is
the loss's name as code and error messages write it.

The "blog" is the Kaggle notebook "Loss Function Library - Keras & PyTorch"
(bigironsphere, 2019), the usual starting point for these seven losses.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

BLOG = 'bigironsphere, "Loss Function Library - Keras & PyTorch", Kaggle notebook (2019)'
SMOOTH_CHOICES = (1e-6, 1e-4, 1e-2, 0.1, 1.0, 10.0)


@dataclass(frozen=True)
class Param:
    """One hyper-parameter of a loss, as the sliders, the links and the docs see it.

    ``kind`` is "float" (a slider from ``lo`` to ``hi`` in ``step``), "choice" (a
    discrete scale, ``choices``; smooth) or "bool" (a switch; focal's
    ``class_balanced``). ``blog`` is the value the app starts at (the reference
    blog's, which is also the default of the function in :mod:`losses`), ``paper``
    the value the loss's paper uses.
    """

    name: str
    lo: float
    hi: float
    step: float
    blog: float | bool
    paper: float | bool
    choices: tuple[float, ...] | None = None
    kind: str = "float"

    def clamp(self, value):
        """Bring a value (for instance from a shared link) into range.

        Raises ValueError for what is not a finite number (or, for a switch, a
        boolean spelling such as 1, 0, true or false).
        """
        if self.kind == "bool":
            return parse_bool(value)
        v = float(value)
        if not math.isfinite(v):
            raise ValueError(f"{self.name} must be a finite number, got {value!r}")
        v = min(max(v, self.lo), self.hi)
        if self.choices:
            return min(self.choices, key=lambda c: abs(c - v))
        return v


def slider_steps(p: Param) -> tuple[float, ...]:
    """Every value a slider for ``p`` can take, lowest first (the live sliders' steps).

    Rounded to 10 decimals, as :func:`format_value` writes them: what the browser
    shows and sends back is then the same number Python compares with.
    """
    if p.kind == "bool":
        raise ValueError(f"{p.name} is a switch; it has no steps.")
    if p.choices:
        return tuple(float(c) for c in p.choices)
    count = int(round((p.hi - p.lo) / p.step)) + 1
    return tuple(float(round(p.lo + i * p.step, 10)) for i in range(count))


def nearest_step(p: Param, value) -> float:
    """``value`` brought into range (:meth:`Param.clamp`) and onto the nearest slider step."""
    v = p.clamp(value)
    return min(slider_steps(p), key=lambda s: abs(s - v))


def parse_bool(value) -> bool:
    """True / False from a bool, 1 / 0 or their usual spellings; ValueError otherwise."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"not a yes/no value: {value!r}")


@dataclass(frozen=True)
class LossSpec:
    """Everything the app says about one loss."""

    key: str
    title: str  # the loss's name, as code and error messages write it
    function: str  # name in the losses package
    keras_class: str | None
    params: tuple[Param, ...]
    formula: str  # LaTeX, with {name} slots for the current values
    references: tuple[str, ...]
    region: bool  # True when the loss is built from whole-image sums
    pixelwise_part: str | None = None  # name of the per-pixel term, if any
    # For losses built on the overlap ratio TP / (TP + w_FP FP + w_FN FN): the weights of
    # FP and FN, as numbers or as the names of the parameters that set them.
    error_weights: tuple[float | str, float | str] | None = None

    @property
    def kind(self) -> str:
        """ "pixel" (a mean over pixels), "region" (built from soft counts) or "mixed" (both)."""
        if not self.region:
            return "pixel"
        return "mixed" if self.pixelwise_part else "region"

    @property
    def numeric_params(self) -> tuple[Param, ...]:
        """The parameters a curve or a grid can sweep (every one but the switches)."""
        return tuple(p for p in self.params if p.kind != "bool")

    def defaults(self, which: str = "blog") -> dict:
        if which not in ("blog", "paper"):
            raise ValueError("which must be 'blog' or 'paper'")
        return {p.name: getattr(p, which) for p in self.params}

    def weights_at(self, params: dict) -> dict[str, float] | None:
        """TP, FP and FN weights of the overlap ratio at ``params``; None for pixelwise losses."""
        if self.error_weights is None:
            return None
        fp, fn = (float(params[w]) if isinstance(w, str) else w for w in self.error_weights)
        return {"TP": 1.0, "FP": fp, "FN": fn}

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(f"{self.key} has no parameter {name!r}")


def _smooth(paper: float = 1e-6) -> Param:
    return Param(
        "smooth",
        lo=SMOOTH_CHOICES[0],
        hi=SMOOTH_CHOICES[-1],
        step=0.0,
        blog=1e-6,
        paper=paper,
        choices=SMOOTH_CHOICES,
    )


def _alpha_fp(blog: float, paper: float) -> Param:
    """alpha as Tversky means it: the price of a unit of false positive."""
    return Param("alpha", lo=0.0, hi=1.0, step=0.05, blog=blog, paper=paper)


def _beta_fn(blog: float, paper: float) -> Param:
    """beta as Tversky means it: the price of a unit of false negative."""
    return Param("beta", lo=0.0, hi=1.0, step=0.05, blog=blog, paper=paper)


LOSSES: dict[str, LossSpec] = {}


def _add(spec: LossSpec) -> None:
    LOSSES[spec.key] = spec


BCE = LossSpec(
    key="bce",
    title="Binary cross-entropy",
    function="bce",
    keras_class="BCELoss",
    params=(),
    formula=r"\mathrm{BCE} = -\frac{1}{N}\sum_i \big[t_i \log p_i + (1-t_i)\log(1-p_i)\big]",
    references=("Any machine-learning textbook; Keras keras.losses.BinaryCrossentropy",),
    region=False,
    pixelwise_part="bce",
)

_add(
    LossSpec(
        key="focal",
        title="Focal",
        function="focal",
        keras_class="FocalLoss",
        params=(
            Param("alpha", lo=0.0, hi=1.0, step=0.05, blog=0.8, paper=0.25),
            Param("gamma", lo=0.0, hi=5.0, step=0.1, blog=2.0, paper=2.0),
            Param("class_balanced", lo=0.0, hi=1.0, step=1.0, blog=False, paper=True, kind="bool"),
        ),
        formula=r"\mathrm{FL} = \frac{1}{N}\sum_i {alpha}\,(1-p_{t,i})^{{gamma}}\,\mathrm{BCE}_i",
        references=(
            "Lin, Goyal, Girshick, He, Dollar. Focal Loss for Dense Object Detection. ICCV 2017 (arXiv:1708.02002)",
            BLOG,
        ),
        region=False,
        pixelwise_part="focal",
    )
)

_add(
    LossSpec(
        key="dice",
        title="Dice",
        function="dice",
        keras_class="DiceLoss",
        params=(_smooth(),),
        formula=r"L = 1 - \frac{2\,TP + {smooth}}{\sum t + \sum p + {smooth}}",
        references=(
            "Milletari, Navab, Ahmadi. V-Net: Fully Convolutional Neural Networks for Volumetric "
            "Medical Image Segmentation. 3DV 2016 (arXiv:1606.04797)",
            BLOG,
        ),
        error_weights=(0.5, 0.5),
        region=True,
    )
)

_add(
    LossSpec(
        key="bce_dice",
        title="BCE-Dice",
        function="bce_dice",
        keras_class="BCEDiceLoss",
        params=(_smooth(),),
        formula=r"L = \mathrm{BCE} + 1 - \frac{2\,TP + {smooth}}{\sum t + \sum p + {smooth}}",
        references=(BLOG,),
        error_weights=(0.5, 0.5),
        region=True,
        pixelwise_part="bce",
    )
)

_add(
    LossSpec(
        key="iou",
        title="Jaccard / IoU",
        function="iou",
        keras_class="IoULoss",
        params=(_smooth(),),
        formula=r"L = 1 - \frac{TP + {smooth}}{\sum t + \sum p - TP + {smooth}}",
        references=(
            "Rahman, Wang. Optimizing Intersection-Over-Union in Deep Neural Networks for Image "
            "Segmentation. ISVC 2016",
            BLOG,
        ),
        error_weights=(1.0, 1.0),
        region=True,
    )
)

_add(
    LossSpec(
        key="tversky",
        title="Tversky",
        function="tversky",
        keras_class="TverskyLoss",
        params=(_alpha_fp(0.5, 0.3), _beta_fn(0.5, 0.7), _smooth()),
        formula=r"L = 1 - \frac{TP + {smooth}}{TP + {alpha}\,FP + {beta}\,FN + {smooth}}",
        references=(
            "Salehi, Erdogmus, Gholipour. Tversky loss function for image segmentation using 3D "
            "fully convolutional deep networks. MLMI 2017 (arXiv:1706.05721)",
            BLOG,
        ),
        error_weights=("alpha", "beta"),
        region=True,
    )
)

_add(
    LossSpec(
        key="focal_tversky",
        title="Focal Tversky",
        function="focal_tversky",
        keras_class="FocalTverskyLoss",
        params=(
            _alpha_fp(0.5, 0.3),
            _beta_fn(0.5, 0.7),
            Param("gamma", lo=0.1, hi=3.0, step=0.05, blog=1.0, paper=0.75),
            _smooth(),
        ),
        formula=r"L = \left(1 - \frac{TP + {smooth}}{TP + {alpha}\,FP + {beta}\,FN + {smooth}}\right)^{{gamma}}",
        references=(
            "Abraham, Khan. A Novel Focal Tversky Loss Function with Improved Attention U-Net for "
            "Lesion Segmentation. ISBI 2019 (arXiv:1810.07842)",
            BLOG,
        ),
        error_weights=("alpha", "beta"),
        region=True,
    )
)

_add(
    LossSpec(
        key="combo",
        title="Combo",
        function="combo",
        keras_class="ComboLoss",
        params=(
            Param("alpha", lo=0.0, hi=1.0, step=0.05, blog=0.5, paper=0.5),
            Param("ce_ratio", lo=0.0, hi=1.0, step=0.05, blog=0.5, paper=0.5),
            _smooth(),
        ),
        formula=r"L = {ce_ratio}\,\mathrm{wCE}_{{alpha}} - (1-{ce_ratio})\,\frac{2\,TP + {smooth}}{\sum t + \sum p + {smooth}}",
        references=(
            "Taghanaki, Zheng, Zhou, Georgescu, Sharma, Xu, Comaniciu, Hamarneh. Combo loss: "
            "Handling input and output imbalance in multi-organ segmentation. Computerized Medical "
            "Imaging and Graphics 2019 (arXiv:1805.02798)",
            BLOG,
        ),
        error_weights=(0.5, 0.5),
        region=True,
        pixelwise_part="combo_ce",
    )
)

ALL_SPECS: dict[str, LossSpec] = {"bce": BCE, **LOSSES}

#: The seven losses of the app, in the order the pages list them.
LOSS_KEYS: tuple[str, ...] = tuple(LOSSES)
#: BCE and the seven losses: what the compare page and the training lab offer.
ALL_KEYS: tuple[str, ...] = tuple(ALL_SPECS)


def get(key: str) -> LossSpec:
    try:
        return ALL_SPECS[key]
    except KeyError:
        raise KeyError(f"unknown loss {key!r}; choose one of {sorted(ALL_SPECS)}") from None


def tex_number(value: float) -> str:
    """A number as compact LaTeX: 0.3, 2, 10^{-6}, 1.5\\cdot10^{-4}."""
    v = float(value)
    text = f"{v:.3g}"
    if "e" in text:
        mant, exp = text.split("e")
        exp_tex = f"10^{{{int(exp)}}}"
        return exp_tex if mant in ("1", "1.0") else f"{mant}\\cdot{exp_tex}"
    return text


def format_formula(spec: LossSpec, values: dict) -> str:
    """The LaTeX formula with the current parameter values filled in."""
    slots = {p.name: tex_number(values.get(p.name, p.blog)) for p in spec.numeric_params}
    out = spec.formula
    for name, val in slots.items():
        out = out.replace("{" + name + "}", val)
    return out


def format_value(value) -> str:
    """A setting as the app writes it, in labels, links and code: 0.3, 2, 1e-06, True, disk.

    Numbers keep ten significant digits (enough to read a slider's value back
    exactly, without float noise such as 0.30000000000000004).
    """
    if isinstance(value, (bool, str)):
        return str(value)
    if isinstance(value, int):
        return str(value)
    return f"{float(value):.10g}"


def format_params(params: dict, *, brief: bool = False) -> str:
    """A parameter dict as ``alpha=0.3, beta=0.7, smooth=1e-06``: for labels and for code.

    ``brief`` leaves out ``smooth`` and switches that are off, for a short label.
    """
    shown = []
    for name, value in params.items():
        if brief and (name == "smooth" or value is False):
            continue
        shown.append(f"{name}={format_value(value)}")
    return ", ".join(shown)


def describe(key: str, params: dict | None = None) -> str:
    """A loss and its settings in a few words, such as 'Focal (alpha=0.8, gamma=2)'."""
    spec = get(key)
    text = format_params({**spec.defaults(), **(params or {})}, brief=True)
    return spec.title + (f" ({text})" if text else "")


# --------------------------------------------------------------------------
# The Unified Focal loss: one loss with three dials, the family the seven belong to.
# It has no page of its own among LOSSES (the family-tree page shows it); in ALL_SPECS
# it joins BCE and the seven on the compare page and in the training lab.
# --------------------------------------------------------------------------
YEUNG = (
    "Yeung, Sala, Schönlieb, Rundo. Unified Focal loss: Generalising Dice and cross "
    "entropy-based losses to handle class imbalanced medical image segmentation. Computerized "
    "Medical Imaging and Graphics 95 (2022) 102026 (arXiv:2102.04525)"
)

UNIFIED_FOCAL = LossSpec(
    key="unified_focal",
    title="Unified Focal",
    function="unified_focal",
    keras_class="UnifiedFocalLoss",
    params=(
        Param("lambda_", 0.0, 1.0, 0.05, 0.5, 0.5),
        Param("delta", 0.0, 1.0, 0.05, 0.6, 0.6),
        Param("gamma", 0.0, 1.0, 0.05, 0.5, 0.5),
        Param("symmetric", 0.0, 1.0, 1.0, False, False, kind="bool"),
        _smooth(),
    ),
    formula=r"L = {lambda_}\,\mathcal{L}_{aF}(\delta={delta},\gamma={gamma}) + (1-{lambda_})"
    r"\big[(1-\mathrm{mTI}_{fg})^{1-{gamma}} + (1-\mathrm{mTI}_{bg})\big]",
    references=(YEUNG,),
    region=True,
    pixelwise_part="unified_focal",
)

ALL_SPECS[UNIFIED_FOCAL.key] = UNIFIED_FOCAL
#: BCE, the seven losses and the Unified Focal loss: what the compare page and the lab offer.
ALL_KEYS = tuple(ALL_SPECS)
