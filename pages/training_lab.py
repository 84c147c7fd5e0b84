"""Training lab: train a small U-Net with one or two losses and compare what they learn."""

from ui.runtime.boot import ensure_entry_point

ensure_entry_point()

import streamlit as st

from ui.i18n import t
from ui.runtime.guard import guard
from ui.sections import training

st.title(t("training.page.title"))
st.markdown(t("training.page.intro"))

configs, errors = training.controls()
for error in errors:
    st.error(error)

train_clicked, stop_clicked = training.buttons(disabled=bool(errors))
job = training.settle_job(train_clicked, stop_clicked)
if errors:
    st.stop()

task = training.task_for(configs[0])
if task is None:
    st.stop()
if train_clicked:
    job = training.train_now(configs, task)  # queued in the training pool; never trained here

with guard(t("training.page.guard_data")):
    training.show_data_preview(task)
training.show_latest(configs, job, task)
