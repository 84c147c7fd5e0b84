"""Home: what the app teaches and a map of the losses. Imports no TensorFlow."""

import streamlit as st

from teaching.registry import LOSSES

st.title("Segmentation Loss Lab")
st.markdown(
    "A segmentation network answers one question per pixel: *is this part of the object?* "
    "The **loss** turns its answers into one number to push down. Different losses disagree "
    "about which mistakes matter most, and that choice decides whether a model finds a tiny "
    "lesion or ignores it. Here you draw the answer and the guess yourself, move the "
    "parameters, and watch each loss react."
)

c1, c2, c3 = st.columns(3)
c1.markdown(
    "#### 1 · Make two masks\nPick a preset, paint with the mouse, or upload PNGs. The "
    "**ground truth** is what is really there; the **prediction** is a probability map, so "
    "paint with low opacity to draw an unsure model."
)
c2.markdown(
    "#### 2 · Move the sliders\nalpha, beta, gamma and friends start at the values of the "
    "well-known Kaggle loss library; one click sets the values from each paper. The loss, "
    "the formula and every figure follow at once."
)
c3.markdown(
    "#### 3 · Read the pictures\nThe overlap map shows true and false positives and "
    "negatives, the curves show how the loss bends, and the push map shows where training "
    "would change the prediction."
)

st.subheader("Which loss, when")
PAGE_OF = {k: f"pages/{k}.py" for k in LOSSES}
for key, spec in LOSSES.items():
    a, b = st.columns([1, 3], vertical_alignment="center")
    a.page_link(PAGE_OF[key], label=spec.title, icon=":material/arrow_forward:")
    b.markdown(spec.summary)

st.subheader("Going further")
a, b, c = st.columns(3)
a.page_link("pages/compare.py", label="Compare all losses on your masks", icon=":material/compare:")
b.page_link(
    "pages/pitfalls.py", label="Pitfalls and questions learners ask", icon=":material/warning:"
)
c.page_link(
    "pages/training_lab.py",
    label="Train a small model with each loss",
    icon=":material/model_training:",
)
from ui.i18n import t  # noqa: E402 - the family-tree link below

st.page_link("pages/family_tree.py", label=t("family.home_link"), icon=":material/account_tree:")

st.divider()
st.caption(
    "Every number comes from the `losses/` package in this repository, written in "
    "TensorFlow. The same functions and Keras classes go straight into "
    "`model.compile(loss=...)`. Parameters are shared by link: copy the address bar on a "
    "loss page."
)
