"""The "Pitfalls and FAQ" page: each common mistake run live next to the correct computation.

The numbers come from :mod:`losses.pitfalls`, which reproduces every mistake on the installed
TensorFlow and Keras (so a Keras release that fixes its Tversky loss shows up here as fixed).
This module only lays them out: a table of contents, one bordered section per pitfall (mistake
against correct value, why, source, details), then the FAQ.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from ..figures import images
from ..runtime import cache
from ..runtime.guard import guard


def example_image() -> np.ndarray:
    """The 16 x 16 example's overlap map, enlarged so its pixels stay crisp."""
    t, p = cache.pitfalls_example()
    return images.overlap_rgb(images.upscale(t, 8), images.upscale(p, 8))


# --------------------------------------------------------------------------- formatting
def anchor(kind: str, key: str) -> str:
    return f"{kind}-{key}".replace("_", "-")


def fmt(value, key: str = "") -> str:
    if isinstance(value, str):
        return value
    v = float(value)
    if not np.isfinite(v):
        return str(v)
    if key == "focal_scalar_alpha":
        return f"{v:.1%}"
    if v != 0 and abs(v) < 0.01:
        return f"{v:.3g}"
    return f"{v:.4f}"


def _error_block(message: str) -> None:
    """An error message in monospace on a red panel; long lines wrap instead of scrolling."""
    text = " ".join(str(message).replace("`", "'").split())
    st.error(f"`{text}`", icon=":material/error:")


def _table(rows: list[tuple], columns: list[str], key: str) -> None:
    st.dataframe(pd.DataFrame(rows, columns=columns), hide_index=True, width="stretch", key=key)


# --------------------------------------------------------------------------- details per pitfall
def _details_kdot(d: dict) -> None:
    rows = [
        (a["attempt"], "runs" if a["ok"] else "raises", a.get("error") or f"{a['value']:.4f}")
        for a in d["attempts"]
    ]
    _table(rows, ["what was tried", "result", "message or value"], "pit-kdot-attempts")
    st.markdown(
        f"With the intersection written as a sum of products the Dice loss of the example is "
        f"`{d['dice_from_intersection']:.4f}`, the same as `losses.dice` "
        f"(`{d['dice']:.4f}`). Run on TensorFlow {d['tensorflow_version']}, Keras "
        f"{d['keras_version']}."
    )


def _details_combo(d: dict) -> None:
    st.markdown("Run exactly as published, it stops at the first undefined name, then at the next:")
    for msg in d["name_errors"]:
        _error_block(msg)
    a = d["alpha"]
    _table(
        [
            (
                "foreground pixels (t = 1)",
                f"{d['positive_weight']:.4g}",
                f"{d['positive_weight']:.4g}",
                "",
            ),
            (
                "background pixels (t = 0)",
                f"alpha (1 - alpha) = {d['negative_weight_wrong']:.4g}",
                f"1 - alpha = {d['negative_weight_right']:.4g}",
                f"{d['negative_weight_measured']:.4g}",
            ),
        ],
        ["weight in the cross-entropy", "blog's bracket", "paper", "measured on the blog's form"],
        "pit-combo-weights",
    )
    st.markdown(
        f"At alpha = {a:g} the bracket leaves background errors at "
        f"{d['negative_weight_wrong'] / d['negative_weight_right']:.0%} of the weight the paper "
        f"gives them: weighted CE {d['wce_wrong']:.4f} instead of {d['wce_right']:.4f}."
    )
    if d.get("eps_1e9_is_lost_in_float32"):
        st.caption(
            "A side note: even defined, the blog's clip bound 1e-9 is too small for float32, "
            "where 1 - 1e-9 rounds to exactly 1, so log(1 - p) is not protected; this package "
            "clips at 1e-7."
        )


def _details_focal_alpha(d: dict) -> None:
    c = d["comparison"]
    rows = [
        (name, f"{c[k]['total']:.4f}", f"{c[k]['positive_share']:.1%}")
        for k, name in (
            ("unweighted", "no alpha (alpha = 1)"),
            ("scalar", f"scalar alpha = {c['alpha']:g} (blog)"),
            ("class_balanced", f"alpha = {c['alpha']:g} / {1 - c['alpha']:g} (paper)"),
        )
    ]
    _table(rows, ["focal loss with", "loss", "share from foreground"], "pit-focal-alpha")
    st.markdown(
        f"The scalar version is exactly {d['scalar_ratio']:.3g} × the unweighted loss and "
        f"keeps the foreground's share at {d['unweighted_share']:.1%}; only the class-balanced "
        f"alpha changes the share ({c['n_positive']} foreground and {c['n_negative']} "
        "background pixels)."
    )


