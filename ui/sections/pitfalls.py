"""The "Pitfalls and FAQ" page: each common mistake run live next to the correct computation.

The numbers come from :mod:`teaching.pitfalls`, which reproduces every mistake on the
installed TensorFlow and Keras (so a Keras release that fixes its Tversky loss shows up here as
fixed) and returns catalog keys with formatted numbers. This module lays them out in the page's
language: a table of contents, one bordered section per pitfall (mistake against correct value,
why, source, details), then the FAQ. Page words are under ``pitfalls.page`` and
``pitfalls.details`` in the catalogs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from ..figures import images
from ..i18n import t
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


def say(item: dict, field: str) -> str:
    """A pitfall's or FAQ's text ``field`` in the page's language, with its numbers."""
    return t(item["texts"][field], **item["values"])


def _d(key: str, **values) -> str:
    return t(f"pitfalls.details.{key}", **values)


# --------------------------------------------------------------------------- details per pitfall
def _details_kdot(d: dict) -> None:
    rows = [
        (
            t(f"pitfalls.attempts.{a['attempt']}"),
            _d("runs") if a["ok"] else _d("raises"),
            a.get("error") or f"{a['value']:.4f}",
        )
        for a in d["attempts"]
    ]
    _table(rows, [_d("kdot_tried"), _d("kdot_result"), _d("kdot_message")], "pit-kdot-attempts")
    st.markdown(
        _d(
            "kdot_summary",
            dice_manual=f"{d['dice_from_intersection']:.4f}",
            dice=f"{d['dice']:.4f}",
            tensorflow=d["tensorflow_version"],
            keras=d["keras_version"],
        )
    )


def _details_combo(d: dict) -> None:
    st.markdown(_d("combo_as_published"))
    for msg in d["name_errors"]:
        _error_block(msg)
    _table(
        [
            (
                _d("combo_foreground"),
                f"{d['positive_weight']:.4g}",
                f"{d['positive_weight']:.4g}",
                "",
            ),
            (
                _d("combo_background"),
                f"alpha (1 - alpha) = {d['negative_weight_wrong']:.4g}",
                f"1 - alpha = {d['negative_weight_right']:.4g}",
                f"{d['negative_weight_measured']:.4g}",
            ),
        ],
        [_d("combo_weight"), _d("combo_bracket"), _d("combo_paper"), _d("combo_measured")],
        "pit-combo-weights",
    )
    st.markdown(
        _d(
            "combo_summary",
            alpha=f"{d['alpha']:g}",
            share=f"{d['negative_weight_wrong'] / d['negative_weight_right']:.0%}",
            wrong=f"{d['wce_wrong']:.4f}",
            right=f"{d['wce_right']:.4f}",
        )
    )
    if d.get("eps_1e9_is_lost_in_float32"):
        st.caption(_d("combo_eps"))


def _details_focal_alpha(d: dict) -> None:
    c = d["comparison"]
    names = {
        "unweighted": _d("focal_alpha_none"),
        "scalar": _d("focal_alpha_scalar", alpha=f"{c['alpha']:g}"),
        "class_balanced": _d(
            "focal_alpha_balanced", alpha=f"{c['alpha']:g}", rest=f"{1 - c['alpha']:g}"
        ),
    }
    rows = [
        (name, f"{c[k]['total']:.4f}", f"{c[k]['positive_share']:.1%}") for k, name in names.items()
    ]
    columns = [_d("focal_alpha_with"), t("charts.loss"), _d("focal_alpha_share")]
    _table(rows, columns, "pit-focal-alpha")
    st.markdown(
        _d(
            "focal_alpha_summary",
            ratio=f"{d['scalar_ratio']:.3g}",
            share=f"{d['unweighted_share']:.1%}",
            positive=str(c["n_positive"]),
            negative=str(c["n_negative"]),
        )
    )


