"""Home: what the app teaches and a map of the losses. Imports no TensorFlow."""

import streamlit as st

from teaching.registry import LOSSES
from ui.i18n import loss_text, t

st.title(t("home.title"))
st.markdown(t("home.intro"))

for column, step in zip(st.columns(3), ("masks", "sliders", "pictures"), strict=True):
    column.markdown(f"#### {t(f'home.steps.{step}.title')}\n{t(f'home.steps.{step}.body')}")

st.subheader(t("home.which_loss"))
for key in LOSSES:
    a, b = st.columns([1, 3], vertical_alignment="center")
    a.page_link(
        f"pages/{key}.py",
        label=t("home.loss_link", name=loss_text(key, "title")),
        icon=":material/arrow_forward:",
    )
    b.markdown(loss_text(key, "summary"))

st.subheader(t("home.further"))
a, b, c = st.columns(3)
a.page_link("pages/compare.py", label=t("home.link_compare"), icon=":material/compare:")
b.page_link("pages/pitfalls.py", label=t("home.link_pitfalls"), icon=":material/warning:")
c.page_link(
    "pages/training_lab.py", label=t("home.link_training"), icon=":material/model_training:"
)
from ui.i18n import t  # noqa: E402 - the family-tree link below

st.page_link("pages/family_tree.py", label=t("family.home_link"), icon=":material/account_tree:")

st.divider()
st.caption(t("home.footer"))