def _details_keras_tversky(d: dict) -> None:
    swapped = d["swapped"]
    msg = (
        f"Installed: **Keras {d['keras_version']}**. Detected convention: "
        f"**{d['convention']}** (measured just now, not guessed from the version number)."
    )
    if swapped:
        st.warning(
            msg + " Here Keras's alpha weighs the missed foreground.", icon=":material/swap_horiz:"
        )
    else:
        st.success(msg + " Here Keras's alpha weighs false positives.", icon=":material/check:")
    _table(
        [
            ("only false positives", f"{d['keras_fp_only']:.4f}", f"{d['ours_fp_only']:.4f}"),
            ("only false negatives", f"{d['keras_fn_only']:.4f}", f"{d['ours_fn_only']:.4f}"),
        ],
        [
            "prediction with",
            "keras.losses.Tversky(alpha=1, beta=0)",
            "losses.tversky(alpha=1, beta=0)",
        ],
        "pit-keras-tversky",
    )
    st.markdown(
        "With alpha = 1 and beta = 0 only false positives should cost anything. To mean the "
        "paper's alpha and beta with Keras's class, swap them yourself (measure your Keras "
        "first, as this page does), or use `losses.TverskyLoss`."
    )


def _details_focal_tversky(d: dict) -> None:
    _table(
        [
            ("paper's gamma typed in", f"{d['gamma_wrong']:.4g}", f"{d['grad_wrong']:.4f}"),
            ("paper's setting converted", f"{d['gamma_right']:.4g}", f"{d['grad_right']:.4f}"),
        ],
        ["exponent", "value", "|dL/dTI| here"],
        "pit-ft-exponent",
    )
    st.markdown(
        f"At this prediction the Tversky loss is {d['tversky_loss']:.4f}. The steepness "
        "|dL/dTI| shows the intent: the paper's exponent below 1 pushes harder near a good "
        "prediction, the mistaken one pushes less."
    )


def _details_empty(d: dict) -> None:
    st.markdown(
        f"Keras {d['keras_version']} adds its epsilon ({d['keras_epsilon']:g}) below the "
        "fraction line only. On datasets with many empty slices (no lesion in most scans) "
        "this is a loss at its maximum on every correct empty prediction."
    )


def _details_focal_mean_bce(d: dict) -> None:
    _table(
        [
            ("plain BCE", f"{d['hard_share_bce']:.1%}"),
            ("focal from the mean BCE (blog)", f"{d['hard_share_wrong']:.1%}"),
            ("focal per pixel (losses.focal)", f"{d['hard_share_focal']:.1%}"),
        ],
        ["loss", "share of the loss from hard pixels (p_t ≤ 0.5)"],
        "pit-focal-mean",
    )
    st.markdown(
        f"The blog's form multiplies every pixel by the same {d['uniform_factor']:.3g}; the "
        f"real focal factor alpha (1 - p_t)^gamma ranges from {d['pixel_factor_min']:.2g} on "
        f"easy pixels to {d['pixel_factor_max']:.2g} on hard ones."
    )


def _details_logits(d: dict) -> None:
    st.markdown("What `losses.bce` says when given the logits:")
    _error_block(d["error_message"])
    lo, hi = d["logit_range"]
    st.markdown(
        f"The logits of the example run from {lo:.2f} to {hi:.2f}; clipping pins "
        f"{d['share_clipped_to_0_or_1']:.0%} of the pixels to exactly 0 or 1. The Dice loss "
        f"changes too: {d['dice_wrong']:.4f} clipped against {d['dice_right']:.4f} after a "
        "sigmoid."
    )


def _details_keras_bce_clip(d: dict) -> None:
    _table(
        [
            (
                "false positive (t = 0, p = 1)",
                f"{d['keras_false_positive']:.4f}",
                f"{d['ours_false_positive']:.4f}",
            ),
            (
                "false negative (t = 1, p = 0)",
                f"{d['keras_false_negative']:.4f}",
                f"{d['ours_false_negative']:.4f}",
            ),
        ],
        ["a certain mistake", f"Keras {d['keras_version']} binary_crossentropy", "losses.bce"],
        "pit-keras-bce-clip",
    )
    st.markdown(
        f"In float32, 1 - 1e-7 is stored as `{d['float32_one_minus_epsilon']:.10f}`, which is "
        f"1 - {d['float32_gap']:.3g}; -ln({d['float32_gap']:.3g}) = "
        f"{d['neg_log_float32_gap']:.4f}, where -ln(1e-7) = {d['neg_log_epsilon']:.4f}. "
        "On a mask with many confident pixels the gap adds up: BCE, Focal, BCE-Dice and "
        "Combo then disagree with their formulas by up to about 1 %."
    )


