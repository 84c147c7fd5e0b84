"""Challenges: graded tasks about the losses, checked live on the learner's own masks."""

from ui.runtime.boot import ensure_entry_point

ensure_entry_point()

import streamlit as st

from ui import masks
from ui.i18n import t
from ui.runtime import links
from ui.sections import challenges

st.title(t("challenges.title"))
st.markdown(t("challenges.intro"))
links.audit(challenges.link_names())

left, right = st.columns([1, 1.2], gap="medium")
with right:
    challenge = challenges.picker()
with left:
    if challenge.uses_masks:
        masks.render_mask_input()
    else:
        st.info(t("challenges.no_masks"), icon=":material/info:")


def _card() -> None:
    challenges.card(challenge)
    challenges.progress()


with right:
    # a control of the card reruns the card only; the canvases stay as they are
    st.fragment(_card, key=f"challenge-{challenge.key}")()

if challenge.uses_masks:
    links.sync_masks(masks.link_fields())
