"""Pitfalls and FAQ (filled in by the teaching-depth work)."""

import streamlit as st

st.title("Pitfalls and FAQ")
st.info("Coming soon.")