DETAILS = {
    "kdot_rank1": _details_kdot,
    "keras_bce_clip": _details_keras_bce_clip,
    "combo_blog": _details_combo,
    "focal_scalar_alpha": _details_focal_alpha,
    "keras_tversky_swap": _details_keras_tversky,
    "focal_tversky_exponent": _details_focal_tversky,
    "empty_masks_dice": _details_empty,
    "focal_mean_bce": _details_focal_mean_bce,
    "logits_as_probs": _details_logits,
}


# --------------------------------------------------------------------------- FAQ details
def _faq_negative(d: dict) -> None:
    a, b, c, m = st.columns(4)
    a.metric("cross-entropy term", f"{d['ce_term']:+.4f}")
    b.metric("Dice term", f"{d['dice_term']:+.4f}")
    c.metric("Combo loss", f"{d['total']:+.4f}")
    m.metric("best possible", f"{d['minimum']:+.4f}")


def _faq_batch(d: dict) -> None:
    _table(
        [
            ("both objects found", f"{d['pooled'][0]:.4f}", f"{d['per_image_mean'][0]:.4f}"),
            ("tiny object missed", f"{d['pooled'][1]:.4f}", f"{d['per_image_mean'][1]:.4f}"),
            ("change", f"{d['pooled_change']:+.4f}", f"{d['per_image_change']:+.4f}"),
        ],
        ["batch of a large and a tiny object", "pooled Dice loss", "mean per-image Dice loss"],
        "faq-batch",
    )
    st.caption(
        "The [compare page](compare#batch-dice) draws this batch and explains it step by step."
    )


def _faq_alpha_beta(d: dict) -> None:
    u, o = d["under"], d["over"]
    _table(
        [
            (
                "under-segmented (only FN)",
                f"{u['base']:.4f}",
                f"{u['raise_alpha']:.4f}",
                f"{u['raise_beta']:.4f}",
            ),
            (
                "over-segmented (only FP)",
                f"{o['base']:.4f}",
                f"{o['raise_alpha']:.4f}",
                f"{o['raise_beta']:.4f}",
            ),
        ],
        ["Tversky loss of", "alpha = beta = 0.5", "alpha raised to 0.7", "beta raised to 0.7"],
        "faq-alpha-beta",
    )


FAQ_DETAILS = {
    "negative_loss": _faq_negative,
    "dice_batch_size": _faq_batch,
    "which_penalises_fn": _faq_alpha_beta,
}


# --------------------------------------------------------------------------- sections
def _value_column(kind: str, label: str, value, key: str) -> None:
    if kind == "wrong":
        st.markdown(f":red[**✗ The mistake**] · {label}")
    else:
        st.markdown(f":green[**✓ Correct**] · {label}")
    if isinstance(value, str):
        _error_block(value)
    else:
        st.metric(
            "mistaken value" if kind == "wrong" else "correct value",
            fmt(value, key),
            label_visibility="collapsed",
        )


def pitfall_section(i: int, item: dict) -> None:
    with st.container(border=True):
        st.subheader(f"{i}. {item['title']}", anchor=anchor("pitfall", item["key"]))
        left, right = st.columns(2, gap="large")
        with left:
            _value_column("wrong", item["wrong_label"], item["wrong"], item["key"])
        with right:
            _value_column("right", item["right_label"], item["right"], item["key"])
        st.markdown(item["explanation"])
        draw = DETAILS.get(item["key"])
        if draw is not None:
            with guard(f"show the details of {item['key']}"):
                draw(item["details"])
        st.caption(f"Source: {item['source']}")


def faq_section(item: dict) -> None:
    with st.container(border=True):
        st.subheader(item["title"], anchor=anchor("faq", item["key"]))
        st.markdown(item["answer"])
        draw = FAQ_DETAILS.get(item["key"])
        if draw is not None:
            with guard(f"show the numbers of {item['key']}"):
                draw(item["details"])
        st.caption(f"Source: {item['source']}")


def contents(items: list[dict], faq: list[dict]) -> None:
    left, right = st.columns([3, 2], gap="large")
    with left:
        lines = ["**Pitfalls**", ""]
        lines += [
            f"{i}. [{it['title']}](#{anchor('pitfall', it['key'])})"
            for i, it in enumerate(items, 1)
        ]
        st.markdown("\n".join(lines))
    with right:
        lines = ["**Frequently asked questions**", ""]
        lines += [f"- [{it['title']}](#{anchor('faq', it['key'])})" for it in faq]
        st.markdown("\n".join(lines))
