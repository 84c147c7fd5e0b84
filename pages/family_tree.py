"""The family tree: the Unified Focal loss's three dials, and where the seven losses sit."""

from ui.runtime.boot import ensure_entry_point

ensure_entry_point()

import streamlit as st

from ui import masks
from ui.i18n import t
from ui.runtime import params
from ui.runtime.guard import guard
from ui.sections import family

st.title(t("family.title"))
st.markdown(t("family.intro"))
with st.expander(t("family.masks")):
    with guard("draw the mask input"):
        masks.render_mask_input()

params.seed(family.SETTINGS)
# the dials and everything that follows them: a dial move reruns this part only
st.fragment(family.live, key="family-live")()
st.divider()
family.explanations()
