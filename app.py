"""Segmentation Loss Lab: the entry point.

Run with ``streamlit run app.py``. The home page needs no TensorFlow; the
first import of TensorFlow starts in a background thread at launch, so by the
time a learner opens a loss page it is usually ready.
"""

from __future__ import annotations

import os

# The app's own hardware choice, made before anything imports TensorFlow: the
# pages compute small batched numbers on the CPU, and a GPU's start-up would only
# slow the first page. (The losses package itself never chooses a device.)
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import streamlit as st  # noqa: E402

from teaching.registry import LOSSES  # noqa: E402
from ui.i18n import language_control, line_breaks, loss_text, t  # noqa: E402
from ui.runtime.boot import install_server_hooks  # noqa: E402
from ui.runtime.links import check_language, show_notes  # noqa: E402
from ui.runtime.warmup import (  # noqa: E402
    settle_garbage,
    wait_for_tensorflow,
    warm_up_tensorflow,
)
from ui.widgets import projector  # noqa: E402
from ui.widgets.copy_link import copy_link_button  # noqa: E402

install_server_hooks()  # once per process: no Keras clean-up after every run (see boot.py)
check_language()  # before the first text: the language switch rewrites a bad ?lang=
st.set_page_config(
    page_title=t("app.title"),
    page_icon=":material/blur_on:",
    layout="wide",
)

if os.environ.get("SEGLOSS_NO_WARMUP") != "1":  # the tests switch it off to prove a point
    warm_up_tensorflow()

#: The navigation icon of each loss page (titles come from the catalogs).
LOSS_ICONS = {
    "focal": ":material/center_focus_strong:",
    "dice": ":material/join_inner:",
    "bce_dice": ":material/add_circle:",
    "iou": ":material/join_full:",
    "tversky": ":material/balance:",
    "focal_tversky": ":material/filter_center_focus:",
    "combo": ":material/merge:",
}

#: The pages beside the losses: file and address, catalog key of the title, icon.
EXPLORE_PAGES = (
    ("compare", "nav.compare", ":material/compare:"),
    ("pitfalls", "nav.pitfalls", ":material/warning:"),
    ("challenges", "nav.challenges", ":material/emoji_events:"),
    ("training_lab", "nav.training_lab", ":material/model_training:"),
    ("family_tree", "family.nav", ":material/account_tree:"),
)

pages = {
    t("nav.start"): [
        st.Page("pages/home.py", title=t("nav.home"), icon=":material/home:", default=True)
    ],
    t("nav.one_loss"): [
        st.Page(
            f"pages/{key}.py", title=loss_text(key, "title"), icon=LOSS_ICONS[key], url_path=key
        )
        for key in LOSSES
    ],
    t("nav.explore"): [
        st.Page(f"pages/{key}.py", title=t(title), icon=icon, url_path=key)
        for key, title, icon in EXPLORE_PAGES
    ],
}

if os.environ.get("SEGLOSS_BENCH") == "1":
    # bench/latency.py's second baseline: the one-slider page inside this app's navigation
    pages[t("nav.explore")].append(
        st.Page("bench/apps/floor.py", title="floor", url_path="bench_floor", visibility="hidden")
    )

navigation = st.navigation(pages, position="top")
st.session_state["_segloss_page"] = navigation.url_path
if navigation.url_path:  # every page but the home page computes with TensorFlow
    wait_for_tensorflow()
with st.container(horizontal=True, horizontal_alignment="right", vertical_alignment="center"):
    projector.switch()
    copy_link_button()
    language_control()
line_breaks()  # before the page runs: a page may end its run early (st.stop)
link_notes = st.container()
navigation.run()
with link_notes:  # filled after the page ran: reading its link is what finds the notes
    show_notes()
projector.style()

# reached after a full run only: a slider move reruns a fragment, not this file
settle_garbage()