def _details_keras_tversky(d: dict) -> None:
    msg = _d(
        "tversky_installed",
        keras=d["keras_version"],
        convention=_d(f"tversky_convention_{d['convention']}"),
    )
    if d["swapped"]:
        st.warning(msg + " " + _d("tversky_swapped"), icon=":material/swap_horiz:")
    else:
        st.success(msg + " " + _d("tversky_paper"), icon=":material/check:")
    _table(
        [
            (_d("tversky_fp_only"), f"{d['keras_fp_only']:.4f}", f"{d['ours_fp_only']:.4f}"),
            (_d("tversky_fn_only"), f"{d['keras_fn_only']:.4f}", f"{d['ours_fn_only']:.4f}"),
        ],
        [
            _d("tversky_prediction"),
            "keras.losses.Tversky(alpha=1, beta=0)",
            "losses.tversky(alpha=1, beta=0)",
        ],
        "pit-keras-tversky",
    )
    st.markdown(_d("tversky_summary"))


def _details_focal_tversky(d: dict) -> None:
    _table(
        [
            (_d("ft_typed"), f"{d['gamma_wrong']:.4g}", f"{d['grad_wrong']:.4f}"),
            (_d("ft_converted"), f"{d['gamma_right']:.4g}", f"{d['grad_right']:.4f}"),
        ],
        [_d("ft_exponent"), _d("ft_value"), _d("ft_slope")],
        "pit-ft-exponent",
    )
    st.markdown(_d("ft_summary", tversky=f"{d['tversky_loss']:.4f}"))


def _details_empty(d: dict) -> None:
    st.markdown(_d("empty_summary", keras=d["keras_version"], epsilon=f"{d['keras_epsilon']:g}"))


def _details_focal_mean_bce(d: dict) -> None:
    _table(
        [
            (_d("mean_bce_plain"), f"{d['hard_share_bce']:.1%}"),
            (_d("mean_bce_blog"), f"{d['hard_share_wrong']:.1%}"),
            (_d("mean_bce_focal"), f"{d['hard_share_focal']:.1%}"),
        ],
        [t("charts.loss"), _d("mean_bce_share")],
        "pit-focal-mean",
    )
    st.markdown(
        _d(
            "mean_bce_summary",
            factor=f"{d['uniform_factor']:.3g}",
            low=f"{d['pixel_factor_min']:.2g}",
            high=f"{d['pixel_factor_max']:.2g}",
        )
    )


def _details_logits(d: dict) -> None:
    st.markdown(_d("logits_says"))
    if d["error_message"]:
        _error_block(d["error_message"])
    else:
        st.info(_d("logits_no_error"))
    lo, hi = d["logit_range"]
    st.markdown(
        _d(
            "logits_summary",
            low=f"{lo:.2f}",
            high=f"{hi:.2f}",
            share=f"{d['share_clipped_to_0_or_1']:.0%}",
            wrong=f"{d['dice_wrong']:.4f}",
            right=f"{d['dice_right']:.4f}",
        )
    )


