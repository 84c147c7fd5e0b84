"""Compare all losses: the same masks, candidates and object sizes under every loss."""

from ui.runtime.boot import ensure_entry_point

ensure_entry_point()

import numpy as np
import streamlit as st

from ui import masks
from ui.i18n import t
from ui.runtime import links, params
from ui.runtime.guard import guard
from ui.sections import compare

st.title(t("compare.page.title"))
st.markdown(t("compare.page.intro"))
with st.expander(t("compare.page.masks_expander")):
    with guard(t("compare.guard.masks")):
        masks.render_mask_input()

y_true, y_pred = (np.asarray(m, np.float32) for m in masks.get_masks())
digest = masks.masks_digest()
compare.masks_summary(y_true, y_pred)

links.audit(params.link_names(compare.SETTINGS))
params.seed(compare.SETTINGS)
loss_params = params.all_loss_params()

compare.section_values(y_true, y_pred, digest, loss_params)
st.divider()
compare.section_candidates(y_true, y_pred, digest, loss_params)
st.divider()
compare.section_sweep(loss_params)
st.divider()
compare.section_batch(loss_params)

params.sync_link(compare.SETTINGS, params.values(compare.SETTINGS))
if links.sync_masks(masks.link_fields()):
    st.caption(t("links.masks_too_long"))
