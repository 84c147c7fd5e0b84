"""Training lab (placeholder until ui.training lands)."""

from ui.boot import ensure_entry_point

ensure_entry_point()

import streamlit as st

st.title("Training lab")
