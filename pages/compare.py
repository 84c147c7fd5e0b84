"""Compare all losses (filled in by the teaching-depth work)."""

import streamlit as st

st.title("Compare all losses")
st.info("Coming soon.")
