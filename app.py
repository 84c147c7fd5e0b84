"""Segmentation Loss Lab: the entry point.

Run with ``streamlit run app.py``. The home page needs no TensorFlow; the
first import of TensorFlow starts in a background thread at launch, so by the
time a learner opens a loss page it is usually ready.
"""

from __future__ import annotations

import os

import streamlit as st

from ui.warmup import settle_garbage, warm_up_tensorflow

st.set_page_config(
    page_title="Segmentation Loss Lab",
    page_icon=":material/blur_on:",
    layout="wide",
)


if os.environ.get("SEGLOSS_NO_WARMUP") != "1":  # the tests switch it off to prove a point
    warm_up_tensorflow()

LOSS_PAGES = [
    ("focal", "Focal", ":material/center_focus_strong:"),
    ("dice", "Dice", ":material/join_inner:"),
    ("bce_dice", "BCE-Dice", ":material/add_circle:"),
    ("iou", "Jaccard / IoU", ":material/join_full:"),
    ("tversky", "Tversky", ":material/balance:"),
    ("focal_tversky", "Focal Tversky", ":material/filter_center_focus:"),
    ("combo", "Combo", ":material/merge:"),
]

pages = {
    "Start": [st.Page("pages/home.py", title="Home", icon=":material/home:", default=True)],
    "One loss at a time": [
        st.Page(f"pages/{key}.py", title=title, icon=icon, url_path=key)
        for key, title, icon in LOSS_PAGES
    ],
    "Explore": [
        st.Page(
            "pages/compare.py",
            title="Compare all losses",
            icon=":material/compare:",
            url_path="compare",
        ),
        st.Page(
            "pages/pitfalls.py",
            title="Pitfalls and FAQ",
            icon=":material/warning:",
            url_path="pitfalls",
        ),
        st.Page(
            "pages/training_lab.py",
            title="Training lab",
            icon=":material/model_training:",
            url_path="training_lab",
        ),
    ],
}

if os.environ.get("SEGLOSS_BENCH") == "1":
    # bench/latency.py's second baseline: the one-slider page inside this app's navigation
    pages["Explore"].append(
        st.Page("bench/apps/floor.py", title="floor", url_path="bench_floor", visibility="hidden")
    )

nav = st.navigation(pages, position="top")
nav.run()

# reached after a full run only: a slider move reruns a fragment, not this file
settle_garbage()