def _details_keras_bce_clip(d: dict) -> None:
    _table(
        [
            (
                _d("clip_false_positive"),
                f"{d['keras_false_positive']:.4f}",
                f"{d['ours_false_positive']:.4f}",
            ),
            (
                _d("clip_false_negative"),
                f"{d['keras_false_negative']:.4f}",
                f"{d['ours_false_negative']:.4f}",
            ),
        ],
        [
            _d("clip_mistake"),
            f"Keras {d['keras_version']} binary_crossentropy",
            "losses.bce",
        ],
        "pit-keras-bce-clip",
    )
    st.markdown(
        _d(
            "clip_summary",
            rounded=f"{d['float32_one_minus_epsilon']:.10f}",
            gap=f"{d['float32_gap']:.3g}",
            neg_log_gap=f"{d['neg_log_float32_gap']:.4f}",
            neg_log_eps=f"{d['neg_log_epsilon']:.4f}",
        )
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
    a.metric(_d("faq_ce_term"), f"{d['ce_term']:+.4f}")
    b.metric(_d("faq_dice_term"), f"{d['dice_term']:+.4f}")
    c.metric(_d("faq_combo"), f"{d['total']:+.4f}")
    m.metric(_d("faq_best"), f"{d['minimum']:+.4f}")


def _faq_batch(d: dict) -> None:
    _table(
        [
            (_d("faq_both_found"), f"{d['pooled'][0]:.4f}", f"{d['per_image_mean'][0]:.4f}"),
            (_d("faq_tiny_missed"), f"{d['pooled'][1]:.4f}", f"{d['per_image_mean'][1]:.4f}"),
            (_d("faq_change"), f"{d['pooled_change']:+.4f}", f"{d['per_image_change']:+.4f}"),
        ],
        [_d("faq_batch"), _d("faq_pooled"), _d("faq_per_image")],
        "faq-batch",
    )
    st.caption(_d("faq_compare_link"))


def _faq_alpha_beta(d: dict) -> None:
    u, o = d["under"], d["over"]
    _table(
        [
            (
                _d("faq_under"),
                f"{u['base']:.4f}",
                f"{u['raise_alpha']:.4f}",
                f"{u['raise_beta']:.4f}",
            ),
            (
                _d("faq_over"),
                f"{o['base']:.4f}",
                f"{o['raise_alpha']:.4f}",
                f"{o['raise_beta']:.4f}",
            ),
        ],
        [_d("faq_tversky_of"), "alpha = beta = 0.5", _d("faq_alpha_up"), _d("faq_beta_up")],
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
        st.markdown(f":red[**✗ {t('pitfalls.page.mistake')}**] · {label}")
    else:
        st.markdown(f":green[**✓ {t('pitfalls.page.correct')}**] · {label}")
    if isinstance(value, str):
        _error_block(value)
    else:
        st.metric(
            t("pitfalls.page.mistaken_value")
            if kind == "wrong"
            else t("pitfalls.page.right_value"),
            fmt(value, key),
            label_visibility="collapsed",
        )


def _source(item: dict) -> None:
    st.caption(t("pitfalls.page.source", references="; ".join(item["references"])))


def pitfall_section(i: int, item: dict) -> None:
    with st.container(border=True):
        st.subheader(f"{i}. {say(item, 'title')}", anchor=anchor("pitfall", item["key"]))
        left, right = st.columns(2, gap="large")
        with left:
            _value_column("wrong", say(item, "wrong_label"), item["wrong"], item["key"])
        with right:
            _value_column("right", say(item, "right_label"), item["right"], item["key"])
        st.markdown(say(item, "explanation"))
        draw = DETAILS.get(item["key"])
        if draw is not None:
            with guard(t("pitfalls.page.guard_details", title=say(item, "title"))):
                draw(item["details"])
        _source(item)


def faq_section(item: dict) -> None:
    with st.container(border=True):
        st.subheader(say(item, "title"), anchor=anchor("faq", item["key"]))
        st.markdown(say(item, "answer"))
        draw = FAQ_DETAILS.get(item["key"])
        if draw is not None:
            with guard(t("pitfalls.page.guard_numbers", title=say(item, "title"))):
                draw(item["details"])
        _source(item)


def contents(items: list[dict], faq: list[dict]) -> None:
    left, right = st.columns([3, 2], gap="large")
    with left:
        lines = [f"**{t('pitfalls.page.pitfalls')}**", ""]
        lines += [
            f"{i}. [{say(it, 'title')}](#{anchor('pitfall', it['key'])})"
            for i, it in enumerate(items, 1)
        ]
        st.markdown("\n".join(lines))
    with right:
        lines = [f"**{t('pitfalls.page.faq')}**", ""]
        lines += [f"- [{say(it, 'title')}](#{anchor('faq', it['key'])})" for it in faq]
        st.markdown("\n".join(lines))
