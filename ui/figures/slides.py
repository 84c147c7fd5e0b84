"""A static figure of the current state, drawn with matplotlib, for a teacher's slides.

It is built only when the download button is pressed (the button gets a
callable), so it costs nothing on a slider move.
"""

from __future__ import annotations

import io

import numpy as np

from . import images, palette


def slide_png(
    title: str,
    value: float,
    formula_text: str,
    ctx_numbers: dict,
    y_true,
    y_pred,
    curve: dict,
    conf: dict,
) -> bytes:
    """One 16:9 PNG: the overlap map, the loss against confidence, and the value."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(
        1, 3, figsize=(16, 6), dpi=110, gridspec_kw={"width_ratios": [1, 1.2, 1.2]}
    )
    ax = axes[0]
    ax.imshow(images.overlap_rgb(y_true, y_pred))
    ax.set_axis_off()
    ax.set_title("Overlap: TP green, FP orange, FN blue", fontsize=13)
    ax = axes[1]
    ax.plot(curve["p"], curve["positive"], color=palette.TP_COLOR, lw=3, label="foreground pixel")
    ax.plot(curve["p"], curve["negative"], color=palette.FP_COLOR, lw=3, label="background pixel")
    top = float(np.nanmax([np.nanmax(curve["positive"]), np.nanmax(curve["negative"])]))
    ax.set_ylim(min(0.0, float(np.nanmin(curve["positive"]))) - 0.02, min(top, 5.0) * 1.05)
    ax.set_xlabel("predicted probability p", fontsize=12)
    ax.set_ylabel("loss", fontsize=12)
    ax.set_title("One pixel alone", fontsize=13)
    ax.legend(frameon=False)
    ax.grid(alpha=0.3)
    ax = axes[2]
    ax.plot(conf["level"], conf["loss"], color=palette.TP_COLOR, lw=3)
    ax.scatter(
        [conf["current"]], [value], s=120, color=palette.MARK_COLOR, edgecolor="black", zorder=3
    )
    ax.set_xlabel("confidence c of the same prediction", fontsize=12)
    ax.set_title("Your prediction, scaled from 0 to certain", fontsize=13)
    ax.grid(alpha=0.3)
    n = ctx_numbers
    fig.suptitle(
        f"{title} = {value:.4f}    ({formula_text})    TP {n['TP']:.0f} · FP {n['FP']:.0f} · "
        f"FN {n['FN']:.0f}",
        fontsize=15,
    )
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()
