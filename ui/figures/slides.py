"""A static figure of the current state, drawn with matplotlib, for a teacher's slides.

It is built only when the download button is pressed (the button gets a
callable), so it costs nothing on a slider move.

Its words come from the catalogs in the page's language. Matplotlib's own font
(DejaVu Sans) has no Hangul, so a Korean slide needs a CJK font: one is looked up
by family name (Debian's ``fonts-noto-cjk`` installs Noto Sans CJK) and placed
after DejaVu Sans, so Latin letters and digits keep their usual look and every
Hangul glyph falls back to the CJK font. Without such a font the slide is drawn
in English, with a logged note, rather than with empty boxes.
"""

from __future__ import annotations

import functools
import io
import logging

import numpy as np

from ..i18n import DEFAULT, text
from . import images, palette

#: Families with Hangul, most preferred first (Noto Sans CJK from fonts-noto-cjk, then
#: other common Korean fonts).
HANGUL_FAMILIES = (
    "Noto Sans CJK KR",
    "Noto Sans KR",
    "Noto Sans CJK JP",
    "Noto Sans CJK SC",
    "NanumGothic",
    "Nanum Gothic",
    "UnDotum",
    "Malgun Gothic",
    "Apple SD Gothic Neo",
)
LATIN_FAMILY = "DejaVu Sans"
#: Languages whose text needs a font beyond DejaVu Sans.
NEEDS_CJK = {"ko"}

_log = logging.getLogger(__name__)


def _matplotlib():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


@functools.cache
def hangul_family() -> str | None:
    """The first installed font family of :data:`HANGUL_FAMILIES`, or None (logged once)."""
    from matplotlib import font_manager

    for family in HANGUL_FAMILIES:
        try:
            font_manager.findfont(
                font_manager.FontProperties(family=family), fallback_to_default=False
            )
        except ValueError:
            continue
        return family
    _log.warning(
        "slides: no font with Hangul found (tried %s); Korean slides are drawn in English. "
        "Install Debian's fonts-noto-cjk to draw them in Korean.",
        ", ".join(HANGUL_FAMILIES),
    )
    return None


def fonts_for(lang: str) -> tuple[str, list[str]]:
    """The language the slide is drawn in and the font families to draw it with."""
    if lang not in NEEDS_CJK:
        return lang, [LATIN_FAMILY]
    family = hangul_family()
    if family is None:
        return DEFAULT, [LATIN_FAMILY]
    return lang, [LATIN_FAMILY, family]


def _words(lang: str):
    return lambda key, **values: text(f"charts.slide.{key}", lang, **values)


def slide_png(
    loss: str,
    value: float,
    params_text: str,
    ctx_numbers: dict,
    y_true,
    y_pred,
    curve: dict,
    conf: dict,
    lang: str = DEFAULT,
) -> bytes:
    """One 16:9 PNG: the overlap map, one pixel's loss, the loss against confidence, the value.

    ``loss`` is the registry key; ``params_text`` the settings as code writes them
    (``alpha=0.3, beta=0.7``), the same in every language.
    """
    plt = _matplotlib()
    lang, families = fonts_for(lang)
    w = _words(lang)
    with plt.rc_context({"font.family": families}):
        fig, axes = plt.subplots(
            1, 3, figsize=(16, 6), dpi=110, gridspec_kw={"width_ratios": [1, 1.2, 1.2]}
        )
        _overlap_panel(axes[0], y_true, y_pred, w)
        _pixel_panel(axes[1], curve, w)
        _confidence_panel(axes[2], conf, value, w)
        n = ctx_numbers
        fig.suptitle(
            w(
                "title",
                name=text("loss_page.title", lang, name=_title(loss, lang)),
                value=f"{value:.4f}",
                params=params_text or w("no_parameters"),
                tp=f"{n['TP']:.0f}",
                fp=f"{n['FP']:.0f}",
                fn=f"{n['FN']:.0f}",
            ),
            fontsize=15,
        )
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        plt.close(fig)
    return buf.getvalue()


def _title(loss: str, lang: str) -> str:
    return text(f"losses.{loss}.title", lang)


def _overlap_panel(ax, y_true, y_pred, w) -> None:
    ax.imshow(images.overlap_rgb(y_true, y_pred))
    ax.set_axis_off()
    ax.set_title(w("overlap"), fontsize=13)


def _pixel_panel(ax, curve: dict, w) -> None:
    ax.plot(curve["p"], curve["positive"], color=palette.TP_COLOR, lw=3, label=w("foreground"))
    ax.plot(curve["p"], curve["negative"], color=palette.FP_COLOR, lw=3, label=w("background"))
    top = float(np.nanmax([np.nanmax(curve["positive"]), np.nanmax(curve["negative"])]))
    ax.set_ylim(min(0.0, float(np.nanmin(curve["positive"]))) - 0.02, min(top, 5.0) * 1.05)
    ax.set_xlabel(w("probability"), fontsize=12)
    ax.set_ylabel(w("loss"), fontsize=12)
    ax.set_title(w("one_pixel"), fontsize=13)
    ax.legend(frameon=False)
    ax.grid(alpha=0.3)


def _confidence_panel(ax, conf: dict, value: float, w) -> None:
    ax.plot(conf["level"], conf["loss"], color=palette.TP_COLOR, lw=3)
    ax.scatter(
        [conf["current"]], [value], s=120, color=palette.MARK_COLOR, edgecolor="black", zorder=3
    )
    ax.set_xlabel(w("confidence"), fontsize=12)
    ax.set_title(w("confidence_title"), fontsize=13)
    ax.grid(alpha=0.3)
